"""Password hashing (argon2id) and password rules."""

from functools import cache
from importlib import resources

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

_strong = PasswordHasher()
_cheap = PasswordHasher.from_parameters(profiles.CHEAPEST)


def _hasher() -> PasswordHasher:
    """The test suite may ask for cheap hashes (ARGON2_CHEAP); production never does."""
    if has_app_context() and current_app.config.get("ARGON2_CHEAP") and current_app.testing:
        return _cheap
    return _strong


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # spend the same time as a real check so a missing account is not obvious
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("consult.auth").joinpath("common_passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(
    password: str, *, min_length: int, email: str = "", name: str = ""
) -> str | None:
    """Return why a password is not acceptable, or None."""
    if len(password) < min_length:
        return _l("Use at least %(n)d characters.", n=min_length)
    if len(password) > 256:
        return _l("Use at most 256 characters.")
    lowered = password.lower()
    if lowered in common_passwords() or lowered.rstrip("0123456789!") in common_passwords():
        return _l(
            "This password is too common. Choose a longer phrase that others would not guess."
        )
    if len(set(password)) < 4:
        return _l("Use a password with more variety than repeated characters.")
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and local in lowered:
        return _l("Do not use your e-mail address in your password.")
    return None
