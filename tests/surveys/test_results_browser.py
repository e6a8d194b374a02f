"""Results, responses, distribution and import pages pass axe-core; staff downloads an export."""

from pathlib import Path

import pytest

from tests.conftest import PASSWORD, Factory
from tests.helpers import assert_no_axe_violations
from tests.surveys.survey_data import add_many_responses, add_response, build_full_survey


@pytest.mark.browser
def test_results_and_distribution_pages_have_no_axe_violations(live_server, page):
    base, app = live_server
    with app.app_context():
        factory = Factory(app)
        survey = build_full_survey(factory.consultation())
        orgs = [
            factory.organization("Shelter North", contact_email="n@shelter.example"),
            factory.organization("State Police", kind="law_enforcement", region="South"),
        ]
        add_many_responses(survey, orgs, 12)
        draft = add_response(survey, orgs[1], status="draft", answers={"people": 4})
        staff = factory.user("staff")
        survey_id, draft_id, email = survey.id, draft.id, staff.email
    page.goto(f"{base}/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    for path in (
        f"/surveys/{survey_id}/results",
        f"/surveys/{survey_id}/results?kind=ngo&language=es",
        f"/surveys/{survey_id}/responses",
        f"/surveys/{survey_id}/responses/{draft_id}",
        f"/surveys/{survey_id}/distribution",
        "/surveys/import",
    ):
        page.goto(base + path)
        assert page.url == base + path  # signed in, not sent to the login page
        assert page.locator("h1").count() == 1, path
        assert_no_axe_violations(page)
    page.goto(f"{base}/surveys/{survey_id}/distribution")
    page.get_by_role("checkbox", name="Nongovernmental organization", exact=True).check()
    page.get_by_role("button", name="Send invitations").click()
    assert "1 invitation sent." in page.locator(".flashes").inner_text()
    assert_no_axe_violations(page)
    page.goto(f"{base}/surveys/{survey_id}/results")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert (
        text.splitlines()[0].startswith("response_id,reference,status")
        and len(text.splitlines()) == 13
    )
