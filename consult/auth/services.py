"""Account services: users, memberships, invitations, password reset. They own the commit."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult.audit import record
from consult.auth.models import AccountToken, Membership, User, new_session_nonce
from consult.auth.passwords import hash_password, password_problem, verify_password
from consult.auth.roles import Role
from consult.extensions import db
from consult.mail import external_url, send_mail
from consult.models import utcnow


class AccountError(Exception):
    """A domain error with a message fit to show the person."""


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def check_password(password: str, user: User) -> None:
    problem = password_problem(
        password,
        min_length=current_app.config["PASSWORD_MIN_LENGTH"],
        email=user.email,
        name=user.name,
    )
    if problem:
        raise AccountError(problem)


def create_user(
    *,
    email: str,
    name: str,
    role: Role,
    organization_id: int | None = None,
    password: str | None = None,
    actor_id: int | None = None,
) -> User:
    """Create a user with one membership. Respondents need an organization."""
    email = normalise_email(email)
    if not email or "@" not in email:
        raise AccountError("Enter an e-mail address like name@example.org.")
    if User.by_email(email):
        raise AccountError(f"An account for {email} already exists.")
    if role is Role.RESPONDENT and organization_id is None:
        raise AccountError("A respondent must belong to an organization.")
    user = User(email=email, name=name.strip() or email)
    if password is not None:
        check_password(password, user)
        user.password_hash = hash_password(password)
    membership_org = organization_id if role is Role.RESPONDENT else None
    user.memberships.append(Membership(role=role, organization_id=membership_org))
    db.session.add(user)
    db.session.flush()
    record(
        "user.create",
        actor_id=actor_id,
        object_type="user",
        object_id=user.id,
        detail={"role": role.value, "organization_id": organization_id},
    )
    db.session.commit()
    return user


def issue_token(user: User, purpose: str, ttl: timedelta, created_by_id: int | None = None) -> str:
    """Create a single-use token; only its hash is stored. Earlier unused ones are retired."""
    for old in db.session.scalars(
        select(AccountToken).where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
    ):
        old.used_at = utcnow()
    raw = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            purpose=purpose,
            user_id=user.id,
            token_hash=token_hash(raw),
            expires_at=utcnow() + ttl,
            created_by_id=created_by_id,
        )
    )
    return raw


def find_token(raw: str, purpose: str) -> AccountToken:
    tok = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == token_hash(raw or ""), AccountToken.purpose == purpose
        )
    )
    if tok is None or tok.used_at is not None:
        raise AccountError(
            _l("This link has already been used or is not valid. Ask for a new one.")
        )
    if tok.expires_at < utcnow():
        raise AccountError(_l("This link has expired. Ask for a new one."))
    return tok


def invite_user(
    *, email: str, name: str, role: Role, organization_id: int | None, actor: User
) -> tuple[User, str]:
    """Invite a person (new or existing account) and e-mail a single-use set-password link."""
    if not actor.can("invite"):
        raise AccountError("You may not invite people.")
    if role is Role.ADMIN and not actor.can("administer"):
        raise AccountError("Only an administrator can invite an administrator.")
    email = normalise_email(email)
    user = User.by_email(email)
    if user is None:
        user = create_user(
            email=email, name=name, role=role, organization_id=organization_id, actor_id=actor.id
        )
    else:
        add_membership(user, role, organization_id, actor=actor, commit=False)
    raw = issue_token(user, "invite", current_app.config["INVITATION_TTL"], actor.id)
    record(
        "user.invite",
        actor_id=actor.id,
        object_type="user",
        object_id=user.id,
        detail={"role": role.value, "organization_id": organization_id},
    )
    db.session.commit()
    link = external_url("auth.accept_invitation", token=raw)
    send_mail(
        user.email,
        "You are invited to Consult",
        render_template(
            "auth/email/invitation.txt", user=user, inviter=actor, link=link, role=role
        ),
    )
    return user, link


def add_membership(
    user: User, role: Role, organization_id: int | None, *, actor: User, commit: bool = True
) -> Membership:
    org_id = organization_id if role is Role.RESPONDENT else None
    if role is Role.RESPONDENT and org_id is None:
        raise AccountError("A respondent must belong to an organization.")
    for m in user.memberships:
        if m.role is role and m.organization_id == org_id:
            return m
    m = Membership(role=role, organization_id=org_id)
    user.memberships.append(m)
    record(
        "user.role_change",
        actor_id=actor.id,
        object_type="user",
        object_id=user.id,
        detail={"added": role.value, "organization_id": org_id},
    )
    if commit:
        db.session.commit()
    return m


def remove_membership(membership: Membership, *, actor: User) -> None:
    user = membership.user
    if len(user.memberships) == 1:
        raise AccountError("A person needs at least one role; deactivate the account instead.")
    record(
        "user.role_change",
        actor_id=actor.id,
        object_type="user",
        object_id=user.id,
        detail={"removed": membership.role.value, "organization_id": membership.organization_id},
    )
    db.session.delete(membership)
    db.session.commit()


def set_password_with_token(raw: str, purpose: str, password: str) -> User:
    """Use an invitation or reset token to set a password; the token is spent."""
    tok = find_token(raw, purpose)
    user = tok.user
    check_password(password, user)
    user.password_hash = hash_password(password)
    user.active = True
    user.session_nonce = new_session_nonce()  # signs out every other session
    tok.used_at = utcnow()
    record(
        f"user.{'accept_invitation' if purpose == 'invite' else 'password_reset'}",
        actor_id=user.id,
        object_type="user",
        object_id=user.id,
    )
    db.session.commit()
    return user


def request_password_reset(email: str) -> None:
    """E-mail a reset link if the account exists; say nothing either way."""
    user = User.by_email(normalise_email(email))
    if user is None or not user.active:
        return
    raw = issue_token(user, "reset", current_app.config["PASSWORD_RESET_TTL"])
    record("user.password_reset_request", actor_id=None, object_type="user", object_id=user.id)
    db.session.commit()
    link = external_url("auth.reset_password", token=raw)
    send_mail(
        user.email,
        "Reset your Consult password",
        render_template("auth/email/reset.txt", user=user, link=link),
    )


def authenticate(
    email: str, password: str, ip: str | None = None, totp_code: str | None = None
) -> User | None:
    """Return the user if the credentials (and the two-factor code, when the account has
    two-factor on) are right; log failures without the password or code. A two-factor code is
    accepted once only: a replay fails like a wrong code."""
    from consult.auth.totp import consume_code

    user = User.by_email(normalise_email(email))
    ok = verify_password(user.password_hash if user else None, password)
    second = ok and user is not None and bool(user.totp_secret)
    if second and not consume_code(user, totp_code):
        ok = False
    if not ok or user is None or not user.active:
        detail = {"email_known": user is not None}
        if second and not ok:
            detail["second_factor"] = True
        record(
            "auth.login_failed",
            actor_id=user.id if user else None,
            object_type="user",
            object_id=user.id if user else None,
            detail=detail,
            ip=ip,
        )
        db.session.commit()
        return None
    user.last_login_at = utcnow()
    record("auth.login", actor_id=user.id, object_type="user", object_id=user.id, ip=ip)
    db.session.commit()
    return user


def logout_everywhere(user: User, ip: str | None = None) -> None:
    """Rotate the session nonce: every cookie issued before stops working."""
    user.session_nonce = new_session_nonce()
    record("auth.logout", actor_id=user.id, object_type="user", object_id=user.id, ip=ip)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise AccountError(_l("Your current password is not right."))
    check_password(new, user)
    user.password_hash = hash_password(new)
    user.session_nonce = new_session_nonce()
    record("user.password_change", actor_id=user.id, object_type="user", object_id=user.id)
    db.session.commit()
