"""Staff pages to import a survey (XLSForm or definition JSON) and download a definition."""

from flask import Response as HttpResponse
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from consult.auth.decorators import permission_required
from consult.consultations.models import Consultation
from consult.consultations.services import DASHBOARD_LINKS
from consult.extensions import db
from consult.surveys import bp
from consult.surveys.definition_io import DefinitionError, definition_json, import_definition
from consult.surveys.models import Survey
from consult.surveys.xlsform import XLSFormError, import_xlsform

MAX_UPLOAD = 5 * 1024 * 1024


def _dashboard_link(consultation, user) -> list[tuple[str, str]]:
    """'Import a survey' on the consultation dashboard for people who build surveys."""
    if user is None or not user.can("build_surveys"):
        return []
    return [
        (
            "Import a survey (XLSForm or JSON)",
            url_for("surveys.import_survey", consultation=consultation.id),
        )
    ]


DASHBOARD_LINKS.append(_dashboard_link)


@bp.route("/<int:survey_id>/definition.json")
@permission_required("build_surveys")
def export_definition(survey_id):
    survey = db.get_or_404(Survey, survey_id)
    return HttpResponse(
        definition_json(survey),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="survey-{survey.id}-definition.json"'
        },
    )


def _consultations():
    return db.session.scalars(select(Consultation).order_by(Consultation.title)).all()


def _upload() -> tuple[bytes, str, str | None]:
    """The uploaded file's bytes and name, or an error message."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return b"", "", "Choose a file to upload."
    data = upload.stream.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return b"", upload.filename, "The file is larger than 5 MB."
    if not data:
        return b"", upload.filename, "The file is empty."
    return data, upload.filename, None


@bp.route("/import", methods=["GET", "POST"])
@permission_required("build_surveys")
def import_survey():
    consultations = _consultations()
    chosen = request.values.get("consultation", type=int)
    error, issues, outcome = None, [], None
    if request.method == "POST":
        data, filename, error = _upload()
        consultation = db.session.get(Consultation, chosen) if chosen else None
        if consultation is None:
            error = error or "Choose the consultation the survey belongs to."
        if not error:
            try:
                if filename.lower().endswith(".json"):
                    survey = import_definition(data, consultation.id, actor_id=current_user.id)
                    flash("Survey imported from its definition as a draft.", "success")
                    return redirect(url_for("surveys.results", survey_id=survey.id))
                outcome = import_xlsform(data, filename, consultation.id, actor_id=current_user.id)
            except (XLSFormError, DefinitionError) as exc:
                error, issues = str(exc), getattr(exc, "issues", [])
    status = 400 if error else 200
    return (
        render_template(
            "surveys/results/import.html",
            consultations=consultations,
            chosen=chosen,
            error=error,
            issues=outcome.issues if outcome else issues,
            outcome=outcome,
        ),
        status,
    )
