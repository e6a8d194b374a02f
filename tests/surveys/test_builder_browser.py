"""The builder's pages pass axe-core (staff work there for hours, some with assistive technology)."""

import pytest

from tests.conftest import PASSWORD, Factory
from tests.helpers import assert_no_axe_violations
from tests.surveys.conftest import build_survey


@pytest.mark.browser
def test_builder_pages_have_no_axe_violations(live_server, page):
    base, app = live_server
    with app.app_context():
        factory = Factory(app)
        consultation = factory.consultation()
        survey = build_survey(consultation)
        staff = factory.user("staff")
        slug, email = consultation.slug, staff.email
        question_id = survey.sections[1].questions[1].id
        section_id = survey.sections[2].id
        survey_id = survey.id
    page.goto(f"{base}/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    for path in (
        f"/surveys/c/{slug}/",
        f"/surveys/c/{slug}/new",
        f"/surveys/{survey_id}/build",
        f"/surveys/{survey_id}/settings",
        f"/surveys/questions/{question_id}/edit",
        f"/surveys/sections/{section_id}/edit",
    ):
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        assert page.url == base + path  # signed in, not sent to the login page
        assert_no_axe_violations(page)
