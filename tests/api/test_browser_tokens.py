"""In a real browser: create an API token on the account page, use it once, revoke it (axe-clean)."""

import re

import pytest
import requests
from playwright.sync_api import expect

from tests.conftest import Factory
from tests.helpers import PASSWORD, assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_create_use_and_revoke_a_token(live_server, page):
    base, app = live_server
    with app.app_context():
        email = Factory(app).user("staff", email="analyst@example.org").email

    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/auth/account")
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Create token").click()  # no name: error, choices kept
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Token name").fill("Quarterly dashboard")
    page.get_by_label("Read and write (submit responses, code, start reports)").check()
    page.get_by_label("30 days").check()
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_label("Your token").input_value()
    assert re.fullmatch(r"cst_[A-Za-z0-9_-]{40,}", secret)
    assert_no_axe_violations(page)

    headers = {"Authorization": f"Bearer {secret}"}
    assert requests.get(f"{base}/api/v1/organizations", headers=headers, timeout=30).ok

    page.get_by_role("link", name="Done").click()
    row = page.get_by_role("row", name=re.compile("Quarterly dashboard"))
    assert "Read and write" in row.inner_text() and secret not in page.content()
    row.get_by_role("button", name=re.compile("Revoke")).click()
    expect(page.get_by_text("is revoked")).to_be_visible()
    resp = requests.get(f"{base}/api/v1/organizations", headers=headers, timeout=30)
    assert resp.status_code == 401
