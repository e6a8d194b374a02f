"""Coding views for people: codebook, passage import and exports (coding: views_coding)."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.auth.decorators import permission_required
from consult.coding import (
    bp,
    codebook,
    dashboard,  # noqa: F401  - registers the dashboard counts and links
    exchange,
    exchange_qda,
    views_coding,  # noqa: F401  - registers the coding/analysis routes
)
from consult.coding.codebook import TEMPLATES, CodebookError
from consult.coding.forms import MergeForm, SplitForm, ThemeForm, UploadForm
from consult.coding.manual import CodingError, add_memo, memos_for
from consult.coding.models import Coding
from consult.coding.passages_import import HEADER, ImportRefused, import_passages
from consult.coding.view_helpers import consultation_or_404
from consult.consultations.models import Consultation
from consult.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _theme_or_404(c: Consultation, theme_id: int):
    theme = codebook.get_theme(c.id, theme_id)
    if theme is None:
        abort(404)
    return theme


def _parent_choices(form: ThemeForm, c: Consultation, theme=None) -> None:
    form.parent_id.choices = [(0, "— top level —")] + [
        (t.id, "— " * t.depth + t.name)
        for t in codebook.themes_for(c.id)
        if not theme or t.id != theme.id
    ]


@bp.route("/<slug>/codebook")
@permission_required("code")
def codebook_index(slug):
    c = consultation_or_404(slug)
    themes = codebook.themes_for(c.id, include_inactive=True)
    return render_template(
        "coding/codebook.html",
        c=c,
        themes=themes,
        templates=TEMPLATES,
        upload=UploadForm(),
        can_manage=current_user.can("manage_codebook"),
    )


@bp.route("/<slug>/codebook/new", methods=["GET", "POST"])
@permission_required("manage_codebook")
def theme_new(slug):
    c = consultation_or_404(slug)
    form = ThemeForm()
    _parent_choices(form, c)
    if request.method == "GET" and request.args.get("parent", "").isdigit():
        form.parent_id.data = int(request.args["parent"])
    if form.validate_on_submit():
        try:
            theme = codebook.create_theme(c.id, form.values(), actor_id=current_user.id)
        except CodebookError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(f"Theme “{theme.name}” added.", "success")
            return redirect(url_for("coding.codebook_index", slug=slug))
    return render_template("coding/theme_form.html", c=c, form=form, theme=None)


@bp.route("/<slug>/codebook/<int:theme_id>", methods=["GET", "POST"])
@permission_required("code")
def theme_edit(slug, theme_id):
    c = consultation_or_404(slug)
    theme = _theme_or_404(c, theme_id)
    form = ThemeForm(obj=theme if request.method == "GET" else None)
    _parent_choices(form, c, theme)
    if request.method == "GET":
        form.parent_id.data = theme.parent_id or 0
        form.keywords.data = "; ".join(theme.keywords or [])
        form.examples.data = "\n".join(theme.examples or [])
        form.stance.data = theme.stance.value if theme.stance else ""
    if form.validate_on_submit():
        if not current_user.can("manage_codebook"):
            abort(403)
        try:
            codebook.update_theme(theme, form.values(), actor_id=current_user.id)
        except CodebookError as exc:
            form.name.errors.append(str(exc))
        else:
            flash("Theme saved.", "success")
            return redirect(url_for("coding.codebook_index", slug=slug))
    return render_template(
        "coding/theme_form.html", c=c, form=form, theme=theme, memos=memos_for(theme_id=theme.id)
    )


@bp.route("/<slug>/codebook/<int:theme_id>/memos", methods=["POST"])
@permission_required("code")
def theme_memo(slug, theme_id):
    c = consultation_or_404(slug)
    theme = _theme_or_404(c, theme_id)
    try:
        add_memo(c.id, request.form.get("text", ""), author_id=current_user.id, theme_id=theme.id)
        flash("Memo saved.", "success")
    except CodingError as exc:
        flash(str(exc), "error")
    return redirect(url_for("coding.theme_edit", slug=slug, theme_id=theme.id) + "#memos")


@bp.route("/<slug>/codebook/<int:theme_id>/merge", methods=["GET", "POST"])
@permission_required("manage_codebook")
def theme_merge(slug, theme_id):
    c = consultation_or_404(slug)
    theme = _theme_or_404(c, theme_id)
    form = MergeForm()
    form.target_id.choices = [(t.id, t.name) for t in codebook.themes_for(c.id) if t.id != theme.id]
    if form.validate_on_submit():
        target = _theme_or_404(c, form.target_id.data)
        try:
            moved = codebook.merge_themes(theme, target, actor_id=current_user.id)
        except CodebookError as exc:
            form.target_id.errors.append(str(exc))
        else:
            flash(f"“{theme.name}” merged into “{target.name}”; {moved} codings moved.", "success")
            return redirect(url_for("coding.codebook_index", slug=slug))
    return render_template("coding/theme_merge.html", c=c, theme=theme, form=form)


@bp.route("/<slug>/codebook/<int:theme_id>/split", methods=["GET", "POST"])
@permission_required("manage_codebook")
def theme_split(slug, theme_id):
    c = consultation_or_404(slug)
    theme = _theme_or_404(c, theme_id)
    form = SplitForm()
    _parent_choices(form, c)
    if request.method == "GET":
        form.parent_id.data = theme.parent_id or 0
    codings = db.session.scalars(
        select(Coding)
        .options(selectinload(Coding.coder))
        .where(Coding.theme_id == theme.id)
        .order_by(Coding.passage_id, Coding.start)
        .limit(500)
    ).all()
    chosen = [int(i) for i in request.form.getlist("coding_id") if i.isdigit()]
    if form.validate_on_submit():
        try:
            new = codebook.split_theme(theme, form.values(), chosen, actor_id=current_user.id)
        except CodebookError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(f"New theme “{new.name}” created from “{theme.name}”.", "success")
            return redirect(url_for("coding.codebook_index", slug=slug))
    return render_template(
        "coding/theme_split.html", c=c, theme=theme, form=form, codings=codings, chosen=set(chosen)
    )


@bp.route("/<slug>/codebook/<int:theme_id>/retire", methods=["POST"])
@permission_required("manage_codebook")
def theme_retire(slug, theme_id):
    c = consultation_or_404(slug)
    theme = _theme_or_404(c, theme_id)
    reactivate = request.form.get("reactivate") == "1"
    codebook.retire_theme(theme, actor_id=current_user.id, reactivate=reactivate)
    flash(f"“{theme.name}” {'is active again' if reactivate else 'retired'}.", "success")
    return redirect(url_for("coding.codebook_index", slug=slug))


@bp.route("/<slug>/codebook/template", methods=["POST"])
@permission_required("manage_codebook")
def codebook_template(slug):
    c = consultation_or_404(slug)
    try:
        n = codebook.apply_template(
            c.id, request.form.get("template", ""), actor_id=current_user.id
        )
        flash(f"{n} themes added from the template.", "success")
    except CodebookError as exc:
        flash(str(exc), "error")
    return redirect(url_for("coding.codebook_index", slug=slug))


@bp.route("/<slug>/codebook/import", methods=["POST"])
@permission_required("manage_codebook")
def codebook_import(slug):
    c = consultation_or_404(slug)
    f = request.files.get("file")
    if f is None or not f.filename:
        flash("Choose a codebook file (CSV, XLSX or REFI-QDA .qdc) to import.", "error")
        return redirect(url_for("coding.codebook_index", slug=slug))
    try:
        created, updated, problems = exchange.import_codebook(
            c.id, f.filename, f.read(), actor_id=current_user.id
        )
    except ImportRefused as exc:
        flash(str(exc), "error")
    else:
        flash(f"Codebook imported: {created} themes added, {updated} updated.", "success")
        for p in problems[:20]:
            flash(p, "warning")
    return redirect(url_for("coding.codebook_index", slug=slug))


@bp.route("/<slug>/codebook/export.<fmt>")
@permission_required("code")
def codebook_export(slug, fmt):
    c = consultation_or_404(slug)
    if fmt == "csv":
        return _download(exchange.export_codebook_csv(c.id), f"{slug}-codebook.csv", "text/csv")
    if fmt == "qdc":
        return _download(exchange_qda.export_qdc(c.id), f"{slug}-codebook.qdc", "application/xml")
    abort(404)


@bp.route("/<slug>/passages/import", methods=["GET", "POST"])
@permission_required("code")
def passages_import(slug):
    c = consultation_or_404(slug)
    form = UploadForm()
    result = None
    if form.validate_on_submit():
        f = form.file.data
        if not f or not f.filename:
            form.file.errors.append("Choose a CSV or XLSX file to import.")
        else:
            try:
                result = import_passages(
                    c.id, c.slug, f.filename, f.read(), actor_id=current_user.id
                )
            except ImportRefused as exc:
                form.file.errors.append(str(exc))
    return render_template(
        "coding/passages_import.html", c=c, form=form, result=result, header=HEADER
    )


@bp.route("/<slug>/exports")
@permission_required("code")
def exports(slug):
    return render_template("coding/exports.html", c=consultation_or_404(slug))


@bp.route("/<slug>/exports/<kind>.<fmt>")
@permission_required("code")
def export_file(slug, kind, fmt):
    c = consultation_or_404(slug)
    confidential = current_user.can("read_confidential")
    if kind == "codings" and fmt in ("csv", "xlsx"):
        mime = "text/csv" if fmt == "csv" else XLSX
        data = exchange.export_codings(c.id, fmt, confidential)
        return _download(data, f"{slug}-codings.{fmt}", mime)
    if kind == "passages" and fmt == "csv":
        data = exchange.export_passages_csv(c.id, confidential)
        return _download(data, f"{slug}-passages.csv", "text/csv")
    if kind == "project" and fmt == "qdpx":
        data = exchange_qda.export_qdpx(c.id, confidential)
        return _download(data, f"{slug}.qdpx", "application/zip")
    abort(404)


def _download(data: bytes, name: str, mime: str) -> Response:
    return Response(
        data,
        mimetype=mime,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
