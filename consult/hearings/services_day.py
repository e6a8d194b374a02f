"""The day of the hearing: speaker order, walk-ins, check-in and status, notes and transcripts."""

from sqlalchemy import select

from consult.audit import record
from consult.extensions import db
from consult.hearings.models import (
    Hearing,
    Mode,
    ModerationStatus,
    OrderRule,
    Position,
    RedactionField,
    Speaker,
    SpeakerStatus,
    Testimony,
)
from consult.hearings.ordering import Candidate, speaker_order
from consult.hearings.publishing import sync_passages
from consult.hearings.services import OFFICIAL_KINDS, HearingError, new_reference
from consult.models import utcnow
from consult.orgs.models import OrganizationKind
from consult.passages.models import Confidentiality


def ordered_speakers(hearing_id: int) -> list[Speaker]:
    """Speakers who speak, in order (unordered ones last, by sign-up)."""
    rows = db.session.scalars(
        select(Speaker)
        .where(Speaker.hearing_id == hearing_id, Speaker.mode != Mode.WRITTEN)
        .order_by(Speaker.order.is_(None), Speaker.order, Speaker.id)
    )
    return list(rows)


def generate_order(hearing_id: int, rule: str, *, actor_id: int | None) -> list[Speaker]:
    """Number every speaking sign-up by a rule (officials first / first come)."""
    hearing = db.get_or_404(Hearing, hearing_id)
    rule = OrderRule(rule)
    speakers = [s for s in ordered_speakers(hearing_id) if s.status is not SpeakerStatus.WITHDRAWN]
    candidates = [
        Candidate(s.id, s.created_at, s.position.value, s.is_official, s.walk_in) for s in speakers
    ]
    by_id = {s.id: s for s in speakers}
    for n, sid in enumerate(speaker_order(candidates, rule), start=1):
        by_id[sid].order = n
    hearing.order_rule = rule
    record(
        "hearing.order_generated",
        actor_id=actor_id,
        object_type="hearing",
        object_id=hearing.id,
        consultation_id=hearing.consultation_id,
        detail={"rule": rule.value, "speakers": len(speakers)},
    )
    db.session.commit()
    return ordered_speakers(hearing_id)


def move_speaker(speaker_id: int, direction: str, *, actor_id: int | None) -> None:
    """Swap a speaker with the one before ("up") or after ("down") in the order."""
    speaker = db.get_or_404(Speaker, speaker_id)
    speakers = [s for s in ordered_speakers(speaker.hearing_id)]
    for n, s in enumerate(speakers, start=1):  # make the order dense and complete
        s.order = n
    i = speakers.index(speaker)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(speakers):
        speakers[i].order, speakers[j].order = speakers[j].order, speakers[i].order
    record(
        "speaker.move",
        actor_id=actor_id,
        object_type="hearing_speaker",
        object_id=speaker.id,
        consultation_id=speaker.hearing.consultation_id,
        detail={"direction": direction, "order": speaker.order},
    )
    db.session.commit()


def set_status(speaker_id: int, status: str, *, actor_id: int | None) -> Speaker:
    """Check in (present), spoke, no-show, withdrawn, or back to registered."""
    speaker = db.get_or_404(Speaker, speaker_id)
    before = speaker.status.value
    speaker.status = SpeakerStatus(status)
    if speaker.status is SpeakerStatus.PRESENT and speaker.checked_in_at is None:
        speaker.checked_in_at = utcnow()
    if speaker.testimony is not None:
        sync_passages(speaker.testimony)
    record(
        "speaker.status",
        actor_id=actor_id,
        object_type="hearing_speaker",
        object_id=speaker.id,
        consultation_id=speaker.hearing.consultation_id,
        detail={"before": before, "after": speaker.status.value},
    )
    db.session.commit()
    return speaker


def add_walk_in(hearing_id: int, fields: dict, *, actor_id: int | None) -> Speaker:
    """A speaker who signs up in the room; placed at the end of the order."""
    hearing = db.get_or_404(Hearing, hearing_id)
    if not (fields.get("name") or "").strip():
        raise HearingError("Enter the speaker's name (or 'Anonymous').")
    last = max((s.order or 0 for s in ordered_speakers(hearing_id)), default=0)
    kind = (
        OrganizationKind(fields["organization_kind"]) if fields.get("organization_kind") else None
    )
    speaker = Speaker(
        hearing_id=hearing.id,
        reference=new_reference(hearing.id),
        name=fields["name"].strip(),
        organization_name=(fields.get("organization_name") or "").strip() or None,
        organization_kind=kind,
        is_official=kind in OFFICIAL_KINDS,
        position=Position(fields.get("position") or "information"),
        mode=Mode.IN_PERSON,
        confidentiality=Confidentiality(fields.get("confidentiality") or "public"),
        consent_publish=bool(fields.get("consent_publish")),
        status=SpeakerStatus.PRESENT,
        checked_in_at=utcnow(),
        walk_in=True,
        order=last + 1,
    )
    db.session.add(speaker)
    db.session.flush()
    record(
        "speaker.walk_in",
        actor_id=actor_id,
        object_type="hearing_speaker",
        object_id=speaker.id,
        consultation_id=hearing.consultation_id,
    )
    db.session.commit()
    return speaker


def testimony_for(speaker: Speaker) -> Testimony:
    """The speaker's testimony, created empty when there is none yet (not committed)."""
    if speaker.testimony is None:
        speaker.testimony = Testimony(speaker=speaker)
        db.session.add(speaker.testimony)
        db.session.flush()
    return speaker.testimony


def save_notes_and_transcript(
    speaker_id: int,
    *,
    notes: str | None,
    transcript: str | None,
    actor_id: int | None,
    append_only: bool = False,
) -> Speaker:
    """Facilitator's notes and the transcript of oral testimony (lines may start [hh:mm:ss]).

    append_only: the person may not read the existing transcript (confidential testimony and no
    permission to read it), so what they type is added after it instead of replacing it.
    """
    speaker = db.get_or_404(Speaker, speaker_id)
    notes = (notes or "").strip() or None
    transcript = (transcript or "").replace("\r\n", "\n").strip() or None
    existing = speaker.testimony.transcript if speaker.testimony else None
    if append_only:
        transcript = "\n".join(t for t in (existing, transcript) if t) or None
    changed = []
    if notes != speaker.notes:
        speaker.notes = notes
        changed.append("notes")
    testimony = speaker.testimony
    if transcript != (testimony.transcript if testimony else None):
        testimony = testimony_for(speaker)
        testimony.transcript = transcript
        changed.append("transcript")
        dropped = drop_redactions(testimony, RedactionField.TRANSCRIPT)
        if testimony.status is ModerationStatus.APPROVED:
            testimony.status = ModerationStatus.PENDING  # changed text is moderated again
        sync_passages(testimony)
        record(
            "testimony.transcript_update",
            actor_id=actor_id,
            object_type="hearing_testimony",
            object_id=testimony.id,
            consultation_id=speaker.hearing.consultation_id,
            detail={"length": len(transcript or ""), "redactions_dropped": dropped},
        )
    if "notes" in changed:
        record(
            "speaker.notes_update",
            actor_id=actor_id,
            object_type="hearing_speaker",
            object_id=speaker.id,
            consultation_id=speaker.hearing.consultation_id,
        )
    db.session.commit()
    return speaker


def drop_redactions(testimony: Testimony, field: RedactionField) -> int:
    """Remove a field's redactions when its text changes (their offsets no longer fit)."""
    gone = [r for r in testimony.redactions if r.field is field]
    for r in gone:
        testimony.redactions.remove(r)
        db.session.delete(r)
    return len(gone)
