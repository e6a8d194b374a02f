"""Recommendations pages: list, create, edit, order, finalise, evidence and the quote picker."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from consult.auth.decorators import permission_required
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.orgs.models import KIND_LABELS
from consult.passages.models import SourceKind
from consult.reports import bp, services
from consult.reports.build_recs import recommendation_counts
from consult.reports.forms import RecommendationForm
from consult.reports.models import Recommendation
from consult.reports.picker import (
    PickerFilters,
    evidence_rows,
    paginate_rows,
    picker_query,
    theme_options,
)
from consult.security import is_safe_next


def _consultation(slug: str) -> Consultation:
    return db.first_or_404(select(Consultation).where(Consultation.slug == slug))


def _recommendation(c: Consultation, rec_id: int) -> Recommendation:
    rec = db.session.get(Recommendation, rec_id)
    if rec is None or rec.consultation_id != c.id:
        abort(404)
    return rec


@bp.route("/<slug>/recommendations")
@permission_required("write_reports")
def recommendations(slug):
    c = _consultation(slug)
    recs = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.consultation_id == c.id)
        .order_by(Recommendation.position, Recommendation.id)
    ).all()
    counts = recommendation_counts([r.id for r in recs])
    return render_template("reports/recommendations.html", c=c, recs=recs, counts=counts)


@bp.route("/<slug>/recommendations/new", methods=["GET", "POST"])
@permission_required("write_reports")
def new_recommendation(slug):
    c = _consultation(slug)
    form = RecommendationForm()
    if form.validate_on_submit():
        try:
            rec = services.create_recommendation(
                c.id,
                title=form.title.data,
                text=form.text.data,
                area=form.area.data,
                actor_id=current_user.id,
            )
        except services.RecommendationError as exc:
            form.title.errors = [str(exc)]
        else:
            flash(f"Recommendation “{rec.title}” added as a draft.", "success")
            return redirect(url_for("reports.recommendation", slug=slug, rec_id=rec.id))
    return render_template("reports/recommendation_form.html", c=c, form=form, rec=None)


@bp.route("/<slug>/recommendations/<int:rec_id>/edit", methods=["GET", "POST"])
@permission_required("write_reports")
def edit_recommendation(slug, rec_id):
    c = _consultation(slug)
    rec = _recommendation(c, rec_id)
    form = RecommendationForm(obj=rec if request.method == "GET" else None)
    if request.method == "GET":
        form.area.data = rec.area.value
    if form.validate_on_submit():
        try:
            services.update_recommendation(
                c.id,
                rec.id,
                title=form.title.data,
                text=form.text.data,
                area=form.area.data,
                actor_id=current_user.id,
            )
        except services.RecommendationError as exc:
            form.title.errors = [str(exc)]
        else:
            flash("Recommendation saved.", "success")
            return redirect(url_for("reports.recommendation", slug=slug, rec_id=rec.id))
    return render_template("reports/recommendation_form.html", c=c, form=form, rec=rec)


@bp.route("/<slug>/recommendations/<int:rec_id>")
@permission_required("write_reports")
def recommendation(slug, rec_id):
    c = _consultation(slug)
    rec = _recommendation(c, rec_id)
    counts = recommendation_counts([rec.id])[rec.id]
    return render_template(
        "reports/recommendation.html",
        c=c,
        rec=rec,
        counts=counts,
        evidence=evidence_rows(rec.id),
        kind_labels={k.value: v for k, v in KIND_LABELS.items()},
    )


@bp.route("/<slug>/recommendations/<int:rec_id>/move", methods=["POST"])
@permission_required("write_reports")
def move_recommendation(slug, rec_id):
    c = _consultation(slug)
    direction = "up" if request.form.get("direction") == "up" else "down"
    try:
        services.move(c.id, rec_id, direction, actor_id=current_user.id)
    except services.RecommendationError as exc:
        flash(str(exc), "error")
    return redirect(url_for("reports.recommendations", slug=slug) + f"#rec-{rec_id}")


@bp.route("/<slug>/recommendations/<int:rec_id>/status", methods=["POST"])
@permission_required("write_reports")
def recommendation_status(slug, rec_id):
    c = _consultation(slug)
    rec = _recommendation(c, rec_id)
    status = request.form.get("status", "")
    try:
        services.set_status(
            c.id,
            rec.id,
            status,
            actor_id=current_user.id,
            confirmed=request.form.get("confirm") == "yes",
        )
    except services.NeedsConfirmation as exc:
        return render_template("reports/confirm_final.html", c=c, rec=rec, message=str(exc))
    except services.RecommendationError as exc:
        flash(str(exc), "error")
    else:
        flash(f"“{rec.title}” is now {rec.status.label.lower()}.", "success")
    return redirect(url_for("reports.recommendation", slug=slug, rec_id=rec.id))


@bp.route("/<slug>/recommendations/<int:rec_id>/delete", methods=["POST"])
@permission_required("write_reports")
def delete_recommendation(slug, rec_id):
    c = _consultation(slug)
    rec = _recommendation(c, rec_id)
    services.delete_recommendation(c.id, rec.id, actor_id=current_user.id)
    flash("Recommendation deleted.", "success")
    return redirect(url_for("reports.recommendations", slug=slug))


@bp.route("/<slug>/recommendations/<int:rec_id>/quotes")
@permission_required("write_reports")
def pick_quotes(slug, rec_id):
    c = _consultation(slug)
    rec = _recommendation(c, rec_id)
    filters = PickerFilters.from_args(request.args)
    page = paginate_rows(picker_query(c.id, rec.id, filters), request.args.get("page", 1, type=int))
    return render_template(
        "reports/pick_quotes.html",
        c=c,
        rec=rec,
        page=page,
        filters=filters,
        themes=theme_options(c.id),
        kinds=[(k.value, v) for k, v in KIND_LABELS.items()],
        sources=[(s.value, s.value.capitalize()) for s in SourceKind],
        kind_labels={k.value: v for k, v in KIND_LABELS.items()},
    )


@bp.route("/<slug>/evidence", methods=["POST"])
@permission_required("write_reports")
def add_evidence(slug):
    """Target of the "add as evidence" button (quote browser, passage page, quote picker)."""
    c = _consultation(slug)
    rec_id = request.form.get("recommendation_id", "")
    coding_id = request.form.get("coding_id", "")
    target = request.form.get("next")
    back = target if is_safe_next(target) else url_for("reports.recommendations", slug=slug)
    if not rec_id.isdigit() or not coding_id.isdigit():
        flash("Choose a recommendation to add the quote to.", "error")
        return redirect(back)
    try:
        services.add_evidence(
            c.id,
            int(rec_id),
            int(coding_id),
            actor_id=current_user.id,
            note=request.form.get("note"),
        )
    except services.RecommendationError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Quote C{coding_id} added as evidence.", "success")
    return redirect(back)


@bp.route("/<slug>/evidence/<int:evidence_id>/remove", methods=["POST"])
@permission_required("write_reports")
def remove_evidence(slug, evidence_id):
    c = _consultation(slug)
    try:
        rec = services.remove_evidence(c.id, evidence_id, actor_id=current_user.id)
    except services.RecommendationError as exc:
        flash(str(exc), "error")
        return redirect(url_for("reports.recommendations", slug=slug))
    flash("Evidence removed.", "success")
    return redirect(url_for("reports.recommendation", slug=slug, rec_id=rec.id))
