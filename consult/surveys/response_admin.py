"""Staff views of responses: the filtered list, one response's answers, marking test responses."""

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from consult.audit import record
from consult.extensions import db
from consult.orgs.models import Organization, OrganizationKind
from consult.surveys.exports import structured_answer
from consult.surveys.models import Answer, QuestionType, Response, ResponseStatus
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


def display_value(q, rows: list[Answer], lang: str) -> str:
    """One question's answer worded for reading (choice labels, not stored values)."""
    value = structured_answer(q, rows)
    labels = {c.value: label_of(c.label, lang, c.value) for c in q.choices}
    t = q.type
    if t is QuestionType.MULTIPLE_CHOICE:
        parts = [labels.get(v, v) for v in value["chosen"] if v in labels]
        if value["other"]:
            parts.append(f"Other: {value['other']}")
        return "; ".join(parts)
    if t is QuestionType.MATRIX:
        row_labels = {
            r["key"]: label_of(r.get("labels") or r.get("label"), lang, r["key"])
            for r in q.options.get("rows") or []
        }
        return "; ".join(f"{row_labels.get(k, k)}: {labels.get(v, v)}" for k, v in value.items())
    if t is QuestionType.RANKING:
        ordered = sorted(value.items(), key=lambda kv: (kv[1] is None, kv[1] or 0))
        return "; ".join(f"{rank}. {labels.get(k, k)}" for k, rank in ordered)
    if t is QuestionType.YES_NO:
        return {"yes": "Yes", "no": "No"}.get(value, value or "")
    if t is QuestionType.SINGLE_CHOICE:
        return labels.get(value, value or "")
    return "" if value is None else str(value)


def response_answers(response: Response, lang: str = "en") -> list[AnswerLine]:
    """Every answered question of one response in page order (two queries)."""
    questions = survey_questions(response.survey_id)
    rows: dict[int, list[Answer]] = {}
    for a in db.session.scalars(
        select(Answer).where(Answer.response_id == response.id).order_by(Answer.id)
    ):
        rows.setdefault(a.question_id, []).append(a)
    return [
        AnswerLine(
            q.code,
            label_of(q.section.title, lang),
            label_of(q.text, lang, q.code),
            display_value(q, rows[q.id], lang),
        )
        for q in questions
        if q.id in rows
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
