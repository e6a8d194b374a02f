"""The respondent flow: entry points, drafts saved page by page, resume links."""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult.audit import record
from consult.auth.models import User
from consult.auth.services import token_hash
from consult.extensions import db
from consult.models import utcnow
from consult.surveys.answers import raw_from_rows, rows_for_draft
from consult.surveys.models import Response, ResponseStatus, Survey, SurveyInvitation
from consult.surveys.services import (
    NotAllowed,
    SurveyClosed,
    SurveyError,
    availability,
    load_structure,
    spec_of,
    specs_of,
)
from consult.surveys.submit import apply_edit, replace_rows
from consult.surveys.validation import validate_response


class LinkInvalid(SurveyError):
    """The link is unknown, revoked or expired."""


@dataclass
class PageResult:
    """What happened when a page was posted."""

    problems: dict = field(default_factory=dict)
    next_index: int | None = None  # None: go to the review page
    incomplete: dict = field(
        default_factory=dict
    )  # a sent response's unanswered required questions


def respondent_entry(token: str) -> Response:
    """Find the invitation by its token's hash and return (or create) its draft response."""
    invitation = db.session.scalar(
        select(SurveyInvitation).where(SurveyInvitation.token_hash == token_hash(token or ""))
    )
    if invitation is None or invitation.revoked:
        raise LinkInvalid("This link is not valid. Ask the organizers for a new one.")
    if invitation.expires_at and invitation.expires_at < utcnow():
        raise LinkInvalid("This link has expired. Ask the organizers for a new one.")
    survey = db.session.get(Survey, invitation.survey_id)
    return _response_for(
        survey,
        organization_id=invitation.organization_id,
        invitation_id=invitation.id,
        email=invitation.email,
    )


def start_for_member(survey_id: int, user: User) -> Response:
    """The draft (or submitted) response of a signed-in respondent's organization."""
    survey = db.session.get(Survey, survey_id)
    org_ids = sorted(user.organization_ids)
    if survey is None or not org_ids:
        raise NotAllowed("Only members of a consulted organization can answer this survey.")
    return _response_for(survey, organization_id=org_ids[0], user_id=user.id)


def _response_for(
    survey: Survey,
    *,
    organization_id: int,
    invitation_id: int | None = None,
    user_id: int | None = None,
    email: str | None = None,
) -> Response:
    where = [Response.survey_id == survey.id, Response.is_test.is_(False)]
    if survey.one_response_per_organization:
        where.append(Response.organization_slot == organization_id)
    elif invitation_id is not None:
        where.append(Response.invitation_id == invitation_id)
    else:
        where += [Response.organization_id == organization_id, Response.user_id == user_id]
    found = db.session.scalar(select(Response).where(*where).order_by(Response.id.desc()).limit(1))
    if found is not None:
        return found
    _require_open(survey)
    response = Response(
        survey_id=survey.id,
        organization_id=organization_id,
        organization_slot=organization_id if survey.one_response_per_organization else None,
        invitation_id=invitation_id,
        user_id=user_id,
        respondent_email=email,
        language=survey.default_language,
        survey_version=survey.version,
    )
    db.session.add(response)
    try:
        db.session.commit()
    except IntegrityError:  # another tab created it a moment ago
        db.session.rollback()
        return db.session.scalar(select(Response).where(*where).limit(1))
    return response


def survey_for_public_token(token: str) -> Survey:
    survey = db.session.scalar(
        select(Survey).where(Survey.public_token_hash == token_hash(token or ""))
    )
    if survey is None or not survey.allow_anonymous:
        raise LinkInvalid("This link is not valid. Ask the organizers for a new one.")
    return survey


def start_public(token: str, language: str) -> Response:
    """A new anonymous draft through the survey's public link."""
    survey = survey_for_public_token(token)
    _require_open(survey)
    response = Response(
        survey_id=survey.id,
        language=language if language in survey.languages else survey.default_language,
        survey_version=survey.version,
    )
    db.session.add(response)
    db.session.commit()
    return response


def start_preview(survey_id: int, user_id: int, language: str) -> Response:
    """A test response for staff to try the survey as a respondent (never in results)."""
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise SurveyError("There is no such survey.")
    response = Response(
        survey_id=survey.id,
        user_id=user_id,
        is_test=True,
        language=language if language in survey.languages else survey.default_language,
        survey_version=survey.version,
    )
    db.session.add(response)
    db.session.commit()
    return response


def _require_open(survey: Survey) -> None:
    state = availability(survey)
    if state != "open":
        raise SurveyClosed(state)


def request_resume_link(response_id: int, email: str) -> str:
    """Store a fresh resume token's hash and return the token (the view e-mails the link)."""
    response = db.session.get(Response, response_id)
    email = (email or "").strip()
    if response is None or response.status is not ResponseStatus.DRAFT:
        raise NotAllowed("This response cannot be resumed.")
    if "@" not in email or len(email) > 254 or " " in email:
        raise SurveyError("Enter an e-mail address, like name@example.org.")
    token = secrets.token_urlsafe(24)
    response.resume_token_hash = token_hash(token)
    response.respondent_email = email
    db.session.commit()
    return token


def resume(token: str) -> Response:
    response = db.session.scalar(
        select(Response).where(Response.resume_token_hash == token_hash(token or ""))
    )
    if response is None or response.status is not ResponseStatus.DRAFT:
        raise LinkInvalid("This link is not valid or the response was already sent.")
    if response.updated_at and response.updated_at < utcnow() - timedelta(days=180):
        raise LinkInvalid("This link has expired.")
    return response


def answers_of(response: Response, survey: Survey) -> dict:
    """The response's stored answers in form shape."""
    questions = [q for page in survey.sections for q in page.questions]
    return raw_from_rows(questions, response.answers)


def visible_pages(survey: Survey, answers: dict) -> list[int]:
    return validate_response(specs_of(survey), answers, require=False).visible_sections


def save_page(
    response_id: int,
    section_index: int,
    posted: dict,
    *,
    language: str,
    check: bool,
    actor_id: int | None = None,
) -> PageResult:
    """Save what was typed on one page as the draft; check it when the person continues."""
    response = db.session.get(Response, response_id)
    survey = load_structure(response.survey_id)
    editable(response, survey)
    page = survey.sections[section_index]
    answers = {**answers_of(response, survey), **posted}
    specs = specs_of(survey)
    outcome = validate_response(specs, answers, require=check, only_sections={section_index})
    problems = outcome.problems if (check or response.status is ResponseStatus.SUBMITTED) else {}
    if response.status is ResponseStatus.SUBMITTED and problems:
        return PageResult(problems=problems, next_index=section_index)
    wanted = {}
    for question in page.questions:
        other = posted.get(f"{question.code}.other")
        for fields in rows_for_draft(question, spec_of(question), posted.get(question.code), other):
            wanted[(question.id, fields.get("row_key", ""), fields.get("choice", ""))] = fields
    replace_rows(response, {q.id for q in page.questions}, wanted)
    response.language = language if language in survey.languages else response.language
    response.current_section = section_index
    if response.status is ResponseStatus.SUBMITTED:
        db.session.flush()
        apply_edit(response, survey, actor_id)
    else:
        record(
            "survey.response.draft",
            actor_id=actor_id or response.user_id,
            object_type="survey_response",
            object_id=response.id,
            consultation_id=survey.consultation_id,
            detail={"page": section_index + 1},
        )
    db.session.commit()
    later = [i for i in outcome.visible_sections if i > section_index]
    result = PageResult(problems=problems, next_index=later[0] if later else None)
    if response.status is ResponseStatus.SUBMITTED:
        result.incomplete = missing_answers(survey, answers)
        if result.incomplete:
            result.next_index = first_problem_page(survey, result.incomplete)
    return result


def missing_answers(survey: Survey, answers: dict) -> dict:
    """Problems over the whole response (e.g. a required question an edit has just revealed)."""
    return validate_response(specs_of(survey), answers).problems


def first_problem_page(survey: Survey, problems: dict) -> int:
    for index, section in enumerate(survey.sections):
        if any(q.code in problems for q in section.questions):
            return index
    return 0


def editable(response: Response, survey: Survey) -> None:
    """Raise unless the respondent may change this response now."""
    if not response.is_test and availability(survey) != "open":
        raise SurveyClosed(availability(survey))
    if response.status is ResponseStatus.SUBMITTED and not survey.allow_edit_after_submit:
        raise NotAllowed("This response has been sent and can no longer be changed.")


def surveys_for_member(user: User) -> list[tuple[Survey, Response | None]]:
    """Open surveys a signed-in respondent may answer, with their organization's response."""
    org_ids = sorted(user.organization_ids)
    if not org_ids:
        return []
    surveys = [
        s
        for s in db.session.scalars(select(Survey).order_by(Survey.closes_at, Survey.id))
        if availability(s) == "open"
    ]
    responses = db.session.scalars(
        select(Response)
        .where(
            Response.survey_id.in_([s.id for s in surveys]),
            Response.organization_id.in_(org_ids),
            Response.is_test.is_(False),
        )
        .order_by(Response.id)
    ).all()
    mine: dict[int, Response] = {}
    for response in responses:
        survey = next(s for s in surveys if s.id == response.survey_id)
        if survey.one_response_per_organization or response.user_id == user.id:
            mine[survey.id] = response
    return [(s, mine.get(s.id)) for s in surveys]
