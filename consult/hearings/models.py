"""Hearings, speakers, testimony, attachments and redactions."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.models import IdMixin, TimestampMixin, UTCDateTime, db, enum_column, utcnow
from consult.orgs.models import OrganizationKind
from consult.passages.models import Confidentiality


class HearingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"  # open for sign-up
    CLOSED = "closed"  # sign-up closed
    HELD = "held"


class Position(enum.StrEnum):
    SUPPORT = "support"
    OPPOSE = "oppose"
    NEUTRAL = "neutral"
    INFORMATION = "information"


class Mode(enum.StrEnum):
    IN_PERSON = "in_person"
    REMOTE = "remote"
    WRITTEN = "written"


class SpeakerStatus(enum.StrEnum):
    REGISTERED = "registered"
    PRESENT = "present"
    SPOKE = "spoke"
    NO_SHOW = "no_show"
    WITHDRAWN = "withdrawn"


class ModerationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class RedactionField(enum.StrEnum):
    WRITTEN = "written"
    TRANSCRIPT = "transcript"
    ATTACHMENT = "attachment"


class OrderRule(enum.StrEnum):
    OFFICIALS_FIRST = "officials_first"  # officials, then alternating positions
    FIRST_COME = "first_come"


class Hearing(IdMixin, TimestampMixin, db.Model):
    """A public hearing in a consultation."""

    __tablename__ = "hearing"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True, nullable=False
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    subject: Mapped[str | None] = mapped_column(String(200))  # e.g. a bill number
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", nullable=False)
    place: Mapped[str | None] = mapped_column(String(300))
    remote_link: Mapped[str | None] = mapped_column(String(500))
    agenda: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    minutes_per_speaker: Mapped[int] = mapped_column(Integer, default=3, nullable=False)
    signup_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signup_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    capacity: Mapped[int | None] = mapped_column(Integer)  # speaking slots; None = no limit
    written_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[HearingStatus] = mapped_column(
        enum_column(HearingStatus), default=HearingStatus.SCHEDULED, nullable=False
    )
    order_rule: Mapped[OrderRule] = mapped_column(
        enum_column(OrderRule), default=OrderRule.OFFICIALS_FIRST, nullable=False
    )
    # {"es": {"title": ..., "description": ..., "agenda": [...]}} for the other languages
    translations: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)

    consultation = relationship("Consultation")
    speakers: Mapped[list["Speaker"]] = relationship(
        back_populates="hearing", order_by="Speaker.id", passive_deletes=True
    )

    def text(self, key: str, lang: str):
        """A translatable field in `lang`, falling back to the default language."""
        value = (self.translations or {}).get(lang, {}).get(key)
        return value if value else getattr(self, key)


class Speaker(IdMixin, TimestampMixin, db.Model):
    """Someone who signed up to speak or to send written testimony (or a walk-in)."""

    __tablename__ = "hearing_speaker"
    __table_args__ = (
        UniqueConstraint("idempotency_key", name="uq_hearing_speaker_idempotency_key"),
        UniqueConstraint("reference", name="uq_hearing_speaker_reference"),
    )

    hearing_id: Mapped[int] = mapped_column(
        ForeignKey("hearing.id", ondelete="CASCADE"), index=True, nullable=False
    )
    reference: Mapped[str] = mapped_column(String(20), nullable=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    organization_name: Mapped[str | None] = mapped_column(String(200))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    organization_kind: Mapped[OrganizationKind | None] = mapped_column(
        enum_column(OrganizationKind)
    )
    is_official: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    agenda_item: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[Position] = mapped_column(enum_column(Position), nullable=False)
    mode: Mapped[Mode] = mapped_column(enum_column(Mode), nullable=False)
    interpretation_language: Mapped[str | None] = mapped_column(String(60))
    accessibility_needs: Mapped[str | None] = mapped_column(Text)
    confidentiality: Mapped[Confidentiality] = mapped_column(
        enum_column(Confidentiality), default=Confidentiality.PUBLIC, nullable=False
    )
    consent_publish: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    order: Mapped[int | None] = mapped_column(Integer)  # place in the speaker order
    status: Mapped[SpeakerStatus] = mapped_column(
        enum_column(SpeakerStatus), default=SpeakerStatus.REGISTERED, nullable=False
    )
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    language: Mapped[str] = mapped_column(String(10), default="en", nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)  # facilitator's notes, staff only
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    hearing: Mapped[Hearing] = relationship(back_populates="speakers")
    organization = relationship("Organization")
    testimony: Mapped["Testimony | None"] = relationship(
        back_populates="speaker", uselist=False, passive_deletes=True
    )

    @property
    def speaks(self) -> bool:
        return self.mode is not Mode.WRITTEN and self.status is not SpeakerStatus.WITHDRAWN


class Testimony(IdMixin, TimestampMixin, db.Model):
    """A speaker's written testimony, the transcript of what they said, and a staff summary."""

    __tablename__ = "hearing_testimony"

    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("hearing_speaker.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    written_text: Mapped[str | None] = mapped_column(Text)
    transcript: Mapped[str | None] = mapped_column(Text)  # lines may start with [hh:mm:ss]
    summary: Mapped[str | None] = mapped_column(Text)  # staff-written
    status: Mapped[ModerationStatus] = mapped_column(
        enum_column(ModerationStatus), default=ModerationStatus.PENDING, nullable=False
    )
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    speaker: Mapped[Speaker] = relationship(back_populates="testimony")
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="testimony", order_by="Attachment.id", passive_deletes=True
    )
    redactions: Mapped[list["Redaction"]] = relationship(
        back_populates="testimony", order_by="Redaction.start", passive_deletes=True
    )


class Attachment(IdMixin, TimestampMixin, db.Model):
    """An uploaded file: stored under a random name; the original name is for display only."""

    __tablename__ = "hearing_attachment"

    testimony_id: Mapped[int] = mapped_column(
        ForeignKey("hearing_testimony.id", ondelete="CASCADE"), index=True, nullable=False
    )
    stored_name: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    original_name: Mapped[str] = mapped_column(String(200), nullable=False)
    mime: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    extracted_text: Mapped[str | None] = mapped_column(Text)

    testimony: Mapped[Testimony] = relationship(back_populates="attachments")


class Redaction(IdMixin, db.Model):
    """A span [start, end) of a testimony field hidden from public copies."""

    __tablename__ = "hearing_redaction"

    testimony_id: Mapped[int] = mapped_column(
        ForeignKey("hearing_testimony.id", ondelete="CASCADE"), index=True, nullable=False
    )
    field: Mapped[RedactionField] = mapped_column(enum_column(RedactionField), nullable=False)
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("hearing_attachment.id", ondelete="CASCADE")
    )
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(String(200), nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    testimony: Mapped[Testimony] = relationship(back_populates="redactions")
