"""Import passages collected elsewhere (emailed or paper submissions) from CSV or XLSX."""

import csv
import hashlib
import io
from dataclasses import dataclass, field

from sqlalchemy import select

from consult.audit import record
from consult.extensions import db
from consult.orgs.models import OrganizationKind
from consult.passages.models import OriginKind, Passage, SourceKind
from consult.passages.services import publish_passage

HEADER = ["external_id", "text", "source", "organization_kind", "language", "position"]
POSITIONS = {"support", "oppose", "neutral"}
MAX_ROWS = 50000


class ImportRefused(Exception):
    """The whole file was refused; the message says why and how to fix it."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)


def read_table(filename: str, data: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
    """Rows of a CSV or XLSX file, recognised by content: (lower-cased header, [(line, row)])."""
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if b"\x00" in data[:4096]:
        raise ImportRefused("This file is neither CSV text nor an Excel (.xlsx) workbook.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportRefused("Save the CSV file as UTF-8 text and upload it again.") from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise ImportRefused("The file is empty; it needs a header row.") from exc
    header = [h.strip().lower() for h in header]
    rows = []
    for values in reader:
        if any(v.strip() for v in values):
            rows.append((reader.line_num, dict(zip(header, values, strict=False))))
    return header, rows


def _read_xlsx(data: bytes):
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parse failure means "not a workbook"
        raise ImportRefused("This file could not be read as an Excel (.xlsx) workbook.") from exc
    sheet = wb.worksheets[0]
    it = sheet.iter_rows(values_only=True)
    try:
        header = [str(h or "").strip().lower() for h in next(it)]
    except StopIteration as exc:
        raise ImportRefused("The first sheet is empty; it needs a header row.") from exc
    rows = []
    for n, values in enumerate(it, start=2):
        cells = ["" if v is None else str(v) for v in values]
        if any(c.strip() for c in cells):
            rows.append((n, dict(zip(header, cells, strict=False))))
    wb.close()
    return header, rows


def _kind(value: str) -> str | None:
    v = (value or "").strip().lower().replace("-", "_").replace(" ", "_")
    if not v:
        return None
    if v in {k.value for k in OrganizationKind}:
        return v
    for kind in OrganizationKind:
        if v == kind.label.lower().replace(" ", "_"):
            return kind.value
    raise ValueError(
        f"unknown organization_kind {value!r}; use one of "
        + ", ".join(k.value for k in OrganizationKind)
    )


def import_passages(
    consultation_id: int, slug: str, filename: str, data: bytes, *, actor_id: int | None
) -> ImportResult:
    """Create or update one passage per row; problems are reported by line, good rows kept."""
    header, rows = read_table(filename, data)
    if "text" not in header:
        raise ImportRefused(
            "The file has no 'text' column. The first row must be the header "
            "external_id,text,source,organization_kind,language,position (only text is required)."
        )
    if len(rows) > MAX_ROWS:
        raise ImportRefused(
            f"The file has {len(rows):,} rows; import at most {MAX_ROWS:,} at once."
        )
    result = ImportResult()
    seen: set[str] = set()
    known = set(
        db.session.scalars(
            select(Passage.origin_id).where(
                Passage.origin_kind == OriginKind.IMPORT,
                Passage.origin_id.startswith(f"{slug}:", autoescape=True),
            )
        )
    )
    for line, row in rows:
        row = {k: (v or "").strip() for k, v in row.items() if k}
        text = row.get("text", "")
        if not text:
            result.problems.append(f"line {line}: the text is empty; the row was skipped")
            continue
        try:
            kind = _kind(row.get("organization_kind", ""))
        except ValueError as exc:
            result.problems.append(f"line {line}: {exc}; the row was skipped")
            continue
        position = row.get("position", "").lower() or None
        if position and position not in POSITIONS:
            result.problems.append(
                f"line {line}: position {row['position']!r} must be support, oppose, neutral "
                "or empty; the row was skipped"
            )
            continue
        language = (row.get("language") or "en").lower()[:10]
        external_id = row.get("external_id") or None
        key = external_id or hashlib.sha256(text.encode()).hexdigest()[:16]
        if key in seen:
            result.problems.append(f"line {line}: repeats external_id {key!r}; the row was skipped")
            continue
        seen.add(key)
        origin_id = f"{slug}:{key}"[:100]
        exists = origin_id in known
        publish_passage(
            consultation_id=consultation_id,
            origin_kind=OriginKind.IMPORT,
            origin_id=origin_id,
            source_kind=SourceKind.IMPORT,
            source_label=(row.get("source") or "Imported submission")[:300],
            text=text,
            language=language,
            organization_kind=kind,
            position=position,
            external_id=external_id[:100] if external_id else None,
        )
        if exists:
            result.updated += 1
        else:
            result.created += 1
    record(
        "passage.import",
        actor_id=actor_id,
        object_type="consultation",
        object_id=consultation_id,
        consultation_id=consultation_id,
        detail={
            "file": filename[:200],
            "created": result.created,
            "updated": result.updated,
            "problems": len(result.problems),
        },
    )
    db.session.commit()
    return result
