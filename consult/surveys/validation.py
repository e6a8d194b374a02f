"""Answer validation and visibility for a whole response: pure functions over plain specs.

Normalised values: text, e-mail, single choice, yes/no ("yes"/"no") and Likert (its point as a
string) are ``str``; number is ``int`` or ``float``; date is ``datetime.date``; multiple choice is a
``list`` of values; matrix is ``{row: column}``; ranking is ``{item: rank}``. A single or multiple
choice question with ``options["other"]`` also takes the value ``"other"``, whose text goes under
``"<code>.other"``.
"""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from consult.surveys.conditions import ConditionError, evaluate

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_TEXT = 20000
OTHER = "other"
OTHER_TYPES = ("single_choice", "multiple_choice")  # may offer "Other (please specify)"


@dataclass(frozen=True)
class QuestionSpec:
    """What validation needs to know about a question."""

    code: str
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()
    options: Mapping = field(default_factory=dict)
    validation: Mapping = field(default_factory=dict)
    condition: Mapping | None = None

    @property
    def allows_other(self) -> bool:
        return self.type in OTHER_TYPES and bool(self.options.get("other"))

    def chose_other(self, value) -> bool:
        """Whether a validated value includes "Other (please specify)"."""
        if not self.allows_other:
            return False
        return value == OTHER if isinstance(value, str) else OTHER in (value or ())


@dataclass(frozen=True)
class SectionSpec:
    """A page: its condition and its questions in order."""

    questions: tuple[QuestionSpec, ...]
    condition: Mapping | None = None


@dataclass(frozen=True)
class Problem:
    """Why an answer was refused: a kind (for the message) and its parameters."""

    kind: str
    params: Mapping = field(default_factory=dict)


@dataclass
class Outcome:
    """Validated values of visible questions, problems by code, and what was visible."""

    values: dict = field(default_factory=dict)
    problems: dict = field(default_factory=dict)
    visible_sections: list = field(default_factory=list)
    visible_questions: set = field(default_factory=set)


def validate_response(
    sections: list[SectionSpec] | tuple[SectionSpec, ...],
    raw: Mapping,
    *,
    require: bool = True,
    only_sections: set[int] | None = None,
) -> Outcome:
    """Walk the pages in order: hide what conditions hide, validate what is shown.

    Answers to hidden questions are dropped (never required, never kept). Conditions see only
    valid answers of visible questions, so hiding cascades. `only_sections` limits the checks
    (and requiredness) to some pages while still evaluating conditions over all answers.
    """
    out = Outcome()
    for index, section in enumerate(sections):
        if not _visible(section.condition, out.values):
            continue
        out.visible_sections.append(index)
        checking = only_sections is None or index in only_sections
        for spec in section.questions:
            if spec.type == "note" or not _visible(spec.condition, out.values):
                continue
            out.visible_questions.add(spec.code)
            value, problem = validate_answer(
                spec, raw.get(spec.code), raw.get(f"{spec.code}.other"), require and checking
            )
            if problem is not None and checking:
                out.problems[spec.code] = problem
            if value is not None and problem is None:
                out.values[spec.code] = value
                if spec.chose_other(value):
                    text = other_text_of(raw.get(spec.code), raw.get(f"{spec.code}.other"))
                    out.values[f"{spec.code}.other"] = clean_text(text)
    return out


def _visible(condition, values) -> bool:
    try:
        return evaluate(condition, values)
    except ConditionError:
        return True  # a broken condition shows the question rather than losing it


def validate_answer(spec: QuestionSpec, raw, other=None, require: bool = True):
    """Return (value, problem): the normalised value or None, and a Problem or None."""
    if spec.type == "note":
        return None, None
    checker = CHECKERS.get(spec.type, _check_text)
    try:
        value, problem = checker(spec, raw, other)
    except (TypeError, ValueError, OverflowError, AttributeError):
        return None, Problem("invalid")
    if problem is None and _is_blank(value):
        value = None
        if spec.required and require:
            return None, Problem("required")
    return value, problem


def _is_blank(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _scalar(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list | tuple):
        raw = next((v for v in raw if v not in (None, "")), "")
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, Mapping):
        raise TypeError("a mapping is not a single answer")
    return str(raw).strip()


def clean_text(raw) -> str:
    """A text as stored: trimmed, with plain line ends, at most MAX_TEXT characters."""
    return _scalar(raw).replace("\r\n", "\n")[:MAX_TEXT]


def _check_text(spec, raw, _other=None):
    text = _scalar(raw).replace("\r\n", "\n")
    if not text:
        return "", None
    rules = spec.validation or {}
    if len(text) > MAX_TEXT:
        return None, Problem("max_length", {"max": MAX_TEXT})
    if rules.get("min_length") and len(text) < int(rules["min_length"]):
        return None, Problem("min_length", {"min": int(rules["min_length"])})
    if rules.get("max_length") and len(text) > int(rules["max_length"]):
        return None, Problem("max_length", {"max": int(rules["max_length"])})
    if rules.get("pattern"):
        try:
            matched = re.fullmatch(str(rules["pattern"]), text) is not None
        except re.error:
            matched = True  # the builder refuses bad patterns; never punish the respondent
        if not matched:
            return None, Problem("pattern")
    return text, None


def _check_email(spec, raw, _other=None):
    text = _scalar(raw)
    if not text:
        return "", None
    if len(text) > 254 or not EMAIL_RE.match(text):
        return None, Problem("email")
    return text, None


def other_text_of(raw, other):
    """The "other, please specify" text: in an object answer, as the JSON export and API give it
    ({"chosen": ..., "other": ...}), or apart (the form's ``"<code>.other"``)."""
    if isinstance(raw, Mapping):
        return raw.get("other", other)
    return other


def _check_choice(spec, raw, other=None):
    other = other_text_of(raw, other)
    if isinstance(raw, Mapping):
        raw = raw.get("chosen")
    value = _scalar(raw)
    other_text = _scalar(other) if spec.allows_other else ""
    if not value and other_text:
        value = OTHER  # typing in the box without picking a radio means "Other"
    if not value:
        return "", None
    if value not in spec.choices and not (value == OTHER and spec.allows_other):
        return None, Problem("choice")
    if spec.chose_other(value) and not other_text:
        return None, Problem("other_missing")
    return value, None  # the text typed beside another choice is not part of the answer


def _check_yes_no(spec, raw, _other=None):
    value = _scalar(raw).lower()
    if not value:
        return "", None
    value = {"true": "yes", "1": "yes", "false": "no", "0": "no"}.get(value, value)
    if value not in ("yes", "no"):
        return None, Problem("choice")
    return value, None


def _check_likert(spec, raw, _other=None):
    value = _scalar(raw)
    if not value:
        return "", None
    points = int(spec.options.get("points") or 5)
    if not value.isdigit() or not 1 <= int(value) <= points:
        return None, Problem("choice")
    return str(int(value)), None


def _check_multiple(spec, raw, other=None):
    other = other_text_of(raw, other)
    if isinstance(raw, Mapping):
        raw = raw.get("choices", raw.get("chosen"))  # "chosen" as the export and API give it
    if raw is None or raw == "":
        items = []
    elif isinstance(raw, list | tuple | set):
        items = [_scalar(v) for v in raw]
    else:
        items = [_scalar(raw)]
    items = [v for v in dict.fromkeys(items) if v]
    other_text = _scalar(other)
    if spec.allows_other and other_text and OTHER not in items:
        items.append(OTHER)
    allowed = set(spec.choices) | ({OTHER} if spec.allows_other else set())
    if any(v not in allowed for v in items):
        return None, Problem("choice")
    if spec.chose_other(items) and not other_text:
        return None, Problem("other_missing")
    rules = spec.validation or {}
    if items and rules.get("min_choices") and len(items) < int(rules["min_choices"]):
        return None, Problem("min_choices", {"min": int(rules["min_choices"])})
    if rules.get("max_choices") and len(items) > int(rules["max_choices"]):
        return None, Problem("max_choices", {"max": int(rules["max_choices"])})
    return items, None


def _check_number(spec, raw, _other=None):
    if isinstance(raw, bool):
        return None, Problem("number")
    if isinstance(raw, int | float):
        number = raw
    else:
        text = _scalar(raw).replace(",", "").replace(" ", "")
        if not text:
            return "", None
        try:
            number = int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)
        except ValueError:
            return None, Problem("integer" if spec.options.get("integer") else "number")
    if isinstance(number, float) and not math.isfinite(number):
        return None, Problem("number")
    if abs(number) > 1e15:
        return None, Problem("number")
    integer = bool(spec.options.get("integer"))
    if integer:
        if isinstance(number, float) and not number.is_integer():
            return None, Problem("integer")
        number = int(number)
    rules = spec.validation or {}
    low, high = _bound(rules.get("min")), _bound(rules.get("max"))
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            return None, Problem("range", {"min": low, "max": high})
        if low is not None:
            return None, Problem("min", {"min": low})
        return None, Problem("max", {"max": high})
    return number, None


def _bound(value):
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else number


def _check_date(spec, raw, _other=None):
    if isinstance(raw, date):
        value = raw
    else:
        text = _scalar(raw)
        if not text:
            return "", None
        try:
            value = date.fromisoformat(text)
        except ValueError:
            return None, Problem("date")
    rules = spec.validation or {}
    for key, kind in (("min", "date_min"), ("max", "date_max")):
        try:
            bound = date.fromisoformat(str(rules[key])) if rules.get(key) else None
        except ValueError:
            bound = None
        if bound and ((key == "min" and value < bound) or (key == "max" and value > bound)):
            return None, Problem(kind, {key: bound.isoformat()})
    return value, None


def _check_matrix(spec, raw, _other=None):
    if raw is None or raw == "":
        return {}, None
    if not isinstance(raw, Mapping):
        return None, Problem("invalid")
    chosen = {}
    for row in spec.rows:
        value = _scalar(raw.get(row))
        if value:
            if value not in spec.choices:
                return None, Problem("choice")
            chosen[row] = value
    if any(key not in spec.rows for key in raw if _scalar(raw[key])):
        return None, Problem("choice")
    if chosen and spec.required and len(chosen) < len(spec.rows):
        missing = [row for row in spec.rows if row not in chosen]
        return None, Problem("matrix_incomplete", {"rows": missing})
    return chosen, None


def _check_ranking(spec, raw, _other=None):
    if raw is None or raw == "":
        return {}, None
    if isinstance(raw, list | tuple):
        raw = {str(item): position for position, item in enumerate(raw, start=1)}
    if not isinstance(raw, Mapping):
        return None, Problem("invalid")
    ranks = {}
    for item, rank in raw.items():
        text = _scalar(rank)
        if not text:
            continue
        if item not in spec.choices or not text.isdigit():
            return None, Problem("choice")
        ranks[item] = int(text)
    if not ranks:
        return {}, None
    count = len(spec.choices)
    if any(not 1 <= r <= count for r in ranks.values()) or len(set(ranks.values())) != len(ranks):
        return None, Problem("rank_duplicate", {"count": count})
    if spec.required and len(ranks) < count:
        return None, Problem("rank_incomplete", {"count": count})
    return ranks, None


CHECKERS = {
    "short_text": _check_text,
    "long_text": _check_text,
    "email": _check_email,
    "single_choice": _check_choice,
    "yes_no": _check_yes_no,
    "likert": _check_likert,
    "multiple_choice": _check_multiple,
    "number": _check_number,
    "date": _check_date,
    "matrix": _check_matrix,
    "ranking": _check_ranking,
    "note": lambda spec, raw, other=None: (None, None),
}
