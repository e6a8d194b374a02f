"""XLSForm import: pyxform reads and checks the workbook; rows are mapped to a survey definition.

Whatever has no equivalent is reported as an Issue (sheet, row, column, reason), never dropped
silently. An unreadable or invalid workbook raises XLSFormError with a message for the person.
"""

import copy
import logging
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from consult.surveys.definition_io import DefinitionError, import_definition
from consult.surveys.xlsform_map import Conversion, Issue, Mapper

log = logging.getLogger(__name__)
SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".csv": "csv"}


class XLSFormError(Exception):
    """The workbook cannot be imported; the message is worded for the person."""

    def __init__(self, message: str, issues: list["Issue"] | None = None):
        super().__init__(message)
        self.issues = issues or []


@dataclass
class ImportOutcome:
    survey: object
    issues: list[Issue]
    types: Counter


def file_type_of(filename: str, data: bytes) -> str:
    """The pyxform file type, checked against the content (uploads are validated by content)."""
    suffix = Path(filename or "").suffix.lower()
    kind = SUFFIXES.get(suffix)
    if kind is None:
        raise XLSFormError("Upload an XLSForm as .xlsx, .xls or .csv.")
    looks = {"xlsx": data[:4] == b"PK\x03\x04", "xls": data[:4] == b"\xd0\xcf\x11\xe0"}
    if kind in looks and not looks[kind]:
        raise XLSFormError(f"The file is named {suffix} but is not an Excel {suffix} workbook.")
    if kind == "csv":
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise XLSFormError("The CSV file is not UTF-8 text.") from exc
    return kind


def read_workbook(data: bytes, filename: str):
    """pyxform's raw sheets (rows keep their positions), checked by pyxform's own converter."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    kind = file_type_of(filename, data)
    try:
        with warnings.catch_warnings():  # openpyxl warns about workbook features it drops
            warnings.simplefilter("ignore")
            book = get_xlsform(data, file_type="." + kind)
    except PyXFormError as exc:
        raise XLSFormError(f"The file could not be read as an XLSForm ({kind}): {exc}") from exc
    except Exception as exc:  # malformed files make the readers fail in many ways
        log.info("unreadable XLSForm %s: %r", filename, exc)
        raise XLSFormError(f"The file could not be read as an XLSForm ({kind}).") from exc
    if not book.survey:
        raise XLSFormError("The workbook has no 'survey' sheet with questions.")
    try:
        workbook_to_json(copy.deepcopy(book), form_name="data", warnings=[])
    except PyXFormError as exc:
        raise XLSFormError(f"The workbook is not a valid XLSForm: {exc}") from exc
    except Exception as exc:
        log.info("pyxform failed on %s: %r", filename, exc)
        raise XLSFormError(f"The workbook is not a valid XLSForm ({type(exc).__name__}).") from exc
    return book


# pyxform's long and alternative column names for the columns that are mapped
def convert(data: bytes, filename: str) -> Conversion:
    """Map an XLSForm to a survey definition plus the issues; raise XLSFormError if invalid."""
    book = read_workbook(data, filename)
    return Mapper(book, filename).run()


def import_xlsform(
    data: bytes, filename: str, consultation_id: int, *, actor_id: int | None = None
) -> ImportOutcome:
    """Create a draft survey in the consultation from an XLSForm; return it with the issues."""
    result = convert(data, filename)
    if not result.definition["survey"]["sections"]:
        raise XLSFormError("No question in the workbook could be imported.", result.issues)
    try:
        survey = import_definition(result.definition, consultation_id, actor_id=actor_id)
    except DefinitionError as exc:
        raise XLSFormError(f"The workbook could not be imported: {exc}", result.issues) from exc
    return ImportOutcome(survey, result.issues, result.types)
