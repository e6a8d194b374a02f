"""Coding views: the queue, the passage coding page, memos, done marks and assignments."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from consult.auth.decorators import permission_required
from consult.coding import (
    assignments,
    bp,
    manual,
    passage_queue,
    views_analysis,  # noqa: F401  - registers agreement/analysis routes
)
from consult.coding.codebook import blind_mode, themes_for
from consult.coding.manual import CodingError
from consult.coding.view_helpers import consultation_or_404, kind_label
from consult.consultations.models import Consultation


@bp.app_context_processor
def _coding_endpoints():
    return {"coding_endpoints": set(current_app.view_functions)}


@bp.app_template_filter("org_kind_label")
def _org_kind_label(value):
    return kind_label(value)


def _passage_or_404(c: Consultation, passage_id: int):
    passage = manual.visible_passage(c.id, passage_id, current_user)
    if passage is None:
        abort(404)
    return passage


@bp.route("/<slug>/")
@permission_required("code")
def home(slug):
    return redirect(url_for("coding.queue", slug=slug))


@bp.route("/<slug>/queue")
@permission_required("code")
def queue(slug):
    c = consultation_or_404(slug)
    filters = {k: request.args.get(k, "").strip() for k in passage_queue.FILTER_KEYS}
    page = request.args.get("page", 1, type=int)
    blind = blind_mode(c.id)
    pagination, rows = passage_queue.queue_page(c.id, current_user, filters, page=page, blind=blind)
    return render_template(
        "coding/queue.html",
        c=c,
        blind=blind,
        filters=filters,
        page=pagination,
        rows=rows,
        counts=passage_queue.queue_counts(c.id, current_user),
        options=passage_queue.filter_options(c.id),
        themes=themes_for(c.id),
        coders=passage_queue.coders_available(),
    )


@bp.route("/<slug>/queue/assign", methods=["POST"])
@permission_required("manage_codebook")
def assign(slug):
    c = consultation_or_404(slug)
    ids = [int(i) for i in request.form.getlist("passage_id") if i.isdigit()]
    coder = request.form.get("coder_id", "")
    try:
        n = assignments.assign_passages(
            c.id, ids, int(coder) if coder.isdigit() else 0, actor_id=current_user.id
        )
        flash(f"{n} passages assigned.", "success")
    except CodingError as exc:
        flash(str(exc), "error")
    back = request.form.get("next") or ""
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        back = url_for("coding.queue", slug=slug)  # only our own pages: no open redirect
    return redirect(back)


@bp.route("/<slug>/passages/<int:passage_id>")
@permission_required("code")
def passage(slug, passage_id):
    c = consultation_or_404(slug)
    p = _passage_or_404(c, passage_id)
    blind = blind_mode(c.id)
    codings = manual.passage_codings(p.id, viewer_id=current_user.id, blind=blind)
    themes = themes_for(c.id)
    styles = {t.id: i % 5 for i, t in enumerate(themes_for(c.id, include_inactive=True))}
    return render_template(
        "coding/passage.html",
        c=c,
        p=p,
        blind=blind,
        codings=codings,
        segments=manual.segments(p.text, codings),
        sentences=manual.split_sentences(p.text),
        themes=themes,
        styles=styles,
        memos=manual.memos_for(passage_id=p.id),
        done=assignments.done_by(p.id, current_user.id),
        next_id=passage_queue.next_passage_id(c.id, current_user, p.id),
    )


def _back(slug, passage_id, anchor=""):
    return redirect(url_for("coding.passage", slug=slug, passage_id=passage_id) + anchor)


@bp.route("/<slug>/passages/<int:passage_id>/codings", methods=["POST"])
@permission_required("code")
def apply_codings(slug, passage_id):
    c = consultation_or_404(slug)
    p = _passage_or_404(c, passage_id)
    theme_ids = [int(t) for t in request.form.getlist("theme_id") if t.isdigit()]
    spans = []
    start, end = request.form.get("start", ""), request.form.get("end", "")
    if start.isdigit() and end.isdigit():
        spans.append((int(start), int(end)))
    else:
        sentences = dict(enumerate(manual.split_sentences(p.text)))
        for i in request.form.getlist("sentence"):
            if i.isdigit() and int(i) in sentences:
                spans.append(sentences[int(i)][:2])
    try:
        created = manual.add_codings(p, theme_ids, spans, coder_id=current_user.id)
        flash(f"{len(created)} coding{'s' if len(created) != 1 else ''} added.", "success")
    except CodingError as exc:
        flash(str(exc), "error")
    return _back(slug, p.id)


@bp.route("/<slug>/passages/<int:passage_id>/codings/<int:coding_id>/delete", methods=["POST"])
@permission_required("code")
def delete_coding(slug, passage_id, coding_id):
    c = consultation_or_404(slug)
    p = _passage_or_404(c, passage_id)
    try:
        manual.remove_coding(p, coding_id, actor_id=current_user.id)
        flash("Coding removed.", "success")
    except CodingError as exc:
        flash(str(exc), "error")
    return _back(slug, p.id)


@bp.route("/<slug>/passages/<int:passage_id>/codings/<int:coding_id>", methods=["POST"])
@permission_required("code")
def adjust_coding(slug, passage_id, coding_id):
    c = consultation_or_404(slug)
    p = _passage_or_404(c, passage_id)
    start, end = request.form.get("start", ""), request.form.get("end", "")
    try:
        if not (start.isdigit() and end.isdigit()):
            raise CodingError("Enter the start and end as whole numbers of characters.")
        manual.adjust_coding(
            p,
            coding_id,
            int(start),
            int(end),
            actor_id=current_user.id,
            theme_id=request.form.get("theme_id") or None,
        )
        flash("Coding changed.", "success")
    except CodingError as exc:
        flash(str(exc), "error")
    return _back(slug, p.id)


@bp.route("/<slug>/passages/<int:passage_id>/memos", methods=["POST"])
@permission_required("code")
def passage_memo(slug, passage_id):
    c = consultation_or_404(slug)
    p = _passage_or_404(c, passage_id)
    try:
        manual.add_memo(
            c.id, request.form.get("text", ""), author_id=current_user.id, passage_id=p.id
        )
        flash("Memo saved.", "success")
    except CodingError as exc:
        flash(str(exc), "error")
    return _back(slug, p.id, "#memos")


@bp.route("/<slug>/passages/<int:passage_id>/done", methods=["POST"])
@permission_required("code")
def mark_done(slug, passage_id):
    c = consultation_or_404(slug)
    p = _passage_or_404(c, passage_id)
    done = request.form.get("done", "1") == "1"
    assignments.set_done(p, current_user.id, done)
    if done:
        flash("Marked as done.", "success")
        nxt = passage_queue.next_passage_id(c.id, current_user, p.id)
        if nxt and request.form.get("go_next") == "1":
            return _back(slug, nxt)
    return _back(slug, p.id)
