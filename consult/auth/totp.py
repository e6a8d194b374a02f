"""Optional two-factor authentication (TOTP, RFC 6238) for any account; required for staff and
administrators when REQUIRE_TOTP_FOR_STAFF is set."""

import pyotp
from flask_babel import lazy_gettext as _l

from consult.audit import record
from consult.auth.models import User
from consult.auth.passwords import verify_password
from consult.extensions import db

ISSUER = "Consult"


class TotpError(Exception):
    """A code or password that is not right, worded for the person."""


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def code_is_valid(secret: str | None, code: str | None) -> bool:
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    return bool(secret) and len(code) == 6 and pyotp.TOTP(secret).verify(code, valid_window=1)


def enable(user: User, secret: str, code: str) -> None:
    """Turn two-factor on once the person proves their app shows the right code."""
    if not code_is_valid(secret, code):
        raise TotpError(_l("That code is not right. Check the time on your phone and try again."))
    user.totp_secret = secret
    record("user.totp_enable", actor_id=user.id, object_type="user", object_id=user.id)
    db.session.commit()


def disable(user: User, password: str, code: str) -> None:
    """Turn two-factor off; needs the password and a current code."""
    if not verify_password(user.password_hash, password or ""):
        raise TotpError(_l("Your password is not right."))
    if not code_is_valid(user.totp_secret, code):
        raise TotpError(_l("That code is not right."))
    user.totp_secret = None
    record("user.totp_disable", actor_id=user.id, object_type="user", object_id=user.id)
    db.session.commit()


def must_enrol(user, config) -> bool:
    """Staff and administrators must have two-factor on when the setting requires it."""
    return bool(
        config.get("REQUIRE_TOTP_FOR_STAFF")
        and getattr(user, "is_authenticated", False)
        and user.is_staff_like
        and not user.totp_secret
    )
