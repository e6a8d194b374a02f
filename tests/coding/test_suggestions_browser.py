"""Reviewing suggestions in a real browser: accessible page, one-click accept."""

import pytest

from tests.helpers import PASSWORD, assert_no_axe_violations


@pytest.mark.browser
def test_review_page_is_accessible_and_accepts_one_suggestion(live_server, page):
    base, app = live_server
    with app.app_context():
        from consult.coding.suggestions import run_autocode
        from tests.coding.conftest import CodingWorld
        from tests.conftest import Factory

        factory = Factory(app)
        world = CodingWorld(factory)
        email = factory.user("staff").email
        pending = run_autocode(world.consultation.id)["suggestions"]
        slug = world.slug
    page.goto(base + "/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(base + f"/coding/{slug}/suggestions")
    assert_no_axe_violations(page)
    row = page.locator("tbody tr").filter(has_text="Language access").first
    assert "name words: language" in row.inner_text()
    row.get_by_role("button", name="Accept").click()
    page.wait_for_url("**/suggestions**")
    assert "1 suggestion accepted." in page.content()
    cards = page.locator(".cards .card .figure").all_inner_texts()
    assert cards[:2] == [str(pending - 1), "1"]


@pytest.mark.browser
def test_select_all_then_bulk_reject(live_server, page):
    base, app = live_server
    with app.app_context():
        from consult.coding.suggestions import run_autocode
        from tests.coding.conftest import CodingWorld
        from tests.conftest import Factory

        factory = Factory(app)
        world = CodingWorld(factory)
        email = factory.user("staff").email
        pending = run_autocode(world.consultation.id)["suggestions"]
        slug = world.slug
    page.goto(base + "/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(base + f"/coding/{slug}/suggestions")
    page.get_by_label("Select all suggestions on this page").check()
    page.get_by_role("button", name="Reject selected").click()
    page.wait_for_url("**/suggestions**")
    assert f"{pending} suggestions rejected." in page.content()
