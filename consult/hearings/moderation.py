"""Moderation: approve or reject testimony, redact spans, staff summaries, audited reads."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.audit import record
from consult.extensions import db
from consult.hearings.models import (
    Attachment,
    ModerationStatus,
    Redaction,
    RedactionField,
    Speaker,
    Testimony,
)
from consult.hearings.publishing import sync_passages
from consult.hearings.services import HearingError
from consult.hearings.text import find_phrase
from consult.models import utcnow
from consult.passages.models import Confidentiality


def testimonies(hearing_id: int, status: str | None = None) -> list[Testimony]:
    """A hearing's testimony for the moderation list, with speakers and attachments loaded."""
    stmt = (
        select(Testimony)
        .join(Speaker, Speaker.id == Testimony.speaker_id)
        .where(Speaker.hearing_id == hearing_id)
        .options(selectinload(Testimony.attachments), selectinload(Testimony.speaker))
        .order_by(Speaker.id)
    )
    if status:
        stmt = stmt.where(Testimony.status == ModerationStatus(status))
    return list(db.session.scalars(stmt))


def read_testimony(testimony_id: int, *, actor_id: int | None) -> Testimony:
    """Load testimony for a staff view; reading confidential testimony is audited."""
    testimony = db.get_or_404(Testimony, testimony_id)
    if testimony.speaker.confidentiality is Confidentiality.CONFIDENTIAL:
        record(
            "testimony.read_confidential",
            actor_id=actor_id,
            object_type="hearing_testimony",
            object_id=testimony.id,
            consultation_id=testimony.speaker.hearing.consultation_id,
        )
        db.session.commit()
    return testimony


def _audit(action: str, testimony: Testimony, actor_id: int | None, detail: dict | None = None):
    record(
        action,
        actor_id=actor_id,
        object_type="hearing_testimony",
        object_id=testimony.id,
        consultation_id=testimony.speaker.hearing.consultation_id,
        detail=detail,
    )


def moderate(testimony_id: int, decision: str, *, actor_id: int | None) -> Testimony:
    """Approve or reject (or return to pending)."""
    testimony = db.get_or_404(Testimony, testimony_id)
    before = testimony.status.value
    testimony.status = ModerationStatus(decision)
    testimony.moderated_by_id = actor_id
    testimony.moderated_at = utcnow()
    sync_passages(testimony)
    _audit(
        "testimony.moderate",
        testimony,
        actor_id,
        {"before": before, "after": testimony.status.value},
    )
    db.session.commit()
    return testimony


def _field_text(testimony: Testimony, field: RedactionField, attachment_id: int | None) -> str:
    if field is RedactionField.WRITTEN:
        return testimony.written_text or ""
    if field is RedactionField.TRANSCRIPT:
        return testimony.transcript or ""
    attachment = db.session.get(Attachment, attachment_id or 0)
    if attachment is None or attachment.testimony_id != testimony.id:
        raise HearingError("That attachment is not part of this testimony.")
    return attachment.extracted_text or ""


def add_redactions(
    testimony_id: int,
    *,
    field: str,
    spans: list[tuple[int, int]],
    reason: str,
    actor_id: int | None,
    attachment_id: int | None = None,
) -> list[Redaction]:
    """Redact spans [start, end) of a field; the original stays for staff."""
    testimony = db.get_or_404(Testimony, testimony_id)
    field = RedactionField(field)
    reason = (reason or "").strip()
    if not reason:
        raise HearingError("Give a reason for the redaction, for example 'personal data'.")
    text = _field_text(testimony, field, attachment_id)
    made = []
    for start, end in spans:
        if not (0 <= start < end <= len(text)):
            raise HearingError("That part of the text no longer exists; reload the page.")
        made.append(
            Redaction(
                testimony=testimony,
                field=field,
                attachment_id=attachment_id if field is RedactionField.ATTACHMENT else None,
                start=start,
                end=end,
                reason=reason[:200],
                created_by_id=actor_id,
            )
        )
    db.session.add_all(made)
    db.session.flush()
    sync_passages(testimony)
    _audit(
        "testimony.redact",
        testimony,
        actor_id,
        {"field": field.value, "spans": [[a, b] for a, b in spans], "reason": reason[:200]},
    )
    db.session.commit()
    return made


def redact_phrase(
    testimony_id: int,
    *,
    field: str,
    phrase: str,
    reason: str,
    actor_id: int | None,
    attachment_id: int | None = None,
) -> list[Redaction]:
    """Redact every occurrence of a phrase in a field."""
    testimony = db.get_or_404(Testimony, testimony_id)
    spans = find_phrase(_field_text(testimony, RedactionField(field), attachment_id), phrase)
    if not spans:
        raise HearingError("That text was not found. Copy the words exactly as they appear.")
    return add_redactions(
        testimony_id,
        field=field,
        spans=spans,
        reason=reason,
        actor_id=actor_id,
        attachment_id=attachment_id,
    )


def remove_redaction(redaction_id: int, *, actor_id: int | None) -> Testimony:
    redaction = db.get_or_404(Redaction, redaction_id)
    testimony = redaction.testimony
    detail = {"field": redaction.field.value, "span": [redaction.start, redaction.end]}
    testimony.redactions.remove(redaction)
    db.session.delete(redaction)
    db.session.flush()
    sync_passages(testimony)
    _audit("testimony.unredact", testimony, actor_id, detail)
    db.session.commit()
    return testimony


def save_summary(testimony_id: int, summary: str | None, *, actor_id: int | None) -> Testimony:
    """The staff-written summary used in the hearing summary."""
    testimony = db.get_or_404(Testimony, testimony_id)
    testimony.summary = (summary or "").strip() or None
    _audit(
        "testimony.summary_update", testimony, actor_id, {"length": len(testimony.summary or "")}
    )
    db.session.commit()
    return testimony


def set_confidentiality(
    speaker_id: int, confidentiality: str, consent_publish: bool, *, actor_id: int | None
) -> Speaker:
    """Change a speaker's confidentiality choice or consent (at their request)."""
    speaker = db.get_or_404(Speaker, speaker_id)
    before = {"confidentiality": speaker.confidentiality.value, "consent": speaker.consent_publish}
    speaker.confidentiality = Confidentiality(confidentiality)
    speaker.consent_publish = bool(consent_publish)
    if speaker.testimony is not None:
        sync_passages(speaker.testimony)
    record(
        "speaker.confidentiality",
        actor_id=actor_id,
        object_type="hearing_speaker",
        object_id=speaker.id,
        consultation_id=speaker.hearing.consultation_id,
        detail={
            "before": before,
            "after": {"confidentiality": confidentiality, "consent": bool(consent_publish)},
        },
    )
    db.session.commit()
    return speaker
