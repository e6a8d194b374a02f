"""Fixtures for hearing tests: an open hearing, sign-up data, documents made on the fly."""

import io
import secrets
import zipfile
from datetime import timedelta

import pytest

from consult.models import utcnow


@pytest.fixture
def make_hearing(factory):
    """make_hearing(**fields) -> an open hearing in an open consultation."""
    from consult.hearings.services import save_hearing

    def _make(consultation=None, **fields):
        c = consultation or factory.consultation()
        data = {
            "title": "Labor trafficking hearing",
            "subject": "HB 1234",
            "starts_at": utcnow() + timedelta(days=7),
            "timezone": "America/New_York",
            "place": "Room 2B, State Capitol",
            "agenda": ["HB 1234: labor recruiters", "Services for survivors"],
            "status": "open",
            "minutes_per_speaker": 3,
        }
        data.update(fields)
        return save_hearing(None, c.id, data, actor_id=None)

    return _make


@pytest.fixture
def hearing(make_hearing):
    return make_hearing()


def signup_data(**overrides) -> dict:
    data = {
        "key": secrets.token_hex(16),
        "name": "Jordan Example",
        "organization_name": "",
        "organization_kind": "",
        "email": "jordan@example.org",
        "phone": "",
        "agenda_item": "",
        "position": "support",
        "mode": "in_person",
        "interpretation_language": "",
        "accessibility_needs": "",
        "confidentiality": "public",
        "consent_publish": "y",
        "written_text": "",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def make_docx(text: str = "Testimony in a Word document.", author: str = "Secret Author") -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.author = author
    for para in text.split("\n"):
        document.add_paragraph(para)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_pdf(text: str = "Testimony in a PDF document.") -> bytes:
    from html import escape

    from weasyprint import HTML

    return HTML(string=f"<p>{escape(text)}</p>").write_pdf()


def make_zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()
