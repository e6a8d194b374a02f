"""Surveys: sections (pages), questions, choices, invitations, responses and typed answers.

Answers are stored one row per scalar value so results aggregate in SQL: a multiple-choice
question has one row per chosen option, a matrix one row per row (row_key) with the chosen
column in `choice`, a ranking one row per item (row_key) with its rank in `value_number`.
"""

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
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


class QuestionType(enum.StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"  # options: {"display": "radio" | "dropdown", "other": true}
    MULTIPLE_CHOICE = "multiple_choice"  # options: {"other": true} adds "other, please specify"
    YES_NO = "yes_no"
    LIKERT = "likert"  # options: {"points": 5, "labels": {"en": [...], "es": [...]}}
    NUMBER = "number"  # options: {"integer": true}; validation: {"min": 0, "max": 10000}
    DATE = "date"
    EMAIL = "email"
    MATRIX = "matrix"  # rows in options["rows"] = [{"key":..., "labels": {...}}]; columns = choices
    RANKING = "ranking"  # items = choices; answer rank 1..n per item
    NOTE = "note"  # display text only, no answer (XLSForm "note")

    @property
    def is_free_text(self) -> bool:
        return self in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT)

    @property
    def has_choices(self) -> bool:
        return self in (
            QuestionType.SINGLE_CHOICE,
            QuestionType.MULTIPLE_CHOICE,
            QuestionType.MATRIX,
            QuestionType.RANKING,
        )


class SurveyStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class ResponseStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Survey(IdMixin, TimestampMixin, db.Model):
    """A structured questionnaire in a consultation."""

    __tablename__ = "survey"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True, nullable=False
    )
    # per-language text: {"en": "...", "es": "..."}
    title: Mapped[dict] = mapped_column(JSON, nullable=False)
    introduction: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    # what happens to the answers (who sees them, what is published), per language
    privacy: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    languages: Mapped[list] = mapped_column(JSON, default=lambda: ["en"], nullable=False)
    status: Mapped[SurveyStatus] = mapped_column(
        enum_column(SurveyStatus), default=SurveyStatus.DRAFT, nullable=False
    )
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    one_response_per_organization: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    allow_edit_after_submit: Mapped[bool] = mapped_column(Boolean, default=False)
    # hash of the anonymous public link's token (None = no public link)
    public_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    estimated_minutes: Mapped[int | None] = mapped_column(Integer)
    # bumped when a structural edit is made after the first real response
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    sections: Mapped[list["Section"]] = relationship(
        back_populates="survey", order_by="Section.position", cascade="all, delete-orphan"
    )

    @property
    def default_language(self) -> str:
        return (self.languages or ["en"])[0]

    def text(self, field: str, lang: str) -> str:
        values = getattr(self, field) or {}
        return values.get(lang) or values.get(self.default_language) or ""


class Section(IdMixin, TimestampMixin, db.Model):
    """A page of the survey."""

    __tablename__ = "survey_section"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), index=True, nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    title: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    introduction: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    # {"combine": "all"|"any", "rules": [{"question": <code>, "op": "equals", "value": ...}]}
    condition: Mapped[dict | None] = mapped_column(JSON)

    survey: Mapped[Survey] = relationship(back_populates="sections")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="section",
        order_by="Question.position",
        cascade="all, delete-orphan",
        primaryjoin="and_(Question.section_id == Section.id, Question.archived.is_(False))",
        overlaps="section",
    )


class Question(IdMixin, TimestampMixin, db.Model):
    """A question; `code` is its stable name within the survey (used by conditions, exports)."""

    __tablename__ = "survey_question"
    __table_args__ = (UniqueConstraint("survey_id", "code"),)

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), index=True, nullable=False
    )
    section_id: Mapped[int] = mapped_column(
        ForeignKey("survey_section.id", ondelete="CASCADE"), index=True, nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    code: Mapped[str] = mapped_column(String(80), nullable=False)
    type: Mapped[QuestionType] = mapped_column(enum_column(QuestionType), nullable=False)
    text: Mapped[dict] = mapped_column(JSON, nullable=False)
    help: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    required: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    options: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    # {"min":, "max":, "min_length":, "max_length":, "pattern":, "message": {"en":...}}
    validation: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    condition: Mapped[dict | None] = mapped_column(JSON)
    # a removed question that had answers is archived, never deleted (answers kept)
    archived: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    section: Mapped[Section] = relationship(foreign_keys=[section_id])
    choices: Mapped[list["Choice"]] = relationship(
        back_populates="question", order_by="Choice.position", cascade="all, delete-orphan"
    )


class Choice(IdMixin, db.Model):
    """An option of a choice question, a matrix column, or a ranking item."""

    __tablename__ = "survey_choice"
    __table_args__ = (UniqueConstraint("question_id", "value"),)

    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_question.id", ondelete="CASCADE"), index=True, nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    value: Mapped[str] = mapped_column(String(100), nullable=False)
    label: Mapped[dict] = mapped_column(JSON, nullable=False)

    question: Mapped[Question] = relationship(back_populates="choices")


class SurveyInvitation(IdMixin, TimestampMixin, db.Model):
    """A per-organization link to answer a survey; only the token's hash is stored."""

    __tablename__ = "survey_invitation"
    __table_args__ = (UniqueConstraint("survey_id", "organization_id", "email"),)

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), index=True, nullable=False
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True, nullable=False
    )
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    organization = relationship("Organization", lazy="joined")


class SurveyInvitationLink(IdMixin, TimestampMixin, db.Model):
    """An earlier link of an invitation that still works after a reminder sent a new one.

    Only hashes are stored, so a reminder must mail a fresh link; the organization may still
    click the first e-mail, so that link keeps working until the invitation is revoked or resent.
    """

    __tablename__ = "survey_invitation_link"

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("survey_invitation.id", ondelete="CASCADE"), index=True, nullable=False
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)


class Response(IdMixin, TimestampMixin, db.Model):
    """One respondent's answers; a draft until submitted. Submission is idempotent by key."""

    __tablename__ = "survey_response"
    __table_args__ = (
        Index("ix_survey_response_survey_status", "survey_id", "status", "is_test"),
        UniqueConstraint("survey_id", "organization_slot"),
    )

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("survey.id", ondelete="CASCADE"), index=True, nullable=False
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_invitation.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # the organization id when the survey takes one response per organization (non-test);
    # NULL otherwise. Unique per survey, so two tabs or threads can never create two.
    organization_slot: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(10), default="en", nullable=False)
    status: Mapped[ResponseStatus] = mapped_column(
        enum_column(ResponseStatus), default=ResponseStatus.DRAFT, nullable=False
    )
    # client- or form-supplied key; unique so a replayed submission finds the first one
    submission_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    # hash of a resume token (public-link respondents resume through an e-mailed link)
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    respondent_email: Mapped[str | None] = mapped_column(String(254))
    is_test: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    current_section: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    survey_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)

    answers: Mapped[list["Answer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )
    organization = relationship("Organization")


class Answer(IdMixin, db.Model):
    """One scalar value of an answer (see the module docstring for the shape per type)."""

    __tablename__ = "survey_answer"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id", "row_key", "choice"),
        Index("ix_survey_answer_question_choice", "question_id", "choice"),
    )

    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_response.id", ondelete="CASCADE"), index=True, nullable=False
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_question.id", ondelete="CASCADE"), index=True, nullable=False
    )
    # matrix row key or ranking item; "" when not applicable (NULLs would defeat the unique key)
    row_key: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    # chosen option value (single/multiple/yes_no/likert as its point/matrix column); "" if none
    choice: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    value_text: Mapped[str | None] = mapped_column(Text)  # text, email, "other" text
    value_number: Mapped[float | None] = mapped_column(Float)  # number, likert point, rank
    value_date: Mapped[date | None] = mapped_column(Date)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
