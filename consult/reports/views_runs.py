"""Summary report pages: options, HTML preview (the same template as the PDF), runs, downloads."""

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from consult.auth.decorators import permission_required
from consult.extensions import db
from consult.reports import bp, runs
from consult.reports.builders import build_summary
from consult.reports.forms import SummaryOptionsForm
from consult.reports.models import ReportRun
from consult.reports.options import OptionsError, ReportOptions
from consult.reports.render import render_summary_html
from consult.reports.views import _consultation


def _options_from(form: SummaryOptionsForm, lang: str) -> ReportOptions:
    return ReportOptions.from_dict(
        {
            "edition": form.edition.data,
            "sections": form.sections.data or [],
            "include_suggestions": form.include_suggestions.data,
            "lang": lang,
        }
    )


@bp.route("/<slug>/summary", methods=["GET", "POST"])
@permission_required("write_reports")
def summary(slug):
    c = _consultation(slug)
    form = SummaryOptionsForm()
    if form.validate_on_submit():
        try:
            options = _options_from(form, c.default_language)
        except OptionsError as exc:
            form.sections.errors = [str(exc)]
        else:
            run = runs.start_summary_run(c.id, options, current_user.id)
            return redirect(url_for("reports.run", run_id=run.id))
    return render_template(
        "reports/summary_options.html", c=c, form=form, past=runs.past_runs(c.id)
    )


@bp.route("/<slug>/summary/preview", methods=["GET", "POST"])
@permission_required("write_reports")
def preview(slug):
    """The report as HTML, rendered by the template the PDF uses (POST: the chosen options)."""
    c = _consultation(slug)
    form = SummaryOptionsForm()
    if request.method == "POST" and not form.validate():
        return render_template(
            "reports/summary_options.html", c=c, form=form, past=runs.past_runs(c.id)
        )
    if request.method == "GET":
        form = SummaryOptionsForm(meta={"csrf": False}, formdata=None)
    try:
        options = _options_from(form, c.default_language)
    except OptionsError as exc:
        flash(str(exc), "error")
        return redirect(url_for("reports.summary", slug=slug))
    report = build_summary(c.id, options)
    back = url_for("reports.summary", slug=slug)
    return render_summary_html(report, preview=True, back_url=back)


def _run(run_id: int) -> ReportRun:
    run = db.get_or_404(ReportRun, run_id)
    if run.consultation_id is None:
        abort(404)
    return run


@bp.route("/runs/<int:run_id>")
@permission_required("write_reports")
def run(run_id):
    run = _run(run_id)
    return render_template("reports/run.html", run=run, c=_consultation_by_id(run.consultation_id))


@bp.route("/runs/<int:run_id>/download")
@permission_required("write_reports")
def download(run_id):
    run = _run(run_id)
    path = runs.run_file(run)
    if path is None:
        abort(404)
    c = _consultation_by_id(run.consultation_id)
    name = f"{c.slug}-summary-{run.options.get('edition', 'report')}-{run.id}.pdf"
    return send_file(path, mimetype="application/pdf", as_attachment=True, download_name=name)


def _consultation_by_id(consultation_id: int):
    from consult.consultations.models import Consultation

    return db.get_or_404(Consultation, consultation_id)
