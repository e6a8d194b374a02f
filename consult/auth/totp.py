"""Optional two-factor authentication (TOTP, RFC 6238) for any account; required for staff and
administrators when REQUIRE_TOTP_FOR_STAFF is set.

A code is good once (RFC 6238 section 5.2): the time step of the last accepted code is kept on the
user, and only a code from a later step is accepted, so a code seen over someone's shoulder or
in a log cannot be replayed within its validity window."""

import time

import pyotp
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, update

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


def now() -> float:
    """The clock codes are checked against (a module function so tests can step through time)."""
    return time.time()


def matching_step(secret: str | None, code: str | None) -> int | None:
    """The time step whose code `code` is, within one step either side of now, or None.

    If (rarely) the code is right for two steps of the window, the later one is returned: it is
    the one most likely to be later than the step last used."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if not secret or len(code) != 6:
        return None
    otp = pyotp.TOTP(secret)
    current = otp.timecode(now())
    found = None
    for step in (current - 1, current, current + 1):
        if pyotp.utils.strings_equal(code, otp.generate_otp(step)):
            found = step
    return found


def consume_code(user: User, code: str | None) -> bool:
    """True if `code` is right for the user's secret and its time step is later than the last
    accepted one; that step is then recorded (in the caller's transaction) so the code cannot be
    used again. The check and the write are one conditional UPDATE, so of two requests racing with
    the same code only one wins, on SQLite and PostgreSQL alike."""
    step = matching_step(user.totp_secret, code)
    if step is None:
        return False
    result = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    return result.rowcount == 1


def enable(user: User, secret: str, code: str) -> None:
    """Turn two-factor on once the person proves their app shows the right code. That code's step
    is recorded, so the same code cannot then be used to sign in."""
    step = matching_step(secret, code)
    if step is None:
        raise TotpError(_l("That code is not right. Check the time on your phone and try again."))
    user.totp_secret = secret
    user.totp_last_step = step
    record("user.totp_enable", actor_id=user.id, object_type="user", object_id=user.id)
    db.session.commit()


def disable(user: User, password: str, code: str) -> None:
    """Turn two-factor off; needs the password and a current code not used before."""
    if not verify_password(user.password_hash, password or ""):
        raise TotpError(_l("Your password is not right."))
    if not consume_code(user, code):
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
