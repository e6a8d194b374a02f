"""Seeded unique strings in confidential and name-withheld testimony never reach the public."""

import io
import re

from sqlalchemy import select

from consult.audit import AuditEvent
from consult.extensions import db
from consult.hearings.models import Speaker
from consult.hearings.moderation import moderate
from consult.hearings.summary import build_summary, summary_html
from tests.hearings.conftest import make_docx, signup_data
from tests.helpers import run_pdftotext

CONF_NAME = "Zephyrine Quillfeather"
CONF_TEXT = "CONFSECRET-7f3a9 my employer kept me in the basement"
CONF_FILE = "CONFFILE-1b2c3 attached confidential words"
WITHHELD_NAME = "Bartholomew Xanthopoulos"
WITHHELD_ORG = "Withheld Org 5521"
WITHHELD_TEXT = "Withheld testimony about long hours WHTEXT-88"
PUBLIC_NAME = "Priya Openshaw"


def _seed(client, hearing):
    conf = signup_data(
        name=CONF_NAME, confidentiality="confidential", mode="written", written_text=CONF_TEXT
    )
    conf["files"] = (io.BytesIO(make_docx(CONF_FILE)), "mine.docx")
    assert (
        client.post(
            f"/hearings/{hearing.id}", data=conf, content_type="multipart/form-data"
        ).status_code
        == 302
    )
    withheld = signup_data(
        name=WITHHELD_NAME,
        organization_name=WITHHELD_ORG,
        confidentiality="name_withheld",
        written_text=WITHHELD_TEXT,
        position="oppose",
    )
    assert client.post(f"/hearings/{hearing.id}", data=withheld).status_code == 302
    public = signup_data(name=PUBLIC_NAME, written_text="Public words PUBTEXT-1")
    assert client.post(f"/hearings/{hearing.id}", data=public).status_code == 302
    for s in db.session.scalars(select(Speaker)):
        moderate(s.testimony.id, "approved", actor_id=None)


def _assert_clean(text: str):
    for secret in (CONF_NAME, "CONFSECRET", "CONFFILE", WITHHELD_NAME, WITHHELD_ORG):
        assert secret not in text, secret


def test_public_pages_pdf_and_passage_export_honour_confidentiality(app, client, hearing, tmp_path):
    _seed(client, hearing)
    record = client.get(f"/hearings/{hearing.id}/record").text
    _assert_clean(record)
    assert "WHTEXT-88" in record and "PUBTEXT-1" in record and PUBLIC_NAME in record
    assert re.search(r"Speaker \d+, name withheld", record)
    _assert_clean(client.get(f"/hearings/{hearing.id}").text)
    _assert_clean(client.get("/hearings/").text)

    with app.test_request_context():
        html = summary_html(build_summary(hearing.id, "public"))
    _assert_clean(html)
    from consult.hearings.summary import summary_pdf

    with app.test_request_context():
        pdf = summary_pdf(hearing.id, "public")
    text = run_pdftotext(pdf, tmp_path)
    _assert_clean(text)
    assert "WHTEXT-88" in text and PUBLIC_NAME in text

    with app.test_request_context():
        internal = summary_html(build_summary(hearing.id, "internal"))
    assert CONF_NAME in internal and "CONFIDENTIAL" in internal and WITHHELD_NAME in internal


def test_public_summary_via_the_cli_is_clean(app, client, hearing, runner, tmp_path):
    _seed(client, hearing)
    out = tmp_path / "public.pdf"
    result = runner.invoke(
        args=["hearings", "summary", str(hearing.id), "--edition", "public", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = run_pdftotext(out.read_bytes(), tmp_path)
    _assert_clean(text)
    assert re.search(r"Page 1 of \d+", text)
    assert hearing.title in text


def test_passages_carry_confidentiality_for_coding(client, hearing):
    from consult.passages.models import Confidentiality, Passage

    _seed(client, hearing)
    rows = {p.text[:10]: p for p in db.session.scalars(select(Passage))}
    conf = [p for p in rows.values() if "CONFSECRET" in p.text or "CONFFILE" in p.text]
    assert len(conf) == 2 and all(p.confidentiality is Confidentiality.CONFIDENTIAL for p in conf)
    withheld = next(p for p in rows.values() if "WHTEXT" in p.text)
    assert (
        withheld.confidentiality is Confidentiality.NAME_WITHHELD and withheld.position == "oppose"
    )


def test_reading_confidential_testimony_is_audited_without_text(client, auth, factory, hearing):
    _seed(client, hearing)
    staff = factory.user("staff")
    auth.login(staff)
    conf = db.session.scalar(select(Speaker).where(Speaker.name == CONF_NAME))
    page = client.get(f"/hearings/testimony/{conf.testimony.id}").text
    assert "CONFSECRET-7f3a9" in page
    attachment = conf.testimony.attachments[0]
    assert client.get(f"/hearings/attachments/{attachment.id}").status_code == 200
    events = list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "testimony.read_confidential")
        )
    )
    assert len(events) == 2 and all(e.actor_id == staff.id for e in events)
    for ev in db.session.scalars(select(AuditEvent)):
        assert "CONFSECRET" not in str(ev.detail or "") and CONF_NAME not in str(ev.detail or "")
    public = db.session.scalar(select(Speaker).where(Speaker.name == PUBLIC_NAME))
    client.get(f"/hearings/testimony/{public.testimony.id}")
    assert (
        db.session.scalar(
            select(db.func.count(AuditEvent.id)).where(
                AuditEvent.action == "testimony.read_confidential"
            )
        )
        == 2
    )


def test_internal_summary_needs_read_confidential(client, auth, factory, hearing):
    auth.login(factory.user("facilitator"))
    assert client.get(f"/hearings/{hearing.id}/summary?edition=internal").status_code == 403
    assert client.get(f"/hearings/{hearing.id}/summary?edition=public").status_code == 200


def test_public_tally_leaves_confidential_speakers_out(app, client, hearing):
    """Regression: the public record and public summary counted confidential speakers."""
    from consult.hearings.models import Position
    from consult.hearings.record import position_tally

    _seed(client, hearing)  # confidential: support; withheld: oppose; public: support
    assert position_tally(hearing.id, "internal")[Position.SUPPORT] == 2
    public = position_tally(hearing.id, "public")
    assert public[Position.SUPPORT] == 1 and public[Position.OPPOSE] == 1
    with app.test_request_context():
        summary = build_summary(hearing.id, "public")
    assert sum(n for _, n in summary.tally) == len(summary.entries) == 2
    record = client.get(f"/hearings/{hearing.id}/record").text
    support_row = re.search(r"Support</th>\s*<td>(\d+)</td>", record)
    assert support_row and support_row.group(1) == "1"
