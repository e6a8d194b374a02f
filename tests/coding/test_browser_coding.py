"""In a real browser: a coder selects a span, applies a theme, and the highlight survives reload."""

import pytest

from consult.extensions import db
from consult.passages.models import OriginKind, SourceKind
from consult.passages.services import publish_passage
from tests.helpers import PASSWORD, assert_no_axe_violations

TEXT = (
    "Our shelter turns people away every week. "
    "Survivors wait months for stable housing, and many return to their traffickers."
)


def _seed(app):
    from consult.coding.codebook import create_theme
    from tests.conftest import Factory

    with app.app_context():
        factory = Factory(app)
        coder = factory.user("staff", email="coder@example.org", name="Cora Coder")
        c = factory.consultation("Browser consultation", slug="browser")
        create_theme(c.id, {"name": "Language access"}, actor_id=None)
        housing = create_theme(c.id, {"name": "Housing shortage"}, actor_id=None)
        p = publish_passage(
            consultation_id=c.id,
            origin_kind=OriginKind.IMPORT,
            origin_id="browser:1",
            source_kind=SourceKind.IMPORT,
            text=TEXT,
            external_id="B-1",
        )
        db.session.commit()
        ids = (coder.email, p.id, housing.id)
        db.session.remove()
        return ids


@pytest.mark.browser
def test_select_span_apply_theme_and_reload(live_server, page):
    base, app = live_server
    email, passage_id, theme_id = _seed(app)
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base}/coding/browser/passages/{passage_id}")
    # select "stable housing" with the mouse-equivalent DOM selection
    target = "stable housing"
    page.evaluate(
        """(target) => {
            const el = document.querySelector('#passage-text .seg');
            const node = el.firstChild;
            const i = node.data.indexOf(target);
            const r = document.createRange();
            r.setStart(node, i);
            r.setEnd(node, i + target.length);
            const s = window.getSelection();
            s.removeAllRanges();
            s.addRange(r);
            el.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        target,
    )
    start = TEXT.index(target)
    assert page.input_value("#sel-start") == str(start)
    assert page.input_value("#sel-end") == str(start + len(target))
    assert "stable housing" in page.text_content("#selection-status")
    page.check(f"#theme-{theme_id}")
    page.click("#apply-button")
    page.wait_for_selector("#passage-text .hl")
    assert page.text_content("#passage-text .hl") == target
    assert "Housing shortage" in page.text_content(".coding-legend")
    page.reload()
    assert page.text_content("#passage-text .hl") == target
    # the text container still holds exactly the passage once labels are ignored
    plain = page.evaluate(
        """() => { const c = document.getElementById('passage-text').cloneNode(true);
                   c.querySelectorAll('[data-nooffset]').forEach(e => e.remove());
                   return c.textContent; }"""
    )
    assert plain == TEXT
    assert_no_axe_violations(page)


@pytest.mark.browser
def test_keyboard_shortcuts_apply_theme_to_ticked_sentence(live_server, page):
    base, app = live_server
    email, passage_id, _theme_id = _seed(app)
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base}/coding/browser/passages/{passage_id}")
    page.check("#sentence-1")
    page.keyboard.press("2")  # second theme in codebook order: Housing shortage
    page.keyboard.press("a")
    page.wait_for_selector("#passage-text .hl")
    assert page.text_content("#passage-text .hl").startswith("Survivors wait months")
    assert page.locator(".coding-legend li strong").all_text_contents() == ["Housing shortage"]


@pytest.mark.browser
def test_coding_pages_pass_axe(live_server, page):
    base, app = live_server
    email, passage_id, theme_id = _seed(app)
    with app.app_context():
        from consult.auth.models import User
        from consult.coding.manual import add_codings
        from consult.passages.models import Passage

        p = db.session.get(Passage, passage_id)
        add_codings(p, [theme_id], [(0, 20)], coder_id=User.by_email(email).id)
        db.session.remove()
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    # A phone-wide window: the analysis tables scroll sideways there (regression: not focusable).
    page.set_viewport_size({"width": 360, "height": 740})
    for path in (
        f"passages/{passage_id}",
        "queue",
        "codebook",
        f"codebook/{theme_id}",
        "passages/import",
        "agreement",
        "analysis",
        f"analysis/themes/{theme_id}/quotes",
        "exports",
    ):
        page.goto(f"{base}/coding/browser/{path}")
        assert page.locator("h1").count() == 1, path
        assert_no_axe_violations(page)
        # Regression: long CSV headers in <code> widened the exports/import pages on a phone.
        wide = page.evaluate(
            "() => [...document.querySelectorAll('main *')].filter(e => !e.closest('.table-wrap')"
            " && e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.outerHTML.slice(0, 80))"
        )
        assert not wide, (path, wide)
        # Regression: visually hidden labels inside scrolling tables widened the page.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
