"""Consultations: the container every survey, hearing, codebook and report belongs to."""

import enum
from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.models import IdMixin, TimestampMixin, db, enum_column


class Stage(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    ANALYSING = "analysing"
    REPORTING = "reporting"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Consultation(IdMixin, TimestampMixin, db.Model):
    """A consultation run by a governmental body; may be a wave of an earlier one."""

    __tablename__ = "consultation"

    title: Mapped[str] = mapped_column(String(200), nullable=False)
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    body: Mapped[str | None] = mapped_column(String(200))  # the governmental body running it
    purpose: Mapped[str | None] = mapped_column(Text)
    stage: Mapped[Stage] = mapped_column(enum_column(Stage), default=Stage.DRAFT, nullable=False)
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    languages: Mapped[list] = mapped_column(JSON, default=lambda: ["en"], nullable=False)
    wave_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation.id", ondelete="SET NULL")
    )
    retention_until: Mapped[date | None] = mapped_column(Date)
    executive_summary: Mapped[str | None] = mapped_column(Text)

    wave_of: Mapped["Consultation | None"] = relationship(remote_side="Consultation.id")

    @property
    def default_language(self) -> str:
        return (self.languages or ["en"])[0]
