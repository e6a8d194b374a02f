"""Hostile testimony is shown as text in HTML and PDF and makes WeasyPrint fetch nothing."""

from sqlalchemy import select

from consult.extensions import db
from consult.hearings.models import Speaker
from consult.hearings.moderation import moderate
from consult.hearings.summary import build_summary, summary_html
from consult.reports.pdf import STATIC_PREFIX, render_pdf_inline
from tests.hearings.conftest import signup_data
from tests.helpers import run_pdftotext

HOSTILE = (
    '<script>alert("x")</script> <img src="file:///etc/passwd"> '
    '<link rel="stylesheet" href="http://evil.example/a.css"> '
    '<div style="background: url(http://evil.example/b.png)">css</div> @import url("http://evil.example/c.css");'
)


def _hostile(client, hearing):
    data = signup_data(
        name='<b>Bold</b> "Mallory"', written_text=HOSTILE, organization_name="<i>Org</i>"
    )
    assert client.post(f"/hearings/{hearing.id}", data=data).status_code == 302
    s = db.session.scalar(select(Speaker))
    moderate(s.testimony.id, "approved", actor_id=None)


def test_hostile_testimony_is_literal_in_public_html(client, hearing):
    _hostile(client, hearing)
    html = client.get(f"/hearings/{hearing.id}/record").text
    assert "<script>alert" not in html and '<img src="file:' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html


def test_hostile_testimony_is_literal_in_the_pdf_and_nothing_is_fetched(
    app, client, hearing, tmp_path
):
    _hostile(client, hearing)
    for edition in ("public", "internal"):
        with app.test_request_context():
            html = summary_html(build_summary(hearing.id, edition))
        assert "<script>" not in html
        pdf, fetcher = render_pdf_inline(html)
        assert fetcher.refused == []
        assert all(url.startswith(STATIC_PREFIX) for url in fetcher.served)
        text = run_pdftotext(pdf, tmp_path)
        flat = "".join(text.split())  # lines wrap anywhere in the PDF
        assert '<script>alert("x")</script>' in flat
        assert '<imgsrc="file:///etc/passwd">' in flat
        assert (
            'href="http://evil.example/a.css">' in flat and "url(http://evil.example/b.png)" in flat
        )
