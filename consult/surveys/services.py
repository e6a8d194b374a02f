"""Survey authoring: surveys and sections, specs for validation, dashboard counts.

Question editing lives in `questions.py`, the respondent flow in `respond.py` and submission in
`submit.py`; their public functions are re-exported here for callers.
"""

from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from consult.audit import record
from consult.extensions import db
from consult.models import utcnow
from consult.surveys.conditions import ConditionError, check_condition
from consult.surveys.models import (
    Answer,
    Question,
    Response,
    ResponseStatus,
    Section,
    Survey,
    SurveyStatus,
)
from consult.surveys.validation import QuestionSpec, SectionSpec


class SurveyError(Exception):
    """A problem worded for the person (shown as a message); `field` names the form field."""

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field


class SurveyClosed(SurveyError):
    """The survey is not open for answers now."""


class NotAllowed(SurveyError):
    """The action is not allowed in the survey's current state."""


class AnswersInvalid(SurveyError):
    """Answers failed validation; `problems` maps question codes to Problems."""

    def __init__(self, problems: dict):
        super().__init__("Some answers need correcting.")
        self.problems = problems


SURVEY_FIELDS = (
    "title",
    "introduction",
    "privacy",
    "languages",
    "opens_at",
    "closes_at",
    "one_response_per_organization",
    "allow_anonymous",
    "allow_edit_after_submit",
    "estimated_minutes",
)


def get_survey(survey_id: int) -> Survey | None:
    return db.session.get(Survey, survey_id)


def surveys_for(consultation_id: int) -> list[Survey]:
    return list(
        db.session.scalars(
            select(Survey).where(Survey.consultation_id == consultation_id).order_by(Survey.id)
        )
    )


def create_survey(consultation_id: int, *, actor_id: int | None, **fields) -> Survey:
    """Create a survey in a consultation, with one empty first page."""
    survey = Survey(consultation_id=consultation_id, title={}, introduction={}, privacy={})
    _apply_settings(survey, fields)
    db.session.add(survey)
    survey.sections.append(Section(position=0, title={survey.default_language: "Page 1"}))
    db.session.flush()
    record(
        "survey.create",
        actor_id=actor_id,
        object_type="survey",
        object_id=survey.id,
        consultation_id=consultation_id,
    )
    db.session.commit()
    return survey


def update_survey(survey_id: int, *, actor_id: int | None, **fields) -> Survey:
    survey = _survey(survey_id)
    _apply_settings(survey, fields)
    record(
        "survey.update",
        actor_id=actor_id,
        object_type="survey",
        object_id=survey.id,
        consultation_id=survey.consultation_id,
    )
    db.session.commit()
    return survey


def delete_survey(survey_id: int, *, actor_id: int | None) -> int:
    """Delete a survey that has no real responses (drafts and tests go with it)."""
    survey = _survey(survey_id)
    real = db.session.scalar(
        select(func.count(Response.id)).where(
            Response.survey_id == survey.id,
            Response.is_test.is_(False),
            Response.status == ResponseStatus.SUBMITTED,
        )
    )
    if real:
        raise NotAllowed("This survey has responses, so it cannot be deleted. Close it instead.")
    consultation_id = survey.consultation_id
    record(
        "survey.delete",
        actor_id=actor_id,
        object_type="survey",
        object_id=survey.id,
        consultation_id=consultation_id,
    )
    db.session.delete(survey)
    db.session.commit()
    return consultation_id


def _apply_settings(survey: Survey, fields: dict) -> None:
    for key in SURVEY_FIELDS:
        if key in fields:
            setattr(survey, key, fields[key])
    langs = [str(code).strip().lower() for code in (survey.languages or []) if str(code).strip()]
    survey.languages = list(dict.fromkeys(langs)) or ["en"]
    survey.title = _clean_texts(survey.title)
    survey.introduction = _clean_texts(survey.introduction)
    survey.privacy = _clean_texts(survey.privacy)
    if not survey.title.get(survey.default_language):
        raise SurveyError(
            "Enter a title in the survey's main language.",
            field=f"title.{survey.default_language}",
        )
    if survey.opens_at and survey.closes_at and survey.closes_at <= survey.opens_at:
        raise SurveyError("The closing time must be after the opening time.", field="closes_at")
    if survey.estimated_minutes is not None and not 0 < survey.estimated_minutes < 1000:
        raise SurveyError(
            "Enter the time it takes in minutes, between 1 and 999.", field="estimated_minutes"
        )


def _clean_texts(values: dict | None) -> dict:
    return {k: v.strip() for k, v in (values or {}).items() if isinstance(v, str) and v.strip()}


def set_status(survey_id: int, status: str, *, actor_id: int | None) -> Survey:
    """Open, close or return a survey to draft."""
    survey = _survey(survey_id)
    new = SurveyStatus(status)
    if new is SurveyStatus.OPEN and not any(s.questions for s in survey.sections):
        raise SurveyError("Add at least one question before opening the survey.")
    before = survey.status.value
    survey.status = new
    record(
        "survey.status",
        actor_id=actor_id,
        object_type="survey",
        object_id=survey.id,
        consultation_id=survey.consultation_id,
        detail={"before": before, "after": new.value},
    )
    db.session.commit()
    return survey


def availability(survey: Survey, now: datetime | None = None) -> str:
    """'open', 'not_yet_open' or 'closed' for respondents."""
    now = now or utcnow()
    if survey.status is SurveyStatus.DRAFT or (survey.opens_at and now < survey.opens_at):
        return "not_yet_open"
    if survey.status is SurveyStatus.CLOSED or (survey.closes_at and now >= survey.closes_at):
        return "closed"
    return "open"


def has_real_responses(survey_id: int) -> bool:
    """True once a non-test response has been submitted (structure edits are then limited)."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Response.survey_id == survey_id,
                    Response.status == ResponseStatus.SUBMITTED,
                    Response.is_test.is_(False),
                )
            )
        )
    )


def question_answer_counts(survey_id: int) -> dict[int, int]:
    """Submitted non-test answer rows per question, in one query."""
    rows = db.session.execute(
        select(Answer.question_id, func.count(Answer.id))
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.survey_id == survey_id,
            Response.status == ResponseStatus.SUBMITTED,
            Response.is_test.is_(False),
        )
        .group_by(Answer.question_id)
    ).all()
    return dict(rows)


# ---- sections ------------------------------------------------------------------------------


def add_section(survey_id: int, *, actor_id: int | None, **fields) -> Section:
    survey = _survey(survey_id)
    section = Section(position=len(survey.sections), title={}, introduction={})
    survey.sections.append(section)
    _apply_section(survey, section, fields)
    db.session.flush()
    _audit(survey, "survey.section.add", actor_id)
    db.session.commit()
    return section


def update_section(section_id: int, *, actor_id: int | None, **fields) -> Section:
    section = _section(section_id)
    _apply_section(section.survey, section, fields)
    _audit(section.survey, "survey.section.update", actor_id)
    db.session.commit()
    return section


def _apply_section(survey: Survey, section: Section, fields: dict) -> None:
    if "title" in fields:
        section.title = _clean_texts(fields["title"])
    if "introduction" in fields:
        section.introduction = _clean_texts(fields["introduction"])
    if not section.title.get(survey.default_language):
        raise SurveyError(
            "Enter a page title in the survey's main language.",
            field=f"title.{survey.default_language}",
        )
    if "condition" in fields:
        earlier = {
            q.code for s in survey.sections if s.position < section.position for q in s.questions
        }
        try:
            section.condition = check_condition(fields["condition"], earlier)
        except ConditionError as exc:
            raise SurveyError(str(exc), field="condition") from exc


def delete_section(section_id: int, *, actor_id: int | None) -> None:
    """Delete an empty page (move or remove its questions first)."""
    section = _section(section_id)
    survey = section.survey
    has_any = db.session.scalar(select(exists().where(Question.section_id == section.id)))
    if has_any:
        raise NotAllowed("Move or remove this page's questions before deleting the page.")
    if len(survey.sections) == 1:
        raise NotAllowed("A survey needs at least one page.")
    survey.sections.remove(section)
    for position, other in enumerate(survey.sections):
        other.position = position
    _audit(survey, "survey.section.delete", actor_id)
    db.session.commit()


def move_section(section_id: int, direction: str, *, actor_id: int | None) -> None:
    """Move a page up or down; conditions must still refer to earlier questions."""
    section = _section(section_id)
    survey = section.survey
    pages = list(survey.sections)
    index = pages.index(section)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(pages):
        return
    pages[index], pages[target] = pages[target], pages[index]
    _check_order(pages)
    for position, page in enumerate(pages):
        page.position = position
    _audit(survey, "survey.section.move", actor_id)
    db.session.commit()


def _check_order(pages: list[Section], questions_by_page: list[list] | None = None) -> None:
    """Refuse an order in which a condition would refer to a later question."""
    seen: set[str] = set()
    for i, page in enumerate(pages):
        questions = questions_by_page[i] if questions_by_page else page.questions
        for ref in _refs(page.condition):
            if ref not in seen:
                raise NotAllowed(f"That move would put a condition before question {ref!r}.")
        for question in questions:
            for ref in _refs(question.condition):
                if ref not in seen:
                    raise NotAllowed(f"That move would put a condition before question {ref!r}.")
            seen.add(question.code)


def _refs(condition: dict | None) -> list[str]:
    return [r["question"].split(".", 1)[0] for r in (condition or {}).get("rules", [])]


# ---- specs, helpers ------------------------------------------------------------------------


def load_structure(survey_id: int) -> Survey:
    """The survey with pages, questions and choices loaded in a fixed number of queries."""
    survey = db.session.scalar(
        select(Survey)
        .where(Survey.id == survey_id)
        .options(
            selectinload(Survey.sections)
            .selectinload(Section.questions)
            .selectinload(Question.choices)
        )
    )
    if survey is None:
        raise SurveyError("There is no such survey.")
    return survey


def spec_of(question: Question) -> QuestionSpec:
    return QuestionSpec(
        code=question.code,
        type=question.type.value,
        required=question.required,
        choices=tuple(c.value for c in question.choices),
        rows=tuple(r["key"] for r in (question.options or {}).get("rows", [])),
        options=question.options or {},
        validation=question.validation or {},
        condition=question.condition,
    )


def specs_of(survey: Survey) -> list[SectionSpec]:
    return [
        SectionSpec(tuple(spec_of(q) for q in s.questions), s.condition) for s in survey.sections
    ]


def missing_translations(survey: Survey) -> list[tuple[str, str]]:
    """(where, language) for every text missing in one of the survey's other languages."""
    missing = []
    others = survey.languages[1:]

    def check(where: str, values: dict | None):
        if values and values.get(survey.default_language):
            missing.extend((where, lang) for lang in others if not values.get(lang))

    check("Survey title", survey.title)
    check("Survey introduction", survey.introduction)
    for page in survey.sections:
        check(f"Page {page.position + 1} title", page.title)
        check(f"Page {page.position + 1} introduction", page.introduction)
        for q in page.questions:
            check(f"Question {q.code}", q.text)
            check(f"Question {q.code} hint", q.help)
            for choice in q.choices:
                check(f"Question {q.code} option {choice.value}", choice.label)
            for row in (q.options or {}).get("rows", []):
                check(f"Question {q.code} row {row['key']}", row.get("labels"))
    return missing


def _survey(survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise SurveyError("There is no such survey.")
    return survey


def _section(section_id: int) -> Section:
    section = db.session.get(Section, section_id)
    if section is None:
        raise SurveyError("There is no such page.")
    return section


def _audit(survey: Survey, action: str, actor_id: int | None, detail: dict | None = None) -> None:
    record(
        action,
        actor_id=actor_id,
        object_type="survey",
        object_id=survey.id,
        consultation_id=survey.consultation_id,
        detail=detail,
    )


def __getattr__(name: str):
    """Re-export the respondent and submission functions without an import cycle."""
    if name in ("submit_answers", "submit_response"):
        from consult.surveys import submit

        return getattr(submit, name)
    if name in ("respondent_entry",):
        from consult.surveys import respond

        return getattr(respond, name)
    raise AttributeError(name)
