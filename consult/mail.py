"""One mail service: SMTP when configured, otherwise .eml files in instance/outbox/."""

import smtplib
import time
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app


def outbox_dir() -> Path:
    path = Path(current_app.instance_path) / "outbox"
    path.mkdir(parents=True, exist_ok=True)
    return path


def send_mail(to: str, subject: str, body: str, *, html: str | None = None) -> EmailMessage:
    """Send a message (plain text, optional HTML alternative); return what was sent."""
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="consult.invalid")
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    if cfg.get("MAIL_SERVER"):
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
            smtp.send_message(msg)
    else:
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        (outbox_dir() / name).write_bytes(bytes(msg))
    current_app.logger.info("mail sent to a recipient: %s", subject)
    return msg


def read_outbox() -> list[EmailMessage]:
    """Messages in the outbox, oldest first (used by tests and the demo)."""
    from email import policy
    from email.parser import BytesParser

    files = sorted(outbox_dir().glob("*.eml"))
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in files]


def external_url(endpoint: str, **values) -> str:
    """An absolute URL for e-mails: SERVER_BASE_URL when set, else the request's host."""
    from flask import url_for

    base = current_app.config.get("SERVER_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
