"""Machine-side coding tables: passage analysis, candidate themes, near-duplicate groups.

Kept apart from the human codebook: a CandidateTheme becomes a Theme only when staff accept it.
"""

import enum
from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.models import IdMixin, TimestampMixin, UTCDateTime, db, enum_column, utcnow


class PassageAnalysis(IdMixin, db.Model):
    """Sentiment and key phrases of one passage, recomputed when its text changes."""

    __tablename__ = "passage_analysis"

    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passage.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    polarity: Mapped[float | None] = mapped_column(Float)  # None: not English
    subjectivity: Mapped[float | None] = mapped_column(Float)
    key_phrases: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    text_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    analysed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class CandidateStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"
    MERGED = "merged"


class CandidateTheme(IdMixin, TimestampMixin, db.Model):
    """A theme proposed by discovery on uncoded passages; not in the codebook until accepted."""

    __tablename__ = "candidate_theme"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True, nullable=False
    )
    label: Mapped[str] = mapped_column(String(300), nullable=False)
    top_phrases: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    example_passage_ids: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    size: Mapped[int] = mapped_column(Integer, default=0, nullable=False)  # passages it covers
    status: Mapped[CandidateStatus] = mapped_column(
        enum_column(CandidateStatus), default=CandidateStatus.PENDING, nullable=False
    )
    accepted_theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme.id", ondelete="SET NULL")
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PassageGroup(IdMixin, TimestampMixin, db.Model):
    """Near-identical passages (a template letter, a copy-paste campaign)."""

    __tablename__ = "passage_group"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[str] = mapped_column(String(20), default="near_duplicate", nullable=False)
    size: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    representative_id: Mapped[int | None] = mapped_column(
        ForeignKey("passage.id", ondelete="SET NULL")
    )
    similarity: Mapped[float] = mapped_column(Float, default=1.0, nullable=False)  # lowest pair

    members: Mapped[list["PassageGroupMember"]] = relationship(
        back_populates="group",
        cascade="all, delete-orphan",
        order_by="PassageGroupMember.passage_id",
    )


class PassageGroupMember(IdMixin, db.Model):
    """A passage's membership of a near-duplicate group (at most one group per passage)."""

    __tablename__ = "passage_group_member"
    group_id: Mapped[int] = mapped_column(
        ForeignKey("passage_group.id", ondelete="CASCADE"), index=True, nullable=False
    )
    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passage.id", ondelete="CASCADE"), unique=True, nullable=False
    )

    group: Mapped[PassageGroup] = relationship(back_populates="members")
