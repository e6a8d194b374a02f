"""Text extraction from uploads is bounded in time and memory (issue #8).

A PDF crafted to be slow (50 pages drawing one content stream of 200,000 text operators: minutes of
pypdf work in a 10 KB file) or to need a lot of memory (a 70 MB stream deflated to 68 KB) costs a
sign-up at most UPLOAD_EXTRACT_SECONDS: the child process is killed and reaped, the testimony and
its file are kept, no passage is made from the file and staff are told to open it.
"""

import io
import logging
import os
import signal
import zlib

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.hearings import extract
from consult.hearings.models import Attachment, Speaker
from consult.hearings.uploads import extraction, stored_path
from consult.passages.models import OriginKind, Passage
from tests.hearings.conftest import make_docx, make_pdf, signup_data
from tests.pdfs import pdf_from_objects

NOTE = "Text could not be extracted automatically; open the file."


def pdf_with_content(content: bytes, pages: int = 1) -> bytes:
    """A PDF whose pages all draw the same Flate-compressed content stream."""
    stream = zlib.compress(content, 9)
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ] + [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    ] * pages
    return pdf_from_objects(objects)


def slow_pdf() -> bytes:
    return pdf_with_content(b"BT /F1 12 Tf 72 720 Td " + b"(a) Tj " * 200_000 + b"ET", pages=50)


def memory_bomb_pdf() -> bytes:
    return pdf_with_content(b" " * 70_000_000)


def sign_up(client, hearing, *files):
    data = signup_data(mode="written", written_text="")
    data["files"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(f"/hearings/{hearing.id}", data=data, content_type="multipart/form-data")


def attachment_passage(attachment):
    return db.session.scalar(
        select(Passage).where(
            Passage.origin_kind == OriginKind.ATTACHMENT,
            Passage.origin_id == str(attachment.id),
            Passage.withdrawn.is_(False),
        )
    )


def assert_child_killed_and_reaped():
    assert extract.LAST_RUN["status"] == "timeout"
    assert extract.LAST_RUN["returncode"] == -signal.SIGKILL
    with pytest.raises(ChildProcessError):  # already reaped: no zombie left behind
        os.waitpid(extract.LAST_RUN["pid"], os.WNOHANG)


def test_slow_pdf_signup_is_kept_and_staff_are_told_to_open_the_file(
    app, client, auth, factory, hearing, caplog
):
    app.config["UPLOAD_EXTRACT_SECONDS"] = 1
    pdf = slow_pdf()
    with caplog.at_level(logging.WARNING):
        resp = sign_up(client, hearing, ("statement.pdf", pdf))
    assert resp.status_code == 302  # to the confirmation page: the sign-up succeeded
    assert_child_killed_and_reaped()
    assert "Could not extract text from an uploaded pdf: it took longer than" in caplog.text

    speaker = db.session.scalars(select(Speaker)).one()
    attachment = db.session.scalars(select(Attachment)).one()
    assert attachment.testimony.speaker_id == speaker.id
    assert stored_path(attachment.stored_name).read_bytes() == pdf
    assert attachment.extracted_text is None
    assert attachment_passage(attachment) is None

    auth.login(factory.user("staff"))
    page = client.get(f"/hearings/testimony/{attachment.testimony_id}").text
    assert "statement.pdf" in page and NOTE in page


def test_time_bound_is_shared_by_the_files_of_one_signup_and_renewed_for_the_next(
    app, client, hearing, caplog
):
    app.config["UPLOAD_EXTRACT_SECONDS"] = 1
    with caplog.at_level(logging.WARNING):
        resp = sign_up(
            client, hearing, ("slow.pdf", slow_pdf()), ("normal.pdf", make_pdf("Second file"))
        )
    assert resp.status_code == 302
    assert_child_killed_and_reaped()  # the slow file; the normal one had no time left
    assert "the time limit for this sign-up's files was already used" in caplog.text
    first = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert [a.original_name for a in first] == ["slow.pdf", "normal.pdf"]
    assert [a.extracted_text for a in first] == [None, None]

    app.config["UPLOAD_EXTRACT_SECONDS"] = 10
    assert sign_up(client, hearing, ("later.pdf", make_pdf("Next sign-up"))).status_code == 302
    later = db.session.scalars(select(Attachment).where(Attachment.original_name == "later.pdf"))
    assert later.one().extracted_text == "Next sign-up"


def test_memory_bomb_is_stopped_by_the_memory_limit(app):
    app.config["UPLOAD_EXTRACT_MEMORY_MB"] = 96
    result = extraction("pdf", memory_bomb_pdf())
    assert (result.status, result.text) == ("memory", "")
    assert extract.LAST_RUN["returncode"] != 0
    # the same limit leaves room for an ordinary document
    assert extraction("pdf", make_pdf("Ordinary testimony")).text == "Ordinary testimony"


def test_damaged_pdf_yields_no_text_and_no_error():
    result = extraction("pdf", b"%PDF-1.4\nthis is not a PDF body")
    assert (result.status, result.text) == ("error", "")


def test_normal_pdf_and_docx_are_extracted_in_a_child(app, client, auth, factory, hearing):
    resp = sign_up(
        client,
        hearing,
        ("figures.pdf", make_pdf("Recruiters charged illegal fees.")),
        ("statement.docx", make_docx("Workers lived in the barn.", author="Hidden Author X")),
    )
    assert resp.status_code == 302
    assert extract.LAST_RUN["status"] == "ok" and extract.LAST_RUN["returncode"] == 0
    assert extract.LAST_RUN["pid"] != os.getpid()
    pdf, docx = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert pdf.extracted_text == "Recruiters charged illegal fees."
    assert docx.extracted_text == "Workers lived in the barn."
    assert attachment_passage(pdf).text == "Recruiters charged illegal fees."
    assert attachment_passage(docx).text == "Workers lived in the barn."

    auth.login(factory.user("staff"))
    page = client.get(f"/hearings/testimony/{pdf.testimony_id}").text
    assert "Workers lived in the barn." in page and NOTE not in page


def test_the_child_gets_no_secrets_from_the_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "canary-secret-key")
    monkeypatch.setenv("DATABASE_URL", "postgresql://canary")
    seen = {}

    class Recorder:
        def __init__(self, cmd, **kwargs):
            seen.update(kwargs["env"])
            raise OSError("not started in this test")

    monkeypatch.setattr(extract.subprocess, "Popen", Recorder)
    result = extract.run_extraction("pdf", make_pdf(), seconds=5, memory_mb=512)
    assert result.status == "error"
    assert "SECRET_KEY" not in seen and "DATABASE_URL" not in seen
