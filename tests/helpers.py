"""Shared test helpers (importable: from tests.helpers import ...)."""

from tests.conftest import (
    PASSWORD,
    assert_no_axe_violations,
    axe_violations,
    csrf_token_from,
    run_pdftotext,
)

__all__ = [
    "PASSWORD",
    "assert_no_axe_violations",
    "axe_violations",
    "csrf_token_from",
    "run_pdftotext",
]
