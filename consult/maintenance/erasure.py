"""Delete personal data: past a consultation's retention date, or for one person or organization.

Works on the feature tables generically (by name, through the metadata), so it keeps working as
features change: deleting a survey response removes its answers, deleting a speaker removes the
testimony, attachments and redactions (database cascades), and the passages derived from any of
them are deleted too, which removes their codings, memos and evidence links (cascades again).
Uploaded files of deleted attachments and report files are removed from disk.
"""

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, delete, or_, select

from consult.audit import record
from consult.extensions import db

CHUNK = 500


def table(name: str):
    return db.metadata.tables.get(name)


def _chunks(values: list) -> Iterable[list]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def _ids(stmt) -> list:
    return list(db.session.scalars(stmt))


def _delete_in(tbl, column: str, ids: list) -> int:
    n = 0
    for part in _chunks(ids):
        n += db.session.execute(delete(tbl).where(tbl.c[column].in_(part))).rowcount or 0
    return n


def _attachment_files(testimony_ids: list[int]) -> list[str]:
    att = table("hearing_attachment")
    if att is None or not testimony_ids:
        return []
    names = []
    for part in _chunks(testimony_ids):
        names += _ids(select(att.c.stored_name).where(att.c.testimony_id.in_(part)))
    return names


def _remove_upload(stored_name: str) -> None:
    try:
        from consult.hearings.uploads import remove_stored
    except ImportError:  # pragma: no cover - hearings always ships with the app
        return
    remove_stored(stored_name)


def derived_passage_filter(answer_ids, testimony_ids, attachment_ids):
    """Passages made from these answers, testimonies (and transcripts) and attachments."""
    p = table("passage")
    clauses = []
    if answer_ids:
        clauses.append(
            and_(
                p.c.origin_kind == "survey_answer",
                p.c.origin_id.in_([str(i) for i in answer_ids]),
            )
        )
    if testimony_ids:
        clauses.append(
            and_(
                p.c.origin_kind.in_(["testimony", "transcript"]),
                p.c.origin_id.in_([str(i) for i in testimony_ids]),
            )
        )
    if attachment_ids:
        clauses.append(
            and_(
                p.c.origin_kind == "attachment",
                p.c.origin_id.in_([str(i) for i in attachment_ids]),
            )
        )
    return or_(*clauses) if clauses else None


def purge(response_ids: list[int], speaker_ids: list[int]) -> dict[str, int]:
    """Delete these survey responses and hearing speakers with everything derived from them."""
    counts = {"responses": 0, "speakers": 0, "passages": 0, "files": 0}
    answers, testimonies, attachments, files = [], [], [], []
    ans, tes, att = table("survey_answer"), table("hearing_testimony"), table("hearing_attachment")
    for part in _chunks(response_ids):
        answers += _ids(select(ans.c.id).where(ans.c.response_id.in_(part)))
    for part in _chunks(speaker_ids):
        testimonies += _ids(select(tes.c.id).where(tes.c.speaker_id.in_(part)))
    for part in _chunks(testimonies):
        attachments += _ids(select(att.c.id).where(att.c.testimony_id.in_(part)))
    files = _attachment_files(testimonies)
    p = table("passage")
    for a, t, x in _zip_chunks(answers, testimonies, attachments):
        cond = derived_passage_filter(a, t, x)
        if cond is not None:
            counts["passages"] += db.session.execute(delete(p).where(cond)).rowcount or 0
    counts["responses"] = _delete_in(table("survey_response"), "id", response_ids)
    counts["speakers"] = _delete_in(table("hearing_speaker"), "id", speaker_ids)
    db.session.flush()
    counts["_files"] = files  # removed after the commit
    return counts


def _zip_chunks(a: list, b: list, c: list):
    n = max(len(a), len(b), len(c))
    for i in range(0, n, CHUNK):
        yield a[i : i + CHUNK], b[i : i + CHUNK], c[i : i + CHUNK]


def _finish(counts: dict, action: str, **audit) -> dict:
    files = counts.pop("_files", [])
    record(action, detail={k: v for k, v in counts.items()}, **audit)
    db.session.commit()
    db.session.expire_all()
    for name in files:
        _remove_file(name)
    counts["files"] = counts.get("files", 0) + len(files)
    return counts


def expired_consultations(today: date) -> list:
    from consult.consultations.models import Consultation

    return list(
        db.session.scalars(
            select(Consultation).where(
                Consultation.retention_until.is_not(None), Consultation.retention_until < today
            )
        )
    )


def purge_consultation(consultation_id: int, *, actor_id: int | None = None) -> dict[str, int]:
    """Delete responses, testimony, uploads, passages, codings and report files of one consultation."""
    survey, resp = table("survey"), table("survey_response")
    hearing, speaker = table("hearing"), table("hearing_speaker")
    response_ids = _ids(
        select(resp.c.id)
        .join(survey, survey.c.id == resp.c.survey_id)
        .where(survey.c.consultation_id == consultation_id)
    )
    speaker_ids = _ids(
        select(speaker.c.id)
        .join(hearing, hearing.c.id == speaker.c.hearing_id)
        .where(hearing.c.consultation_id == consultation_id)
    )
    counts = purge(response_ids, speaker_ids)
    p = table("passage")
    counts["passages"] += (
        db.session.execute(delete(p).where(p.c.consultation_id == consultation_id)).rowcount or 0
    )
    counts["_files"] += _report_files(consultation_id)
    return _finish(
        counts,
        "retention.purge",
        actor_id=actor_id,
        object_type="consultation",
        object_id=consultation_id,
        consultation_id=consultation_id,
    )


def _report_files(consultation_id: int) -> list:
    """Delete the consultation's report runs; return their files as removable markers."""
    runs = table("report_run")
    if runs is None:
        return []
    paths = _ids(
        select(runs.c.file_path).where(
            runs.c.consultation_id == consultation_id, runs.c.file_path.is_not(None)
        )
    )
    db.session.execute(delete(runs).where(runs.c.consultation_id == consultation_id))
    return [_ReportFile(p) for p in paths]


class _ReportFile(str):
    """A report file path, removed directly (not through the hearing upload store)."""


def _remove_file(name) -> None:
    """Remove a deleted attachment's upload or a report file (only inside the upload folder)."""
    if isinstance(name, _ReportFile):
        root = Path(current_app.config["UPLOAD_FOLDER"]).resolve()
        path = Path(name).resolve()
        if root in path.parents:
            path.unlink(missing_ok=True)
    else:
        _remove_upload(name)


def run_retention(today: date | None = None, *, dry_run: bool = False) -> list[tuple[str, dict]]:
    """Purge every consultation whose retention date has passed; return what was deleted."""
    today = today or date.today()
    done = []
    for c in expired_consultations(today):
        if dry_run:
            done.append((c.slug, {}))
            continue
        done.append((c.slug, purge_consultation(c.id)))
    return done


def erase_person(email: str, *, actor_id: int | None = None) -> dict[str, int]:
    """Delete a person's responses, testimony and derived passages, then their account."""
    email = (email or "").strip().lower()
    if not email:
        raise ValueError("Give the person's e-mail address.")
    user_t, resp, speaker = table("user"), table("survey_response"), table("hearing_speaker")
    user_id = db.session.scalar(select(user_t.c.id).where(user_t.c.email == email))
    cond = resp.c.respondent_email == email
    if user_id is not None:
        cond = or_(cond, resp.c.user_id == user_id)
    response_ids = _ids(select(resp.c.id).where(cond))
    speaker_ids = _ids(select(speaker.c.id).where(speaker.c.email == email))
    if user_id is None and not response_ids and not speaker_ids:
        raise LookupError(f"Nothing is held for {email}.")
    counts = purge(response_ids, speaker_ids)
    counts["accounts"] = 0
    if user_id is not None:
        counts["accounts"] = db.session.execute(
            delete(user_t).where(user_t.c.id == user_id)
        ).rowcount
    return _finish(
        counts, "privacy.erase_person", actor_id=actor_id, object_type="user", object_id=user_id
    )


def erase_organization(org_id: int, *, actor_id: int | None = None) -> dict[str, int]:
    """Delete an organization with its responses, testimony, passages and respondent accounts."""
    org, resp, speaker = table("organization"), table("survey_response"), table("hearing_speaker")
    member, user_t = table("membership"), table("user")
    if db.session.scalar(select(org.c.id).where(org.c.id == org_id)) is None:
        raise LookupError(f"There is no organization {org_id}.")
    response_ids = _ids(select(resp.c.id).where(resp.c.organization_id == org_id))
    speaker_ids = _ids(select(speaker.c.id).where(speaker.c.organization_id == org_id))
    counts = purge(response_ids, speaker_ids)
    p = table("passage")
    counts["passages"] += (
        db.session.execute(delete(p).where(p.c.organization_id == org_id)).rowcount or 0
    )
    # accounts that exist only for this organization go too; others just lose the membership
    members = set(_ids(select(member.c.user_id).where(member.c.organization_id == org_id)))
    elsewhere = (
        set(
            _ids(
                select(member.c.user_id).where(
                    member.c.user_id.in_(members),
                    or_(member.c.organization_id != org_id, member.c.organization_id.is_(None)),
                )
            )
        )
        if members
        else set()
    )
    only_here = sorted(members - elsewhere)
    counts["accounts"] = _delete_in(user_t, "id", only_here)
    counts["organizations"] = db.session.execute(delete(org).where(org.c.id == org_id)).rowcount
    return _finish(
        counts,
        "privacy.erase_organization",
        actor_id=actor_id,
        object_type="organization",
        object_id=org_id,
    )
