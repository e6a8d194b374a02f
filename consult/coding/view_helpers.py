"""Small helpers shared by the coding view modules."""

from sqlalchemy import select

from consult.consultations.models import Consultation
from consult.extensions import db
from consult.orgs.models import KIND_LABELS, OrganizationKind


def consultation_or_404(slug: str) -> Consultation:
    return db.first_or_404(select(Consultation).where(Consultation.slug == slug))


def kind_label(value: str | None) -> str:
    """A readable label for an organization kind value."""
    try:
        return KIND_LABELS[OrganizationKind(value)]
    except ValueError:
        return value or "—"
