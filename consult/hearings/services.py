"""Hearing set-up, availability, and public sign-up with written testimony."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from consult.audit import record
from consult.extensions import db
from consult.hearings.models import (
    Attachment,
    Hearing,
    HearingStatus,
    Mode,
    OrderRule,
    Position,
    Speaker,
    SpeakerStatus,
    Testimony,
)
from consult.hearings.publishing import sync_passages
from consult.hearings.uploads import ValidatedFile, extract_text, remove_stored, store_upload
from consult.models import utcnow
from consult.orgs.models import Organization, OrganizationKind
from consult.passages.models import Confidentiality

OFFICIAL_KINDS = {OrganizationKind.STATE_AGENCY, OrganizationKind.LAW_ENFORCEMENT}
HEARING_FIELDS = (
    "title",
    "subject",
    "description",
    "starts_at",
    "timezone",
    "place",
    "remote_link",
    "agenda",
    "minutes_per_speaker",
    "signup_opens_at",
    "signup_closes_at",
    "capacity",
    "written_deadline",
    "status",
    "order_rule",
    "translations",
)


class HearingError(Exception):
    """A problem worded for the person."""


class SignupClosed(HearingError):
    """Sign-up to speak is not open."""


class SignupFull(HearingError):
    """Every speaking place is taken."""


class WrittenClosed(HearingError):
    """Written testimony is no longer accepted."""


@dataclass
class Availability:
    """What a member of the public may do now."""

    signup_open: bool
    full: bool
    written_open: bool
    places_left: int | None


def check_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise HearingError(
            f"{name!r} is not a time zone name; use one like America/New_York or UTC."
        ) from exc


def save_hearing(
    hearing: Hearing | None, consultation_id: int, fields: dict, *, actor_id: int | None
) -> Hearing:
    """Create or update a hearing."""
    if not (fields.get("title") or "").strip():
        raise HearingError("Enter a title for the hearing.")
    check_timezone(fields.get("timezone") or "UTC")
    if not fields.get("place") and not fields.get("remote_link") and hearing is None:
        raise HearingError("Enter a place, a link for remote attendance, or both.")
    opens, closes = fields.get("signup_opens_at"), fields.get("signup_closes_at")
    if opens and closes and closes <= opens:
        raise HearingError("Sign-up must close after it opens.")
    created = hearing is None
    if created:
        hearing = Hearing(consultation_id=consultation_id)
        db.session.add(hearing)
    for key in HEARING_FIELDS:
        if key in fields:
            value = fields[key]
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.astimezone(UTC)  # SQLite keeps no offset: store UTC
            setattr(hearing, key, value)
    hearing.status = HearingStatus(hearing.status or HearingStatus.SCHEDULED)
    hearing.order_rule = OrderRule(hearing.order_rule or OrderRule.OFFICIALS_FIRST)
    hearing.timezone = hearing.timezone or "UTC"
    hearing.agenda = [a.strip() for a in (hearing.agenda or []) if a and a.strip()]
    db.session.flush()
    record(
        "hearing.create" if created else "hearing.update",
        actor_id=actor_id,
        object_type="hearing",
        object_id=hearing.id,
        consultation_id=hearing.consultation_id,
        detail={"status": hearing.status.value},
    )
    db.session.commit()
    return hearing


def speaking_count(hearing_id: int) -> int:
    return db.session.scalar(
        select(func.count(Speaker.id)).where(
            Speaker.hearing_id == hearing_id,
            Speaker.mode != Mode.WRITTEN,
            Speaker.status != SpeakerStatus.WITHDRAWN,
            Speaker.walk_in.is_(False),
        )
    )


def signup_window_open(hearing: Hearing, now: datetime | None = None) -> bool:
    """Open for sign-up and inside the sign-up dates (capacity not counted: no query)."""
    now = now or utcnow()
    window = (hearing.signup_opens_at is None or now >= hearing.signup_opens_at) and (
        hearing.signup_closes_at is None or now < hearing.signup_closes_at
    )
    return hearing.status is HearingStatus.OPEN and window


def availability(hearing: Hearing, now: datetime | None = None) -> Availability:
    """Whether sign-up to speak and written testimony are open now."""
    now = now or utcnow()
    signup_open = signup_window_open(hearing, now)
    left = None
    if hearing.capacity is not None:
        left = max(0, hearing.capacity - speaking_count(hearing.id))
    if hearing.written_deadline is not None:
        written_open = (
            hearing.status is not HearingStatus.SCHEDULED and now < hearing.written_deadline
        )
    else:
        written_open = hearing.status in (HearingStatus.OPEN, HearingStatus.CLOSED)
    return Availability(signup_open, left == 0, written_open, left)


def public_hearings(consultation_ids: list[int] | None = None) -> list[Hearing]:
    """Hearings the public may see (everything but drafts of closed consultations)."""
    from consult.consultations.models import Consultation, Stage

    stmt = (
        select(Hearing)
        .join(Consultation, Consultation.id == Hearing.consultation_id)
        .where(Consultation.stage != Stage.DRAFT)
        .order_by(Hearing.starts_at)
    )
    if consultation_ids is not None:
        stmt = stmt.where(Hearing.consultation_id.in_(consultation_ids))
    return list(db.session.scalars(stmt))


def public_hearing(hearing_id: int) -> Hearing | None:
    from consult.consultations.models import Consultation, Stage

    return db.session.scalar(
        select(Hearing)
        .join(Consultation, Consultation.id == Hearing.consultation_id)
        .where(Hearing.id == hearing_id, Consultation.stage != Stage.DRAFT)
    )


def new_reference(hearing_id: int) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return f"H{hearing_id}-" + "".join(secrets.choice(alphabet) for _ in range(8))


def _by_key(key: str) -> Speaker | None:
    return db.session.scalar(select(Speaker).where(Speaker.idempotency_key == key))


def _match_organization(name: str | None) -> Organization | None:
    if not name:
        return None
    return db.session.scalar(
        select(Organization).where(func.lower(Organization.name) == name.strip().lower())
    )


def submit_signup(
    hearing_id: int,
    *,
    key: str,
    fields: dict,
    written_text: str | None = None,
    files: list[ValidatedFile] | None = None,
    language: str = "en",
) -> tuple[Speaker, bool]:
    """Record a sign-up and its written testimony once per form key; returns (speaker, created).

    A repeated submission with the same key (double click, retry, race) returns the first one.
    """
    key = (key or "").strip()[:64]
    if len(key) < 16:
        raise HearingError("The form has expired. Reload the page and submit it again.")
    existing = _by_key(key)
    if existing is not None:
        return existing, False
    files = files or []
    # read the files before locking the hearing: extraction may take UPLOAD_EXTRACT_SECONDS,
    # and other people's sign-ups to the same hearing wait on the lock
    texts = [extract_text(f) or None for f in files]
    hearing = db.session.scalar(select(Hearing).where(Hearing.id == hearing_id).with_for_update())
    if hearing is None:
        raise HearingError("This hearing does not exist.")
    mode = Mode(fields["mode"])
    avail = availability(hearing)
    written_text = (written_text or "").strip()
    if mode is Mode.WRITTEN:
        if not avail.written_open:
            raise WrittenClosed("Written testimony for this hearing is no longer accepted.")
        if not written_text and not files:
            raise HearingError("Add your written testimony, or attach a file.")
    elif not avail.signup_open:
        raise SignupClosed("Sign-up to speak at this hearing is closed.")
    elif avail.full:
        raise SignupFull("Every speaking place at this hearing is taken.")
    speaker = _new_speaker(hearing, key, fields, language)
    stored: list[str] = []
    try:
        db.session.add(speaker)
        if written_text or files:
            testimony = Testimony(speaker=speaker, written_text=written_text or None)
            db.session.add(testimony)
            for f, text in zip(files, texts, strict=True):
                name = store_upload(f)
                stored.append(name)
                testimony.attachments.append(
                    Attachment(
                        stored_name=name,
                        original_name=f.display_name,
                        mime=f.mime,
                        size=f.size,
                        sha256=f.sha256,
                        extracted_text=text,
                    )
                )
            db.session.flush()
            sync_passages(testimony)
        db.session.flush()
        record(
            "speaker.signup",
            object_type="hearing_speaker",
            object_id=speaker.id,
            consultation_id=hearing.consultation_id,
            detail={"mode": mode.value, "files": len(files), "written": bool(written_text)},
        )
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        for name in stored:
            remove_stored(name)
        existing = _by_key(key) if isinstance(exc, IntegrityError) else None
        if existing is None:
            raise
        return existing, False
    return speaker, True


def _new_speaker(hearing: Hearing, key: str, fields: dict, language: str) -> Speaker:
    org = _match_organization(fields.get("organization_name"))
    kind = fields.get("organization_kind") or (org.kind.value if org else None)
    kind = OrganizationKind(kind) if kind else None
    return Speaker(
        hearing_id=hearing.id,
        reference=new_reference(hearing.id),
        idempotency_key=key,
        name=fields["name"].strip(),
        organization_name=(fields.get("organization_name") or "").strip() or None,
        organization_id=org.id if org else None,
        organization_kind=kind,
        is_official=kind in OFFICIAL_KINDS,
        email=(fields.get("email") or "").strip() or None,
        phone=(fields.get("phone") or "").strip() or None,
        agenda_item=fields.get("agenda_item") or None,
        position=Position(fields["position"]),
        mode=Mode(fields["mode"]),
        interpretation_language=(fields.get("interpretation_language") or "").strip() or None,
        accessibility_needs=(fields.get("accessibility_needs") or "").strip() or None,
        confidentiality=Confidentiality(fields.get("confidentiality") or "public"),
        consent_publish=bool(fields.get("consent_publish")),
        language=language,
    )
