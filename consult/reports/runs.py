"""Report runs: build → hash → render → store, as a job with progress; past runs kept."""

import hashlib
import io
from datetime import date
from pathlib import Path

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import select

from consult.audit import record
from consult.extensions import db
from consult.jobs import Job, job_handler, start_job
from consult.models import utcnow
from consult.reports.builders import build_summary
from consult.reports.data import data_hash
from consult.reports.models import ReportRun
from consult.reports.options import ReportOptions
from consult.reports.pdf import RenderError, render_pdf
from consult.reports.render import render_summary_html

JOB_KIND = "report_summary"


def reports_folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def summary_pdf(consultation_id: int, options: ReportOptions, progress=None):
    """Build, hash and render a summary: returns (report data, its hash, pdf bytes)."""
    step = progress or (lambda p, m=None: None)
    report = build_summary(consultation_id, options, progress=step)
    digest = data_hash(report)
    step(50, "Laying out the pages")
    html = render_summary_html(report, generated_on=date.today())
    pdf = render_pdf(html, title=f"{report.title} – summary report", lang=options.lang)
    return report, digest, pdf


def execute_run(run_id: int, progress=None) -> ReportRun:
    """Generate the PDF for a queued run and store it; failures are recorded on the run."""
    run = db.session.get(ReportRun, run_id)
    step = progress or (lambda p, m=None: None)
    run.status = "running"
    db.session.commit()
    options = ReportOptions.from_dict(run.options)
    try:
        report, digest, pdf = summary_pdf(run.consultation_id, options, progress=step)
    except RenderError as exc:
        db.session.rollback()
        run = db.session.get(ReportRun, run_id)
        run.status, run.error, run.finished_at = "failed", str(exc), utcnow()
        db.session.commit()
        raise
    step(92, "Storing the file")
    pdf_hash = hashlib.sha256(pdf).hexdigest()
    path = reports_folder() / f"summary-{run_id}-{pdf_hash[:12]}.pdf"
    path.write_bytes(pdf)
    run = db.session.get(ReportRun, run_id)
    run.data_as_of, run.data_hash, run.pdf_hash = report.data_as_of, digest, pdf_hash
    run.file_path, run.byte_size, run.page_count = str(path), len(pdf), page_count(pdf)
    run.status, run.finished_at, run.error = "done", utcnow(), None
    record(
        "report.generate",
        actor_id=run.created_by_id,
        object_type="report_run",
        object_id=run.id,
        consultation_id=run.consultation_id,
        detail={"options": run.options, "data_hash": digest, "pdf_hash": pdf_hash},
    )
    db.session.commit()
    return run


@job_handler(JOB_KIND)
def _run_job(job: Job, progress, run_id: int) -> dict:
    """Job entry: link the run to its job, then generate."""
    run = db.session.get(ReportRun, run_id)
    run.job_id = job.id
    db.session.commit()
    run = execute_run(run_id, progress)
    return {"run_id": run.id, "pages": run.page_count}


def start_summary_run(
    consultation_id: int, options: ReportOptions, user_id: int | None
) -> ReportRun:
    """Queue a summary report run and start its job (inline, thread or RQ worker)."""
    run = ReportRun(
        consultation_id=consultation_id,
        kind="summary",
        options=options.to_dict(),
        status="queued",
        created_by_id=user_id,
    )
    db.session.add(run)
    db.session.commit()
    run_id = run.id
    try:
        job = start_job(JOB_KIND, consultation_id=consultation_id, user_id=user_id, run_id=run_id)
    except (OSError, RedisError) as exc:  # the queue is unreachable: say so on the run
        db.session.rollback()
        run = db.session.get(ReportRun, run_id)
        run.status, run.finished_at = "failed", utcnow()
        run.error = f"The job queue could not be reached ({type(exc).__name__}); try again later."
        db.session.commit()
        return run
    run = db.session.get(ReportRun, run_id)
    if run.job_id is None:
        run.job_id = job.id
        db.session.commit()
    return run


def past_runs(consultation_id: int, limit: int = 50) -> list[ReportRun]:
    return list(
        db.session.scalars(
            select(ReportRun)
            .where(ReportRun.consultation_id == consultation_id)
            .order_by(ReportRun.created_at.desc(), ReportRun.id.desc())
            .limit(limit)
        )
    )


def run_file(run: ReportRun) -> Path | None:
    """The stored PDF of a finished run, if it is still there (and inside the reports folder)."""
    if run.status != "done" or not run.file_path:
        return None
    path = Path(run.file_path).resolve()
    root = reports_folder().resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


def generate_now(consultation_id: int, options: ReportOptions, user_id: int | None) -> ReportRun:
    """Generate and store a run in this process, without a job (demo, scripts)."""
    run = ReportRun(
        consultation_id=consultation_id,
        kind="summary",
        options=options.to_dict(),
        status="queued",
        created_by_id=user_id,
    )
    db.session.add(run)
    db.session.commit()
    return execute_run(run.id)
