"""Shared test helpers (importable: from tests.helpers import ...)."""

from contextlib import contextmanager

from sqlalchemy import event

from consult.extensions import db
from tests.conftest import (
    PASSWORD,
    assert_no_axe_violations,
    axe_violations,
    csrf_token_from,
    run_pdftotext,
)

__all__ = [
    "PASSWORD",
    "counting_statements",
    "assert_no_axe_violations",
    "axe_violations",
    "csrf_token_from",
    "run_pdftotext",
]


@contextmanager
def counting_statements():
    """Collect the SQL statements sent to the database inside the block (an executemany counts
    once): for tests that a page or a service issues a fixed number of queries."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
