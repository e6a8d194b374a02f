"""Home page, language switch and health check."""

from flask import redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select, text

from consult.extensions import db
from consult.main import bp
from consult.security import is_safe_next


@bp.route("/")
def home():
    if current_user.is_authenticated and current_user.can("view_consultation_dashboard"):
        return redirect(url_for("consultations.index"))
    from consult.consultations.models import Consultation, Stage

    open_consultations = db.session.scalars(
        select(Consultation)
        .where(Consultation.stage.in_([Stage.OPEN, Stage.PUBLISHED]))
        .order_by(Consultation.created_at.desc())
    ).all()
    return render_template("main/home.html", consultations=open_consultations)


@bp.route("/language/<code>", methods=["POST"])
def set_language(code):
    """Choose a language without JavaScript; returns to the page the person was on."""
    from flask import current_app

    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("main.home"))


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says; send them to the SVG icon."""
    return redirect(url_for("static", filename="img/favicon.svg"), code=301)


@bp.route("/healthz")
def healthz():
    """Liveness and database check for load balancers and `make run`; never cached."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        body, status = {"status": "unavailable", "database": "unreachable"}, 503
    else:
        body, status = {"status": "ok"}, 200
    return body, status, {"Cache-Control": "no-store"}


@bp.route("/jobs/<int:job_id>")
def job_status(job_id):
    """Progress of a long job: JSON for the progress bar, a plain page without JavaScript."""
    from flask import abort, jsonify

    from consult.jobs import Job

    if not current_user.is_authenticated:
        abort(404)
    job = db.get_or_404(Job, job_id)
    if job.created_by_id != current_user.id and not current_user.can("manage_consultations"):
        abort(404)
    data = {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "result": job.result,
        "error": job.error,
    }
    if request.accept_mimetypes.best == "application/json" or request.args.get("format") == "json":
        return jsonify(data)
    return render_template("main/job.html", job=job)
