"""Upload validation by content, safe storage under random names, and bounded text extraction.

Reusable by other features: `validate_upload(filename, stream) -> ValidatedFile` raises
`UploadRejected(message)` with a message worded for the person; `store_upload(validated)` writes
it to UPLOAD_FOLDER; `extract_text(validated)` returns plain text (no document metadata), parsed
in a child process bounded in time and memory (consult/hearings/extract.py).
"""

import contextlib
import hashlib
import io
import os
import re
import secrets
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, has_request_context, request

from consult.hearings.extract import (
    MAX_EXTRACTED_CHARS,
    Extraction,
    run_extraction,
)

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain",
}
MAX_COMPRESSION_RATIO = 100
HTML_SNIFF = re.compile(
    rb"<\s*(!doctype|html|script|head|body|iframe|svg|object|embed|meta|link|style|img)\b",
    re.IGNORECASE,
)


def _(message: str, **values) -> str:
    """Translate when a request is active (the person's language); plain English otherwise."""
    try:
        from flask_babel import gettext

        return gettext(message, **values)
    except (RuntimeError, KeyError):
        return message % values if values else message


class UploadRejected(ValueError):
    """The file cannot be accepted; the message says why and what to do."""


@dataclass
class ValidatedFile:
    """A file whose content has been checked."""

    kind: str  # pdf, docx, txt
    data: bytes
    display_name: str
    sha256: str

    @property
    def mime(self) -> str:
        return MIME[self.kind]

    @property
    def size(self) -> int:
        return len(self.data)


def display_name(filename: str | None, kind: str | None = None) -> str:
    """A sanitised name for showing and for Content-Disposition; never used as a path."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFKC", name)
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*;')
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, _, ext = name.rpartition(".")
    if not stem:
        stem, ext = name, ""
    stem = stem[:100] or "document"
    ext = kind or ext.lower()[:10]
    return f"{stem}.{ext}" if ext else stem


def ascii_name(name: str) -> str:
    """An ASCII fallback for the Content-Disposition filename parameter."""
    out = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    out = re.sub(r"[^A-Za-z0-9._ -]", "_", out).strip() or "document"
    return out


def _limit(key: str, default: int | float) -> int | float:
    """A numeric setting, of the default's type (int or float)."""
    try:
        return type(default)(current_app.config.get(key) or default)
    except RuntimeError:  # outside an app context (pure use)
        return default


def read_bounded(stream, limit: int) -> bytes:
    """Read at most limit bytes; refuse anything larger."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UploadRejected(
            _(
                "The file is too large. Files can be up to %(mb)s MB.",
                mb=limit // (1024 * 1024) or 1,
            )
        )
    return data


def check_docx_zip(data: bytes) -> None:
    """Refuse zip bombs and non-Word zips before any entry is decompressed."""
    max_entries = _limit("DOCX_MAX_ENTRIES", 500)
    max_total = _limit("DOCX_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > max_entries:
                raise UploadRejected(
                    _(
                        "This Word document has too many parts (%(n)s; the limit is %(max)s). "
                        "Save it again as a new document, or send a PDF.",
                        n=len(infos),
                        max=max_entries,
                    )
                )
            total = sum(i.file_size for i in infos)
            if total > max_total:
                raise UploadRejected(
                    _(
                        "This Word document would be too large once opened. Save it again "
                        "without embedded media, or send a PDF."
                    )
                )
            for i in infos:
                if i.compress_size and i.file_size / i.compress_size > MAX_COMPRESSION_RATIO:
                    raise UploadRejected(
                        _(
                            "This Word document is compressed in an unusual way and cannot be "
                            "opened safely. Save it again, or send a PDF."
                        )
                    )
            names = {i.filename for i in infos}
    except zipfile.BadZipFile as exc:
        raise UploadRejected(_("This file is not a valid Word (.docx) document.")) from exc
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise UploadRejected(
            _("This file is not a Word (.docx) document. Send a PDF, DOCX or TXT.")
        )


def looks_like_text(data: bytes) -> str | None:
    """Decode plain text (UTF-8, else Latin-1); None when it is binary or HTML/script."""
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
        if controls > max(2, len(text) // 100):
            return None
    if HTML_SNIFF.search(data):
        return None
    return text


def sniff_kind(data: bytes) -> str:
    """pdf, docx or txt from the content; UploadRejected for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        check_docx_zip(data)
        return "docx"
    if looks_like_text(data) is not None:
        return "txt"
    raise UploadRejected(
        _(
            "This file type cannot be accepted. Send a PDF, a Word document (.docx) or a "
            "plain text (.txt) file."
        )
    )


def validate_upload(filename: str | None, stream) -> ValidatedFile:
    """Check a file by its content and size; the name is only used for display."""
    data = read_bounded(stream, _limit("MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
    if not data:
        raise UploadRejected(_("The selected file is empty."))
    kind = sniff_kind(data)
    return ValidatedFile(
        kind=kind,
        data=data,
        display_name=display_name(filename, kind),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def upload_folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "hearings"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(validated: ValidatedFile) -> str:
    """Write the file under a new random name (never the uploaded one); return that name."""
    name = f"{secrets.token_hex(16)}.{validated.kind}"
    path = upload_folder() / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(validated.data)
    return name


def stored_path(stored_name: str) -> Path:
    """The path of a stored file; refuses names that are not ours."""
    if not re.fullmatch(r"[0-9a-f]{32}\.(pdf|docx|txt)", stored_name or ""):
        raise FileNotFoundError(stored_name)
    return upload_folder() / stored_name


def remove_stored(stored_name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        stored_path(stored_name).unlink(missing_ok=True)


def extract_text(validated: ValidatedFile) -> str:
    """Plain text of the document body only (no author or other metadata), bounded.

    "" when no text could be read: a scanned or damaged document, or one that needed more than
    UPLOAD_EXTRACT_SECONDS / UPLOAD_EXTRACT_MEMORY_MB (the caller stores the file all the same and
    staff are told to open it).
    """
    return extraction(validated.kind, validated.data).text


def extraction(kind: str, data: bytes) -> Extraction:
    """Extract text and say how it went (Extraction.status: ok, timeout, memory, error...).

    PDF and DOCX are parsed in a child process bounded by UPLOAD_EXTRACT_MEMORY_MB and by the
    wall-clock time left of UPLOAD_EXTRACT_SECONDS, a budget shared by all files of one request
    (so a sign-up with five files stays well inside the web server's own timeout). Plain text is
    decoded here: that is linear in the size, which MAX_UPLOAD_BYTES already bounds.
    """
    if kind in ("pdf", "docx"):
        if kind == "docx":
            check_docx_zip(data)  # UploadRejected as before: nothing is decompressed for a bomb
        result = _bounded(kind, data)
    else:
        result = Extraction(looks_like_text(data) or "", "ok")
    if not result.ok:
        with contextlib.suppress(RuntimeError):  # outside an app context: no logger to tell
            current_app.logger.warning(
                "Could not extract text from an uploaded %s: %s", kind, result.reason
            )
        return Extraction("", result.status, result.detail)
    text = re.sub(r"[ \t]+\n", "\n", result.text.replace("\r\n", "\n")).strip()
    return Extraction(text[:MAX_EXTRACTED_CHARS], "ok")


def _bounded(kind: str, data: bytes) -> Extraction:
    seconds = _limit("UPLOAD_EXTRACT_SECONDS", 10.0)
    memory_mb = _limit("UPLOAD_EXTRACT_MEMORY_MB", 512)
    spent_key = "consult.upload_extract_seconds"
    environ = request.environ if has_request_context() else {}
    left = seconds - environ.get(spent_key, 0.0)
    started = time.monotonic()
    try:
        return run_extraction(kind, data, seconds=left, memory_mb=memory_mb)
    finally:
        environ[spent_key] = environ.get(spent_key, 0.0) + time.monotonic() - started
