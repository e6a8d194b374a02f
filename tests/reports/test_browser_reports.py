"""In a real browser: staff adds a quote as evidence, generates the report with a progress bar,
downloads it. axe-core checks the recommendation, picker, options and run pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import Factory
from tests.helpers import PASSWORD, assert_no_axe_violations
from tests.reports.seed import seed_report_data

pytestmark = pytest.mark.browser


def test_staff_adds_evidence_generates_and_downloads_the_report(live_server, page, tmp_path):
    base, app = live_server
    with app.app_context():
        staff = Factory(app).user("staff", email="staff@example.org", name="Sam Staff")
        seeded = seed_report_data(staff_id=staff.id)
        slug, rec_id = seeded.slug, seeded.recommendation_ids[2]

    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail address").fill("staff@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/consultations/")

    page.goto(f"{base}/consultations/{slug}")
    page.get_by_role("link", name="Recommendations").click()
    page.get_by_role("link", name="Share data between agencies").click()
    expect(page.get_by_role("heading", name="Evidence (0)")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Add quotes as evidence").first.click()
    page.get_by_label("Source").select_option("hearing")
    page.get_by_role("button", name="Filter").click()
    assert_no_axe_violations(page)
    first = page.locator("figure.quote-card").first
    quote_ref = re.search(r"C\d+", first.locator("figcaption").inner_text()).group(0)
    first.get_by_role("button", name=re.compile("Add as evidence")).click()
    page.get_by_text(f"Quote {quote_ref} added as evidence.").wait_for()
    page.goto(f"{base}/reports/{slug}/recommendations/{rec_id}")
    expect(page.get_by_role("heading", name="Evidence (1)")).to_be_visible()
    expect(page.get_by_text(quote_ref).first).to_be_visible()
    page.goto(f"{base}/reports/{slug}/summary/preview")  # the report itself, as HTML
    expect(page.get_by_role("heading", name="Contents")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(f"{base}/reports/{slug}/summary")
    assert_no_axe_violations(page)
    page.get_by_label("Internal edition").check()
    page.get_by_role("button", name="Generate PDF").click()
    page.wait_for_url(re.compile(r".*/reports/runs/\d+"))
    assert page.locator("progress").count() == 1  # the progress bar, updated by app.js
    page.get_by_role("link", name="Download the PDF").wait_for(timeout=90000)
    assert_no_axe_violations(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the PDF").click()
    path = tmp_path / "report.pdf"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    from tests.helpers import run_pdftotext

    text = run_pdftotext(data, tmp_path)
    appendix = text[text.rindex("Appendix: tracing") :]
    assert quote_ref in appendix and "Internal edition" in text
