"""Survey definition export and import as JSON (texts per language, choices, options, conditions)."""

import json
import re
from datetime import datetime

from sqlalchemy import select

from consult.audit import record
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.surveys.models import Choice, Question, QuestionType, Section, Survey, SurveyStatus

FORMAT = "consult-survey-definition"
VERSION = 1
CODE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]{0,79}$")
SETTINGS = ("one_response_per_organization", "allow_anonymous", "allow_edit_after_submit")


class DefinitionError(Exception):
    """The definition cannot be imported; the message says where and why."""


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_definition(survey: Survey) -> dict:
    """The whole survey definition as plain JSON-able data (no ids, no answers)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "survey": {
            "title": survey.title,
            "introduction": survey.introduction or {},
            "privacy": getattr(survey, "privacy", None) or {},
            "languages": survey.languages,
            "settings": {
                **{key: bool(getattr(survey, key)) for key in SETTINGS},
                "estimated_minutes": survey.estimated_minutes,
                "opens_at": _dt(survey.opens_at),
                "closes_at": _dt(survey.closes_at),
            },
            "sections": [_section(s) for s in survey.sections],
        },
    }


def _section(s: Section) -> dict:
    return {
        "title": s.title or {},
        "introduction": s.introduction or {},
        "condition": s.condition,
        "questions": [
            {
                "code": q.code,
                "type": q.type.value,
                "text": q.text,
                "help": q.help or {},
                "required": q.required,
                "options": q.options or {},
                "validation": q.validation or {},
                "condition": q.condition,
                "choices": [{"value": c.value, "label": c.label} for c in q.choices],
            }
            for q in s.questions
        ],
    }


def definition_json(survey: Survey) -> str:
    return json.dumps(export_definition(survey), ensure_ascii=False, indent=2)


def parse_definition(raw: str | bytes | dict) -> dict:
    """Decode and check a definition; raise DefinitionError naming the first problem's place."""
    if isinstance(raw, dict):
        data = raw
    else:
        try:
            data = json.loads(raw)
        except UnicodeDecodeError as exc:
            raise DefinitionError("The file is not UTF-8 text; export it again as JSON.") from exc
        except json.JSONDecodeError as exc:
            raise DefinitionError(
                f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
            ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DefinitionError(f'This is not a survey definition (expected "format": "{FORMAT}").')
    if data.get("version") != VERSION:
        raise DefinitionError(f"Unsupported definition version {data.get('version')!r}.")
    survey = _obj(data.get("survey"), "survey")
    _texts(survey.get("title"), "survey.title", required=True)
    _texts(survey.get("introduction"), "survey.introduction")
    _texts(survey.get("privacy"), "survey.privacy")
    langs = survey.get("languages")
    if not (isinstance(langs, list) and langs and all(isinstance(x, str) and x for x in langs)):
        raise DefinitionError("survey.languages must be a non-empty list of language codes.")
    sections = survey.get("sections")
    if not isinstance(sections, list) or not sections:
        raise DefinitionError("survey.sections must be a non-empty list.")
    codes: set[str] = set()
    for i, section in enumerate(sections):
        _check_section(_obj(section, f"sections[{i}]"), f"sections[{i}]", codes)
    for i, section in enumerate(sections):
        _check_conditions(section, f"sections[{i}]", codes)
    return data


def _obj(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise DefinitionError(f"{where} must be an object.")
    return value


def _texts(value, where: str, *, required: bool = False) -> None:
    if value is None and not required:
        return
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise DefinitionError(f'{where} must map language codes to text, like {{"en": "..."}}.')
    if required and not any(v.strip() for v in value.values()):
        raise DefinitionError(f"{where} needs text in at least one language.")


def _check_section(section: dict, where: str, codes: set[str]) -> None:
    _texts(section.get("title"), f"{where}.title")
    _texts(section.get("introduction"), f"{where}.introduction")
    questions = section.get("questions", [])
    if not isinstance(questions, list):
        raise DefinitionError(f"{where}.questions must be a list.")
    for j, q in enumerate(questions):
        here = f"{where}.questions[{j}]"
        _obj(q, here)
        code = q.get("code")
        if not isinstance(code, str) or not CODE_RE.match(code):
            raise DefinitionError(f"{here}.code {code!r} must be a name of letters, digits and _.")
        if code in codes:
            raise DefinitionError(f"{here}.code {code!r} is used twice.")
        codes.add(code)
        if q.get("type") not in {t.value for t in QuestionType}:
            allowed = ", ".join(t.value for t in QuestionType)
            raise DefinitionError(f"{here}.type {q.get('type')!r} is not one of: {allowed}.")
        _texts(q.get("text"), f"{here}.text", required=True)
        _texts(q.get("help"), f"{here}.help")
        for key in ("options", "validation"):
            if q.get(key) is not None and not isinstance(q[key], dict):
                raise DefinitionError(f"{here}.{key} must be an object.")
        choices = q.get("choices") or []
        if not isinstance(choices, list):
            raise DefinitionError(f"{here}.choices must be a list.")
        seen = set()
        for k, c in enumerate(choices):
            _obj(c, f"{here}.choices[{k}]")
            value = c.get("value")
            if not isinstance(value, str) or not value or len(value) > 100 or value in seen:
                raise DefinitionError(
                    f"{here}.choices[{k}].value must be a unique, non-empty text."
                )
            seen.add(value)
            _texts(c.get("label"), f"{here}.choices[{k}].label", required=True)
        if (q.get("options") or {}).get("other") and "other" in seen:
            raise DefinitionError(
                f'{here} has options.other ("Other, please specify") and also a choice with '
                'the value "other"; give that choice another value.'
            )


def _check_conditions(section: dict, where: str, codes: set[str]) -> None:
    conditions = [(where, section.get("condition"))] + [
        (f"{where}.questions[{j}]", q.get("condition"))
        for j, q in enumerate(section.get("questions") or [])
    ]
    for here, cond in conditions:
        if cond is None:
            continue
        if not isinstance(cond, dict) or not isinstance(cond.get("rules", []), list):
            raise DefinitionError(f"{here}.condition must be an object with a list of rules.")
        for k, rule in enumerate(cond.get("rules", [])):
            ref = rule.get("question") if isinstance(rule, dict) else None
            if not isinstance(ref, str) or ref.split(".", 1)[0] not in codes:
                raise DefinitionError(
                    f"{here}.condition.rules[{k}] refers to question {ref!r}, which is not in the survey."
                )


def import_definition(
    raw: str | bytes | dict, consultation_id: int, *, actor_id: int | None = None
) -> Survey:
    """Create a new draft survey in the consultation from a definition."""
    data = parse_definition(raw)
    if db.session.get(Consultation, consultation_id) is None:
        raise DefinitionError("That consultation does not exist.")
    spec = data["survey"]
    settings = spec.get("settings") or {}
    survey = Survey(
        consultation_id=consultation_id,
        title=spec["title"],
        introduction=spec.get("introduction") or {},
        privacy=spec.get("privacy") or {},
        languages=spec["languages"],
        status=SurveyStatus.DRAFT,
        estimated_minutes=settings.get("estimated_minutes"),
        opens_at=_parse_dt(settings.get("opens_at"), "opens_at"),
        closes_at=_parse_dt(settings.get("closes_at"), "closes_at"),
        **{key: bool(settings.get(key, key == SETTINGS[0])) for key in SETTINGS},
    )
    db.session.add(survey)
    db.session.flush()
    for i, s in enumerate(spec["sections"]):
        section = Section(
            survey_id=survey.id,
            position=i,
            title=s.get("title") or {},
            introduction=s.get("introduction") or {},
            condition=s.get("condition"),
        )
        db.session.add(section)
        db.session.flush()
        for j, q in enumerate(s.get("questions") or []):
            db.session.add(_question(survey.id, section.id, j, q))
    record(
        "survey.import_definition",
        actor_id=actor_id,
        object_type="survey",
        object_id=survey.id,
        consultation_id=consultation_id,
    )
    db.session.commit()
    return survey


def _question(survey_id: int, section_id: int, position: int, q: dict) -> Question:
    return Question(
        survey_id=survey_id,
        section_id=section_id,
        position=position,
        code=q["code"],
        type=QuestionType(q["type"]),
        text=q["text"],
        help=q.get("help") or {},
        required=bool(q.get("required")),
        options=q.get("options") or {},
        validation=q.get("validation") or {},
        condition=q.get("condition"),
        choices=[
            Choice(position=k, value=c["value"], label=c["label"])
            for k, c in enumerate(q.get("choices") or [])
        ],
    )


def _parse_dt(value, key: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise DefinitionError(f"survey.settings.{key} must be an ISO 8601 date and time.") from exc


def consultation_by_slug(slug: str) -> Consultation:
    c = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    if c is None:
        raise DefinitionError(f"There is no consultation with the short name {slug!r}.")
    return c
