"""A Passage is a piece of text contributed to a consultation, ready to be coded."""

import enum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.models import IdMixin, TimestampMixin, db, enum_column


class Confidentiality(enum.StrEnum):
    PUBLIC = "public"
    NAME_WITHHELD = "name_withheld"
    CONFIDENTIAL = "confidential"


class OriginKind(enum.StrEnum):
    SURVEY_ANSWER = "survey_answer"
    TESTIMONY = "testimony"
    ATTACHMENT = "attachment"
    TRANSCRIPT = "transcript"
    IMPORT = "import"


class SourceKind(enum.StrEnum):
    SURVEY = "survey"
    HEARING = "hearing"
    IMPORT = "import"


class Passage(IdMixin, TimestampMixin, db.Model):
    """Codable text with where it came from; upserted by the survey and hearing services."""

    __tablename__ = "passage"
    __table_args__ = (
        UniqueConstraint("origin_kind", "origin_id", name="uq_passage_origin"),
        Index("ix_passage_consultation_source", "consultation_id", "source_kind", "source_id"),
    )

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True, nullable=False
    )
    origin_kind: Mapped[OriginKind] = mapped_column(enum_column(OriginKind), nullable=False)
    # id of the answer, testimony, attachment or transcript; for imports the import row's key
    origin_id: Mapped[str] = mapped_column(String(100), nullable=False)
    source_kind: Mapped[SourceKind] = mapped_column(enum_column(SourceKind), nullable=False)
    source_id: Mapped[int | None] = mapped_column()  # question id, hearing id; None for imports
    source_label: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    external_id: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text, nullable=False)
    language: Mapped[str] = mapped_column(String(10), default="en", nullable=False)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    organization_kind: Mapped[str | None] = mapped_column(String(30), index=True)
    position: Mapped[str | None] = mapped_column(String(20))  # support/oppose/neutral/information
    confidentiality: Mapped[Confidentiality] = mapped_column(
        enum_column(Confidentiality), default=Confidentiality.PUBLIC, nullable=False
    )
    # True when the owner withdrew or the origin was deleted; codings are kept, reports skip it
    withdrawn: Mapped[bool] = mapped_column(default=False, nullable=False)
