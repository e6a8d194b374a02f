"""Staff pages: hearings of a consultation, hearing set-up, summary preview and PDF."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from consult.audit import record
from consult.auth.decorators import permission_required
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.hearings import bp
from consult.hearings.display import to_local_naive, to_utc
from consult.hearings.forms import HearingForm
from consult.hearings.models import Hearing, Speaker
from consult.hearings.services import HearingError, check_timezone, save_hearing
from consult.hearings.summary import EDITIONS, build_summary, summary_html, summary_pdf
from consult.reports.pdf import RenderError


@bp.route("/manage/<slug>")
@permission_required("run_hearings")
def manage(slug):
    c = db.first_or_404(select(Consultation).where(Consultation.slug == slug))
    rows = db.session.execute(
        select(Hearing, func.count(Speaker.id))
        .outerjoin(Speaker, Speaker.hearing_id == Hearing.id)
        .where(Hearing.consultation_id == c.id)
        .group_by(Hearing.id)
        .order_by(Hearing.starts_at)
    ).all()
    return render_template("hearings/manage.html", c=c, rows=rows)


def _fields(form: HearingForm) -> dict:
    tz = form.timezone.data.strip()
    es = {
        "title": (form.title_es.data or "").strip(),
        "description": (form.description_es.data or "").strip(),
        "agenda": [a.strip() for a in (form.agenda_es.data or "").splitlines() if a.strip()],
    }
    return {
        "title": form.title.data.strip(),
        "subject": form.subject.data or None,
        "description": form.description.data or None,
        "starts_at": to_utc(form.starts_at.data, tz),
        "timezone": tz,
        "place": form.place.data or None,
        "remote_link": form.remote_link.data or None,
        "agenda": (form.agenda.data or "").splitlines(),
        "minutes_per_speaker": form.minutes_per_speaker.data,
        "signup_opens_at": to_utc(form.signup_opens_at.data, tz),
        "signup_closes_at": to_utc(form.signup_closes_at.data, tz),
        "capacity": form.capacity.data,
        "written_deadline": to_utc(form.written_deadline.data, tz),
        "status": form.status.data,
        "order_rule": form.order_rule.data,
        "translations": {"es": es} if any(es.values()) else {},
    }


def _fill(form: HearingForm, h: Hearing) -> None:
    tz = h.timezone
    for key in ("title", "subject", "description", "timezone", "place", "remote_link"):
        getattr(form, key).data = getattr(h, key)
    for key in ("starts_at", "signup_opens_at", "signup_closes_at", "written_deadline"):
        getattr(form, key).data = to_local_naive(getattr(h, key), tz)
    form.agenda.data = "\n".join(h.agenda or [])
    form.minutes_per_speaker.data = h.minutes_per_speaker
    form.capacity.data = h.capacity
    form.status.data = h.status.value
    form.order_rule.data = h.order_rule.value
    es = (h.translations or {}).get("es", {})
    form.title_es.data = es.get("title")
    form.description_es.data = es.get("description")
    form.agenda_es.data = "\n".join(es.get("agenda") or [])


def _save(form: HearingForm, hearing: Hearing | None, c: Consultation):
    if form.validate_on_submit():
        try:
            check_timezone(form.timezone.data.strip())
            h = save_hearing(hearing, c.id, _fields(form), actor_id=current_user.id)
        except HearingError as exc:
            target = form.timezone if "time zone" in str(exc) else form.title
            target.errors = [*target.errors, str(exc)]
        else:
            flash(f"Hearing “{h.title}” saved.", "success")
            return redirect(url_for("hearings.console", hearing_id=h.id))
    return render_template("hearings/form.html", form=form, c=c, hearing=hearing)


@bp.route("/manage/<slug>/new", methods=["GET", "POST"])
@permission_required("run_hearings")
def create(slug):
    c = db.first_or_404(select(Consultation).where(Consultation.slug == slug))
    return _save(HearingForm(), None, c)


@bp.route("/<int:hearing_id>/edit", methods=["GET", "POST"])
@permission_required("run_hearings")
def edit(hearing_id):
    hearing = db.get_or_404(Hearing, hearing_id)
    form = HearingForm()
    if request.method == "GET":
        _fill(form, hearing)
    return _save(form, hearing, hearing.consultation)


def _edition() -> str:
    edition = request.args.get("edition", "public")
    if edition not in EDITIONS:
        abort(404)
    if edition == "internal" and not current_user.can("read_confidential"):
        abort(403)
    return edition


def _audit_summary(hearing: Hearing, edition: str, fmt: str) -> None:
    record(
        "hearing.summary",
        actor_id=current_user.id,
        object_type="hearing",
        object_id=hearing.id,
        consultation_id=hearing.consultation_id,
        detail={"edition": edition, "format": fmt},
    )
    db.session.commit()


@bp.route("/<int:hearing_id>/summary")
@permission_required("run_hearings")
def summary(hearing_id):
    edition = _edition()
    s = build_summary(hearing_id, edition)
    _audit_summary(s.hearing, edition, "html")
    return summary_html(s, preview=True)


@bp.route("/<int:hearing_id>/summary.pdf")
@permission_required("run_hearings")
def summary_download(hearing_id):
    edition = _edition()
    hearing = db.get_or_404(Hearing, hearing_id)
    try:
        pdf = summary_pdf(hearing.id, edition)
    except RenderError as exc:
        flash(str(exc), "error")
        return redirect(url_for("hearings.console", hearing_id=hearing.id))
    _audit_summary(hearing, edition, "pdf")
    name = f"hearing-{hearing.id}-summary-{edition}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
