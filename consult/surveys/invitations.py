"""Survey distribution: invitations per organization (hashed tokens), reminders, the public link."""

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, has_request_context, url_for
from sqlalchemy import and_, distinct, func, or_, select

from consult.audit import record
from consult.auth.services import token_hash
from consult.extensions import db
from consult.mail import external_url, send_mail
from consult.models import utcnow
from consult.orgs.models import KIND_LABELS, Organization, OrganizationKind
from consult.surveys.models import (
    Response,
    ResponseStatus,
    Survey,
    SurveyInvitation,
    SurveyInvitationLink,
)

ENTRY_ENDPOINT = "surveys.invitation_link"  # Part A's respondent entry: /surveys/invite/<token>
PUBLIC_ENDPOINT = "surveys.public_link"


class InvitationError(Exception):
    """A distribution problem worded for the person."""


def new_token() -> tuple[str, str]:
    """A random URL-safe token and the sha256 hash that is the only thing stored."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def _absolute(endpoint: str, **values) -> str:
    """An absolute URL for e-mails, also outside a request (CLI, jobs) via SERVER_BASE_URL."""
    if has_request_context():
        return external_url(endpoint, **values)
    base = current_app.config.get("SERVER_BASE_URL")
    if not base:
        raise InvitationError("Set SERVER_BASE_URL so the e-mailed links point at this site.")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def invitation_url(token: str) -> str:
    return _absolute(ENTRY_ENDPOINT, token=token)


def public_url(token: str) -> str:
    return _absolute(PUBLIC_ENDPOINT, token=token)


def find_invitation(token: str) -> SurveyInvitation | None:
    """The live invitation for a token (not revoked, not expired), else None."""
    hashed = token_hash(token or "")
    inv = db.session.scalar(select(SurveyInvitation).where(SurveyInvitation.token_hash == hashed))
    if inv is None:  # an earlier link, kept working after a reminder
        inv = db.session.scalar(
            select(SurveyInvitation)
            .join(SurveyInvitationLink, SurveyInvitationLink.invitation_id == SurveyInvitation.id)
            .where(SurveyInvitationLink.token_hash == hashed)
        )
    if inv is None or inv.revoked or (inv.expires_at and inv.expires_at < utcnow()):
        return None
    return inv


@dataclass
class InviteOutcome:
    sent: int = 0
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _survey(survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise InvitationError(f"There is no survey {survey_id}.")
    return survey


def _title(survey: Survey) -> str:
    return survey.text("title", survey.default_language)


def _mail(survey: Survey, inv: SurveyInvitation, token: str, *, reminder: bool) -> bool:
    """Send an invitation or reminder; True if it went out (a mail failure is not fatal)."""
    title = _title(survey)
    closes = f"\nThe survey closes on {survey.closes_at:%d %B %Y}.\n" if survey.closes_at else ""
    first = (
        f"This is a reminder: we have not yet received {inv.organization.name}'s answers to “{title}”."
        if reminder
        else f"{inv.organization.name} is invited to answer “{title}”."
    )
    also = ""
    if "es" in (survey.languages or []) and survey.default_language != "es":
        also = f"\nLa encuesta «{survey.text('title', 'es')}» también está disponible en español.\n"
    body = (
        f"{first}\n\nOpen your organization's link to answer, save and come back later:\n"
        f"{invitation_url(token)}\n{closes}{also}\n"
        + (
            "The link in our first e-mail works too; your saved answers are kept.\n"
            if reminder
            else ""
        )
        + "Do not forward this e-mail: the link lets anyone answer for your organization.\n"
    )
    subject = ("Reminder: " if reminder else "Invitation: ") + title
    try:
        send_mail(inv.email, subject, body)
    except OSError:
        current_app.logger.warning("survey invitation mail failed for invitation %s", inv.id)
        return False
    return True


def invite(
    survey_id: int,
    *,
    organization_ids: list[int] = (),
    kinds: list[str] = (),
    email: str | None = None,
    expires_at: datetime | None = None,
    actor_id: int | None = None,
) -> InviteOutcome:
    """Invite the chosen organizations (and every organization of the chosen kinds) by e-mail."""
    survey = _survey(survey_id)
    email = (email or "").strip().lower() or None
    kind_values = [OrganizationKind(k) for k in kinds if k in {m.value for m in OrganizationKind}]
    if not organization_ids and not kind_values:
        raise InvitationError("Choose at least one organization or kind of organization.")
    orgs = db.session.scalars(
        select(Organization)
        .where(or_(Organization.id.in_(list(organization_ids)), Organization.kind.in_(kind_values)))
        .order_by(Organization.name)
    ).all()
    if email and len(orgs) != 1:
        raise InvitationError("Give an e-mail address only when inviting a single organization.")
    if email and ("@" not in email or " " in email):
        raise InvitationError("Enter an e-mail address like name@example.org.")
    existing = {
        (inv.organization_id, inv.email): inv
        for inv in db.session.scalars(
            select(SurveyInvitation).where(SurveyInvitation.survey_id == survey.id)
        )
    }
    outcome = InviteOutcome()
    for org in orgs:
        address = email or (org.contact_email or "").strip().lower()
        if not address:
            outcome.skipped.append(f"{org.name}: no contact e-mail address")
            continue
        inv = existing.get((org.id, address))
        if inv is not None and not inv.revoked:
            outcome.skipped.append(f"{org.name}: already invited at {address}")
            continue
        token, hashed = new_token()
        if inv is None:
            inv = SurveyInvitation(survey_id=survey.id, organization_id=org.id, email=address)
            db.session.add(inv)
        inv.token_hash, inv.revoked, inv.expires_at = hashed, False, expires_at
        inv.organization = org
        db.session.flush()
        if _mail(survey, inv, token, reminder=False):
            inv.sent_at = utcnow()
            outcome.sent += 1
        else:
            outcome.failed.append(f"{org.name}: the e-mail could not be sent")
    _audit(
        survey, "survey.invite", actor_id, {"sent": outcome.sent, "skipped": len(outcome.skipped)}
    )
    db.session.commit()
    return outcome


def _submitted_orgs(survey_id: int):
    return select(Response.organization_id).where(
        Response.survey_id == survey_id,
        Response.status == ResponseStatus.SUBMITTED,
        Response.is_test.is_(False),
        Response.organization_id.is_not(None),
    )


def pending_invitations(survey_id: int) -> list[SurveyInvitation]:
    """Live invitations of organizations that have not submitted (who reminders go to)."""
    return list(
        db.session.scalars(
            select(SurveyInvitation)
            .where(
                SurveyInvitation.survey_id == survey_id,
                SurveyInvitation.revoked.is_(False),
                or_(SurveyInvitation.expires_at.is_(None), SurveyInvitation.expires_at > utcnow()),
                SurveyInvitation.organization_id.not_in(_submitted_orgs(survey_id)),
            )
            .order_by(SurveyInvitation.id)
        )
    )


def remind(survey_id: int, *, actor_id: int | None = None) -> InviteOutcome:
    """E-mail a fresh link to every invited organization that has not submitted yet."""
    survey = _survey(survey_id)
    outcome = InviteOutcome()
    for inv in pending_invitations(survey.id):
        # only hashes are kept, so a reminder needs a new link; the earlier one keeps working
        db.session.add(SurveyInvitationLink(invitation_id=inv.id, token_hash=inv.token_hash))
        token, inv.token_hash = new_token()
        if _mail(survey, inv, token, reminder=True):
            inv.reminder_count += 1
            inv.last_reminded_at = utcnow()
            outcome.sent += 1
        else:
            outcome.failed.append(f"{inv.organization.name}: the e-mail could not be sent")
    _audit(survey, "survey.remind", actor_id, {"sent": outcome.sent})
    db.session.commit()
    return outcome


def _invitation(survey_id: int, invitation_id: int) -> SurveyInvitation:
    inv = db.session.scalar(
        select(SurveyInvitation).where(
            SurveyInvitation.id == invitation_id, SurveyInvitation.survey_id == survey_id
        )
    )
    if inv is None:
        raise InvitationError("That invitation does not exist.")
    return inv


def revoke(survey_id: int, invitation_id: int, *, actor_id: int | None = None) -> SurveyInvitation:
    """Stop an invitation's link from working (answers already given are kept)."""
    inv = _invitation(survey_id, invitation_id)
    inv.revoked = True
    _audit(_survey(survey_id), "survey.invitation_revoke", actor_id, {"invitation": inv.id})
    db.session.commit()
    return inv


def resend(survey_id: int, invitation_id: int, *, actor_id: int | None = None) -> SurveyInvitation:
    """Send a new link for an invitation (the old link stops working; a revoked one is restored)."""
    survey = _survey(survey_id)
    inv = _invitation(survey_id, invitation_id)
    # a resend replaces a link that may be lost or leaked: every earlier link stops working
    db.session.execute(
        SurveyInvitationLink.__table__.delete().where(SurveyInvitationLink.invitation_id == inv.id)
    )
    token, inv.token_hash = new_token()
    inv.revoked = False
    if not _mail(survey, inv, token, reminder=False):
        db.session.rollback()
        raise InvitationError("The e-mail could not be sent; try again later.")
    inv.sent_at = utcnow()
    _audit(survey, "survey.invitation_resend", actor_id, {"invitation": inv.id})
    db.session.commit()
    return inv


def set_public_link(survey_id: int, enabled: bool, *, actor_id: int | None = None) -> str | None:
    """Create (or replace) the anonymous public link and return its URL; or switch it off."""
    survey = _survey(survey_id)
    url = None
    if enabled:
        token, survey.public_token_hash = new_token()
        survey.allow_anonymous = True
        url = public_url(token)
    else:
        survey.public_token_hash = None
        survey.allow_anonymous = False
    _audit(survey, "survey.public_link_on" if enabled else "survey.public_link_off", actor_id, None)
    db.session.commit()
    return url


def _audit(survey: Survey, action: str, actor_id: int | None, detail: dict | None) -> None:
    record(
        action,
        actor_id=actor_id,
        object_type="survey",
        object_id=survey.id,
        consultation_id=survey.consultation_id,
        detail=detail,
    )


@dataclass
class Rate:
    label: str
    invited: int
    submitted: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.submitted / self.invited, 1) if self.invited else 0.0


@dataclass
class OrgRate(Rate):
    organization_id: int = 0
    kind: str = ""
    responses: int = 0
    reminders: int = 0
    last_reminded_at: datetime | None = None


def response_rates(survey_id: int) -> tuple[list[OrgRate], list[Rate], Rate]:
    """Invited vs submitted organizations, per organization and per kind, computed in SQL."""
    done = (
        select(Response.organization_id, func.count(Response.id).label("n"))
        .where(
            Response.organization_id.is_not(None),
            Response.survey_id == survey_id,
            Response.status == ResponseStatus.SUBMITTED,
            Response.is_test.is_(False),
        )
        .group_by(Response.organization_id)
        .subquery()
    )
    live = and_(SurveyInvitation.survey_id == survey_id, SurveyInvitation.revoked.is_(False))
    rows = db.session.execute(
        select(
            Organization.id,
            Organization.name,
            Organization.kind,
            func.coalesce(func.max(done.c.n), 0),
            func.coalesce(func.sum(SurveyInvitation.reminder_count), 0),
            func.max(SurveyInvitation.last_reminded_at),
        )
        .join(SurveyInvitation, SurveyInvitation.organization_id == Organization.id)
        .outerjoin(done, done.c.organization_id == Organization.id)
        .where(live)
        .group_by(Organization.id, Organization.name, Organization.kind)
        .order_by(Organization.name)
    ).all()
    by_org = [
        OrgRate(name, 1, int(n > 0), oid, KIND_LABELS[kind], int(n), int(rem), last)
        for oid, name, kind, n, rem, last in rows
    ]
    kind_rows = db.session.execute(
        select(
            Organization.kind,
            func.count(distinct(SurveyInvitation.organization_id)),
            func.count(distinct(done.c.organization_id)),
        )
        .join(SurveyInvitation, SurveyInvitation.organization_id == Organization.id)
        .outerjoin(done, done.c.organization_id == Organization.id)
        .where(live)
        .group_by(Organization.kind)
    ).all()
    by_kind = sorted(
        (Rate(KIND_LABELS[k], inv, sub) for k, inv, sub in kind_rows), key=lambda r: r.label
    )
    total = Rate(
        "All invited organizations",
        sum(r.invited for r in by_kind),
        sum(r.submitted for r in by_kind),
    )
    return by_org, by_kind, total


def invitation_list(survey_id: int) -> list[SurveyInvitation]:
    """Every invitation of the survey with its organization (one query)."""
    return list(
        db.session.scalars(
            select(SurveyInvitation)
            .where(SurveyInvitation.survey_id == survey_id)
            .order_by(SurveyInvitation.revoked, SurveyInvitation.id)
        )
    )
