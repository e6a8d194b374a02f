"""Create, list, revoke and check personal API tokens."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from consult.api.models import ApiToken, TokenScope
from consult.audit import record
from consult.extensions import db
from consult.models import utcnow

TOKEN_PREFIX = "cst_"  # noqa: S105 - a public marker, not a secret
EXPIRY_CHOICES = (7, 30, 90, 365)  # days
LAST_USED_GRANULARITY = timedelta(minutes=1)


class TokenError(Exception):
    """A problem with a token request, worded for the person."""


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(
    *, user_id: int, name: str, scope: str, expires_in_days: int
) -> tuple[ApiToken, str]:
    """Create a token for a user; returns (token, secret). The secret is never stored."""
    name = (name or "").strip()
    if not name:
        raise TokenError("Enter a name that says what the token is for.")
    if len(name) > 100:
        raise TokenError("The name can be up to 100 characters.")
    try:
        scope_value = TokenScope(scope)
    except ValueError:
        raise TokenError("Choose read only, or read and write.") from None
    if expires_in_days not in EXPIRY_CHOICES:
        raise TokenError("Choose when the token expires.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user_id,
        name=name,
        prefix=secret[:12],
        token_hash=hash_secret(secret),
        scope=scope_value,
        expires_at=utcnow() + timedelta(days=expires_in_days),
    )
    db.session.add(token)
    db.session.flush()
    record(
        "api_token.create",
        actor_id=user_id,
        object_type="api_token",
        object_id=token.id,
        detail={"name": name, "scope": scope_value.value, "prefix": token.prefix},
    )
    db.session.commit()
    return token, secret


def tokens_of(user_id: int) -> list[ApiToken]:
    """A user's tokens, newest first (revoked and expired ones included, for the record)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user_id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(*, token_id: int, user_id: int) -> ApiToken:
    """Revoke one of the user's own tokens (idempotent)."""
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
    )
    if token is None:
        raise TokenError("There is no such token on your account.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(
            "api_token.revoke",
            actor_id=user_id,
            object_type="api_token",
            object_id=token.id,
            detail={"prefix": token.prefix},
        )
        db.session.commit()
    return token


def token_for_secret(secret: str, now: datetime | None = None) -> ApiToken | None:
    """The usable token with this secret whose user is active, or None; notes when it was used."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    now = now or utcnow()
    if token is None or not token.is_usable(now) or not token.user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        # a single UPDATE so parallel requests never conflict over the row they loaded
        db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        db.session.commit()
    return token
