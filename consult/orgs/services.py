"""Organization services."""

import csv
import io

from sqlalchemy import func, select

from consult.audit import record
from consult.extensions import db
from consult.orgs.models import KIND_LABELS, Organization, OrganizationKind


class OrganizationError(Exception):
    """A problem with organization data, worded for the person."""


FIELDS = (
    "name",
    "kind",
    "region",
    "contact_name",
    "contact_email",
    "contact_phone",
    "notes",
    "listed_publicly",
)


def parse_kind(value: str) -> OrganizationKind:
    v = (value or "").strip().lower().replace("-", "_").replace(" ", "_").replace("/", "_")
    for kind, label in KIND_LABELS.items():
        if v in (kind.value, label.lower().replace(" ", "_")):
            return kind
    aliases = {
        "legal": OrganizationKind.LEGAL_AID,
        "faith": OrganizationKind.FAITH_COMMUNITY,
        "community": OrganizationKind.FAITH_COMMUNITY,
        "agency": OrganizationKind.STATE_AGENCY,
        "police": OrganizationKind.LAW_ENFORCEMENT,
        "university": OrganizationKind.ACADEMIC,
    }
    if v in aliases:
        return aliases[v]
    raise OrganizationError(
        f"Unknown kind {value!r}; use one of: " + ", ".join(k.value for k in OrganizationKind)
    )


def save_organization(
    org: Organization | None, data: dict, *, actor_id: int | None
) -> Organization:
    """Create or update an organization; names are unique (case-insensitive)."""
    data = _clean(data)
    name = (data.get("name") or "").strip()
    if not name:
        raise OrganizationError("Enter the organization's name.")
    clash = db.session.scalar(
        select(Organization.id).where(func.lower(Organization.name) == func.lower(name))
    )
    if clash and (org is None or clash != org.id):
        raise OrganizationError(f"An organization called {name!r} already exists.")
    created = org is None
    if org is None:
        org = Organization()
        db.session.add(org)
    before = {f: str(getattr(org, f, None)) for f in FIELDS} if not created else None
    for f in FIELDS:
        if f in data:
            setattr(org, f, data[f])
    org.name = name
    org.kind = (
        parse_kind(data["kind"])
        if isinstance(data.get("kind"), str)
        else data.get("kind", org.kind)
    )
    db.session.flush()
    record(
        "organization.create" if created else "organization.update",
        actor_id=actor_id,
        object_type="organization",
        object_id=org.id,
        detail={"before": before} if before else None,
    )
    db.session.commit()
    return org


def _clean(data: dict) -> dict:
    """Drop NUL characters and refuse values longer than their column allows."""
    out = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = value.replace("\x00", "")
            column = Organization.__table__.c.get(key)
            limit = getattr(column.type, "length", None) if column is not None else None
            if limit and len(value.strip()) > limit:
                raise OrganizationError(
                    f"The {key.replace('_', ' ')} can be at most {limit} characters."
                )
        out[key] = value
    return out


def import_csv(text: str, *, actor_id: int | None) -> tuple[int, int, list[str]]:
    """Import organizations from CSV (header: name,kind,region,contact_name,contact_email,...).

    Existing names are updated. Returns (created, updated, problems by line).
    """
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames
        rows = list(enumerate(reader, start=2))
    except csv.Error as exc:
        raise OrganizationError(
            f"The file is not valid CSV ({exc}). Save it as CSV UTF-8 and try again."
        ) from exc
    if not header or "name" not in [h.strip().lower() for h in header]:
        raise OrganizationError(
            "The CSV needs a header row with at least the columns name and kind."
        )
    created = updated = 0
    problems: list[str] = []
    for line_no, row in rows:
        row = {
            (k or "").strip().lower(): (v or "").replace("\x00", "").strip()
            for k, v in row.items()
            if isinstance(v, str) or v is None
        }
        if not row.get("name"):
            problems.append(f"line {line_no}: no name")
            continue
        try:
            kind = parse_kind(row.get("kind") or "other")
        except OrganizationError as exc:
            problems.append(f"line {line_no}: {exc}")
            continue
        existing = db.session.scalar(
            select(Organization).where(func.lower(Organization.name) == func.lower(row["name"]))
        )
        data = {"name": row["name"], "kind": kind}
        for f in ("region", "contact_name", "contact_email", "contact_phone", "notes"):
            if row.get(f):
                data[f] = row[f]
        if row.get("listed_publicly"):
            data["listed_publicly"] = row["listed_publicly"].lower() in {"1", "yes", "true", "y"}
        try:
            save_organization(existing, data, actor_id=actor_id)
        except OrganizationError as exc:
            db.session.rollback()
            problems.append(f"line {line_no}: {exc}")
            continue
        if existing:
            updated += 1
        else:
            created += 1
    return created, updated, problems
