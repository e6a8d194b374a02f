"""Users, memberships and single-use account tokens."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.auth.roles import Role
from consult.models import IdMixin, TimestampMixin, UTCDateTime, db, enum_column


def new_session_nonce() -> str:
    return secrets.token_urlsafe(16)


class User(IdMixin, TimestampMixin, UserMixin, db.Model):
    """A person who signs in. The session nonce changes at logout and password change."""

    __tablename__ = "user"

    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    session_nonce: Mapped[str] = mapped_column(
        String(64), default=new_session_nonce, nullable=False
    )
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # RFC 6238 section 5.2: the time step of the last two-factor code accepted; a code is only
    # accepted for a later step, so none can be replayed.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    preferred_language: Mapped[str | None] = mapped_column(String(10))

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # Flask-Login: the id in the session includes the nonce, so rotating it logs out everywhere.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    @property
    def role(self) -> Role:
        """The user's highest role (instance-wide roles outrank organization roles)."""
        roles = [m.role for m in self.memberships]
        return max(roles, key=lambda r: r.rank) if roles else Role.RESPONDENT

    def has_role(self, *roles: Role) -> bool:
        return any(m.role in roles for m in self.memberships)

    @property
    def organization_ids(self) -> set[int]:
        return {m.organization_id for m in self.memberships if m.organization_id is not None}

    @property
    def is_staff_like(self) -> bool:
        return self.role in (Role.ADMIN, Role.STAFF)

    def can(self, permission: str) -> bool:
        """True if any of the user's roles grants `permission` (a Role.can_* method name)."""
        return any(getattr(m.role, f"can_{permission}")() for m in self.memberships)

    @classmethod
    def by_email(cls, email: str) -> "User | None":
        return db.session.scalar(select(cls).where(cls.email == email.strip().lower()))


class Membership(IdMixin, TimestampMixin, db.Model):
    """A role for a user, either instance-wide (no organization) or in one organization."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "organization_id", "role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role, 20), nullable=False)

    user: Mapped[User] = relationship(back_populates="memberships")
    organization = relationship("Organization", lazy="joined")


class AccountToken(IdMixin, TimestampMixin, db.Model):
    """A single-use, expiring token (invitation or password reset); only its hash is stored."""

    __tablename__ = "account_token"

    purpose: Mapped[str] = mapped_column(String(20), nullable=False)  # invite | reset
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
