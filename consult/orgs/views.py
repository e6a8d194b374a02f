"""Organization list, create and edit."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from consult.auth.decorators import permission_required
from consult.auth.models import Membership, User
from consult.extensions import db
from consult.orgs import bp
from consult.orgs.forms import OrganizationForm
from consult.orgs.models import KIND_LABELS, Organization, OrganizationKind
from consult.orgs.services import OrganizationError, save_organization


@bp.route("/")
@permission_required("manage_organizations")
def index():
    q = (request.args.get("q") or "").strip()
    kind = request.args.get("kind") or ""
    region = request.args.get("region") or ""
    stmt = select(Organization).order_by(Organization.name)
    if q:
        stmt = stmt.where(func.lower(Organization.name).contains(q.lower(), autoescape=True))
    if kind in {k.value for k in OrganizationKind}:
        stmt = stmt.where(Organization.kind == OrganizationKind(kind))
    if region:
        stmt = stmt.where(Organization.region == region)
    page = db.paginate(stmt, per_page=25, error_out=False, count=True)
    members = dict(
        db.session.execute(
            select(Membership.organization_id, func.count(Membership.id))
            .where(Membership.organization_id.in_([o.id for o in page.items]))
            .group_by(Membership.organization_id)
        ).all()
    )
    regions = db.session.scalars(
        select(Organization.region)
        .where(Organization.region.is_not(None))
        .distinct()
        .order_by(Organization.region)
    ).all()
    return render_template(
        "orgs/index.html",
        page=page,
        members=members,
        q=q,
        kind=kind,
        region=region,
        regions=regions,
        kinds=KIND_LABELS,
    )


@bp.route("/new", methods=["GET", "POST"])
@permission_required("manage_organizations")
def create():
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            org = save_organization(None, _form_data(form), actor_id=current_user.id)
        except OrganizationError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(f"{org.name} added.", "success")
            return redirect(url_for("orgs.show", org_id=org.id))
    return render_template("orgs/form.html", form=form, org=None)


@bp.route("/<int:org_id>")
@permission_required("manage_organizations")
def show(org_id):
    org = db.get_or_404(Organization, org_id)
    people = db.session.scalars(
        select(User)
        .join(Membership)
        .where(Membership.organization_id == org.id)
        .order_by(User.name)
    ).all()
    return render_template("orgs/show.html", org=org, people=people)


@bp.route("/<int:org_id>/edit", methods=["GET", "POST"])
@permission_required("manage_organizations")
def edit(org_id):
    org = db.get_or_404(Organization, org_id)
    form = OrganizationForm(obj=org)
    if request.method == "GET":
        form.kind.data = org.kind.value
    if form.validate_on_submit():
        try:
            save_organization(org, _form_data(form), actor_id=current_user.id)
        except OrganizationError as exc:
            form.name.errors.append(str(exc))
        else:
            flash("Changes saved.", "success")
            return redirect(url_for("orgs.show", org_id=org.id))
    return render_template("orgs/form.html", form=form, org=org)


def _form_data(form: OrganizationForm) -> dict:
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "region": form.region.data or None,
        "contact_name": form.contact_name.data or None,
        "contact_email": (form.contact_email.data or "").strip().lower() or None,
        "contact_phone": form.contact_phone.data or None,
        "listed_publicly": bool(form.listed_publicly.data),
        "notes": form.notes.data or None,
    }
