"""In a real browser: a member of the public signs up with a file; a facilitator orders and marks
speakers; staff redact and approve; the public record shows the redacted text. axe-core: no
WCAG 2.1 A/AA violations on the public pages."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from consult.models import utcnow
from tests.conftest import Factory
from tests.helpers import PASSWORD, assert_no_axe_violations

pytestmark = pytest.mark.browser


def _sign_in(page, base, email):
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/consultations/.*"))


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def _setup(app):
    from consult.hearings.services import save_hearing

    with app.app_context():
        factory = Factory(app)
        c = factory.consultation("2026 stakeholder consultation", slug="c2026")
        hearing = save_hearing(
            None,
            c.id,
            {
                "title": "Labor trafficking in agriculture",
                "subject": "SB 214",
                "starts_at": utcnow() + timedelta(days=10),
                "timezone": "America/New_York",
                "place": "Room 1E",
                "agenda": ["Recruiter registration"],
                "status": "open",
            },
            actor_id=None,
        )
        from consult.hearings.services import submit_signup

        submit_signup(
            hearing.id,
            key="k" * 32,
            fields={
                "name": "Olga Official",
                "organization_kind": "state_agency",
                "position": "oppose",
                "mode": "in_person",
                "confidentiality": "public",
            },
        )
        factory.user("facilitator", email="fac@example.org")
        factory.user("staff", email="staff@example.org")
        return hearing.id


def test_public_signup_to_public_record(live_server, page, tmp_path):
    base, app = live_server
    hearing_id = _setup(app)

    page.goto(f"{base}/hearings/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Labor trafficking in agriculture").click()
    page.get_by_role("heading", name="Labor trafficking in agriculture").wait_for()
    expect(page.get_by_role("link", name="Leave this page quickly")).to_be_visible()
    assert_no_axe_violations(page)

    # Regression: on a phone the confidentiality explanations were squeezed into a third column.
    page.set_viewport_size({"width": 360, "height": 740})
    label = page.locator("label[for=confidentiality-2]").bounding_box()
    hint = page.locator("#confidentiality-2-explained").bounding_box()
    assert hint["y"] >= label["y"] + label["height"] - 1 and hint["width"] > 250
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name="Send").click()  # empty: errors, nothing lost
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_no_axe_violations(page)
    page.get_by_label("Full name").fill("Rita Reyes")
    page.get_by_label("Email address (optional)").fill("rita@example.org")
    page.get_by_label("Support", exact=True).check()
    page.get_by_label("Speak in person").check()
    page.get_by_label("Public", exact=True).check()
    page.get_by_label("I agree that my testimony may be published").check()
    page.get_by_label("Written testimony (optional if you speak)").fill(
        "My name is Rita Reyes. The recruiter took 3000 dollars from each of us."
    )
    doc = tmp_path / "statement.txt"
    doc.write_text("We slept in the barn for two months.")
    page.get_by_label("Attach files (optional)").set_input_files(str(doc))
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you, we have received it").wait_for()
    reference = page.locator(".reference").inner_text()
    assert reference.startswith(f"H{hearing_id}-")
    assert_no_axe_violations(page)

    _sign_in(page, base, "fac@example.org")
    page.goto(f"{base}/hearings/{hearing_id}/console")
    page.get_by_label("First come, first served").check()
    page.get_by_role("button", name="Generate order").click()
    page.get_by_text("Speaker order generated.").wait_for()
    rows = page.locator(".speaker-table tbody tr")
    assert "Olga Official" in rows.nth(0).inner_text()
    page.get_by_role("button", name="Move Rita Reyes up").click()
    page.wait_for_load_state()
    assert "Rita Reyes" in page.locator(".speaker-table tbody tr").nth(0).inner_text()
    page.get_by_role("button", name="Mark Rita Reyes present").click()
    page.get_by_text("Rita Reyes: present.").wait_for()
    page.get_by_role("button", name="Start timer").first.click()
    page.locator("[data-timer]").first.wait_for(state="visible")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Mark Rita Reyes spoke").click()
    page.get_by_text("Rita Reyes: spoke.").wait_for()
    _sign_out(page)

    _sign_in(page, base, "staff@example.org")
    page.goto(f"{base}/hearings/{hearing_id}/testimony")
    page.get_by_role("link", name="Rita Reyes").click()
    page.get_by_text("Possible personal data").first.wait_for()
    assert_no_axe_violations(page)
    page.locator("#field-written").get_by_role("button", name="Redact").first.click()
    page.get_by_text("Redacted.").wait_for()
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Testimony approved.").wait_for()
    _sign_out(page)

    page.goto(f"{base}/hearings/{hearing_id}/record")
    body = page.locator("main").inner_text()
    assert "My name is [redacted]. The recruiter took 3000 dollars" in body
    page.get_by_text("Text of an attached document").click()
    page.get_by_text("We slept in the barn for two months.").wait_for()
    assert "Rita Reyes" in page.locator("h3").all_inner_texts()[0]  # public speaker, name shown
    assert_no_axe_violations(page)
    page.goto(f"{base}/hearings/{hearing_id}?lang=es")
    assert_no_axe_violations(page)
