"""Public hearing pages: list, details and sign-up, confirmation, the public record."""

import secrets

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale, refresh
from flask_babel import gettext as _

from consult.extensions import limiter
from consult.hearings import bp
from consult.hearings.forms import CONFIDENTIALITY_HELP, SignupForm, kind_choices
from consult.hearings.receipts import send_receipt
from consult.hearings.record import PUBLIC, build_entries, position_tally
from consult.hearings.services import (
    HearingError,
    SignupClosed,
    SignupFull,
    WrittenClosed,
    availability,
    public_hearing,
    public_hearings,
    signup_window_open,
    submit_signup,
)
from consult.hearings.uploads import UploadRejected, validate_upload

MAX_FILES = 5


def _public_hearing_or_404(hearing_id: int):
    hearing = public_hearing(hearing_id)
    if hearing is None:
        abort(404)
    langs = hearing.consultation.languages or ["en"]
    if str(get_locale()) not in langs:
        g.force_language = langs[0]
        refresh()
    return hearing, langs


def _lang() -> str:
    return str(get_locale())


@bp.route("/")
def index():
    hearings = public_hearings()
    open_ids = {h.id for h in hearings if signup_window_open(h)}
    return render_template("hearings/index.html", hearings=hearings, open_ids=open_ids)


def _signup_form(hearing) -> SignupForm:
    form = SignupForm()
    form.organization_kind.choices = kind_choices(_("Speaking as an individual"))
    agenda = hearing.text("agenda", _lang()) or []
    form.agenda_item.choices = [("", _("Not about one item"))] + [(a, a) for a in agenda]
    if not form.key.data:
        form.key.data = secrets.token_hex(16)
    return form


def _validated_files(form: SignupForm) -> list:
    files = [f for f in (form.files.data or []) if f and getattr(f, "filename", "")]
    if len(files) > MAX_FILES:
        raise UploadRejected(_("Attach at most %(n)s files.", n=MAX_FILES))
    return [validate_upload(f.filename, f.stream) for f in files]


@bp.route("/<int:hearing_id>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
def show(hearing_id):
    hearing, langs = _public_hearing_or_404(hearing_id)
    form = _signup_form(hearing)
    avail = availability(hearing)
    if request.method == "POST" and form.website.data:  # honeypot: a robot filled it
        current_app.logger.info("Hearing sign-up honeypot triggered")
        return render_template(
            "hearings/thanks.html", hearing=hearing, speaker=None, page_languages=langs
        )
    if form.validate_on_submit():
        try:
            files = _validated_files(form)
            speaker, created = submit_signup(
                hearing.id,
                key=form.key.data,
                fields=form.data,
                written_text=form.written_text.data,
                files=files,
                language=_lang(),
            )
        except UploadRejected as exc:
            form.files.errors = [str(exc)]
        except (SignupClosed, SignupFull):
            form.mode.errors = [_closed_message(avail)]
        except WrittenClosed:
            form.mode.errors = [_("Written testimony for this hearing is no longer accepted.")]
        except HearingError as exc:
            target = form.written_text if form.mode.data == "written" else form.name
            target.errors = [_translate_error(str(exc))]
        else:
            if created:
                send_receipt(speaker)
            session["hearing_reference"] = speaker.reference
            return redirect(url_for("hearings.thanks", hearing_id=hearing.id))
    return render_template(
        "hearings/show.html",
        hearing=hearing,
        form=form,
        avail=avail,
        lang=_lang(),
        page_languages=langs,
        order=[e for e in build_entries(hearing, PUBLIC) if e.order is not None],
        confidentiality_help=CONFIDENTIALITY_HELP,
        max_mb=current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024),
    ), (400 if request.method == "POST" else 200)


def _closed_message(avail) -> str:
    if avail.signup_open and avail.full:
        msg = _("Every speaking place at this hearing is taken.")
    else:
        msg = _("Sign-up to speak at this hearing is closed.")
    if avail.written_open:
        msg += " " + _(
            "You can still send written testimony: choose \u201cWritten testimony only\u201d."
        )
    return msg


def _translate_error(message: str) -> str:
    known = {
        "Add your written testimony, or attach a file.": _(
            "Add your written testimony, or attach a file."
        ),
        "The form has expired. Reload the page and submit it again.": _(
            "The form has expired. Reload the page and submit it again."
        ),
    }
    return known.get(message, message)


@bp.route("/<int:hearing_id>/thanks")
def thanks(hearing_id):
    hearing, langs = _public_hearing_or_404(hearing_id)
    reference = session.get("hearing_reference")
    if not reference:
        return redirect(url_for("hearings.show", hearing_id=hearing.id))
    return render_template(
        "hearings/thanks.html",
        hearing=hearing,
        reference=reference,
        speaker=True,
        page_languages=langs,
    )


@bp.route("/<int:hearing_id>/record")
def public_record(hearing_id):
    hearing, langs = _public_hearing_or_404(hearing_id)
    entries = [e for e in build_entries(hearing, PUBLIC) if e.has_testimony]
    tally = [(p.value, n) for p, n in position_tally(hearing.id).items()]
    return render_template(
        "hearings/record.html",
        hearing=hearing,
        entries=entries,
        tally=tally,
        lang=_lang(),
        page_languages=langs,
    )
