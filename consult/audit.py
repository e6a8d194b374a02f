"""The append-only audit log: who did what to which object, when."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.models import IdMixin, UTCDateTime, db, utcnow


class AuditEvent(IdMixin, db.Model):
    """One audited action. Never updated or deleted by the application."""

    __tablename__ = "audit_event"

    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60), nullable=False, index=True)
    object_type: Mapped[str | None] = mapped_column(String(40), index=True)
    object_id: Mapped[str | None] = mapped_column(String(64))
    consultation_id: Mapped[int | None] = mapped_column(index=True)
    # before/after values for coding and moderation; never testimony text or passwords
    detail: Mapped[dict | None] = mapped_column(JSON)
    ip: Mapped[str | None] = mapped_column(String(64))

    actor = relationship("User", lazy="joined")


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target):
    raise RuntimeError("The audit log is append-only.")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise RuntimeError("The audit log is append-only.")


def record(
    action: str,
    *,
    actor_id: int | None = None,
    object_type: str | None = None,
    object_id: int | str | None = None,
    consultation_id: int | None = None,
    detail: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    ev = AuditEvent(
        action=action,
        actor_id=actor_id,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        consultation_id=consultation_id,
        detail=detail,
        ip=ip,
    )
    db.session.add(ev)
    return ev
