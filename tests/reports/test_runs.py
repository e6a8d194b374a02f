"""Report runs: generated as a job (inline and on an RQ worker), stored, listed, downloaded; CLI."""

import os

import pytest
from sqlalchemy import select

from consult.audit import AuditEvent
from consult.extensions import db
from consult.jobs import Job
from consult.reports.models import ReportRun
from consult.reports.options import ReportOptions
from consult.reports.runs import start_summary_run
from tests.helpers import run_pdftotext


def test_generate_download_and_list_past_runs(client, auth, seeded, staff, tmp_path):
    auth.login(staff)
    page = client.get(f"/reports/{seeded.slug}/summary")
    assert page.status_code == 200 and "Generate PDF" in page.text
    resp = client.post(
        f"/reports/{seeded.slug}/summary",
        data={"edition": "public", "sections": ["summary", "recommendations", "appendix"]},
    )
    assert resp.status_code == 302
    run = db.session.scalar(select(ReportRun))
    assert resp.headers["Location"].endswith(f"/reports/runs/{run.id}")
    assert run.status == "done" and run.page_count >= 3 and run.created_by_id == staff.id
    assert run.options["sections"] == ["summary", "recommendations", "appendix"]
    assert run.job_id and db.session.get(Job, run.job_id).status == "done"
    assert len(run.data_hash) == 64 and len(run.pdf_hash) == 64 and run.data_as_of is not None
    status = client.get(f"/reports/runs/{run.id}").text
    assert "Download the PDF" in status and run.data_hash in status
    download = client.get(f"/reports/runs/{run.id}/download")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    text = run_pdftotext(download.data, tmp_path)
    assert "Recommendations" in text and "Method" not in text.split("Contents")[1][:300]
    # a second run over unchanged data has the same data hash; the list shows both
    client.post(
        f"/reports/{seeded.slug}/summary",
        data={"edition": "public", "sections": ["summary", "recommendations", "appendix"]},
    )
    runs = db.session.scalars(select(ReportRun).order_by(ReportRun.id)).all()
    assert len(runs) == 2 and runs[0].data_hash == runs[1].data_hash
    listing = client.get(f"/reports/{seeded.slug}/summary").text
    assert listing.count("Download PDF") == 2
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "report.generate"))


def test_no_section_chosen_is_a_clear_error(client, auth, seeded, staff):
    auth.login(staff)
    resp = client.post(f"/reports/{seeded.slug}/summary", data={"edition": "internal"})
    assert resp.status_code == 200 and "Choose at least one section" in resp.text
    assert db.session.scalar(select(ReportRun)) is None


def test_preview_is_the_report_template(client, auth, seeded, staff):
    auth.login(staff)
    resp = client.post(
        f"/reports/{seeded.slug}/summary/preview",
        data={"edition": "public", "sections": ["themes", "codebook"]},
    )
    assert resp.status_code == 200
    assert 'class="report report-preview"' in resp.text and "css/report.css" in resp.text
    assert "6. Themes" not in resp.text and "1. Themes" in resp.text and "2. Codebook" in resp.text
    assert client.get(f"/reports/{seeded.slug}/summary/preview").status_code == 200


def test_downloads_are_staff_only(client, auth, seeded, staff, login_as):
    run = start_summary_run(seeded.consultation_id, ReportOptions(sections=("summary",)), staff.id)
    login_as("facilitator")
    assert client.get(f"/reports/runs/{run.id}/download").status_code == 403


def test_a_failed_render_is_recorded_with_its_message(app, seeded, staff):
    app.config["REPORT_RENDER_TIMEOUT"] = 0.01
    run = start_summary_run(seeded.consultation_id, ReportOptions(), staff.id)
    db.session.expire_all()
    run = db.session.get(ReportRun, run.id)
    assert run.status == "failed" and "took longer than" in run.error
    assert db.session.get(Job, run.job_id).status == "failed"


def test_an_unreachable_queue_fails_the_run_with_a_message(app, seeded, staff):
    app.config.update(JOBS_INLINE_SYNC=False, REDIS_URL="redis://127.0.0.1:1/0")
    run = start_summary_run(seeded.consultation_id, ReportOptions(sections=("summary",)), staff.id)
    assert run.status == "failed" and "job queue could not be reached" in run.error


def test_rq_worker_generates_the_report(app, seeded, staff, monkeypatch):
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    url = "redis://127.0.0.1:6379/13"  # a database of its own so other tests' workers never see it
    redis = Redis.from_url(url)
    try:
        redis.ping()
    except RedisConnectionError:
        if os.environ.get("CONSULT_REQUIRE_REDIS") == "1":
            pytest.fail("Redis is required (CONSULT_REQUIRE_REDIS=1) but 127.0.0.1:6379 is down")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    from rq import Queue, SimpleWorker

    queue = Queue("consult", connection=redis)
    queue.empty()
    app.config.update(JOBS_INLINE_SYNC=False, REDIS_URL=url)
    # the worker builds its own app from the environment: point it at this test's database
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", app.instance_path)
    monkeypatch.setenv("UPLOAD_FOLDER", app.config["UPLOAD_FOLDER"])
    monkeypatch.setenv("SECRET_KEY", app.config["SECRET_KEY"])
    run = start_summary_run(
        seeded.consultation_id, ReportOptions(sections=("summary", "recommendations")), staff.id
    )
    assert run.status == "queued" and len(queue) == 1
    SimpleWorker([queue], connection=redis).work(burst=True)
    db.session.expire_all()
    run = db.session.get(ReportRun, run.id)
    assert run.status == "done", run.error
    assert run.page_count >= 3 and db.session.get(Job, run.job_id).progress == 100


def test_cli_writes_the_summary_pdf(app, runner, seeded, tmp_path):
    out = tmp_path / "report.pdf"
    result = runner.invoke(
        args=[
            "report",
            "summary",
            "--consultation",
            seeded.slug,
            "--edition",
            "public",
            "--out",
            str(out),
            "--sections",
            "summary,organizations",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "pages" in result.output and out.read_bytes().startswith(b"%PDF")
    assert "Participating organizations" in run_pdftotext(out.read_bytes(), tmp_path)
    run = db.session.scalar(select(ReportRun))
    assert run.status == "done" and run.options["sections"] == ["summary", "organizations"]
    bad = runner.invoke(args=["report", "summary", "--consultation", "nope", "--out", str(out)])
    assert bad.exit_code != 0 and "no consultation" in bad.output
