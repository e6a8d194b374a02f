"""Organizations that are consulted."""

import enum

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from consult.models import IdMixin, TimestampMixin, db, enum_column


class OrganizationKind(enum.StrEnum):
    STATE_AGENCY = "state_agency"
    LAW_ENFORCEMENT = "law_enforcement"
    NGO = "ngo"
    SERVICE_PROVIDER = "service_provider"
    HEALTH = "health"
    LEGAL_AID = "legal_aid"
    FAITH_COMMUNITY = "faith_community"
    ACADEMIC = "academic"
    OTHER = "other"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    OrganizationKind.STATE_AGENCY: "State agency",
    OrganizationKind.LAW_ENFORCEMENT: "Law enforcement",
    OrganizationKind.NGO: "Nongovernmental organization",
    OrganizationKind.SERVICE_PROVIDER: "Service provider",
    OrganizationKind.HEALTH: "Health",
    OrganizationKind.LEGAL_AID: "Legal aid",
    OrganizationKind.FAITH_COMMUNITY: "Faith or community group",
    OrganizationKind.ACADEMIC: "Academic",
    OrganizationKind.OTHER: "Other",
}


class Organization(IdMixin, TimestampMixin, db.Model):
    """A governmental or nongovernmental organization taking part in consultations."""

    __tablename__ = "organization"

    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    kind: Mapped[OrganizationKind] = mapped_column(enum_column(OrganizationKind), nullable=False)
    region: Mapped[str | None] = mapped_column(String(100), index=True)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text)
    listed_publicly: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
