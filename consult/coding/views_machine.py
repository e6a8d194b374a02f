"""Coding views for machine help: suggestions review, theme discovery, near-duplicate groups."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from consult.auth.decorators import permission_required
from consult.coding import bp, discovery, duplicates, suggestions
from consult.coding.models_machine import CandidateStatus, CandidateTheme
from consult.coding.view_helpers import consultation_or_404
from consult.extensions import db
from consult.jobs import Job, start_job
from consult.passages.models import Confidentiality, Passage

MACHINE_TABS = [
    ("Suggestions", "coding.suggestions_review"),
    ("Discover themes", "coding.discovery_index"),
    ("Near-duplicates", "coding.duplicates_index"),
]
FILTERS = ("theme", "min_score", "max_score", "source")


@bp.context_processor
def _machine_tabs():
    return {"extra_coding_tabs": MACHINE_TABS}


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _latest_job(consultation_id: int, kind: str) -> Job | None:
    job_id = request.args.get("job", type=int)
    query = select(Job).where(Job.consultation_id == consultation_id, Job.kind == kind)
    query = query.where(Job.id == job_id) if job_id else query.where(Job.status != "done")
    return db.session.scalars(query.order_by(Job.id.desc()).limit(1)).first()


def _visible(query):
    """Hide confidential passages from people who may not read them."""
    if not current_user.can("read_confidential"):
        query = query.where(Passage.confidentiality != Confidentiality.CONFIDENTIAL)
    return query


@bp.route("/<slug>/suggestions")
@permission_required("code")
def suggestions_review(slug):
    c = consultation_or_404(slug)
    filters = {k: request.args.get(k, "") for k in FILTERS}
    query = suggestions.suggestion_query(
        c.id,
        theme_id=request.args.get("theme", type=int),
        min_score=_float(filters["min_score"]),
        max_score=_float(filters["max_score"]),
        source=filters["source"] if filters["source"] in ("survey", "hearing", "import") else None,
    )
    page = db.paginate(_visible(query), per_page=50, error_out=False, count=True)
    themes = suggestions.active_themes(c.id)
    return render_template(
        "coding/machine/suggestions.html", c=c, page=page, rows=page.items, themes=themes,
        theme_names={t.id: t.name for t in themes}, filters=filters,
        counts=suggestions.suggestion_counts(c.id), job=_latest_job(c.id, "autocode"),
        query_string=request.query_string.decode(),
    )  # fmt: skip


@bp.route("/<slug>/suggestions/run", methods=["POST"])
@permission_required("code")
def suggestions_run(slug):
    c = consultation_or_404(slug)
    job = start_job("autocode", consultation_id=c.id, user_id=current_user.id)
    flash("Automatic suggestions started.", "success")
    return redirect(url_for("coding.suggestions_review", slug=slug, job=job.id))


@bp.route("/<slug>/suggestions/review", methods=["POST"])
@permission_required("code")
def suggestions_decide(slug):
    c = consultation_or_404(slug)
    ids = [int(i) for i in request.form.getlist("coding_id") if i.isdigit()]
    action = request.form.get("action", "")
    if ":" in action:  # a row's own button: "accept:12" acts on that suggestion alone
        action, _, one = action.partition(":")
        ids = [int(one)] if one.isdigit() else []
    try:
        n = suggestions.review_suggestions(
            c.id, ids, action, user_id=current_user.id,
            theme_id=request.form.get("theme_id", type=int),
            may_read_confidential=current_user.can("read_confidential"),
        )  # fmt: skip
    except suggestions.ReviewError as exc:
        flash(str(exc), "error")
    else:
        verb = {"accept": "accepted", "reject": "rejected", "change": "moved and accepted"}[action]

        flash(f"{n} suggestion{'s' if n != 1 else ''} {verb}.", "success")
    back = request.form.get("back", "")
    target = url_for("coding.suggestions_review", slug=slug)
    return redirect(f"{target}?{back}" if back and "//" not in back else target)


@bp.route("/<slug>/discover")
@permission_required("code")
def discovery_index(slug):
    c = consultation_or_404(slug)
    candidates = db.session.scalars(
        select(CandidateTheme)
        .where(CandidateTheme.consultation_id == c.id)
        .order_by(CandidateTheme.status != CandidateStatus.PENDING, CandidateTheme.size.desc())
    ).all()
    example_ids = {i for cand in candidates for i in cand.example_passage_ids or []}
    examples = dict(
        db.session.execute(
            _visible(select(Passage.id, Passage.text).where(Passage.id.in_(example_ids)))
        ).all()
    )
    return render_template(
        "coding/machine/discovery.html", c=c, candidates=candidates, examples=examples,
        themes=suggestions.active_themes(c.id), job=_latest_job(c.id, "discover"),
        can_manage=current_user.can("manage_codebook"),
        uncoded=len(discovery.uncoded_passages(c.id)),
    )  # fmt: skip


@bp.route("/<slug>/discover/run", methods=["POST"])
@permission_required("code")
def discovery_run(slug):
    c = consultation_or_404(slug)
    n = request.form.get("n_topics", type=int)
    params = {"n_topics": n} if n and 2 <= n <= 30 else {}
    job = start_job("discover", consultation_id=c.id, user_id=current_user.id, **params)
    return redirect(url_for("coding.discovery_index", slug=slug, job=job.id))


@bp.route("/<slug>/discover/<int:candidate_id>/<action>", methods=["POST"])
@permission_required("manage_codebook")
def discovery_decide(slug, candidate_id, action):
    c = consultation_or_404(slug)
    who = {"consultation_id": c.id, "user_id": current_user.id}
    try:
        if action == "accept":
            theme = discovery.accept_candidate(candidate_id, name=request.form.get("name"), **who)
            flash(f"Theme “{theme.name}” added to the codebook.", "success")
        elif action == "rename":
            discovery.rename_candidate(candidate_id, request.form.get("name", ""), **who)
            flash("Candidate renamed.", "success")
        elif action == "merge":
            theme_id = request.form.get("theme_id", type=int) or 0
            discovery.merge_candidate(candidate_id, theme_id, **who)
            flash("Candidate merged: its phrases are now keywords of that theme.", "success")
        elif action == "dismiss":
            discovery.dismiss_candidate(candidate_id, **who)
            flash("Candidate dismissed.", "success")
        else:
            abort(404)
    except discovery.DiscoveryError as exc:
        flash(str(exc), "error")
    return redirect(url_for("coding.discovery_index", slug=slug) + f"#candidate-{candidate_id}")


@bp.route("/<slug>/duplicates")
@permission_required("code")
def duplicates_index(slug):
    c = consultation_or_404(slug)
    groups = duplicates.campaign_groups(c.id)
    ids = {i for g in groups for i in g["passage_ids"]}
    passages = {
        p.id: p
        for p in db.session.execute(
            _visible(
                select(Passage.id, Passage.text, Passage.source_label, Passage.external_id).where(
                    Passage.id.in_(ids)
                )
            )
        ).all()
    }
    return render_template(
        "coding/machine/duplicates.html", c=c, groups=groups, passages=passages,
        themes=suggestions.active_themes(c.id), job=_latest_job(c.id, "duplicates"),
    )  # fmt: skip


@bp.route("/<slug>/duplicates/run", methods=["POST"])
@permission_required("code")
def duplicates_run(slug):
    c = consultation_or_404(slug)
    job = start_job("duplicates", consultation_id=c.id, user_id=current_user.id)
    return redirect(url_for("coding.duplicates_index", slug=slug, job=job.id))


@bp.route("/<slug>/duplicates/<int:group_id>/code", methods=["POST"])
@permission_required("code")
def duplicates_code(slug, group_id):
    c = consultation_or_404(slug)
    try:
        n = duplicates.code_group(
            group_id, request.form.get("theme_id", type=int) or 0,
            user_id=current_user.id, consultation_id=c.id,
            may_read_confidential=current_user.can("read_confidential"),
        )  # fmt: skip
    except duplicates.DuplicateError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Theme applied to {n} passage{'s' if n != 1 else ''} of the group.", "success")
    return redirect(url_for("coding.duplicates_index", slug=slug) + f"#group-{group_id}")
