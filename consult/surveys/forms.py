"""Respondent forms: read posted answers, word problems, and lay questions out for templates."""

import json
from dataclasses import dataclass, field

from flask_babel import gettext as _

from consult.surveys.answers import label_in, likert_labels
from consult.surveys.models import Question, QuestionType
from consult.surveys.validation import OTHER, Problem

QT = QuestionType


def offers_other(question: Question) -> bool:
    """A single or multiple choice question with "Other (please specify)" and its text box."""
    return question.type in (QT.SINGLE_CHOICE, QT.MULTIPLE_CHOICE) and bool(
        (question.options or {}).get("other")
    )


def posted_answers(questions: list[Question], form) -> dict:
    """The answers a page's form carries, in the shape validation expects."""
    raw: dict = {}
    for q in questions:
        code = q.code
        if q.type is QT.NOTE:
            continue
        if offers_other(q):
            raw[f"{code}.other"] = form.get(f"{code}.other", "")
        if q.type is QT.MULTIPLE_CHOICE:
            raw[code] = form.getlist(code)
        elif q.type is QT.MATRIX:
            raw[code] = {
                r["key"]: form.get(f"{code}.{r['key']}", "") for r in q.options.get("rows", [])
            }
        elif q.type is QT.RANKING:
            raw[code] = {c.value: form.get(f"{code}.{c.value}", "") for c in q.choices}
        else:
            raw[code] = form.get(code, "")
    return raw


def problem_message(problem: Problem, question: Question, lang: str, default_lang: str) -> str:
    """The message beside a field, in the page's language; a custom message wins."""
    if problem.kind != "required":
        custom = (question.validation or {}).get("message") or {}
        if custom.get(lang) or custom.get(default_lang):
            return custom.get(lang) or custom.get(default_lang)
    p = dict(problem.params)
    kind = problem.kind
    if kind == "required":
        if question.type in (QT.SINGLE_CHOICE, QT.YES_NO, QT.LIKERT):
            return _("Select an answer")
        if question.type is QT.MULTIPLE_CHOICE:
            return _("Select at least one option")
        if question.type is QT.MATRIX:
            return _("Select an answer for every row")
        if question.type is QT.RANKING:
            return _("Rank every item")
        return _("Enter an answer")
    messages = {
        "number": _("Enter a number, like 25 or 3.5"),
        "integer": _("Enter a whole number, like 25"),
        "range": _(
            "Enter a number between %(min)s and %(max)s", min=p.get("min"), max=p.get("max")
        ),
        "min": _("Enter a number of %(min)s or more", min=p.get("min")),
        "max": _("Enter a number of %(max)s or less", max=p.get("max")),
        "min_length": _("Enter at least %(min)s characters", min=p.get("min")),
        "max_length": _("Enter %(max)s characters or fewer", max=p.get("max")),
        "pattern": _("Enter the answer in the format asked for"),
        "email": _("Enter an e-mail address, like name@example.org"),
        "date": _("Enter a real date, like 2026-03-31"),
        "date_min": _("Enter a date on or after %(min)s", min=p.get("min")),
        "date_max": _("Enter a date on or before %(max)s", max=p.get("max")),
        "choice": _("Select one of the options shown"),
        "other_missing": _("Say what your other answer is"),
        "min_choices": _("Select at least %(min)s options", min=p.get("min")),
        "max_choices": _("Select %(max)s options or fewer", max=p.get("max")),
        "matrix_incomplete": _("Select an answer for every row"),
        "rank_duplicate": _("Give each item a different rank from 1 to %(n)s", n=p.get("count")),
        "rank_incomplete": _("Rank every item from 1 to %(n)s", n=p.get("count")),
    }
    return messages.get(kind, _("Check this answer"))


@dataclass
class FieldView:
    """A question ready to render: texts in the page language and its current answer."""

    question: Question
    label: str
    hint: str
    value: object
    other: str = ""
    error: str = ""
    error_kind: str = ""
    options: list = field(default_factory=list)  # (value, label)
    rows: list = field(default_factory=list)  # (key, label)
    condition_json: str = ""
    condition_text: str = ""
    missing_translation: bool = False
    default_language: str = "en"

    @property
    def lang_attr(self) -> str:
        """A lang attribute for a label shown in the default language (a missing translation)."""
        return self.default_language if self.missing_translation else ""

    @property
    def id(self) -> str:
        return f"q-{self.question.code}"

    @property
    def offers_other(self) -> bool:
        return offers_other(self.question)

    @property
    def other_label(self) -> str:
        """The label of the "other" text box: always shown, so it says when to fill it in."""
        if self.question.type is QT.SINGLE_CHOICE:
            return _("Other — please specify")
        return _("If other, please specify")

    @property
    def first_input_id(self) -> str:
        if self.error_kind == "other_missing":
            return f"{self.id}-other"  # the error summary leads to the empty box
        qtype = self.question.type
        if qtype in (QT.SINGLE_CHOICE, QT.YES_NO, QT.LIKERT, QT.MULTIPLE_CHOICE):
            if qtype is QT.SINGLE_CHOICE and self.question.options.get("display") == "dropdown":
                return self.id
            return f"{self.id}-0"
        if qtype is QT.MATRIX:
            return f"{self.id}-{self.rows[0][0]}-0" if self.rows else self.id
        if qtype is QT.RANKING:
            return f"{self.id}-{self.options[0][0]}" if self.options else self.id
        return self.id

    @property
    def grouped(self) -> bool:
        """Rendered as a fieldset with a legend (several inputs)."""
        if self.question.type is QT.SINGLE_CHOICE:
            return self.question.options.get("display") != "dropdown"
        return self.question.type in (
            QT.YES_NO,
            QT.LIKERT,
            QT.MULTIPLE_CHOICE,
            QT.MATRIX,
            QT.RANKING,
        )

    def checked(self, option: str) -> bool:
        value = self.value
        if isinstance(value, list):
            return option in value
        return str(value or "") == option

    def cell(self, row: str) -> str:
        return str((self.value or {}).get(row, "")) if isinstance(self.value, dict) else ""


def field_views(
    questions: list[Question],
    answers: dict,
    problems: dict,
    lang: str,
    default_lang: str,
    live_conditions: set[str],
) -> list[FieldView]:
    """Lay out a page's questions; conditions on same-page answers go to the optional JS."""
    views = []
    by_code = {q.code: q for q in questions}
    for q in questions:
        label = label_in(q.text, lang, default_lang)
        view = FieldView(
            question=q,
            label=label,
            hint=(q.help or {}).get(lang) or (q.help or {}).get(default_lang) or "",
            value=answers.get(q.code),
            other=answers.get(f"{q.code}.other", "") or "",
            missing_translation=lang != default_lang and not (q.text or {}).get(lang),
            default_language=default_lang,
        )
        if q.code in problems:
            view.error = problem_message(problems[q.code], q, lang, default_lang)
            view.error_kind = problems[q.code].kind
        if q.type is QT.YES_NO:
            view.options = [("yes", _("Yes")), ("no", _("No"))]
        elif q.type is QT.LIKERT:
            view.options = list(likert_labels(q, lang, default_lang).items())
        else:
            view.options = [(c.value, label_in(c.label, lang, default_lang)) for c in q.choices]
        if offers_other(q):
            view.options.append((OTHER, _("Other")))
        view.rows = [
            (r["key"], label_in(r.get("labels"), lang, default_lang))
            for r in q.options.get("rows", [])
        ]
        if q.condition and q.code in live_conditions:
            view.condition_json = json.dumps(q.condition)
            view.condition_text = describe_condition(q.condition, by_code, lang, default_lang)
        views.append(view)
    return views


def describe_condition(condition: dict, by_code: dict, lang: str, default_lang: str) -> str:
    """Plain words for a same-page condition, shown when JavaScript cannot hide the question."""
    parts = []
    for rule in condition.get("rules", []):
        code = rule["question"].split(".", 1)[0]
        question = by_code.get(code)
        if question is None:
            continue
        labels = dict(field_views([question], {}, {}, lang, default_lang, set())[0].options)
        values = rule.get("value")
        values = values if isinstance(values, list) else [values]
        answer = " / ".join(f"“{labels.get(str(v), str(v))}”" for v in values)
        name = label_in(question.text, lang, default_lang)
        op = rule.get("op")
        if op == "not_equals":
            parts.append(_("your answer to “%(q)s” is not %(a)s", q=name, a=answer))
        elif op == "gt":
            parts.append(_("your answer to “%(q)s” is more than %(a)s", q=name, a=values[0]))
        elif op == "lt":
            parts.append(_("your answer to “%(q)s” is less than %(a)s", q=name, a=values[0]))
        else:
            parts.append(_("your answer to “%(q)s” is %(a)s", q=name, a=answer))
    if not parts:
        return ""
    joiner = _(" or ") if condition.get("combine") == "any" else _(" and ")
    return _("Answer only if %(rules)s.", rules=joiner.join(parts))
