"""Visibility conditions on earlier answers: pure functions, no database, no request.

A condition is ``{"combine": "all" | "any", "rules": [{"question": code, "op": op, "value": v}]}``.
A rule's ``question`` is a question code, or ``code.row`` for one row of a matrix. A rule about a
question that is unanswered (or hidden) is not met, whatever its operator.
"""

from collections.abc import Mapping
from datetime import date

OPERATORS = ("equals", "not_equals", "any_of", "contains", "gt", "lt")
COMBINES = ("all", "any")


class ConditionError(ValueError):
    """A condition that cannot be evaluated, worded for the survey author."""


def check_condition(condition: object, earlier_codes: set[str] | None = None) -> dict | None:
    """Return a clean condition or None; raise ConditionError if it is malformed."""
    if not condition:
        return None
    if not isinstance(condition, Mapping):
        raise ConditionError("A condition must be a set of rules.")
    combine = condition.get("combine", "all")
    if combine not in COMBINES:
        raise ConditionError("Combine rules with 'all' or 'any'.")
    rules = condition.get("rules")
    if not isinstance(rules, list | tuple) or not rules:
        return None
    clean = []
    for rule in rules:
        if not isinstance(rule, Mapping):
            raise ConditionError("Each rule needs a question, an operator and a value.")
        ref, op, value = rule.get("question"), rule.get("op"), rule.get("value")
        if not isinstance(ref, str) or not ref.strip():
            raise ConditionError("Each rule needs the code of an earlier question.")
        if op not in OPERATORS:
            raise ConditionError(f"Unknown operator {op!r}; use one of {', '.join(OPERATORS)}.")
        base = ref.strip().split(".", 1)[0]
        if earlier_codes is not None and base not in earlier_codes:
            raise ConditionError(f"A condition can only refer to an earlier question, not {ref!r}.")
        if op == "any_of" and not isinstance(value, list | tuple):
            value = [v.strip() for v in str(value if value is not None else "").split(",")]
        if op in ("gt", "lt") and _number(value) is None:
            raise ConditionError("'Greater than' and 'less than' need a number.")
        clean.append({"question": ref.strip(), "op": op, "value": value})
    return {"combine": combine, "rules": clean}


def evaluate(condition: object, answers: Mapping) -> bool:
    """True when the condition is met (no condition = always visible); never raises on answers."""
    if not condition:
        return True
    if not isinstance(condition, Mapping):
        raise ConditionError("A condition must be a set of rules.")
    rules = condition.get("rules") or []
    if not isinstance(rules, list | tuple):
        raise ConditionError("A condition's rules must be a list.")
    if not rules:
        return True
    results = [_rule_met(rule, answers) for rule in rules]
    combine = condition.get("combine", "all")
    if combine == "any":
        return any(results)
    if combine == "all":
        return all(results)
    raise ConditionError("Combine rules with 'all' or 'any'.")


def lookup(answers: Mapping, ref: str):
    """The answer a rule refers to: a whole answer, or one row of a matrix answer."""
    if ref in answers:
        return answers[ref]
    code, _, row = ref.partition(".")
    whole = answers.get(code)
    if row and isinstance(whole, Mapping):
        return whole.get(row)
    return None


def _rule_met(rule: object, answers: Mapping) -> bool:
    if not isinstance(rule, Mapping):
        raise ConditionError("Each rule needs a question, an operator and a value.")
    ref, op, expected = rule.get("question"), rule.get("op"), rule.get("value")
    if not isinstance(ref, str):
        raise ConditionError("Each rule needs the code of an earlier question.")
    if op not in OPERATORS:
        raise ConditionError(f"Unknown operator {op!r}.")
    actual = lookup(answers, ref)
    if _empty(actual):
        return False
    if op == "equals":
        return _equals(actual, expected)
    if op == "not_equals":
        return not _equals(actual, expected)
    if op == "any_of":
        options = expected if isinstance(expected, list | tuple) else [expected]
        wanted = {_text(v) for v in options}
        return bool(_values(actual) & wanted)
    if op == "contains":
        if isinstance(actual, str):
            return _text(expected).casefold() in actual.casefold()
        return _text(expected) in _values(actual)
    left, right = _number(actual), _number(expected)
    if left is None or right is None:
        return False
    return left > right if op == "gt" else left < right


def _empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | Mapping):
        return len(value) == 0
    return False


def _text(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _values(value) -> set[str]:
    if isinstance(value, Mapping):
        return {_text(v) for v in value.values()}
    if isinstance(value, list | tuple | set):
        return {_text(v) for v in value}
    return {_text(value)}


def _equals(actual, expected) -> bool:
    if isinstance(actual, list | tuple | set):
        wanted = expected if isinstance(expected, list | tuple | set) else [expected]
        return _values(actual) == {_text(v) for v in wanted}
    left, right = _number(actual), _number(expected)
    if left is not None and right is not None and not isinstance(actual, str | bool):
        return left == right
    return _text(actual) == _text(expected)


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value == value and abs(value) != float("inf") else None
    if isinstance(value, str):
        try:
            number = float(value.strip().replace(",", ""))
        except ValueError:
            return None
        return number if number == number and abs(number) != float("inf") else None
    return None
