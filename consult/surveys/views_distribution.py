"""Survey distribution: invitations, reminders, revoke/resend, the public link, response rates."""

from datetime import UTC, date, datetime, time

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from consult.auth.decorators import permission_required
from consult.extensions import db
from consult.orgs.models import KIND_LABELS, Organization
from consult.surveys import bp
from consult.surveys import invitations as service
from consult.surveys.models import Survey


def _back(survey_id: int):
    return redirect(url_for("surveys.distribution", survey_id=survey_id))


@bp.route("/<int:survey_id>/distribution")
@permission_required("build_surveys")
def distribution(survey_id):
    survey = db.get_or_404(Survey, survey_id)
    by_org, by_kind, total = service.response_rates(survey.id)
    organizations = db.session.scalars(select(Organization).order_by(Organization.name)).all()
    return render_template(
        "surveys/distribution/index.html",
        survey=survey,
        lang=str(get_locale() or "en"),
        by_org=by_org,
        by_kind=by_kind,
        total=total,
        invitations=service.invitation_list(survey.id),
        responded={r.organization_id for r in by_org if r.submitted},
        pending=len(service.pending_invitations(survey.id)),
        organizations=organizations,
        kinds=KIND_LABELS,
        form=request.args,
    )


def _expiry(value: str | None) -> datetime | None:
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return datetime.combine(day, time(23, 59), UTC) if day else None


@bp.route("/<int:survey_id>/invitations", methods=["POST"])
@permission_required("build_surveys")
def invite(survey_id):
    db.get_or_404(Survey, survey_id)
    try:
        outcome = service.invite(
            survey_id,
            organization_ids=request.form.getlist("organization", type=int),
            kinds=request.form.getlist("kind"),
            email=request.form.get("email"),
            expires_at=_expiry(request.form.get("expires_on")),
            actor_id=current_user.id,
        )
    except service.InvitationError as exc:
        flash(str(exc), "error")
        return redirect(url_for("surveys.distribution", survey_id=survey_id, **_kept()))
    flash(f"{outcome.sent} invitation{'s' if outcome.sent != 1 else ''} sent.", "success")
    for line in outcome.skipped + outcome.failed:
        flash(f"Not sent: {line}.", "warning")
    return _back(survey_id)


def _kept() -> dict:
    """What the person typed, kept across the redirect after an error."""
    return {
        "email": request.form.get("email", ""),
        "expires_on": request.form.get("expires_on", ""),
    }


@bp.route("/<int:survey_id>/invitations/remind", methods=["POST"])
@permission_required("build_surveys")
def remind(survey_id):
    db.get_or_404(Survey, survey_id)
    outcome = service.remind(survey_id, actor_id=current_user.id)
    flash(
        f"{outcome.sent} reminder{'s' if outcome.sent != 1 else ''} sent to organizations that "
        "have not responded.",
        "success",
    )
    for line in outcome.failed:
        flash(f"Not sent: {line}.", "warning")
    return _back(survey_id)


@bp.route(
    "/<int:survey_id>/invitations/<int:invitation_id>/<any(revoke, resend):action>",
    methods=["POST"],
)
@permission_required("build_surveys")
def invitation_action(survey_id, invitation_id, action):
    try:
        fn = service.revoke if action == "revoke" else service.resend
        inv = fn(survey_id, invitation_id, actor_id=current_user.id)
    except service.InvitationError as exc:
        flash(str(exc), "error")
    else:
        done = (
            "revoked: its link no longer works"
            if action == "revoke"
            else "sent again with a new link"
        )
        flash(f"Invitation for {inv.organization.name} {done}.", "success")
    return _back(survey_id)


@bp.route("/<int:survey_id>/public-link", methods=["POST"])
@permission_required("build_surveys")
def public_link_settings(survey_id):
    db.get_or_404(Survey, survey_id)
    enabled = request.form.get("action") in ("generate", "rotate")
    url = service.set_public_link(survey_id, enabled, actor_id=current_user.id)
    if url:
        flash(f"Public link (copy it now; it is shown only once): {url}", "success")
    else:
        flash("The public link is switched off.", "success")
    return _back(survey_id)
