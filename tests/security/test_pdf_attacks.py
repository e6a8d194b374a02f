"""PDF rendering attacks: even raw hostile HTML (as if escaping failed) fetches nothing but the
app's static files, embeds no file, and rendering stays within its time bound."""

import io
import time

import pytest
from pypdf import PdfReader

from consult.reports.pdf import RenderError, render_pdf, render_pdf_inline

HOSTILE = """<!doctype html><html><head>
<style>@import url("http://169.254.169.254/latest/meta-data/"); @import "file:///etc/passwd";
body { background: url("file:///dev/urandom"); }
@font-face { font-family: x; src: url("https://example.org/font.woff2"); }</style>
<link rel="stylesheet" href="http://attacker.example/x.css">
<link rel="attachment" href="file:///etc/passwd">
</head><body>
<p>Testimony <a rel="attachment" href="file:///etc/shadow">see</a></p>
<img src="file:///etc/hostname"><img src="http://127.0.0.1:6379/">
<img src="https://redirect.example/to?file:///etc/passwd">
<img src="data:image/svg+xml;base64,PHN2Zz48aW1hZ2UgaHJlZj0iZmlsZTovLy9ldGMvcGFzc3dkIi8+PC9zdmc+">
<iframe src="file:///etc/passwd"></iframe><object data="file:///etc/passwd"></object>
<img src="/static/css/app.css">
</body></html>"""


def _embedded_files(pdf: bytes) -> list:
    reader = PdfReader(io.BytesIO(pdf))
    found = []
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        found.append("EmbeddedFiles")
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            if annot.get_object().get("/Subtype") == "/FileAttachment":
                found.append("FileAttachment")
    return found


def test_hostile_html_fetches_nothing_and_embeds_nothing(app):
    pdf, fetcher = render_pdf_inline(HOSTILE)
    assert pdf.startswith(b"%PDF")
    assert _embedded_files(pdf) == []
    assert all(
        u.startswith("https://consult.invalid/static/") or "/static/" in u for u in fetcher.served
    )
    refused = " ".join(fetcher.refused)
    for target in (
        "169.254.169.254",
        "file:///etc/passwd",
        "attacker.example",
        "example.org/font",
        "127.0.0.1:6379",
        "/dev/urandom",
        "redirect.example",
    ):
        assert target in refused, target
    assert b"root:x:0:0" not in pdf


def test_rendering_is_bounded_in_time(app):
    huge = "<p>" + ("word " * 200) + "</p>"
    started = time.monotonic()
    with pytest.raises(RenderError):
        render_pdf("<html><body>" + huge * 20000 + "</body></html>", timeout=2)
    assert time.monotonic() - started < 30
