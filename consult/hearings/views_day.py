"""Facilitator console: speaker order, walk-ins, status, notes and transcripts, sign-in sheet."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from consult.audit import record
from consult.auth.decorators import permission_required
from consult.extensions import db
from consult.hearings import bp
from consult.hearings.display import staff_label
from consult.hearings.forms import NotesForm, WalkInForm, kind_choices
from consult.hearings.models import Hearing, OrderRule, Speaker, SpeakerStatus
from consult.hearings.services import HearingError, availability
from consult.hearings.services_day import (
    add_walk_in,
    generate_order,
    move_speaker,
    ordered_speakers,
    save_notes_and_transcript,
    set_status,
)
from consult.passages.models import Confidentiality


def _walk_in_form() -> WalkInForm:
    form = WalkInForm()
    form.organization_kind.choices = kind_choices("Individual")
    return form


@bp.route("/<int:hearing_id>/console")
@permission_required("run_hearings")
def console(hearing_id):
    hearing = db.get_or_404(Hearing, hearing_id)
    speakers = ordered_speakers(hearing.id)
    written = [s for s in hearing.speakers if s.mode.value == "written"]
    return render_template(
        "hearings/console.html",
        hearing=hearing,
        speakers=speakers,
        written=written,
        avail=availability(hearing),
        walk_in=_walk_in_form(),
        rules=OrderRule,
        statuses=SpeakerStatus,
    )


@bp.route("/<int:hearing_id>/order", methods=["POST"])
@permission_required("run_hearings")
def order(hearing_id):
    rule = request.form.get("rule", "")
    if rule not in {r.value for r in OrderRule}:
        abort(400)
    generate_order(hearing_id, rule, actor_id=current_user.id)
    flash("Speaker order generated.", "success")
    return redirect(url_for("hearings.console", hearing_id=hearing_id))


@bp.route("/speakers/<int:speaker_id>/move", methods=["POST"])
@permission_required("run_hearings")
def move(speaker_id):
    direction = request.form.get("direction")
    if direction not in {"up", "down"}:
        abort(400)
    speaker = db.get_or_404(Speaker, speaker_id)
    move_speaker(speaker.id, direction, actor_id=current_user.id)
    return redirect(
        url_for("hearings.console", hearing_id=speaker.hearing_id) + f"#speaker-{speaker.id}"
    )


@bp.route("/speakers/<int:speaker_id>/status", methods=["POST"])
@permission_required("run_hearings")
def status(speaker_id):
    value = request.form.get("status", "")
    if value not in {s.value for s in SpeakerStatus}:
        abort(400)
    speaker = set_status(speaker_id, value, actor_id=current_user.id)
    flash(f"{speaker.name}: {staff_label(speaker.status).lower()}.", "success")
    return redirect(
        url_for("hearings.console", hearing_id=speaker.hearing_id) + f"#speaker-{speaker.id}"
    )


@bp.route("/<int:hearing_id>/walk-in", methods=["POST"])
@permission_required("run_hearings")
def walk_in(hearing_id):
    form = _walk_in_form()
    if form.validate_on_submit():
        try:
            speaker = add_walk_in(hearing_id, form.data, actor_id=current_user.id)
        except HearingError as exc:
            flash(str(exc), "error")
        else:
            flash(f"{speaker.name} added at the end of the order.", "success")
    else:
        flash(" ".join(e for errs in form.errors.values() for e in errs), "error")
    return redirect(url_for("hearings.console", hearing_id=hearing_id))


def _may_read(s: Speaker) -> bool:
    return s.confidentiality is not Confidentiality.CONFIDENTIAL or current_user.can(
        "read_confidential"
    )


@bp.route("/speakers/<int:speaker_id>", methods=["GET", "POST"])
@permission_required("run_hearings")
def speaker(speaker_id):
    s = db.get_or_404(Speaker, speaker_id)
    may_read = _may_read(s)
    form = NotesForm()
    if form.validate_on_submit():
        save_notes_and_transcript(
            s.id,
            notes=form.notes.data,
            transcript=form.transcript.data,
            actor_id=current_user.id,
            append_only=not may_read,
        )
        flash("Notes and transcript saved.", "success")
        return redirect(url_for("hearings.console", hearing_id=s.hearing_id) + f"#speaker-{s.id}")
    if request.method == "GET":
        form.notes.data = s.notes
        existing = s.testimony.transcript if s.testimony else None
        form.transcript.data = existing if may_read else None
        if existing and may_read and s.confidentiality is Confidentiality.CONFIDENTIAL:
            record(
                "testimony.read_confidential",
                actor_id=current_user.id,
                object_type="hearing_testimony",
                object_id=s.testimony.id,
                consultation_id=s.hearing.consultation_id,
                detail={"view": "transcript"},
            )
            db.session.commit()
    return render_template("hearings/speaker.html", s=s, form=form, may_read=may_read)


@bp.route("/<int:hearing_id>/sheet")
@permission_required("run_hearings")
def sheet(hearing_id):
    hearing = db.get_or_404(Hearing, hearing_id)
    return render_template(
        "hearings/sheet.html", hearing=hearing, speakers=ordered_speakers(hearing.id)
    )
