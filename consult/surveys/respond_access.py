"""Who may reach which response, and the page language and context for respondent pages.

A respondent reaches a response only through a grant kept in their signed session cookie (set by
an invitation link, a resume link, the public link's start button or a staff preview) or through
their own organization's membership; any other response is a 404.
"""

from flask import abort, g, render_template, request, session
from flask_login import current_user
from sqlalchemy import select

from consult.consultations.models import Consultation
from consult.extensions import db
from consult.surveys.answers import label_in
from consult.surveys.models import Response, Survey
from consult.surveys.services import availability

GRANTS = "survey_responses"


def grant(response: Response) -> None:
    grants = dict(session.get(GRANTS) or {})
    grants[str(response.survey_id)] = response.id
    session[GRANTS] = grants


def find_response(survey_id: int) -> Response | None:
    rid = (session.get(GRANTS) or {}).get(str(survey_id))
    response = db.session.get(Response, rid) if rid else None
    mine = response is not None and (
        not response.is_test
        or (current_user.is_authenticated and response.user_id == current_user.id)
    )
    if mine and response.survey_id == survey_id:
        return response
    if current_user.is_authenticated and current_user.organization_ids:
        survey = db.session.get(Survey, survey_id)
        mine = [
            Response.survey_id == survey_id,
            Response.organization_id.in_(sorted(current_user.organization_ids)),
            Response.is_test.is_(False),
        ]
        if survey is not None and not survey.one_response_per_organization:
            mine.append(Response.user_id == current_user.id)  # each member answers separately
        found = db.session.scalar(
            select(Response).where(*mine).order_by(Response.id.desc()).limit(1)
        )
        if found is not None:
            grant(found)
        return found
    return None


def response_or_404(survey_id: int) -> Response:
    response = find_response(survey_id)
    if response is None:
        abort(404)
    return response


def page_language(survey: Survey, response: Response | None = None) -> str:
    """The page language: ?lang=, then the session's choice, then the response's."""
    for candidate in (request.args.get("lang"), request.form.get("lang"), session.get("lang")):
        if candidate in survey.languages:
            lang = candidate
            session["lang"] = candidate
            break
    else:
        lang = response.language if response else survey.default_language
    if lang not in survey.languages:
        lang = survey.default_language
    g.force_language = lang
    return lang


def page_context(survey: Survey, lang: str, response: Response | None = None, **extra) -> dict:
    consultation = db.session.get(Consultation, survey.consultation_id)
    return {
        "survey": survey,
        "consultation": consultation,
        "response": response,
        "lang": lang,
        "page_lang": lang,
        "page_languages": survey.languages,
        "title": label_in(survey.title, lang, survey.default_language),
        "t": lambda values: label_in(values, lang, survey.default_language),
        "state": availability(survey),
        **extra,
    }


def unavailable(survey: Survey, lang: str, state: str, response: Response | None = None):
    return render_template(
        "surveys/respond/unavailable.html", **page_context(survey, lang, response, reason=state)
    ), 200
