"""Builder forms: read the staff's plain HTML forms into service arguments, and back."""

import re
from datetime import UTC, datetime

from consult.surveys.models import Question, QuestionType, Section, Survey

QT = QuestionType
TYPE_LABELS = {
    "short_text": "Short text",
    "long_text": "Long text",
    "single_choice": "Single choice",
    "multiple_choice": "Multiple choice",
    "yes_no": "Yes / no",
    "likert": "Rating scale (Likert)",
    "number": "Number",
    "date": "Date",
    "email": "E-mail address",
    "matrix": "Matrix (rows × columns)",
    "ranking": "Ranking",
    "note": "Note (text only, no answer)",
}
OPERATOR_LABELS = {
    "equals": "equals",
    "not_equals": "does not equal",
    "any_of": "is any of (comma-separated)",
    "contains": "contains",
    "gt": "is greater than",
    "lt": "is less than",
}
RULE_SLOTS = 3


class FormProblem(ValueError):
    """A builder form value that cannot be read; `field` names the form field."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def errors_of(exc: Exception) -> dict:
    """{field name or "": message} for the builder templates."""
    return {getattr(exc, "field", None) or "": str(exc)}


def per_language(form, name: str, languages: list[str]) -> dict:
    return {lang: form.get(f"{name}.{lang}", "").strip() for lang in languages}


def survey_fields(form, languages_default: list[str]) -> dict:
    languages = [
        c.strip().lower() for c in re.split(r"[,\s]+", form.get("languages", "")) if c.strip()
    ]
    languages = languages or languages_default
    fields = {
        "languages": languages,
        "title": per_language(form, "title", languages),
        "introduction": per_language(form, "introduction", languages),
        "privacy": per_language(form, "privacy", languages),
        "opens_at": _datetime(form.get("opens_at"), "opening", "opens_at"),
        "closes_at": _datetime(form.get("closes_at"), "closing", "closes_at"),
        "one_response_per_organization": form.get("one_response_per_organization") == "y",
        "allow_anonymous": form.get("allow_anonymous") == "y",
        "allow_edit_after_submit": form.get("allow_edit_after_submit") == "y",
    }
    minutes = form.get("estimated_minutes", "").strip()
    if minutes and not minutes.isdigit():
        raise FormProblem(
            "Enter the time it takes as a whole number of minutes.", field="estimated_minutes"
        )
    fields["estimated_minutes"] = int(minutes) if minutes else None
    return fields


def _datetime(text: str | None, which: str, name: str):
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise FormProblem(
            f"Enter the {which} date and time like 2026-12-15 17:00.", field=name
        ) from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def survey_values(survey: Survey | None) -> dict:
    """Flat form values for the settings form."""
    if survey is None:
        return {"languages": "en, es", "one_response_per_organization": "y"}
    values = {
        "languages": ", ".join(survey.languages),
        "opens_at": survey.opens_at.strftime("%Y-%m-%dT%H:%M") if survey.opens_at else "",
        "closes_at": survey.closes_at.strftime("%Y-%m-%dT%H:%M") if survey.closes_at else "",
        "estimated_minutes": survey.estimated_minutes or "",
    }
    for key in ("one_response_per_organization", "allow_anonymous", "allow_edit_after_submit"):
        values[key] = "y" if getattr(survey, key) else ""
    for name in ("title", "introduction", "privacy"):
        for lang, text in (getattr(survey, name) or {}).items():
            values[f"{name}.{lang}"] = text
    return values


def parse_lines(text: str, languages: list[str], name: str = "choices") -> list[tuple[str, dict]]:
    """Lines "value|label in first language|label in second" into (value, labels)."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 1:
            label = parts[0]
            value = _slug(label)
            labels = {languages[0]: label}
        else:
            value = parts[0]
            labels = {lang: p for lang, p in zip(languages, parts[1:], strict=False) if p}
            if not labels:
                labels = {languages[0]: value}
        if not value:
            raise FormProblem(f"Give the option on the line {line.strip()!r} a value.", field=name)
        out.append((value, labels))
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:100]


def format_lines(items: list[tuple[str, dict]], languages: list[str]) -> str:
    return "\n".join(
        "|".join([value] + [labels.get(lang, "") for lang in languages]).rstrip("|")
        for value, labels in items
    )


def question_fields(form, languages: list[str], qtype: str) -> dict:
    """Service arguments from the question form."""
    fields = {
        "type": qtype,
        "text": per_language(form, "text", languages),
        "help": per_language(form, "help", languages),
        "required": form.get("required") == "y",
    }
    options: dict = {}
    if qtype == "single_choice":
        options["display"] = form.get("display", "radio")
    if qtype in ("single_choice", "multiple_choice"):
        options["other"] = form.get("other") == "y"
    if qtype == "number":
        options["integer"] = form.get("integer") == "y"
    if qtype in ("short_text", "long_text") and form.get("not_for_coding") == "y":
        options["not_for_coding"] = True
    if qtype == "likert":
        points = form.get("points", "5").strip()
        if not points.isdigit():
            raise FormProblem(
                "Enter the number of points as a whole number, like 5.", field="points"
            )
        options["points"] = int(points)
        options["labels"] = {
            lang: [line.strip() for line in form.get(f"likert_labels.{lang}", "").splitlines()]
            for lang in languages
            if form.get(f"likert_labels.{lang}", "").strip()
        }
    fields["options"] = options
    if qtype in ("single_choice", "multiple_choice", "matrix", "ranking"):
        fields["choices"] = parse_lines(form.get("choices", ""), languages)
    if qtype == "matrix":
        fields["rows"] = parse_lines(form.get("rows", ""), languages, "rows")
    fields["validation"] = {
        key: _number(form.get(key, ""), key)
        for key in ("min", "max", "min_length", "max_length", "min_choices", "max_choices")
        if form.get(key, "").strip()
    }
    if form.get("pattern", "").strip():
        fields["validation"]["pattern"] = form.get("pattern").strip()
    fields["validation"]["message"] = per_language(form, "message", languages)
    fields["condition"] = condition_from(form)
    return fields


def _number(text: str, name: str):
    text = text.strip()
    try:
        number = float(text)
    except ValueError as exc:
        raise FormProblem(f"Enter a number for {name.replace('_', ' ')}.", field=name) from exc
    return int(number) if number.is_integer() else number


def condition_from(form) -> dict | None:
    rules = []
    for i in range(RULE_SLOTS):
        ref = form.get(f"rule{i}.question", "").strip()
        if not ref:
            continue
        value = form.get(f"rule{i}.value", "").strip()
        op = form.get(f"rule{i}.op", "equals")
        if op == "any_of":
            value = [v.strip() for v in value.split(",") if v.strip()]
        rules.append({"question": ref, "op": op, "value": value})
    if not rules:
        return None
    return {"combine": "any" if form.get("combine") == "any" else "all", "rules": rules}


def condition_values(condition: dict | None) -> dict:
    values = {"combine": (condition or {}).get("combine", "all")}
    for i, rule in enumerate((condition or {}).get("rules", [])[:RULE_SLOTS]):
        value = rule.get("value")
        values[f"rule{i}.question"] = rule.get("question", "")
        values[f"rule{i}.op"] = rule.get("op", "equals")
        values[f"rule{i}.value"] = ", ".join(value) if isinstance(value, list) else (value or "")
    return values


def question_values(question: Question, languages: list[str]) -> dict:
    """Flat form values for editing a question."""
    values = {"code": question.code, "required": "y" if question.required else ""}
    for name in ("text", "help"):
        for lang, text in (getattr(question, name) or {}).items():
            values[f"{name}.{lang}"] = text
    options = question.options or {}
    values["display"] = options.get("display", "radio")
    values["other"] = "y" if options.get("other") else ""
    values["integer"] = "y" if options.get("integer") else ""
    values["not_for_coding"] = "y" if options.get("not_for_coding") else ""
    values["points"] = options.get("points", 5)
    for lang, labels in (options.get("labels") or {}).items():
        values[f"likert_labels.{lang}"] = "\n".join(labels)
    values["choices"] = format_lines([(c.value, c.label) for c in question.choices], languages)
    values["rows"] = format_lines(
        [(r["key"], r.get("labels") or {}) for r in options.get("rows", [])], languages
    )
    rules = question.validation or {}
    for key in ("min", "max", "min_length", "max_length", "min_choices", "max_choices", "pattern"):
        if rules.get(key) not in (None, ""):
            values[key] = rules[key]
    for lang, text in (rules.get("message") or {}).items():
        values[f"message.{lang}"] = text
    values.update(condition_values(question.condition))
    return values


def section_values(section: Section) -> dict:
    values = {}
    for name in ("title", "introduction"):
        for lang, text in (getattr(section, name) or {}).items():
            values[f"{name}.{lang}"] = text
    values.update(condition_values(section.condition))
    return values
