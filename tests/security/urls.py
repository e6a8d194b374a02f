"""Fill every URL rule of the app with real ids, so sweeps cover new routes automatically."""

from sqlalchemy import func, select
from werkzeug.routing import AnyConverter, IntegerConverter, PathConverter

from consult.extensions import db

# argument name (without _id) -> table, where the name is not the table's own
ALIASES = {
    "org": "organization",
    "organization": "organization",
    "rid": "response",
    "qid": "question",
    "theme": "theme",
    "rec": "recommendation",
}
STRINGS = {
    "slug": None,  # the demo consultation's slug, filled in by string_value
    "token": "no-such-token-" + "x" * 30,
    "code": "es",
    "lang": "es",
    "filename": "css/app.css",
    "fmt": "csv",
    "format": "csv",
    "kind": "csv",
}
SKIP_ENDPOINTS = {"static"}
ANY_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def table_for(arg: str):
    base = arg[:-3] if arg.endswith("_id") else arg
    tables = db.metadata.tables
    for name in (ALIASES.get(base), base, base + "s", base.replace("_", "")):
        if name and name in tables:
            return tables[name]
    # e.g. survey_question_id -> question, hearing_speaker_id -> speaker
    for part in reversed(base.split("_")):
        if part in tables:
            return tables[part]
    return None


def int_value(arg: str, avoid_org_id: int | None = None) -> int:
    """An id of an existing row for this argument (not the prober's own), else 1."""
    table = table_for(arg)
    if table is None or "id" not in table.c:
        return 1
    stmt = select(func.min(table.c.id))
    if avoid_org_id is not None and "organization_id" in table.c:
        stmt = stmt.where(
            (table.c.organization_id != avoid_org_id) | table.c.organization_id.is_(None)
        )
    return db.session.scalar(stmt) or 1


def string_value(arg: str) -> str:
    if arg == "slug" or arg.endswith("_slug"):
        from consult.consultations.models import Consultation

        return db.session.scalar(select(Consultation.slug).order_by(Consultation.id)) or "x"
    for table in db.metadata.tables.values():
        if arg in ("ref", "reference") and "reference" in table.c:
            value = db.session.scalar(select(table.c.reference).limit(1))
            if value:
                return str(value)
    return STRINGS.get(arg) or "x"


def fill(rule, avoid_org_id: int | None = None, overrides: dict | None = None) -> str | None:
    """The rule's URL with every argument filled, or None if it cannot be built."""
    values = {}
    for arg in rule.arguments:
        if overrides and arg in overrides:
            values[arg] = overrides[arg]
            continue
        conv = rule._converters.get(arg)
        if isinstance(conv, IntegerConverter):
            values[arg] = int_value(arg, avoid_org_id)
        elif isinstance(conv, AnyConverter):
            values[arg] = sorted(conv.items)[0]
        elif isinstance(conv, PathConverter):
            values[arg] = string_value(arg)
        else:
            values[arg] = string_value(arg)
    try:
        return rule.build(values, append_unknown=False)[1]
    except Exception:  # noqa: BLE001 - a converter we cannot satisfy; reported by the caller
        return None


def probe_rules(app):
    """Every rule worth probing, sorted for stable output."""
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in SKIP_ENDPOINTS]
    return sorted(rules, key=lambda r: (r.rule, r.endpoint))


def methods_of(rule):
    return [m for m in ANY_METHODS if m in rule.methods]
