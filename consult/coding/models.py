"""The codebook (themes), codings of passage spans, and memos.

Machine and human coding stay apart: a machine suggestion has coder_id None, an origin other than
"manual", a score and the rule that fired; a person accepts, rejects or changes it and that is
recorded in reviewed_by_id / reviewed_at (and in the audit log).
"""

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.models import IdMixin, TimestampMixin, UTCDateTime, db, enum_column


class ThemeStatus(enum.StrEnum):
    ACTIVE = "active"
    MERGED = "merged"
    RETIRED = "retired"


class Stance(enum.StrEnum):
    FOR = "for"
    AGAINST = "against"


class CodingOrigin(enum.StrEnum):
    MANUAL = "manual"
    RULE = "rule"
    MODEL = "model"


class CodingStatus(enum.StrEnum):
    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Theme(IdMixin, TimestampMixin, db.Model):
    """A codebook entry; hierarchical through parent_id."""

    __tablename__ = "theme"
    __table_args__ = (Index("ix_theme_consultation_status", "consultation_id", "status"),)

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    inclusion_notes: Mapped[str | None] = mapped_column(Text)
    exclusion_notes: Mapped[str | None] = mapped_column(Text)
    examples: Mapped[list] = mapped_column(JSON, default=list, nullable=False)  # example quotes
    keywords: Mapped[list] = mapped_column(JSON, default=list, nullable=False)  # words, phrases
    stance: Mapped[Stance | None] = mapped_column(enum_column(Stance, 10))
    colour: Mapped[str] = mapped_column(String(7), default="#4c78a8", nullable=False)
    status: Mapped[ThemeStatus] = mapped_column(
        enum_column(ThemeStatus), default=ThemeStatus.ACTIVE, nullable=False
    )
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    parent: Mapped["Theme | None"] = relationship(
        remote_side="Theme.id", foreign_keys=[parent_id], back_populates="children"
    )
    children: Mapped[list["Theme"]] = relationship(
        foreign_keys=[parent_id], back_populates="parent", order_by="Theme.position"
    )


class Coding(IdMixin, TimestampMixin, db.Model):
    """A theme applied to a span [start, end) of a passage's text."""

    __tablename__ = "coding"
    __table_args__ = (
        Index("ix_coding_passage_theme", "passage_id", "theme_id"),
        Index("ix_coding_theme_status", "theme_id", "status"),
    )

    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passage.id", ondelete="CASCADE"), nullable=False
    )
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("theme.id", ondelete="CASCADE"), nullable=False
    )
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    snippet: Mapped[str] = mapped_column(Text, nullable=False)
    coder_id: Mapped[int | None] = mapped_column(  # None = the machine
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    origin: Mapped[CodingOrigin] = mapped_column(
        enum_column(CodingOrigin), default=CodingOrigin.MANUAL, nullable=False
    )
    score: Mapped[float | None] = mapped_column(Float)
    rule: Mapped[str | None] = mapped_column(String(500))  # why the machine suggested it
    status: Mapped[CodingStatus] = mapped_column(
        enum_column(CodingStatus), default=CodingStatus.ACCEPTED, nullable=False
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    polarity: Mapped[float | None] = mapped_column(Float)  # sentiment of the span
    subjectivity: Mapped[float | None] = mapped_column(Float)

    theme: Mapped[Theme] = relationship()
    passage = relationship("Passage")
    coder = relationship("User", foreign_keys=[coder_id])


class Memo(IdMixin, TimestampMixin, db.Model):
    """A coder's note on a passage or a theme."""

    __tablename__ = "memo"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True, nullable=False
    )
    passage_id: Mapped[int | None] = mapped_column(
        ForeignKey("passage.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, nullable=False)

    author = relationship("User")


class PassageAssignment(IdMixin, TimestampMixin, db.Model):
    """A passage assigned to a coder (double-coding samples have two); also the coder's done mark."""

    __tablename__ = "passage_assignment"
    __table_args__ = (
        UniqueConstraint("passage_id", "coder_id", name="uq_passage_assignment_passage_coder"),
        Index("ix_passage_assignment_consultation_coder", "consultation_id", "coder_id"),
    )

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), nullable=False
    )
    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passage.id", ondelete="CASCADE"), index=True, nullable=False
    )
    coder_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True, nullable=False
    )
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # part of a double-coding sample used for agreement between coders
    double_coding: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    coder = relationship("User", foreign_keys=[coder_id])


class CodingSettings(IdMixin, TimestampMixin, db.Model):
    """Per-consultation coding settings (blind mode for double coding)."""

    __tablename__ = "coding_settings"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    # coders see only their own codings: not the other coder's, not the machine's
    blind_mode: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


# --- machine side (Coding part B): passage analysis, candidate themes, near-duplicate groups ---
from consult.coding.models_machine import *  # noqa: E402,F401,F403
