"""Recommendations, the evidence (codings) behind them, and stored report runs."""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.models import IdMixin, TimestampMixin, UTCDateTime, db, enum_column, utcnow


class RecommendationArea(enum.StrEnum):
    PREVENTION = "prevention"
    PROTECTION = "protection"
    PROSECUTION = "prosecution"
    PARTNERSHIP = "partnership"
    SERVICES = "services"
    STATUTES = "statutes"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class RecommendationStatus(enum.StrEnum):
    DRAFT = "draft"
    FINAL = "final"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Recommendation(IdMixin, TimestampMixin, db.Model):
    """A finding the task force recommends, traced to quotes through Evidence."""

    __tablename__ = "recommendation"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True, nullable=False
    )
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    text: Mapped[str] = mapped_column(Text, default="", nullable=False)
    area: Mapped[RecommendationArea] = mapped_column(
        enum_column(RecommendationArea), default=RecommendationArea.OTHER, nullable=False
    )
    status: Mapped[RecommendationStatus] = mapped_column(
        enum_column(RecommendationStatus), default=RecommendationStatus.DRAFT, nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    evidence: Mapped[list["Evidence"]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan", passive_deletes=True
    )


class Evidence(IdMixin, db.Model):
    """A coding (quote) supporting a recommendation."""

    __tablename__ = "evidence"
    __table_args__ = (
        UniqueConstraint(
            "recommendation_id", "coding_id", name="uq_evidence_recommendation_coding"
        ),
    )

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True, nullable=False
    )
    coding_id: Mapped[int] = mapped_column(
        ForeignKey("coding.id", ondelete="CASCADE"), index=True, nullable=False
    )
    note: Mapped[str | None] = mapped_column(Text)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    recommendation: Mapped[Recommendation] = relationship(back_populates="evidence")
    coding = relationship("Coding")


class ReportRun(IdMixin, TimestampMixin, db.Model):
    """One generated report: its options, the hash of its input data and of its PDF, the file."""

    __tablename__ = "report_run"

    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    # hearing reports; no foreign key so this table does not depend on the hearings migration
    hearing_id: Mapped[int | None] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(40), default="summary", nullable=False)
    options: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="queued", nullable=False)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    data_as_of: Mapped[datetime | None] = mapped_column(UTCDateTime)
    data_hash: Mapped[str | None] = mapped_column(String(64))
    pdf_hash: Mapped[str | None] = mapped_column(String(64))
    file_path: Mapped[str | None] = mapped_column(String(500))
    byte_size: Mapped[int | None] = mapped_column(Integer)
    page_count: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by = relationship("User")
    job = relationship("Job")
