"""Answer rows to and from values: one row per scalar value (see models.py)."""

from collections.abc import Iterable, Mapping
from datetime import date

from flask_babel import gettext as _

from consult.surveys.models import Answer, Question, QuestionType
from consult.surveys.validation import OTHER, clean_text, other_text_of, validate_answer

QT = QuestionType


def rows_for_value(question: Question, value, other_text: str | None = None) -> list[dict]:
    """Row fields for a validated value."""
    qtype = question.type
    if value is None:
        return []
    if qtype in (QT.SHORT_TEXT, QT.LONG_TEXT, QT.EMAIL):
        return [{"value_text": value}]
    if qtype is QT.SINGLE_CHOICE and value == OTHER:
        return [{"choice": value, "value_text": other_text}]
    if qtype in (QT.SINGLE_CHOICE, QT.YES_NO):
        return [{"choice": value}]
    if qtype is QT.LIKERT:
        return [{"choice": value, "value_number": float(value)}]
    if qtype is QT.NUMBER:
        return [{"value_number": float(value)}]
    if qtype is QT.DATE:
        return [{"value_date": value}]
    if qtype is QT.MULTIPLE_CHOICE:
        return [{"choice": c, "value_text": other_text if c == OTHER else None} for c in value]
    if qtype is QT.MATRIX:
        return [{"row_key": row, "choice": col} for row, col in value.items()]
    if qtype is QT.RANKING:
        return [{"row_key": item, "value_number": float(rank)} for item, rank in value.items()]
    return []


def rows_for_draft(question: Question, spec, raw, other=None) -> list[dict]:
    """Row fields for whatever was typed, valid or not, so a draft loses nothing."""
    value, problem = validate_answer(spec, raw, other, require=False)
    if problem is None:
        other_text = clean_text(other_text_of(raw, other)) if spec.chose_other(value) else None
        return rows_for_value(question, value, other_text or None)
    qtype = question.type
    if qtype is QT.SINGLE_CHOICE and spec.allows_other:
        # only "Other" with its box left empty is refused: keep the choice, not the box
        chosen = raw.get("chosen") if isinstance(raw, Mapping) else raw
        return [{"choice": OTHER}] if chosen == OTHER else []
    if qtype is QT.MULTIPLE_CHOICE:
        items = raw if isinstance(raw, list | tuple) else [raw]
        allowed = set(spec.choices) | ({OTHER} if spec.allows_other else set())
        rows = [
            {"choice": str(c)} for c in dict.fromkeys(items) if str(c) in allowed and c != OTHER
        ]
        if spec.allows_other and (OTHER in items or (other or "").strip()):
            rows.append({"choice": OTHER, "value_text": (other or "").strip() or None})
        return rows
    if qtype is QT.MATRIX and isinstance(raw, Mapping):
        return [
            {"row_key": r, "choice": str(raw[r])}
            for r in spec.rows
            if raw.get(r) and str(raw[r]) in spec.choices
        ]
    if qtype is QT.RANKING and isinstance(raw, Mapping):
        return [
            {"row_key": item, "value_number": float(raw[item])}
            for item in spec.choices
            if str(raw.get(item) or "").isdigit() and int(raw[item]) < 1000
        ]
    text = raw if isinstance(raw, str) else ""
    return [{"value_text": text[:20000]}] if text.strip() else []


def raw_from_rows(questions: Iterable[Question], answers: Iterable[Answer]) -> dict:
    """The form-shaped answers (strings, lists, dicts) stored in a response's rows."""
    by_id = {q.id: q for q in questions}
    raw: dict = {}
    for row in answers:
        question = by_id.get(row.question_id)
        if question is None:
            continue
        code, qtype = question.code, question.type
        if (
            row.choice == OTHER
            and row.value_text
            and qtype in (QT.SINGLE_CHOICE, QT.MULTIPLE_CHOICE)
        ):
            raw[f"{code}.other"] = row.value_text
        if qtype is QT.MULTIPLE_CHOICE:
            raw.setdefault(code, []).append(row.choice)
        elif qtype is QT.MATRIX:
            raw.setdefault(code, {})[row.row_key] = row.choice
        elif qtype is QT.RANKING:
            raw.setdefault(code, {})[row.row_key] = _number_text(row.value_number)
        else:
            raw[code] = _scalar_text(row)
    return raw


def _scalar_text(row: Answer) -> str:
    if row.choice:
        return row.choice
    if row.value_text is not None:
        return row.value_text
    if row.value_date is not None:
        return row.value_date.isoformat()
    return _number_text(row.value_number)


def _number_text(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else repr(number)


def display_value(question: Question, answers: Mapping, lang: str, default_lang: str) -> list[str]:
    """Human-readable lines for the review page, the printable copy and the receipt."""
    raw = answers.get(question.code)
    if raw in (None, "", [], {}):
        return []
    labels = {c.value: label_in(c.label, lang, default_lang) for c in question.choices}
    qtype = question.type
    if qtype is QT.MULTIPLE_CHOICE:
        other = answers.get(f"{question.code}.other")
        named = _("Other: %(text)s", text=other) if other else None
        return [labels.get(v, v) for v in raw if v != OTHER] + ([named] if named else [])
    if qtype is QT.SINGLE_CHOICE and raw == OTHER and question.options.get("other"):
        other = answers.get(f"{question.code}.other")
        return [_("Other: %(text)s", text=other) if other else _("Other")]
    if qtype is QT.MATRIX:
        rows = {
            r["key"]: label_in(r.get("labels"), lang, default_lang)
            for r in question.options.get("rows", [])
        }
        return [f"{rows.get(k, k)}: {labels.get(v, v)}" for k, v in raw.items()]
    if qtype is QT.RANKING:
        ordered = sorted(raw.items(), key=lambda kv: int(kv[1]) if str(kv[1]).isdigit() else 999)
        return [f"{rank}. {labels.get(item, item)}" for item, rank in ordered]
    if qtype is QT.LIKERT:
        points = likert_labels(question, lang, default_lang)
        return [points.get(str(raw), str(raw))]
    if qtype is QT.YES_NO:
        return [yes_no_label(str(raw))]
    return [labels.get(str(raw), str(raw))]


def likert_labels(question: Question, lang: str, default_lang: str) -> dict[str, str]:
    points = int(question.options.get("points") or 5)
    labels = question.options.get("labels") or {}
    chosen = labels.get(lang) or labels.get(default_lang) or []
    return {
        str(i): (f"{i} – {chosen[i - 1]}" if i - 1 < len(chosen) and chosen[i - 1] else str(i))
        for i in range(1, points + 1)
    }


def yes_no_label(value: str) -> str:
    return {"yes": _("Yes"), "no": _("No")}.get(value, value)


def label_in(values: dict | None, lang: str, default_lang: str) -> str:
    values = values or {}
    return values.get(lang) or values.get(default_lang) or next(iter(values.values()), "")


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None
