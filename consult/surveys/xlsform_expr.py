"""XLSForm `relevant` and `constraint` expressions → Consult conditions and validation rules.

Only the simple forms that have an exact equivalent are mapped; anything else returns a reason,
which the importer reports by row and column.
"""

import re

NAME = r"\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}"
LITERAL = r"('[^']*'|\"[^\"]*\"|-?\d+(?:\.\d+)?)"
COMPARISON = re.compile(rf"^{NAME}\s*(!=|>=|<=|=|>|<)\s*{LITERAL}$")
REVERSED = re.compile(rf"^{LITERAL}\s*(!=|>=|<=|=|>|<)\s*{NAME}$")
SELECTED = re.compile(rf"^selected\(\s*{NAME}\s*,\s*{LITERAL}\s*\)$")
NOT_SELECTED = re.compile(rf"^not\(\s*selected\(\s*{NAME}\s*,\s*{LITERAL}\s*\)\s*\)$")
FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "=": "=", "!=": "!="}


def split_top(expr: str) -> tuple[list[str], str | None, bool]:
    """Split on top-level `and`/`or` (outside quotes and brackets); return parts, joiner, mixed."""
    parts, joiners, depth, quote, start, i = [], set(), 0, None, 0, 0
    while i < len(expr):
        ch = expr[i]
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            m = re.match(r"\s+(and|or)\s+", expr[i:])
            if m:
                parts.append(expr[start:i].strip())
                joiners.add(m.group(1))
                i += m.end()
                start = i
                continue
        i += 1
    parts.append(expr[start:].strip())
    return parts, (joiners.pop() if len(joiners) == 1 else None), len(joiners) > 1


def strip_parens(expr: str) -> str:
    """Remove brackets that wrap the whole expression."""
    expr = expr.strip()
    while expr.startswith("(") and expr.endswith(")"):
        depth = 0
        for i, ch in enumerate(expr):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(expr) - 1:
                return expr
        expr = expr[1:-1].strip()
    return expr


def _literal(token: str):
    if token[0] in "'\"":
        return token[1:-1]
    number = float(token)
    return int(number) if number.is_integer() else number


def relevant_to_condition(expr: str, types: dict[str, str]) -> tuple[dict | None, str | None]:
    """Map a `relevant` expression; `types` maps imported earlier question codes to their type."""
    parts, joiner, mixed = split_top(strip_parens(expr))
    if mixed:
        return None, "mixes 'and' and 'or' without brackets Consult can represent"
    rules = []
    for part in parts:
        rule, reason = _rule(strip_parens(part), types)
        if reason:
            return None, reason
        rules.append(rule)
    return {"combine": "any" if joiner == "or" else "all", "rules": rules}, None


def _rule(part: str, types: dict[str, str]) -> tuple[dict | None, str | None]:
    m = COMPARISON.match(part)
    if m:
        code, op, value = m.group(1), m.group(2), _literal(m.group(3))
    elif REVERSED.match(part):
        m = REVERSED.match(part)
        code, op, value = m.group(3), FLIP[m.group(2)], _literal(m.group(1))
    elif SELECTED.match(part) or NOT_SELECTED.match(part):
        m = SELECTED.match(part) or NOT_SELECTED.match(part)
        code, value, negated = m.group(1), str(_literal(m.group(2))), part.startswith("not")
        if code not in types:
            return None, f"refers to ${{{code}}}, which is not an earlier imported question"
        if types[code] == "multiple_choice":
            if negated:
                return None, "not(selected(...)) on a multiple choice has no equivalent"
            return {"question": code, "op": "contains", "value": value}, None
        return {"question": code, "op": "not_equals" if negated else "equals", "value": value}, None
    else:
        return None, f"the expression {part!r} has no equivalent visibility rule"
    if code not in types:
        return None, f"refers to ${{{code}}}, which is not an earlier imported question"
    if value == "":
        return None, "a test for an empty or non-empty answer has no equivalent"
    if op in ("=", "!="):
        return {
            "question": code,
            "op": "equals" if op == "=" else "not_equals",
            "value": value,
        }, None
    if not isinstance(value, int | float):
        return None, f"compares ${{{code}}} with text using {op}"
    if op in (">", "<"):
        return {"question": code, "op": "gt" if op == ">" else "lt", "value": value}, None
    if isinstance(value, int) and types[code] in ("integer", "likert"):
        # on whole numbers, >= n is > n-1 and <= n is < n+1
        return {
            "question": code,
            "op": "gt" if op == ">=" else "lt",
            "value": value - 1 if op == ">=" else value + 1,
        }, None
    return None, f"{op} on a decimal number has no exact equivalent (only > and <)"


CONSTRAINT_VALUE = re.compile(r"^\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$")
CONSTRAINT_REVERSED = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(>=|<=|>|<)\s*\.$")
LENGTH = re.compile(r"^string-length\(\s*\.\s*\)\s*(>=|<=|>|<|=)\s*(\d+)$")
REGEX = re.compile(r"^regex\(\s*\.\s*,\s*('[^']*'|\"[^\"]*\")\s*\)$")


def constraint_to_validation(expr: str, integer: bool) -> tuple[dict | None, str | None]:
    """Map a `constraint` to {min, max, min_length, max_length, pattern}; else a reason."""
    parts, joiner, mixed = split_top(strip_parens(expr))
    if mixed or (joiner == "or" and len(parts) > 1):
        return None, "constraints joined with 'or' have no equivalent"
    out: dict = {}
    for raw in parts:
        part = strip_parens(raw)
        m = CONSTRAINT_VALUE.match(part)
        r = CONSTRAINT_REVERSED.match(part)
        if r:
            m, op, number = r, FLIP[r.group(2)], float(r.group(1))
        elif m:
            op, number = m.group(1), float(m.group(2))
        if m:
            if op in (">", "<"):
                if not (integer and number.is_integer()):
                    return None, f"a strict {op} limit on a decimal has no exact equivalent"
                number += 1 if op == ">" else -1
            value = int(number) if number.is_integer() else number
            out["min" if op in (">", ">=") else "max"] = value
            continue
        m = LENGTH.match(part)
        if m:
            op, n = m.group(1), int(m.group(2))
            if op in (">=", ">", "="):
                out["min_length"] = n + (op == ">")
            if op in ("<=", "<", "="):
                out["max_length"] = n - (op == "<")
            continue
        m = REGEX.match(part)
        if m:
            pattern = m.group(1)[1:-1]
            try:
                re.compile(pattern)
            except re.error:
                return None, f"the pattern {pattern!r} is not a regular expression Consult can use"
            out["pattern"] = pattern
            continue
        return None, f"the expression {part!r} has no equivalent validation rule"
    return out, None
