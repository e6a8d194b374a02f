"""In a real browser: admin creates an organization and invites a respondent who joins and signs in.

axe-core must report no WCAG 2.1 A/AA violations on the login, dashboard, organization and
consultation pages.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import Factory
from tests.helpers import PASSWORD, assert_no_axe_violations

pytestmark = pytest.mark.browser


def _sign_in(page, base, email, password):
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r".*/auth/login"))


def test_admin_invites_a_respondent_who_joins(live_server, page):
    base, app = live_server
    with app.app_context():
        factory = Factory(app)
        admin = factory.user("admin", email="admin@example.org", name="Ada Admin")
        factory.consultation("2026 stakeholder consultation", slug="2026-consultation")
        admin_email = admin.email

    page.goto(f"{base}/auth/login")
    assert_no_axe_violations(page)
    _sign_in(page, base, admin_email, PASSWORD)
    page.wait_for_url(f"{base}/consultations/")
    assert_no_axe_violations(page)

    page.goto(f"{base}/consultations/2026-consultation")
    expect(page.get_by_role("heading", name="2026 stakeholder consultation")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Organizations").click()
    assert_no_axe_violations(page)
    page.goto(f"{base}/organizations/new")
    page.get_by_role("button", name="Save").click()  # empty: error summary, nothing lost
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    page.get_by_label("Name").fill("Riverside Migrant Workers Center")
    page.get_by_label("Kind").select_option("ngo")
    page.get_by_label("Region").fill("River Valley")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Riverside Migrant Workers Center").wait_for()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Invite a respondent").click()
    page.get_by_label("Full name").fill("Rosa Rivera")
    page.get_by_label("E-mail address").fill("rosa@example.org")
    page.get_by_label("Role").select_option("respondent")
    assert page.get_by_label("Organization").input_value() != "0"  # chosen from the org page
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to rosa@example.org.").wait_for()
    _sign_out(page)

    from consult.mail import read_outbox

    with app.app_context():
        message = read_outbox()[-1]
    assert message["To"] == "rosa@example.org"
    link = re.search(
        r"https?://\S+/auth/invitations/\S+", message.get_body(("plain",)).get_content()
    )
    page.goto(link.group(0))
    page.get_by_role("heading", name="Welcome, Rosa Rivera").wait_for()
    assert_no_axe_violations(page)
    page.get_by_label("New password").fill("harbor lights at dusk")
    page.get_by_label("Confirm the password").fill("harbor lights at dusk")
    page.get_by_role("button", name="Set password and sign in").click()
    page.get_by_text("Your password is set and you are signed in.").wait_for()
    _sign_out(page)

    _sign_in(page, base, "rosa@example.org", "harbor lights at dusk")
    page.wait_for_url(f"{base}/")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    # a respondent has no staff navigation and no access to the organization list
    assert page.get_by_role("link", name="Organizations").count() == 0
    response = page.goto(f"{base}/organizations/")
    assert response.status == 403
