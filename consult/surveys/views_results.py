"""Survey results, the response list, one response, and response exports (staff only)."""

from flask import (
    Response as HttpResponse,
)
from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from consult.auth.decorators import permission_required
from consult.extensions import db
from consult.orgs.models import KIND_LABELS, Organization
from consult.surveys import (
    bp,
    views_imports,  # noqa: F401  - registers the import pages
)
from consult.surveys.exports import (
    MIME,
    columns_csv,
    csv_stream,
    json_stream,
    log_export,
    xlsx_bytes,
)
from consult.surveys.models import Response, ResponseStatus, Survey
from consult.surveys.response_admin import response_answers, response_list_query, set_test_flag
from consult.surveys.results import (
    Filters,
    chart_for,
    filter_options,
    question_results,
    response_total,
)


def _lang() -> str:
    return str(get_locale() or "en")


def _survey(survey_id: int) -> Survey:
    return db.get_or_404(Survey, survey_id)


@bp.route("/<int:survey_id>/results")
@permission_required("view_results")
def results(survey_id):
    survey = _survey(survey_id)
    filters = Filters.from_args(request.args)
    items = question_results(survey.id, filters, _lang())
    return render_template(
        "surveys/results/results.html",
        survey=survey,
        lang=_lang(),
        items=[(r, chart_for(r)) for r in items],
        total=response_total(survey.id, filters),
        filters=filters,
        options=filter_options(survey),
    )


@bp.route("/<int:survey_id>/responses")
@permission_required("view_results")
def response_list(survey_id):
    survey = _survey(survey_id)
    page = db.paginate(response_list_query(survey.id, request.args), per_page=50, error_out=False)
    return render_template(
        "surveys/results/responses.html",
        survey=survey,
        lang=_lang(),
        page=page,
        args=request.args,
        kinds=KIND_LABELS,
        statuses=[s.value for s in ResponseStatus],
    )


def _response(survey_id: int, response_id: int) -> Response:
    resp = db.session.scalar(
        select(Response).where(Response.id == response_id, Response.survey_id == survey_id)
    )
    if resp is None:
        abort(404)
    return resp


@bp.route("/<int:survey_id>/responses/<int:response_id>")
@permission_required("view_results")
def response_detail(survey_id, response_id):
    survey = _survey(survey_id)
    resp = _response(survey.id, response_id)
    return render_template(
        "surveys/results/response.html",
        survey=survey,
        lang=_lang(),
        resp=resp,
        lines=response_answers(resp, _lang()),
    )


@bp.route("/<int:survey_id>/responses/<int:response_id>/test", methods=["POST"])
@permission_required("view_results")
def response_mark_test(survey_id, response_id):
    resp = _response(survey_id, response_id)
    is_test = request.form.get("is_test") == "1"
    set_test_flag(resp, is_test, actor_id=current_user.id)
    flash(
        "Marked as a test response: it is left out of results."
        if is_test
        else "No longer a test response: it counts in results.",
        "success",
    )
    return redirect(url_for("surveys.response_detail", survey_id=survey_id, response_id=resp.id))


@bp.route("/<int:survey_id>/export.<fmt>")
@permission_required("view_results")
def export_responses(survey_id, fmt):
    survey = _survey(survey_id)
    opts = {
        "include_drafts": request.args.get("drafts") == "1",
        "include_tests": request.args.get("tests") == "1",
    }
    name = f"survey-{survey.id}-responses"
    disposition = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    if fmt == "csv":
        body = stream_with_context(csv_stream(survey.id, _lang(), **opts))
    elif fmt == "json":
        body = stream_with_context(json_stream(survey.id, _lang(), **opts))
    elif fmt == "xlsx":
        body = xlsx_bytes(survey.id, _lang(), **opts)
    elif fmt == "columns.csv":
        body = columns_csv(survey.id, _lang())
        disposition = {"Content-Disposition": f'attachment; filename="{name}-columns.csv"'}
        fmt = "csv"
    else:
        abort(404)
    log_export(survey, fmt, actor_id=current_user.id, **opts)
    return HttpResponse(body, mimetype=MIME[fmt], headers=disposition)


@bp.route("/<int:survey_id>/responses.json", methods=["POST"])
@permission_required("build_surveys")
def submit_json(survey_id):
    """Staff-only: submit a complete response as JSON (data entry of paper forms, benchmarks)."""
    from consult.surveys.services import AnswersInvalid, SurveyError
    from consult.surveys.submit import submit_answers

    _survey(survey_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("answers"), dict):
        return {"error": 'Send a JSON object with "answers" and "submission_key".'}, 400
    org_id = body.get("organization_id")
    if org_id is not None and (
        not isinstance(org_id, int) or db.session.get(Organization, org_id) is None
    ):
        return {"error": "organization_id must be the id of an organization."}, 400
    try:
        resp, created = submit_answers(
            survey_id,
            body["answers"],
            organization_id=org_id,
            user_id=current_user.id,
            language=str(body.get("language") or "en"),
            submission_key=str(body.get("submission_key") or ""),
            is_test=bool(body.get("is_test")),
        )
    except AnswersInvalid as exc:
        problems = {code: {"kind": p.kind, **dict(p.params)} for code, p in exc.problems.items()}
        return {"error": str(exc), "problems": problems}, 422
    except SurveyError as exc:
        return {"error": str(exc)}, 409
    return {"id": resp.id, "reference": resp.reference, "created": created}, 201 if created else 200
