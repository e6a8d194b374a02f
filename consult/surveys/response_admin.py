"""Staff views of responses: the filtered list, one response's answers, marking test responses."""

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from consult.audit import record
from consult.extensions import db
from consult.orgs.models import Organization, OrganizationKind
from consult.surveys.answers import display_value, raw_from_rows
from consult.surveys.models import Answer, Response, ResponseStatus
from consult.surveys.results import label_of, survey_questions


def response_list_query(survey_id: int, args) -> Select:
    """Responses of a survey filtered by status, organization kind, language and test flag."""
    stmt = (
        select(Response)
        .options(joinedload(Response.organization))
        .outerjoin(Organization, Organization.id == Response.organization_id)
        .where(Response.survey_id == survey_id)
        .order_by(Response.id.desc())
    )
    status = args.get("status")
    if status in {s.value for s in ResponseStatus}:
        stmt = stmt.where(Response.status == ResponseStatus(status))
    kind = args.get("kind")
    if kind in {k.value for k in OrganizationKind}:
        stmt = stmt.where(Organization.kind == OrganizationKind(kind))
    if args.get("language"):
        stmt = stmt.where(Response.language == args.get("language"))
    test = args.get("test")
    if test in ("yes", "no"):
        stmt = stmt.where(Response.is_test.is_(test == "yes"))
    return stmt


@dataclass
class AnswerLine:
    code: str
    section: str
    question: str
    value: str


def response_answers(response: Response, lang: str = "en") -> list[AnswerLine]:
    """Every answered question of one response in page order (two queries), worded for reading
    the same way as the respondent's review page and receipt (choice and scale labels)."""
    questions = survey_questions(response.survey_id)
    rows = db.session.scalars(
        select(Answer).where(Answer.response_id == response.id).order_by(Answer.id)
    ).all()
    answered = {row.question_id for row in rows}
    raw = raw_from_rows(questions, rows)
    return [
        AnswerLine(
            q.code,
            label_of(q.section.title, lang),
            label_of(q.text, lang, q.code),
            "; ".join(display_value(q, raw, lang, lang)),
        )
        for q in questions
        if q.id in answered
    ]


def set_test_flag(response: Response, is_test: bool, *, actor_id: int | None) -> Response:
    """Mark or unmark a response as a test (test responses are left out of results)."""
    from consult.surveys.models import Survey

    before = response.is_test
    response.is_test = is_test
    survey = db.session.get(Survey, response.survey_id)
    record(
        "survey_response.mark_test" if is_test else "survey_response.unmark_test",
        actor_id=actor_id,
        object_type="survey_response",
        object_id=response.id,
        consultation_id=survey.consultation_id if survey else None,
        detail={"before": before, "after": is_test},
    )
    db.session.commit()
    return response
