"""Importing passages from CSV and XLSX: header checks, per-line problems, re-import updates."""

import io

import openpyxl
from sqlalchemy import select

from consult.audit import AuditEvent
from consult.extensions import db
from consult.passages.models import OriginKind, Passage, SourceKind

CSV = (
    "external_id,text,source,organization_kind,language,position,extra\n"
    "E-1,We need more shelter beds for survivors.,Email,ngo,en,support,ignored\n"
    "E-2,Necesitamos intérpretes en los tribunales.,Paper form,legal_aid,es,,\n"
    "E-3,,Email,ngo,en,,\n"
    "E-4,Unknown kind here,Email,spaceship,en,,\n"
    "E-5,Bad position,Email,ngo,en,maybe,\n"
    ",A submission without an id.,Email,,,oppose,\n"
)


def test_import_csv_through_the_page(factory, client, login_as):
    login_as("staff")
    c = factory.consultation(slug="imp")
    resp = client.post(
        "/coding/imp/passages/import",
        data={"file": (io.BytesIO(CSV.encode()), "submissions.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200
    assert "3 passages added, 0 updated" in resp.text
    assert "line 4: the text is empty" in resp.text
    assert "line 5: unknown organization_kind" in resp.text
    assert "line 6: position" in resp.text
    passages = {p.external_id: p for p in db.session.scalars(select(Passage))}
    assert set(passages) == {"E-1", "E-2", None}
    e1 = passages["E-1"]
    assert e1.origin_kind == OriginKind.IMPORT and e1.origin_id == "imp:E-1"
    assert e1.source_kind == SourceKind.IMPORT and e1.source_label == "Email"
    assert (e1.organization_kind, e1.language, e1.position) == ("ngo", "en", "support")
    assert passages["E-2"].language == "es" and passages["E-2"].position is None
    assert passages[None].origin_id.startswith("imp:") and passages[None].position == "oppose"
    assert passages[None].consultation_id == c.id
    ev = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "passage.import"))
    assert ev.detail["created"] == 3 and "shelter" not in str(ev.detail)
    # importing the same file again updates instead of duplicating
    resp = client.post(
        "/coding/imp/passages/import",
        data={
            "file": (io.BytesIO(CSV.replace("more shelter", "many more shelter").encode()), "s.csv")
        },
        content_type="multipart/form-data",
    )
    assert "0 passages added, 3 updated" in resp.text
    assert db.session.get(Passage, e1.id).text.startswith("We need many more")
    assert len(db.session.scalars(select(Passage)).all()) == 3


def test_missing_text_column_is_refused(factory, client, login_as):
    login_as("staff")
    factory.consultation(slug="imp")
    resp = client.post(
        "/coding/imp/passages/import",
        data={"file": (io.BytesIO(b"external_id,body\n1,hello\n"), "x.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200
    assert "no &#39;text&#39; column" in resp.text or "no 'text' column" in resp.text
    assert db.session.scalar(select(Passage)) is None
    resp = client.post(
        "/coding/imp/passages/import",
        data={"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00"), "x.csv")},
        content_type="multipart/form-data",
    )
    assert "neither CSV text nor an Excel" in resp.text


def test_import_xlsx_with_cli(factory, runner, tmp_path):
    factory.consultation(slug="imp")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["text", "external_id", "position"])
    ws.append(["Labor inspectors never come to the farms.", "X-1", "oppose"])
    ws.append([None, None, None])
    ws.append(["Workers are afraid to speak.", 42, None])
    path = tmp_path / "subs.xlsx"
    wb.save(path)
    r = runner.invoke(args=["coding", "import-passages", str(path), "--consultation", "imp"])
    assert r.exit_code == 0, r.output
    assert "2 passages created" in r.output
    ids = set(db.session.scalars(select(Passage.external_id)))
    assert ids == {"X-1", "42"}
    bad = tmp_path / "bad.csv"
    bad.write_text("id,body\n1,x\n")
    r = runner.invoke(args=["coding", "import-passages", str(bad), "--consultation", "imp"])
    assert r.exit_code != 0 and "text" in r.output


def test_only_coders_may_import(factory, client, auth):
    factory.consultation(slug="imp")
    auth.login(factory.user("facilitator"))
    resp = client.post(
        "/coding/imp/passages/import",
        data={"file": (io.BytesIO(CSV.encode()), "s.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 403
    assert db.session.scalar(select(Passage)) is None
