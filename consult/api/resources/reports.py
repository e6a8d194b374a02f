"""Report runs: start a summary report, follow its progress, download the PDF."""

from flask import send_file
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from consult.api.core import (
    ID,
    api_user,
    make_blueprint,
    not_found,
    paginate,
    requires,
    unprocessable,
)
from consult.api.fields import PageArgs, StrictBoolean, Text, page_of
from consult.api.resources.consultations import visible_consultation
from consult.extensions import db
from consult.jobs import Job
from consult.reports import runs
from consult.reports.models import ReportRun
from consult.reports.options import EDITIONS, SECTION_KEYS, OptionsError, ReportOptions

blp = make_blueprint("reports", "Report runs: start, follow progress, download the PDF.")


class RunSchema(Schema):
    id = fields.Integer(required=True)
    consultation_id = fields.Integer(allow_none=True)
    kind = fields.String(required=True)
    options = fields.Dict(required=True)
    status = fields.String(required=True, metadata={"description": "queued, running, done, failed"})
    progress = fields.Integer(required=True, metadata={"description": "0 to 100"})
    message = fields.String(allow_none=True)
    error = fields.String(allow_none=True)
    page_count = fields.Integer(allow_none=True)
    byte_size = fields.Integer(allow_none=True)
    data_as_of = fields.DateTime(allow_none=True)
    created_at = fields.DateTime(required=True)
    finished_at = fields.DateTime(allow_none=True)
    download_url = fields.String(allow_none=True, metadata={"description": "Once done."})


class RunCreate(Schema):
    edition = fields.String(validate=validate.OneOf(list(EDITIONS)), load_default="public")
    sections = fields.List(
        fields.String(validate=validate.OneOf(SECTION_KEYS)),
        validate=validate.Length(min=1, max=len(SECTION_KEYS)),
        load_default=lambda: list(SECTION_KEYS),
    )
    include_suggestions = StrictBoolean(load_default=False)
    lang = Text(max_length=10, allow_none=True)


def _present(items: list[ReportRun]) -> list[ReportRun]:
    from flask import url_for

    jobs = {}
    job_ids = [r.job_id for r in items if r.job_id]
    if job_ids:
        jobs = {j.id: j for j in db.session.scalars(select(Job).where(Job.id.in_(job_ids)))}
    for run in items:
        job = jobs.get(run.job_id)
        run.progress = 100 if run.status == "done" else (job.progress if job else 0)
        run.message = job.message if job else None
        run.download_url = (
            url_for("api_reports.download", run_id=run.id, _external=True)
            if run.status == "done"
            else None
        )
    return items


def visible_run(run_id: int) -> ReportRun:
    run = db.session.get(ReportRun, run_id)
    if run is None or run.consultation_id is None:
        not_found("There is no such report run.")
    visible_consultation(run.consultation_id)
    return run


@blp.route(f"/consultations/<{ID}:consultation_id>/report-runs")
@requires("write_reports")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(RunSchema, "ReportRunPage"))
def list_runs(args, consultation_id):
    """A consultation's report runs, newest first."""
    c = visible_consultation(consultation_id)
    stmt = select(ReportRun).where(ReportRun.consultation_id == c.id)
    return paginate(stmt.order_by(ReportRun.created_at.desc(), ReportRun.id.desc()), args, _present)


@blp.route(f"/consultations/<{ID}:consultation_id>/report-runs", methods=["POST"])
@requires("write_reports")
@blp.arguments(RunCreate)
@blp.response(202, RunSchema)
def start(data, consultation_id):
    """Start a summary report; poll the run until status is done, then download it."""
    c = visible_consultation(consultation_id)
    data["lang"] = data.get("lang") or c.default_language
    try:
        options = ReportOptions.from_dict(data)
    except OptionsError as exc:
        unprocessable(str(exc))
    run = runs.start_summary_run(c.id, options, api_user().id)
    return _present([db.session.get(ReportRun, run.id)])[0]


@blp.route(f"/report-runs/<{ID}:run_id>")
@requires("write_reports")
@blp.response(200, RunSchema)
def get(run_id):
    """A report run's status and progress."""
    return _present([visible_run(run_id)])[0]


@blp.route(f"/report-runs/<{ID}:run_id>/download")
@requires("write_reports")
@blp.doc(
    responses={
        "200": {
            "description": "The report as a PDF.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
def download(run_id):
    """The PDF of a finished run (404 until it is done)."""
    run = visible_run(run_id)
    path = runs.run_file(run)
    if path is None:
        not_found("The report is not ready, or its file is gone.")
    c = visible_consultation(run.consultation_id)
    name = f"{c.slug}-summary-{run.options.get('edition', 'report')}-{run.id}.pdf"
    return send_file(path, mimetype="application/pdf", as_attachment=True, download_name=name)
