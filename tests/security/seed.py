"""Insert rows into any table by name, filling required columns: resilient to model changes."""

import secrets
from datetime import UTC, date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Enum, Float, Integer, Numeric, insert

from consult.extensions import db


def _value_for(column):
    t = column.type
    if isinstance(t, Enum):
        return t.enums[0]
    impl = getattr(t, "impl", t)
    if isinstance(impl, Boolean):
        return False
    if isinstance(impl, DateTime):
        return datetime.now(UTC)
    if isinstance(impl, Date):
        return date.today()
    if isinstance(impl, Integer | Float | Numeric):
        return 0
    if isinstance(impl, JSON):
        return {}
    length = getattr(impl, "length", None) or 40
    return ("v" + secrets.token_hex(16))[: max(1, min(length, 32))]


def insert_row(table_name: str, **values) -> int:
    """Insert one row with `values`, inventing the other required columns; return its id."""
    table = db.metadata.tables[table_name]
    row = dict(values)
    for column in table.c:
        if column.name in row or column.primary_key:
            continue
        if column.nullable or column.server_default is not None:
            continue
        if column.default is not None:
            arg = column.default.arg
            row[column.name] = arg(None) if callable(arg) else arg
            continue
        row[column.name] = _value_for(column)
    result = db.session.execute(insert(table).values(**row))
    db.session.commit()
    return result.inserted_primary_key[0]
