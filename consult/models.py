"""Shared model helpers and a re-export of every feature's models (for Alembic and the shell)."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, Integer
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from consult.extensions import db


def utcnow() -> datetime:
    """Timezone-aware now in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A DateTime that always comes back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class IdMixin:
    """Integer primary key."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)


class TimestampMixin:
    """Created and updated timestamps, set by the database session."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


def enum_column(enum_cls, length: int = 30):
    """A portable enum column stored as its string values (VARCHAR + CHECK-free)."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        validate_strings=True,
        values_callable=lambda e: [m.value for m in e],
    )


def import_all_models() -> None:
    """Import every feature's models so the metadata is complete (Alembic, create_all)."""
    import importlib
    import pkgutil

    import consult

    for mod in pkgutil.iter_modules(consult.__path__):
        if mod.ispkg:
            try:
                importlib.import_module(f"consult.{mod.name}.models")
            except ModuleNotFoundError as exc:
                if exc.name != f"consult.{mod.name}.models":
                    raise
    importlib.import_module("consult.audit")
    importlib.import_module("consult.jobs")


__all__ = [
    "db",
    "enum_column",
    "utcnow",
    "UTCDateTime",
    "IdMixin",
    "TimestampMixin",
    "import_all_models",
]
