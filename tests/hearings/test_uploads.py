"""Upload validation by content, zip-bomb bounds, safe names, extraction, the 413 page, downloads."""

import io
import re

import pytest

from consult.hearings.uploads import (
    UploadRejected,
    display_name,
    extract_text,
    store_upload,
    stored_path,
    validate_upload,
)
from tests.hearings.conftest import make_docx, make_pdf, make_zip, signup_data

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def test_renamed_executable_is_refused():
    with pytest.raises(UploadRejected, match="cannot be accepted"):
        validate_upload("testimony.pdf", io.BytesIO(EXE))


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body>Hi</body></html>",
        b"Dear committee,\n<script>alert(1)</script>",
        b"  <svg onload=alert(1)>",
        b"A long and harmless opening. " * 400 + b"<script src=//evil.example/x.js></script>",
    ],
)
def test_html_disguised_as_pdf_or_text_is_refused(content):
    for name in ("testimony.pdf", "testimony.txt"):
        with pytest.raises(UploadRejected):
            validate_upload(name, io.BytesIO(content))


def test_pdf_must_start_with_magic():
    with pytest.raises(UploadRejected):
        validate_upload("x.pdf", io.BytesIO(b"\x00\x01PDF-1.7 not really"))


def test_text_pdf_and_docx_are_accepted_by_content_whatever_the_name():
    assert validate_upload("notes.docx", io.BytesIO("Plain words, café.".encode())).kind == "txt"
    assert validate_upload("letter.txt", io.BytesIO(make_pdf())).kind == "pdf"
    docx = validate_upload("letter.pdf", io.BytesIO(make_docx()))
    assert docx.kind == "docx"
    assert docx.display_name == "letter.docx"
    assert (
        validate_upload("latin.txt", io.BytesIO("Señora presidenta".encode("latin-1"))).kind
        == "txt"
    )


def test_empty_and_oversized_files_are_refused(app):
    app.config["MAX_UPLOAD_BYTES"] = 1000
    with pytest.raises(UploadRejected, match="empty"):
        validate_upload("a.txt", io.BytesIO(b""))
    with pytest.raises(UploadRejected, match="too large"):
        validate_upload("a.txt", io.BytesIO(b"a" * 1001))


def test_docx_with_too_many_entries_is_refused_before_reading(app):
    app.config["DOCX_MAX_ENTRIES"] = 20
    entries = {"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}
    entries.update({f"word/media/{i}.xml": b"<x/>" for i in range(30)})
    with pytest.raises(UploadRejected, match="too many parts"):
        validate_upload("bomb.docx", io.BytesIO(make_zip(entries)))


def test_docx_too_large_uncompressed_is_refused(app):
    app.config["DOCX_MAX_UNCOMPRESSED_BYTES"] = 100_000
    entries = {
        "[Content_Types].xml": b"<x/>",
        "word/document.xml": b"<w>" + b"a" * 200_000 + b"</w>",
    }
    with pytest.raises(UploadRejected, match="too large once opened"):
        validate_upload("big.docx", io.BytesIO(make_zip(entries)))


def test_docx_with_extreme_compression_ratio_is_refused():
    entries = {"[Content_Types].xml": b"<x/>", "word/document.xml": b"\x00" * 5_000_000}
    with pytest.raises(UploadRejected, match="unusual way"):
        validate_upload("ratio.docx", io.BytesIO(make_zip(entries)))


def test_zip_that_is_not_word_is_refused():
    with pytest.raises(UploadRejected, match="not a Word"):
        validate_upload("x.docx", io.BytesIO(make_zip({"evil.sh": b"rm -rf /"})))


TRAVERSAL = [
    "../../etc/passwd.pdf",
    "..\\..\\windows\\system32\\a.pdf",
    "/tmp/x.pdf",
    "a\x00b<>.pdf",
]


@pytest.mark.parametrize("name", TRAVERSAL)
def test_traversal_names_are_display_only(name):
    shown = display_name(name, "pdf")
    assert "/" not in shown and "\\" not in shown and ".." not in shown and "\x00" not in shown
    assert shown.endswith(".pdf")


def test_files_are_stored_under_random_names_whatever_they_were_called(app):
    pdf = make_pdf()
    for name in TRAVERSAL:
        v = validate_upload(name, io.BytesIO(pdf))
        stored = store_upload(v)
        path = stored_path(stored)
        assert path.parent.name == "hearings" and path.parent.parent.name == "uploads"
        assert path.read_bytes() == pdf
        assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored)
    with pytest.raises(FileNotFoundError):
        stored_path("../secret_key")


def test_extraction_from_real_pdf_and_docx_without_metadata():
    pdf = validate_upload("a.pdf", io.BytesIO(make_pdf("Recruiters charged illegal fees.")))
    assert "Recruiters charged illegal fees." in extract_text(pdf)
    docx = validate_upload(
        "b.docx", io.BytesIO(make_docx("Workers lived in the barn.", author="Hidden Author X"))
    )
    text = extract_text(docx)
    assert "Workers lived in the barn." in text
    assert "Hidden Author X" not in text


def test_oversized_request_gets_the_friendly_413_page(app, client, hearing):
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    data = signup_data(mode="written", written_text="x")
    data["files"] = (io.BytesIO(b"a" * 60_000), "big.txt")
    resp = client.post(f"/hearings/{hearing.id}", data=data, content_type="multipart/form-data")
    assert resp.status_code == 413
    assert "too large" in resp.text


def test_file_over_upload_limit_gets_a_form_error_and_keeps_input(app, client, hearing):
    app.config["MAX_UPLOAD_BYTES"] = 1024
    data = signup_data(mode="written", written_text="My words stay here")
    data["files"] = (io.BytesIO(b"a" * 4000), "long.txt")
    resp = client.post(f"/hearings/{hearing.id}", data=data, content_type="multipart/form-data")
    assert resp.status_code == 400
    assert "too large" in resp.text
    assert "My words stay here" in resp.text


def test_rejected_file_type_is_reported_and_nothing_is_saved(client, hearing):
    from sqlalchemy import func, select

    from consult.extensions import db
    from consult.hearings.models import Speaker

    data = signup_data(mode="written", written_text="Hello")
    data["files"] = (io.BytesIO(EXE), "statement.pdf")
    resp = client.post(f"/hearings/{hearing.id}", data=data, content_type="multipart/form-data")
    assert resp.status_code == 400
    assert "cannot be accepted" in resp.text
    assert db.session.scalar(select(func.count(Speaker.id))) == 0


def test_files_are_served_only_to_staff_as_attachments(client, auth, factory, hearing):
    from consult.extensions import db
    from consult.hearings.models import Attachment

    data = signup_data(mode="written", written_text="See file")
    data["files"] = (io.BytesIO(make_pdf("File body")), "../../My testimony.pdf")
    assert (
        client.post(
            f"/hearings/{hearing.id}", data=data, content_type="multipart/form-data"
        ).status_code
        == 302
    )
    a = db.session.scalars(db.select(Attachment)).one()
    assert a.original_name == "My testimony.pdf"
    url = f"/hearings/attachments/{a.id}"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    auth.login(factory.user("facilitator"))
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(factory.user("staff"))
    resp = client.get(url)
    assert resp.status_code == 200
    assert resp.data.startswith(b"%PDF-")
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    assert "My testimony.pdf" in resp.headers["Content-Disposition"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_moderation_page_names_file_kinds_in_words(client, auth, factory, hearing):
    """Regression: the long Word MIME type widened the moderation page on a phone."""
    from consult.extensions import db
    from consult.hearings.models import Attachment

    data = signup_data(mode="written", written_text="See files")
    data["files"] = [
        (io.BytesIO(make_docx("Word body")), "statement.docx"),
        (io.BytesIO(make_pdf("PDF body")), "figures.pdf"),
    ]
    resp = client.post(f"/hearings/{hearing.id}", data=data, content_type="multipart/form-data")
    assert resp.status_code == 302
    a = db.session.scalars(db.select(Attachment)).first()
    auth.login(factory.user("staff"))
    page = client.get(f"/hearings/testimony/{a.testimony_id}").text
    assert "KB, Word document)" in page and "KB, PDF)" in page
    assert "wordprocessingml" not in page
