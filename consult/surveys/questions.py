"""Question authoring: add, edit, move and remove questions and their choices."""

import re

from sqlalchemy import func, select

from consult.extensions import db
from consult.surveys.conditions import ConditionError, check_condition
from consult.surveys.models import Answer, Choice, Question, QuestionType, Response, Section
from consult.surveys.services import (
    NotAllowed,
    SurveyError,
    _audit,
    _check_order,
    _section,
    has_real_responses,
)
from consult.surveys.validation import OTHER

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,79}$")


class NeedsConfirmation(SurveyError):
    """Removing this question would archive answers: ask first."""

    def __init__(self, count: int):
        super().__init__(f"This question has {count} answers. Confirm to archive it.")
        self.count = count


def add_question(section_id: int, *, actor_id: int | None, **fields) -> Question:
    """Add a question at the end of a page."""
    section = _section(section_id)
    survey = section.survey
    code = (fields.get("code") or "").strip().lower()
    if not CODE_RE.match(code):
        raise SurveyError(
            "Give the question a short code: lower-case letters, digits and underscores, "
            "starting with a letter (for example services_offered).",
            field="code",
        )
    taken = db.session.scalar(
        select(func.count(Question.id)).where(
            Question.survey_id == survey.id, Question.code == code
        )
    )
    if taken:
        raise SurveyError(f"Another question already uses the code {code!r}.", field="code")
    try:
        qtype = QuestionType(fields.get("type"))
    except ValueError as exc:
        raise SurveyError("Choose a question type.") from exc
    question = Question(
        survey_id=survey.id,
        section_id=section.id,
        position=len(section.questions),
        code=code,
        type=qtype,
        text={},
        help={},
        options={},
        validation={},
    )
    _apply(question, section, fields, survey.default_language)
    db.session.add(question)
    db.session.flush()
    _audit(survey, "survey.question.add", actor_id, {"code": code})
    db.session.commit()
    return question


def update_question(question_id: int, *, actor_id: int | None, **fields) -> Question:
    """Edit a question; after real responses, refuse edits that would corrupt answers."""
    question = _question(question_id)
    survey = question.section.survey
    answered = has_real_responses(survey.id)
    if "type" in fields and fields["type"] and QuestionType(fields["type"]) != question.type:
        if answered:
            raise NotAllowed(
                "This survey already has responses, so the question's type cannot change. "
                "Add a new question instead."
            )
        question.type = QuestionType(fields["type"])
    if answered and "choices" in fields:
        kept = {value for value, _labels in fields["choices"]}
        lost = [c.value for c in question.choices if c.value not in kept]
        used = _used_choices(question.id, lost)
        if used:
            raise NotAllowed(
                "These options already have answers and cannot be removed: " + ", ".join(used)
            )
    if answered and "rows" in fields:
        kept_rows = {key for key, _labels in fields["rows"]}
        lost_rows = [
            r["key"] for r in question.options.get("rows", []) if r["key"] not in kept_rows
        ]
        used = _used_rows(question.id, lost_rows)
        if used:
            raise NotAllowed(
                "These rows already have answers and cannot be removed: " + ", ".join(used)
            )
    structural = {"required", "validation", "condition", "choices", "rows", "options"}
    _apply(question, question.section, fields, survey.default_language)
    if answered and structural & set(fields):
        survey.version += 1  # later responses record the version they answered
    _audit(survey, "survey.question.update", actor_id, {"code": question.code})
    db.session.commit()
    return question


def _apply(question: Question, section: Section, fields: dict, default_lang: str) -> None:
    from consult.surveys.services import _clean_texts

    if "text" in fields:
        question.text = _clean_texts(fields["text"])
    if "help" in fields:
        question.help = _clean_texts(fields["help"])
    if not question.text.get(default_lang):
        raise SurveyError(
            "Enter the question in the survey's main language.", field=f"text.{default_lang}"
        )
    if "required" in fields:
        question.required = bool(fields["required"])
    if "options" in fields:
        question.options = _clean_options(question.type, fields["options"] or {})
    if "rows" in fields:
        question.options = {
            **question.options,
            "rows": [{"key": key, "labels": labels} for key, labels in fields["rows"]],
        }
    if "validation" in fields:
        question.validation = _clean_validation(fields["validation"] or {})
    if "choices" in fields:
        _set_choices(question, fields["choices"])
    if "condition" in fields:
        earlier = _earlier_codes(question, section)
        try:
            question.condition = check_condition(fields["condition"], earlier)
        except ConditionError as exc:
            raise SurveyError(str(exc), field="condition") from exc
    _check_shape(question)


def _check_shape(question: Question) -> None:
    qtype = question.type
    listed = (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING)
    if qtype in listed and len(question.choices) < 2:
        raise SurveyError("Give at least two options, one per line.", field="choices")
    if question.options.get("other") and any(c.value == OTHER for c in question.choices):
        raise SurveyError(
            f'The value "{OTHER}" is kept for "Other, please specify": '
            "give that option another value, or untick the other box.",
            field="choices",
        )
    if qtype is QuestionType.MATRIX and not question.options.get("rows"):
        raise SurveyError("A matrix needs rows, one per line.", field="rows")
    if qtype is QuestionType.MATRIX and len(question.choices) < 2:
        raise SurveyError("A matrix needs at least two columns, one per line.", field="choices")
    if qtype is QuestionType.LIKERT and not 2 <= int(question.options.get("points", 5)) <= 11:
        raise SurveyError("A rating scale has between 2 and 11 points.", field="points")


def _clean_options(qtype: QuestionType, options: dict) -> dict:
    out = {}
    if qtype is QuestionType.SINGLE_CHOICE:
        out["display"] = "dropdown" if options.get("display") == "dropdown" else "radio"
    if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE) and options.get("other"):
        out["other"] = True
    if qtype is QuestionType.NUMBER and options.get("integer"):
        out["integer"] = True
    if qtype is QuestionType.LIKERT:
        out["points"] = int(options.get("points") or 5)
        out["labels"] = {
            lang: list(labels) for lang, labels in (options.get("labels") or {}).items() if labels
        }
    if "rows" in options:
        out["rows"] = options["rows"]
    return out


def _clean_validation(rules: dict) -> dict:
    out = {}
    for key in ("min", "max"):
        if rules.get(key) not in (None, ""):
            out[key] = rules[key]
    for key in ("min_length", "max_length", "min_choices", "max_choices"):
        if rules.get(key) not in (None, ""):
            try:
                out[key] = int(rules[key])
            except (TypeError, ValueError) as exc:
                raise SurveyError("Lengths and counts must be whole numbers.", field=key) from exc
    if rules.get("pattern"):
        try:
            re.compile(rules["pattern"])
        except re.error as exc:
            raise SurveyError(
                f"The pattern is not a valid regular expression: {exc}.", field="pattern"
            ) from exc
        out["pattern"] = rules["pattern"]
    messages = {k: v.strip() for k, v in (rules.get("message") or {}).items() if v and v.strip()}
    if messages:
        out["message"] = messages
    return out


def _set_choices(question: Question, choices: list[tuple[str, dict]]) -> None:
    current = {c.value: c for c in question.choices}
    wanted = []
    for position, (value, labels) in enumerate(choices):
        value = (value or "").strip()[:100]
        if not value:
            raise SurveyError("Every option needs a value.", field="choices")
        choice = current.pop(value, None) or Choice(value=value)
        choice.position, choice.label = position, dict(labels)
        wanted.append(choice)
    if len({c.value for c in wanted}) != len(wanted):
        raise SurveyError(
            "Two options have the same value; give each a different one.", field="choices"
        )
    question.choices = wanted


def _earlier_codes(question: Question, section: Section) -> set[str]:
    codes = set()
    for page in section.survey.sections:
        if page.position > section.position:
            break
        for q in page.questions:
            if q is question or (page is section and q.position >= question.position and q.id):
                break
            codes.add(q.code)
    return codes


def _used_choices(question_id: int, values: list[str]) -> list[str]:
    if not values:
        return []
    return list(
        db.session.scalars(
            select(Answer.choice)
            .where(Answer.question_id == question_id, Answer.choice.in_(values))
            .distinct()
        )
    )


def _used_rows(question_id: int, keys: list[str]) -> list[str]:
    if not keys:
        return []
    return list(
        db.session.scalars(
            select(Answer.row_key)
            .where(Answer.question_id == question_id, Answer.row_key.in_(keys))
            .distinct()
        )
    )


def remove_question(question_id: int, *, actor_id: int | None, confirm: bool = False) -> str:
    """Delete an unanswered question; archive an answered one (after confirmation)."""
    question = _question(question_id)
    section = question.section
    survey = section.survey
    dependants = [
        q.code
        for page in survey.sections
        for q in page.questions
        if q.code != question.code and question.code in _refs_of(q.condition)
    ] + [
        f"page {p.position + 1}" for p in survey.sections if question.code in _refs_of(p.condition)
    ]
    if dependants:
        raise NotAllowed("Other conditions refer to this question: " + ", ".join(dependants))
    count = db.session.scalar(
        select(func.count(Answer.id))
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.question_id == question.id, Response.is_test.is_(False))
    )
    if count and not confirm:
        raise NeedsConfirmation(count)
    if count:
        question.archived = True
        outcome = "archived"
    else:
        db.session.delete(question)
        outcome = "deleted"
    db.session.flush()
    db.session.expire(section, ["questions"])
    for position, other in enumerate(section.questions):
        other.position = position
    _audit(survey, f"survey.question.{outcome}", actor_id, {"code": question.code})
    db.session.commit()
    return outcome


def _refs_of(condition: dict | None) -> set[str]:
    return {r["question"].split(".", 1)[0] for r in (condition or {}).get("rules", [])}


def move_question(question_id: int, direction: str, *, actor_id: int | None) -> None:
    """Move a question up or down; past the top or bottom of a page it moves to the next page."""
    question = _question(question_id)
    section = question.section
    survey = section.survey
    pages = list(survey.sections)
    layout = [list(p.questions) for p in pages]
    page_index = pages.index(section)
    items = layout[page_index]
    index = items.index(question)
    step = -1 if direction == "up" else 1
    if 0 <= index + step < len(items):
        items[index], items[index + step] = items[index + step], items[index]
    elif 0 <= page_index + step < len(pages):
        items.pop(index)
        target = layout[page_index + step]
        target.insert(len(target) if step < 0 else 0, question)
    else:
        return
    _check_order(pages, layout)
    for page, questions in zip(pages, layout, strict=True):
        for position, q in enumerate(questions):
            q.section_id, q.position = page.id, position
    db.session.flush()
    for page in pages:
        db.session.expire(page, ["questions"])
    _audit(survey, "survey.question.move", actor_id, {"code": question.code})
    db.session.commit()


def _question(question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.archived:
        raise SurveyError("There is no such question.")
    return question
