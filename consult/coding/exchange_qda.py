"""REFI-QDA exchange: codebook XML (.qdc) and project (.qdpx = zip of project.qde + sources)."""

import io
import re
import uuid
import zipfile
from datetime import UTC, datetime

from lxml import etree
from sqlalchemy import select

from consult.auth.models import User
from consult.coding.codebook import themes_for
from consult.coding.models import Coding, CodingStatus, Memo, Theme, ThemeStatus
from consult.coding.passages_import import ImportRefused
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.passages.models import Confidentiality, Passage

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
GUID_NS = uuid.UUID("6f1f3d6e-6d1c-4c55-9a43-2f1c7e0a5c11")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
VARIABLES = ["source", "organization_kind", "language", "position"]


def guid(kind: str, ident) -> str:
    """A stable GUID for an object, so repeated exports line up in other QDA software."""
    return str(uuid.uuid5(GUID_NS, f"{kind}:{ident}"))


def _meta_description(theme: Theme) -> str:
    """Description plus keywords and stance lines (REFI-QDA has no fields for them)."""
    parts = [theme.description or ""]
    extra = []
    if theme.keywords:
        extra.append("Keywords: " + "; ".join(theme.keywords))
    if theme.stance:
        extra.append("Stance: " + theme.stance.value)
    if extra:
        parts.append("\n".join(extra))
    return "\n\n".join(p for p in parts if p)


def _code_elements(parent, ns: str, themes: list[Theme], notes: dict | None = None) -> None:
    """Nested <Code> elements; `notes` maps a theme id to memo GUIDs referenced by NoteRef."""
    children: dict[int | None, list[Theme]] = {}
    ids = {t.id for t in themes}
    for t in themes:
        children.setdefault(t.parent_id if t.parent_id in ids else None, []).append(t)

    def add(into, theme: Theme):
        attrs = {
            "guid": guid("theme", theme.id),
            "name": theme.name,
            "isCodable": "true" if theme.status == ThemeStatus.ACTIVE else "false",
        }
        if COLOUR_RE.match(theme.colour or ""):
            attrs["color"] = theme.colour
        el = etree.SubElement(into, f"{{{ns}}}Code", attrs)
        desc = _meta_description(theme)
        if desc:
            etree.SubElement(el, f"{{{ns}}}Description").text = desc
        for note in (notes or {}).get(theme.id, []):
            etree.SubElement(el, f"{{{ns}}}NoteRef", targetGUID=note)
        for child in children.get(theme.id, []):
            add(el, child)

    for top in children.get(None, []):
        add(parent, top)


def export_qdc(consultation_id: int) -> bytes:
    """The active codebook as REFI-QDA codebook XML."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS}, origin="Consult")
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    _code_elements(codes, CODEBOOK_NS, themes_for(consultation_id))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _parse_description(text: str) -> dict:
    keywords, stance, lines = [], None, []
    for line in (text or "").splitlines():
        if line.startswith("Keywords: "):
            keywords = [k.strip() for k in line[len("Keywords: ") :].split(";")]
        elif line.startswith("Stance: ") and line[8:].strip().lower() in ("for", "against"):
            stance = line[8:].strip().lower()
        else:
            lines.append(line)
    return {"description": "\n".join(lines).strip() or None, "keywords": keywords, "stance": stance}


def parse_qdc(data: bytes) -> list[tuple[int, dict]]:
    """Codes of a .qdc (or a project's codebook) as import rows: (line, {name, parent, ...})."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImportRefused(f"The codebook XML could not be read: {exc}") from exc
    codes = [el for el in root.iter() if etree.QName(el).localname == "Codes"]
    if not codes:
        raise ImportRefused("This XML has no <Codes> element; is it a REFI-QDA codebook (.qdc)?")
    rows: list[tuple[int, dict]] = []

    def walk(el, parent_name: str):
        for code in el:
            if not isinstance(code.tag, str) or etree.QName(code).localname != "Code":
                continue
            name = (code.get("name") or "").strip()
            desc = next(
                (c.text or "" for c in code if etree.QName(c).localname == "Description"), ""
            )
            row = {"name": name, "parent": parent_name, **_parse_description(desc)}
            row["keywords"] = ";".join(row["keywords"])
            if COLOUR_RE.match(code.get("color") or ""):
                row["colour"] = code.get("color").lower()
            rows.append((code.sourceline or 0, row))
            walk(code, name)

    walk(codes[0], "")
    return rows


# ---- project (.qdpx) ------------------------------------------------------------------------


def _dt(value: datetime | None) -> str:
    value = value or datetime.now(UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_project(
    consultation_id: int, include_confidential: bool = True
) -> tuple[bytes, dict[str, str]]:
    """project.qde XML and the source texts by file name (accepted codings only)."""
    live = (
        Passage.consultation_id == consultation_id,
        Passage.withdrawn.is_(False),
        Passage.id.is_not(None)
        if include_confidential
        else Passage.confidentiality != Confidentiality.CONFIDENTIAL,
    )
    c = db.session.get(Consultation, consultation_id)
    ns = PROJECT_NS
    q = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731 - tiny local helper
    themes = themes_for(consultation_id, include_inactive=True)
    themes = [t for t in themes if t.status != ThemeStatus.MERGED]
    passages = list(db.session.scalars(select(Passage).where(*live).order_by(Passage.id)))
    codings = list(
        db.session.scalars(
            select(Coding)
            .join(Passage, Passage.id == Coding.passage_id)
            .where(*live, Coding.status == CodingStatus.ACCEPTED)
            .order_by(Coding.passage_id, Coding.start, Coding.id)
        )
    )
    memos = list(
        db.session.scalars(
            select(Memo).where(Memo.consultation_id == consultation_id).order_by(Memo.id)
        )
    )
    coder_ids = {x.coder_id for x in codings if x.coder_id} | {
        m.author_id for m in memos if m.author_id
    }
    users = (
        list(db.session.scalars(select(User).where(User.id.in_(coder_ids)))) if coder_ids else []
    )
    root = etree.Element(
        q("Project"),
        nsmap={None: ns},
        name=c.title,
        origin="Consult",
        creationDateTime=_dt(None),
    )
    users_el = etree.SubElement(root, q("Users"))
    etree.SubElement(users_el, q("User"), guid=guid("user", "machine"), name="Machine suggestions")
    for u in users:
        etree.SubElement(users_el, q("User"), guid=guid("user", u.id), name=u.name, id=u.email)
    if themes:
        codes = etree.SubElement(etree.SubElement(root, q("CodeBook")), q("Codes"))
        theme_notes: dict[int, list[str]] = {}
        for m in memos:
            if m.theme_id:
                theme_notes.setdefault(m.theme_id, []).append(guid("memo", m.id))
        _code_elements(codes, ns, themes, theme_notes)
    variables = etree.SubElement(root, q("Variables"))
    for name in VARIABLES:
        etree.SubElement(
            variables, q("Variable"), guid=guid("variable", name), name=name, typeOfVariable="Text"
        )
    by_passage: dict[int, list[Coding]] = {}
    for x in codings:
        by_passage.setdefault(x.passage_id, []).append(x)
    memo_by_passage: dict[int, list[Memo]] = {}
    for m in memos:
        if m.passage_id:
            memo_by_passage.setdefault(m.passage_id, []).append(m)
    files: dict[str, str] = {}
    if passages:
        sources = etree.SubElement(root, q("Sources"))
        for p in passages:
            sguid = guid("passage", p.id)
            files[f"{sguid}.txt"] = p.text
            src = etree.SubElement(
                sources,
                q("TextSource"),
                guid=sguid,
                name=(p.external_id or f"passage-{p.id}")
                + (f" ({p.source_label})" if p.source_label else ""),
                plainTextPath=f"internal://{sguid}.txt",
                creationDateTime=_dt(p.created_at),
            )
            for x in by_passage.get(p.id, []):
                user = guid("user", x.coder_id or "machine")
                sel = etree.SubElement(
                    src,
                    q("PlainTextSelection"),
                    guid=guid("selection", x.id),
                    name=x.snippet[:60],
                    startPosition=str(x.start),
                    endPosition=str(x.end),
                    creatingUser=user,
                    creationDateTime=_dt(x.created_at),
                )
                coding = etree.SubElement(
                    sel,
                    q("Coding"),
                    guid=guid("coding", x.id),
                    creatingUser=user,
                    creationDateTime=_dt(x.created_at),
                )
                etree.SubElement(coding, q("CodeRef"), targetGUID=guid("theme", x.theme_id))
            for m in memo_by_passage.get(p.id, []):
                etree.SubElement(src, q("NoteRef"), targetGUID=guid("memo", m.id))
            values = {
                "source": p.source_label or p.source_kind.value,
                "organization_kind": p.organization_kind,
                "language": p.language,
                "position": p.position,
            }
            for name in VARIABLES:
                if values[name]:
                    vv = etree.SubElement(src, q("VariableValue"))
                    etree.SubElement(vv, q("VariableRef"), targetGUID=guid("variable", name))
                    etree.SubElement(vv, q("TextValue")).text = values[name]
    if memos:
        notes = etree.SubElement(root, q("Notes"))
        for m in memos:
            attrs = {
                "guid": guid("memo", m.id),
                "name": f"Memo {m.id}",
                "creationDateTime": _dt(m.created_at),
            }
            if m.author_id:
                attrs["creatingUser"] = guid("user", m.author_id)
            note = etree.SubElement(notes, q("Note"), attrs)
            etree.SubElement(note, q("PlainTextContent")).text = m.text
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml, files


def export_qdpx(consultation_id: int, include_confidential: bool = True) -> bytes:
    """A REFI-QDA project archive: project.qde plus sources/<guid>.txt (UTF-8)."""
    xml, files = build_project(consultation_id, include_confidential)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", xml)
        for name, text in files.items():
            zf.writestr(f"sources/{name}", text.encode("utf-8"))
    return out.getvalue()
