"""The emailed receipt for a sign-up (in the language the person used)."""

from flask import current_app, render_template
from flask_babel import gettext as _

from consult.hearings.models import Speaker
from consult.mail import external_url, send_mail


def send_receipt(speaker: Speaker) -> bool:
    """Email the reference number; no testimony text is ever put in an email."""
    if not speaker.email:
        return False
    hearing = speaker.hearing
    body = render_template(
        "hearings/email/receipt.txt",
        speaker=speaker,
        hearing=hearing,
        url=external_url("hearings.show", hearing_id=hearing.id),
    )
    subject = _(
        "Your reference %(ref)s: %(title)s",
        ref=speaker.reference,
        title=hearing.text("title", speaker.language),
    )
    try:
        send_mail(speaker.email, subject, body)
    except OSError:
        current_app.logger.warning("Could not send a hearing receipt (reference kept)")
        return False
    return True
