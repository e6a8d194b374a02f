"""Export everything held about one organization: a zip of JSON and CSV, plus its files."""

import csv
import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import or_, select

from consult.audit import record
from consult.extensions import db
from consult.maintenance.erasure import _ids, table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A CSV cell that spreadsheets show as text, never run as a formula."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date | datetime) else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _rows(tbl, cond) -> list[dict]:
    if tbl is None:
        return []
    return [dict(r._mapping) for r in db.session.execute(select(tbl).where(cond))]


def _json_default(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def organization_data(org_id: int) -> dict[str, list[dict]]:
    """Rows about the organization, keyed by table: its record, people, responses, testimony."""
    org, member, user = table("organization"), table("membership"), table("user")
    resp, ans = table("survey_response"), table("survey_answer")
    speaker, tes, att = (
        table("hearing_speaker"),
        table("hearing_testimony"),
        table("hearing_attachment"),
    )
    data: dict[str, list[dict]] = {"organization": _rows(org, org.c.id == org_id)}
    if not data["organization"]:
        raise LookupError(f"There is no organization {org_id}.")
    user_ids = _ids(select(member.c.user_id).where(member.c.organization_id == org_id))
    data["people"] = [
        {k: v for k, v in r.items() if k in ("id", "email", "name", "active", "created_at")}
        for r in _rows(user, user.c.id.in_(user_ids))
    ]
    data["survey_response"] = _rows(resp, resp.c.organization_id == org_id)
    for r in data["survey_response"]:
        r.pop("resume_token_hash", None)
    response_ids = [r["id"] for r in data["survey_response"]]
    data["survey_answer"] = _rows(ans, ans.c.response_id.in_(response_ids))
    data["hearing_speaker"] = _rows(speaker, speaker.c.organization_id == org_id)
    speaker_ids = [r["id"] for r in data["hearing_speaker"]]
    data["hearing_testimony"] = _rows(tes, tes.c.speaker_id.in_(speaker_ids))
    testimony_ids = [r["id"] for r in data["hearing_testimony"]]
    data["hearing_attachment"] = _rows(att, att.c.testimony_id.in_(testimony_ids))
    p = table("passage")
    answer_ids = [str(r["id"]) for r in data["survey_answer"]]
    data["passage"] = _rows(
        p,
        or_(
            p.c.organization_id == org_id,
            (p.c.origin_kind == "survey_answer") & p.c.origin_id.in_(answer_ids),
        ),
    )
    return data


def export_organization(org_id: int, out, *, actor_id: int | None = None) -> dict[str, int]:
    """Write the organization's data to a zip at `out` (path or binary file); return counts."""
    data = organization_data(org_id)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "README.txt",
            "Everything Consult holds about this organization. Each table is in JSON (exact) and "
            "CSV (for spreadsheets; cells starting with = + - @ are prefixed with ').\n",
        )
        for name, rows in data.items():
            zf.writestr(f"{name}.json", json.dumps(rows, default=_json_default, indent=2))
            buf = io.StringIO()
            if rows:
                writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
                writer.writeheader()
                for row in rows:
                    writer.writerow({k: safe_cell(v) for k, v in row.items()})
            zf.writestr(f"{name}.csv", buf.getvalue())
        for a in data.get("hearing_attachment", []):
            try:
                from consult.hearings.uploads import stored_path

                path = Path(stored_path(a["stored_name"]))
            except (ImportError, FileNotFoundError):
                continue
            if path.is_file():
                zf.write(path, f"attachments/{a['id']}-{Path(a['original_name'] or 'file').name}")
    counts = {name: len(rows) for name, rows in data.items()}
    record(
        "privacy.export_organization",
        actor_id=actor_id,
        object_type="organization",
        object_id=org_id,
        detail=counts,
    )
    db.session.commit()
    return counts
