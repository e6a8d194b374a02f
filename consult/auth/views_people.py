"""A person's page: their roles, and (administrators) adding or removing a role."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from consult.auth import bp
from consult.auth.decorators import permission_required
from consult.auth.forms import MembershipForm
from consult.auth.models import Membership, User
from consult.auth.roles import Role
from consult.auth.services import AccountError, add_membership, remove_membership
from consult.extensions import db
from consult.orgs.models import Organization


def _membership_form() -> MembershipForm:
    form = MembershipForm()
    orgs = db.session.execute(
        select(Organization.id, Organization.name).order_by(Organization.name)
    ).all()
    form.organization_id.choices = [(0, "— none —")] + [(o.id, o.name) for o in orgs]
    return form


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@permission_required("invite")
def person(user_id):
    user = db.get_or_404(User, user_id)
    form = _membership_form()
    if form.validate_on_submit():
        if not current_user.can("administer"):
            abort(403)
        role = Role(form.role.data)
        org_id = form.organization_id.data or None
        if role is Role.RESPONDENT and not org_id:
            form.organization_id.errors.append(
                "Choose the organization the respondent answers for."
            )
        else:
            try:
                add_membership(user, role, org_id, actor=current_user)
            except AccountError as exc:
                form.role.errors.append(str(exc))
            else:
                flash(f"{user.name} is now also {role.label.lower()}.", "success")
                return redirect(url_for("auth.person", user_id=user.id))
    return render_template("auth/person.html", person=user, form=form)


@bp.route("/users/<int:user_id>/roles/<int:membership_id>/remove", methods=["POST"])
@permission_required("administer")
def remove_role(user_id, membership_id):
    membership = db.session.scalar(
        select(Membership).where(Membership.id == membership_id, Membership.user_id == user_id)
    )
    if membership is None:
        abort(404)
    try:
        if membership.user_id == current_user.id and membership.role is Role.ADMIN:
            raise AccountError("You cannot remove your own administrator role.")
        remove_membership(membership, actor=current_user)
    except AccountError as exc:
        flash(str(exc), "error")
    else:
        flash("Role removed.", "success")
    return redirect(url_for("auth.person", user_id=user_id))
