"""Exchange formats: codebook CSV, codings CSV/XLSX, passage-level CSV (REFI-QDA: exchange_qda)."""

import csv
import io

from sqlalchemy import func, select

from consult.auth.models import User
from consult.coding.codebook import CodebookError, create_theme, themes_for, update_theme
from consult.coding.manual import machine_attr
from consult.coding.models import Coding, CodingStatus, Theme, ThemeStatus
from consult.coding.passages_import import ImportRefused, read_table
from consult.extensions import db
from consult.passages.models import Confidentiality, Passage

CODEBOOK_HEADER = ["name", "parent", "description", "keywords", "stance"]
CODINGS_HEADER = [
    "external_id",
    "source",
    "theme",
    "origin",
    "status",
    "score",
    "start",
    "end",
    "snippet",
    "sentiment",
    "coder",
]
PASSAGES_HEADER = [
    "external_id",
    "source",
    "organization_kind",
    "language",
    "position",
    "sentiment",
    "subjectivity",
    "key_phrases",
    "themes",
]


def safe_cell(value):
    """Neutralise text a spreadsheet would run as a formula (= + - @, tab, CR)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def to_csv(header: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(header: list[str], rows: list[list], title: str = "Codings") -> bytes:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.append(header)
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---- codebook CSV ------------------------------------------------------------------------


def export_codebook_csv(consultation_id: int) -> bytes:
    themes = themes_for(consultation_id)
    names = {t.id: t.name for t in themes}
    rows = [
        [
            t.name,
            names.get(t.parent_id, ""),
            t.description or "",
            ";".join(t.keywords or []),
            t.stance.value if t.stance else "",
        ]
        for t in themes
    ]
    return to_csv(CODEBOOK_HEADER, rows)


def _unneutralise(value: str) -> str:
    """Undo safe_cell on re-import, so a round trip keeps names like '-trafficking'."""
    if value[:2] in ("'=", "'+", "'-", "'@"):
        return value[1:]
    return value


def import_codebook_rows(
    consultation_id: int, entries: list[tuple[int, dict]], *, actor_id: int | None
) -> tuple[int, int, list[str]]:
    """Create or update themes by name (parents by name, in any order). Commits."""
    existing = {
        t.name.lower(): t
        for t in db.session.scalars(
            select(Theme).where(
                Theme.consultation_id == consultation_id, Theme.status == ThemeStatus.ACTIVE
            )
        )
    }
    created = updated = 0
    problems: list[str] = []
    placed: list[tuple[int, Theme, str]] = []
    for line, row in entries:
        values = {
            "name": row.get("name", ""),
            "description": row.get("description") or None,
            "keywords": [k for k in (row.get("keywords") or "").split(";")],
            "stance": (row.get("stance") or "").strip().lower() or None,
        }
        if row.get("colour"):
            values["colour"] = row["colour"]
        theme = existing.get(values["name"].strip().lower())
        try:
            if theme is None:
                theme = create_theme(consultation_id, values, actor_id=actor_id, commit=False)
                created += 1
            else:
                update_theme(theme, values, actor_id=actor_id, commit=False)
                updated += 1
        except CodebookError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        existing[theme.name.lower()] = theme
        placed.append((line, theme, (row.get("parent") or "").strip()))
    for line, theme, parent_name in placed:
        if not parent_name:
            continue
        parent = existing.get(parent_name.lower())
        if parent is None:
            problems.append(f"line {line}: parent {parent_name!r} is not in the codebook")
            continue
        try:
            update_theme(theme, {"parent_id": parent.id}, actor_id=actor_id, commit=False)
        except CodebookError as exc:
            problems.append(f"line {line}: {exc}")
    db.session.commit()
    return created, updated, problems


def import_codebook(
    consultation_id: int, filename: str, data: bytes, *, actor_id: int | None
) -> tuple[int, int, list[str]]:
    """Import a codebook from CSV/XLSX or REFI-QDA .qdc (recognised by content)."""
    if data.lstrip()[:1] == b"<" or data.lstrip(b"\xef\xbb\xbf \r\n\t")[:5] == b"<?xml":
        from consult.coding.exchange_qda import parse_qdc

        entries = parse_qdc(data)
    else:
        header, rows = read_table(filename, data)
        if "name" not in header:
            raise ImportRefused(
                "The codebook file needs a header row: name,parent,description,keywords,stance."
            )
        entries = [(n, {k: _unneutralise(v or "") for k, v in r.items()}) for n, r in rows]
    if not entries:
        raise ImportRefused("The file has no themes in it.")
    return import_codebook_rows(consultation_id, entries, actor_id=actor_id)


# ---- codings and passages -----------------------------------------------------------------


def _visible(include_confidential: bool):
    if include_confidential:
        return Passage.id.is_not(None)
    return Passage.confidentiality != Confidentiality.CONFIDENTIAL


def coding_rows(consultation_id: int, include_confidential: bool = True) -> list[list]:
    """One row per coding (all statuses), in passage and span order."""
    result = db.session.execute(
        select(
            Passage.external_id,
            Passage.id,
            Passage.source_label,
            Passage.source_kind,
            Theme.name,
            Coding.origin,
            Coding.status,
            Coding.score,
            Coding.start,
            Coding.end,
            Coding.snippet,
            Coding.polarity,
            User.email,
        )
        .join(Passage, Passage.id == Coding.passage_id)
        .join(Theme, Theme.id == Coding.theme_id)
        .outerjoin(User, User.id == Coding.coder_id)
        .where(
            Passage.consultation_id == consultation_id,
            Passage.withdrawn.is_(False),
            _visible(include_confidential),
        )
        .order_by(Passage.id, Coding.start, Coding.id)
    )
    return [
        [
            ext or str(pid),
            label or kind.value,
            theme,
            origin.value,
            status.value,
            "" if score is None else round(score, 4),
            start,
            end,
            snippet,
            "" if pol is None else round(pol, 4),
            email or "machine",
        ]
        for ext, pid, label, kind, theme, origin, status, score, start, end, snippet, pol, email in (
            result
        )
    ]


def export_codings(consultation_id: int, fmt: str, include_confidential: bool = True) -> bytes:
    rows = coding_rows(consultation_id, include_confidential)
    if fmt == "xlsx":
        return to_xlsx(CODINGS_HEADER, rows)
    return to_csv(CODINGS_HEADER, rows)


def export_passages_csv(consultation_id: int, include_confidential: bool = True) -> bytes:
    """One row per passage with its accepted themes and (when computed) sentiment."""
    analysis = machine_attr("PassageAnalysis")
    where = (
        Passage.consultation_id == consultation_id,
        Passage.withdrawn.is_(False),
        _visible(include_confidential),
    )
    stmt = select(Passage).where(*where)
    if analysis is not None:
        stmt = (
            select(Passage, analysis)
            .outerjoin(analysis, analysis.passage_id == Passage.id)
            .where(*where)
        )
    themes: dict[int, list[str]] = {}
    for pid, name in db.session.execute(
        select(Coding.passage_id, Theme.name)
        .join(Theme, Theme.id == Coding.theme_id)
        .join(Passage, Passage.id == Coding.passage_id)
        .where(Passage.consultation_id == consultation_id, Coding.status == CodingStatus.ACCEPTED)
        .group_by(Coding.passage_id, Theme.name)
        .order_by(Coding.passage_id, func.min(Coding.start))
    ):
        themes.setdefault(pid, []).append(name)
    rows = []
    for result in db.session.execute(stmt.order_by(Passage.id)):
        p = result[0]
        pa = result[1] if analysis is not None else None
        phrases = getattr(pa, "key_phrases", None) or []
        rows.append(
            [
                p.external_id or str(p.id),
                p.source_label or p.source_kind.value,
                p.organization_kind or "",
                p.language,
                p.position or "",
                _num(getattr(pa, "polarity", None)),
                _num(getattr(pa, "subjectivity", None)),
                ";".join(phrases) if isinstance(phrases, list) else str(phrases),
                ";".join(themes.get(p.id, [])),
            ]
        )
    return to_csv(PASSAGES_HEADER, rows)


def _num(v) -> str | float:
    return "" if v is None else round(float(v), 4)
