"""Moderation: testimony list and detail, approve/reject, redactions, staff summaries, files."""

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from consult.audit import record
from consult.auth.decorators import permission_required
from consult.extensions import db
from consult.hearings import bp
from consult.hearings.forms import RedactPhraseForm, SummaryForm
from consult.hearings.models import Attachment, Hearing, ModerationStatus, RedactionField
from consult.hearings.moderation import (
    add_redactions,
    moderate,
    read_testimony,
    redact_phrase,
    remove_redaction,
    save_summary,
    set_confidentiality,
    testimonies,
)
from consult.hearings.publishing import redaction_spans
from consult.hearings.services import HearingError
from consult.hearings.text import marked_segments, suggest_personal_data
from consult.hearings.uploads import ascii_name, stored_path
from consult.passages.models import Confidentiality


@bp.route("/<int:hearing_id>/testimony")
@permission_required("moderate_testimony")
def moderation(hearing_id):
    hearing = db.get_or_404(Hearing, hearing_id)
    status = request.args.get("status") or None
    if status and status not in {s.value for s in ModerationStatus}:
        abort(404)
    return render_template(
        "hearings/moderation.html",
        hearing=hearing,
        items=testimonies(hearing.id, status),
        status=status,
    )


def _open_suggestions(text: str, spans: list[tuple[int, int]]) -> list:
    """Personal-data suggestions not already inside a redaction."""
    return [
        sug
        for sug in suggest_personal_data(text)
        if not any(a <= sug.start and sug.end <= b for a, b in spans)
    ]


def _fields(t):
    """Each redactable field: (key, label, attachment, text, segments, suggestions)."""
    out = []
    sources = [
        ("written", "Written testimony", t.written_text, None),
        ("transcript", "Transcript", t.transcript, None),
    ] + [("attachment", f"Text of {a.original_name}", a.extracted_text, a) for a in t.attachments]
    for key, label, text, att in sources:
        if text:
            spans = redaction_spans(t, RedactionField(key), att.id if att else None)
            segments = marked_segments(text, spans)
            out.append((key, label, att, text, segments, _open_suggestions(text, spans)))
    return out


@bp.route("/testimony/<int:testimony_id>")
@permission_required("moderate_testimony")
def testimony(testimony_id):
    t = read_testimony(testimony_id, actor_id=current_user.id)
    return render_template(
        "hearings/testimony.html",
        t=t,
        s=t.speaker,
        fields=_fields(t),
        phrase_form=RedactPhraseForm(),
        summary_form=SummaryForm(summary=t.summary),
    )


def _back(testimony_id: int, anchor: str = ""):
    return redirect(url_for("hearings.testimony", testimony_id=testimony_id) + anchor)


@bp.route("/testimony/<int:testimony_id>/moderate", methods=["POST"])
@permission_required("moderate_testimony")
def moderate_testimony(testimony_id):
    decision = request.form.get("decision", "")
    if decision not in {s.value for s in ModerationStatus}:
        abort(400)
    t = moderate(testimony_id, decision, actor_id=current_user.id)
    flash(f"Testimony {t.status.value}.", "success")
    return _back(testimony_id)


def _attachment_id() -> int | None:
    raw = request.form.get("attachment_id") or ""
    return int(raw) if raw.isdigit() else None


@bp.route("/testimony/<int:testimony_id>/redact", methods=["POST"])
@permission_required("moderate_testimony")
def redact(testimony_id):
    field = request.form.get("field", "")
    if field not in {f.value for f in RedactionField}:
        abort(400)
    reason = request.form.get("reason", "")
    try:
        if request.form.get("phrase") is not None:
            redact_phrase(
                testimony_id,
                field=field,
                phrase=request.form["phrase"],
                reason=reason,
                actor_id=current_user.id,
                attachment_id=_attachment_id(),
            )
        else:
            start, end = int(request.form["start"]), int(request.form["end"])
            add_redactions(
                testimony_id,
                field=field,
                spans=[(start, end)],
                reason=reason,
                actor_id=current_user.id,
                attachment_id=_attachment_id(),
            )
    except (KeyError, ValueError):
        abort(400)
    except HearingError as exc:
        flash(str(exc), "error")
    else:
        flash("Redacted. The public copy shows [redacted] in its place.", "success")
    return _back(testimony_id, f"#field-{field}")


@bp.route("/redactions/<int:redaction_id>/delete", methods=["POST"])
@permission_required("moderate_testimony")
def unredact(redaction_id):
    t = remove_redaction(redaction_id, actor_id=current_user.id)
    flash("Redaction removed.", "success")
    return _back(t.id)


@bp.route("/testimony/<int:testimony_id>/summary", methods=["POST"])
@permission_required("moderate_testimony")
def testimony_summary(testimony_id):
    form = SummaryForm()
    if form.validate_on_submit():
        save_summary(testimony_id, form.summary.data, actor_id=current_user.id)
        flash("Summary saved.", "success")
    else:
        flash("The summary is too long (5,000 characters at most).", "error")
    return _back(testimony_id)


@bp.route("/attachments/<int:attachment_id>")
@permission_required("moderate_testimony")
def attachment(attachment_id):
    a = db.get_or_404(Attachment, attachment_id)
    speaker = a.testimony.speaker
    record(
        "testimony.read_confidential"
        if speaker.confidentiality is Confidentiality.CONFIDENTIAL
        else "attachment.download",
        actor_id=current_user.id,
        object_type="hearing_attachment",
        object_id=a.id,
        consultation_id=speaker.hearing.consultation_id,
    )
    db.session.commit()
    try:
        path = stored_path(a.stored_name)
    except FileNotFoundError:
        abort(404)
    if not path.is_file():
        abort(404)
    resp = send_file(
        path, mimetype=a.mime, as_attachment=True, download_name=ascii_name(a.original_name)
    )
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.route("/speakers/<int:speaker_id>/confidentiality", methods=["POST"])
@permission_required("moderate_testimony")
def confidentiality(speaker_id):
    value = request.form.get("confidentiality", "")
    if value not in {c.value for c in Confidentiality}:
        abort(400)
    s = set_confidentiality(
        speaker_id, value, request.form.get("consent_publish") == "y", actor_id=current_user.id
    )
    flash("Confidentiality and consent updated.", "success")
    return redirect(url_for("hearings.speaker", speaker_id=s.id))
