"""Consultation list, dashboard, create/edit, and the audit log."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from consult.audit import AuditEvent
from consult.auth.decorators import permission_required
from consult.consultations import bp
from consult.consultations.forms import ConsultationForm
from consult.consultations.models import Consultation
from consult.consultations.services import (
    ConsultationError,
    counts_for,
    create_consultation,
    dashboard_links,
    update_consultation,
)
from consult.extensions import db


@bp.route("/")
@permission_required("view_consultation_dashboard")
def index():
    consultations = db.session.scalars(
        select(Consultation).order_by(Consultation.created_at.desc())
    ).all()
    counts = counts_for([c.id for c in consultations])
    return render_template("consultations/index.html", consultations=consultations, counts=counts)


@bp.route("/<slug>")
@permission_required("view_consultation_dashboard")
def dashboard(slug):
    c = db.first_or_404(select(Consultation).where(Consultation.slug == slug))
    links = dashboard_links(c, current_user)
    return render_template(
        "consultations/dashboard.html", c=c, counts=counts_for([c.id])[c.id], links=links
    )


def _populate(form: ConsultationForm, current: Consultation | None) -> None:
    others = db.session.execute(
        select(Consultation.id, Consultation.title).order_by(Consultation.title)
    ).all()
    form.wave_of_id.choices = [(0, "— not a wave —")] + [
        (i, t) for i, t in others if not current or i != current.id
    ]


def _fields(form: ConsultationForm) -> dict:
    return {
        "title": form.title.data,
        "body": form.body.data or None,
        "purpose": form.purpose.data or None,
        "stage": form.stage.data,
        "opens_on": form.opens_on.data,
        "closes_on": form.closes_on.data,
        "retention_until": form.retention_until.data,
        "languages": form.languages.data or ["en"],
        "wave_of_id": form.wave_of_id.data or None,
        "executive_summary": form.executive_summary.data or None,
    }


@bp.route("/new", methods=["GET", "POST"])
@permission_required("manage_consultations")
def create():
    form = ConsultationForm()
    _populate(form, None)
    if form.validate_on_submit():
        try:
            fields = _fields(form)
            c = create_consultation(
                title=fields.pop("title"), slug=form.slug.data, actor_id=current_user.id, **fields
            )
        except ConsultationError as exc:
            form.slug.errors.append(str(exc))
        else:
            flash(f"{c.title} created.", "success")
            return redirect(url_for("consultations.dashboard", slug=c.slug))
    return render_template("consultations/form.html", form=form, c=None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@permission_required("manage_consultations")
def edit(slug):
    c = db.first_or_404(select(Consultation).where(Consultation.slug == slug))
    form = ConsultationForm(obj=c)
    _populate(form, c)
    if request.method == "GET":
        form.stage.data = c.stage.value
        form.languages.data = c.languages
        form.wave_of_id.data = c.wave_of_id or 0
    del form.slug
    if form.validate_on_submit():
        try:
            update_consultation(c, actor_id=current_user.id, **_fields(form))
        except ConsultationError as exc:
            form.closes_on.errors.append(str(exc))
        else:
            flash("Changes saved.", "success")
            return redirect(url_for("consultations.dashboard", slug=c.slug))
    return render_template("consultations/form.html", form=form, c=c)


@bp.route("/audit")
@permission_required("view_audit_log")
def audit_log():
    action = (request.args.get("action") or "").strip()
    object_type = (request.args.get("object_type") or "").strip()
    actor = (request.args.get("actor") or "").strip()
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action, autoescape=True))
    if object_type:
        stmt = stmt.where(AuditEvent.object_type == object_type)
    if actor:
        from consult.auth.models import User

        stmt = stmt.join(User, User.id == AuditEvent.actor_id).where(
            User.email.contains(actor.lower(), autoescape=True)
        )
    page = db.paginate(stmt, per_page=50, error_out=False)
    types = db.session.scalars(
        select(AuditEvent.object_type).distinct().where(AuditEvent.object_type.is_not(None))
    ).all()
    return render_template(
        "consultations/audit.html",
        page=page,
        action=action,
        object_type=object_type,
        actor=actor,
        types=sorted(types),
    )
