"""Agreement (double coding, adjudication, machine vs human) and analysis views."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from consult.auth.decorators import permission_required
from consult.coding import analysis, bp, codebook, double_coding, passage_queue
from consult.coding.manual import CodingError
from consult.coding.view_helpers import consultation_or_404, kind_label
from consult.passages.models import SourceKind
from consult.reports.charts import Bar, bar_chart


@bp.route("/<slug>/agreement")
@permission_required("code")
def agreement(slug):
    c = consultation_or_404(slug)
    overall, per_theme, data = double_coding.agreement_report(c.id)
    machine_rows, machine_total = double_coding.machine_report(c.id)
    return render_template(
        "coding/agreement.html",
        c=c,
        overall=overall,
        per_theme=per_theme,
        data=data,
        machine_rows=machine_rows,
        machine_total=machine_total,
        blind=codebook.blind_mode(c.id),
        coders=passage_queue.coders_available(),
    )


@bp.route("/<slug>/agreement/sample", methods=["POST"])
@permission_required("manage_codebook")
def agreement_sample(slug):
    c = consultation_or_404(slug)
    coders = [i for i in request.form.getlist("coder_id") if i.isdigit()]
    size = request.form.get("size", "")
    try:
        if not size.isdigit():
            raise CodingError("Enter the sample size as a whole number of passages.")
        n = double_coding.create_sample(c.id, coders, int(size), actor_id=current_user.id)
        flash(f"{n} passages assigned to both coders for double coding.", "success")
    except CodingError as exc:
        flash(str(exc), "error")
    return redirect(url_for("coding.agreement", slug=slug))


@bp.route("/<slug>/agreement/blind", methods=["POST"])
@permission_required("manage_codebook")
def agreement_blind(slug):
    c = consultation_or_404(slug)
    on = request.form.get("blind") == "1"
    codebook.set_blind_mode(c.id, on, actor_id=current_user.id)
    flash(
        "Blind mode is on: coders see only their own codings." if on else "Blind mode is off.",
        "success",
    )
    return redirect(url_for("coding.agreement", slug=slug))


@bp.route("/<slug>/agreement/disagreements")
@permission_required("manage_codebook")
def disagreements(slug):
    c = consultation_or_404(slug)
    items = double_coding.disagreements(c.id)
    return render_template("coding/disagreements.html", c=c, items=items)


@bp.route("/<slug>/agreement/adjudicate", methods=["POST"])
@permission_required("manage_codebook")
def adjudicate(slug):
    c = consultation_or_404(slug)
    pid, tid = request.form.get("passage_id", ""), request.form.get("theme_id", "")
    if not (pid.isdigit() and tid.isdigit()):
        abort(400)
    applies = request.form.get("applies") == "1"
    try:
        double_coding.adjudicate(c.id, int(pid), int(tid), applies, actor_id=current_user.id)
        flash(
            "Decision recorded." + ("" if applies else " The theme was removed from the passage."),
            "success",
        )
    except CodingError as exc:
        flash(str(exc), "error")
    return redirect(url_for("coding.disagreements", slug=slug))


def _include_suggested() -> bool:
    return request.args.get("suggested") == "1"


@bp.route("/<slug>/analysis")
@permission_required("view_results")
def analysis_view(slug):
    c = consultation_or_404(slug)
    inc = _include_suggested()
    campaigns = analysis.has_campaigns(c.id)
    once = campaigns and request.args.get("campaigns") == "once"
    freq = analysis.frequency(c.id, inc, once)
    chart = bar_chart(
        ("Campaigns counted once" if once else "Passages per theme")
        + (" (including machine suggestions)" if inc else ""),
        [Bar(r.name, r.passages, r.colour) for r in freq[:25]],
        chart_id="theme-frequency",
    )
    themes = {t.id: t for t in codebook.themes_for(c.id, include_inactive=True)}
    return render_template(
        "coding/analysis.html",
        c=c,
        include_suggested=inc,
        freq=freq,
        chart=chart,
        themes=themes,
        campaigns=campaigns,
        campaign_once=once,
        by_kind=analysis.by_organization_kind(c.id, inc, once),
        by_source=analysis.by_source(c.id, inc, once),
        by_stance=analysis.by_stance(c.id, inc, once),
        cooc=analysis.cooccurrence(c.id, inc),
        sentiment=analysis.sentiment_by_theme(c.id, inc),
        kind_label=kind_label,
        source_labels={k.value: k.value.capitalize() for k in SourceKind},
        stance_label=lambda v: (v or "").capitalize(),
    )


@bp.route("/<slug>/analysis/themes/<int:theme_id>/quotes")
@permission_required("view_consultation_dashboard")
def quotes(slug, theme_id):
    c = consultation_or_404(slug)
    theme = codebook.get_theme(c.id, theme_id)
    if theme is None:
        abort(404)
    page = analysis.quotes(
        c.id,
        theme.id,
        current_user,
        page=request.args.get("page", 1, type=int),
        include_suggested=_include_suggested(),
    )
    return render_template(
        "coding/quotes.html",
        c=c,
        theme=theme,
        page=page,
        include_suggested=_include_suggested(),
        kind_label=kind_label,
    )
