"""Exchange formats: codebook CSV and .qdc round trips, codings CSV/XLSX, passages CSV, .qdpx."""

import csv
import io
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from consult.coding import exchange, exchange_qda
from consult.coding.codebook import create_theme, themes_for
from consult.coding.manual import add_codings, add_memo
from consult.coding.models import Theme
from consult.extensions import db

XSD = Path(__file__).resolve().parents[2].parent / "shared/data/refi-qda/Project-mrt2019.xsd"


def project_schema() -> etree.XMLSchema:
    if not XSD.exists():
        if os.environ.get("CONSULT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"The REFI-QDA schema is required but {XSD} is missing")
        pytest.skip(f"REFI-QDA schema not found at {XSD}")
    return etree.XMLSchema(etree.parse(str(XSD)))


def _codebook(consultation_id):
    return [
        (t.name, t.parent.name if t.parent else "", t.description, t.keywords, t.stance)
        for t in themes_for(consultation_id)
    ]


def test_codebook_csv_round_trip(world, factory):
    create_theme(
        world.consultation.id,
        {
            "name": "-Vacatur of convictions",
            "description": "Clearing records, =even with formulas",
            "keywords": ["vacatur", "criminal record"],
            "stance": "for",
            "parent_id": world.training.id,
        },
        actor_id=None,
    )
    data = exchange.export_codebook_csv(world.consultation.id)
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "name,parent,description,keywords,stance"
    assert "'-Vacatur of convictions" in text  # neutralised for spreadsheets
    other = factory.consultation(slug="copy")
    created, updated, problems = exchange.import_codebook(other.id, "cb.csv", data, actor_id=None)
    assert (created, updated, problems) == (5, 0, [])
    assert sorted(_codebook(other.id), key=str) == sorted(_codebook(world.consultation.id), key=str)


def test_codebook_csv_problems_by_line(world):
    data = (
        b"name,parent,description,keywords,stance\n"
        b"Child theme,Later parent,,a;b,\n"
        b"Later parent,,,,\n"
        b",,description only,,\n"
        b"Odd,Nowhere,,,sideways\n"
        b"Orphan,Nowhere,,,\n"
    )
    created, updated, problems = exchange.import_codebook(
        world.consultation.id, "x.csv", data, actor_id=None
    )
    assert created == 3
    assert any(p.startswith("line 4:") for p in problems)  # empty name
    assert any(p.startswith("line 5:") and "stance" in p for p in problems)
    assert any(p.startswith("line 6:") and "Nowhere" in p for p in problems)
    child = db.session.scalar(select(Theme).where(Theme.name == "Child theme"))
    assert child.parent.name == "Later parent" and child.keywords == ["a", "b"]


def test_qdc_round_trip_and_structure(world, factory):
    world.housing.stance = None
    create_theme(
        world.consultation.id,
        {"name": "Coercion definitions", "stance": "against", "keywords": ["coercion"]},
        actor_id=None,
    )
    xml = exchange_qda.export_qdc(world.consultation.id)
    root = etree.fromstring(xml)
    ns = {"q": "urn:QDA-XML:codebook:1.0"}
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    nested = root.xpath("//q:Code[@name='Protection']/q:Code/@name", namespaces=ns)
    assert nested == ["Housing shortage"]
    assert all(c.get("isCodable") == "true" for c in root.iter("{*}Code"))
    # the same Codes are valid in a project document (the codebook schema mirrors it)
    project = etree.Element("{urn:QDA-XML:project:1.0}Project", name="x")
    book = etree.SubElement(project, "{urn:QDA-XML:project:1.0}CodeBook")
    codes = etree.fromstring(
        etree.tostring(root.find("q:Codes", ns)).replace(
            b"urn:QDA-XML:codebook:1.0", b"urn:QDA-XML:project:1.0"
        )
    )
    book.append(codes)
    schema = project_schema()
    assert schema.validate(project), schema.error_log
    other = factory.consultation(slug="qdc-copy")
    created, _u, problems = exchange.import_codebook(other.id, "cb.qdc", xml, actor_id=None)
    assert created == 5 and problems == []
    assert sorted(_codebook(other.id), key=str) == sorted(_codebook(world.consultation.id), key=str)


def test_qdc_refuses_entities_and_garbage(world):
    from consult.coding.passages_import import ImportRefused

    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CodeBook><Codes><Code name="&e;" guid="x" isCodable="true"/></Codes></CodeBook>'
    with pytest.raises(ImportRefused, match="external entity"):
        exchange.import_codebook(world.consultation.id, "e.qdc", evil, actor_id=None)
    names = db.session.scalars(select(Theme.name)).all()
    assert not any("root:" in n for n in names)
    with pytest.raises(ImportRefused):
        exchange.import_codebook(world.consultation.id, "bad.qdc", b"<Code", actor_id=None)


@pytest.fixture
def coded(world, factory):
    coder = factory.user("staff", email="coder@example.org")
    p0, p1 = world.passages[0], world.passages[1]
    add_codings(p0, [world.housing.id], [(31, len(p0.text))], coder_id=coder.id)
    add_codings(p1, [world.language.id, world.protection.id], [(0, 30)], coder_id=coder.id)
    world.passage('=HYPERLINK("http://evil") please fund shelters', key="evil")
    add_memo(world.consultation.id, "Check with the shelter", author_id=coder.id, passage_id=p0.id)
    add_memo(
        world.consultation.id, "Beds, not quality", author_id=coder.id, theme_id=world.housing.id
    )
    return coder


def test_codings_csv_and_xlsx(world, coded):
    p = world.passage("+1 more shelter beds", key="plus")
    add_codings(p, [world.housing.id], [(0, len(p.text))], coder_id=coded.id)
    rows = list(
        csv.reader(
            io.StringIO(exchange.export_codings(world.consultation.id, "csv").decode("utf-8-sig"))
        )
    )
    assert rows[0] == exchange.CODINGS_HEADER
    by_theme = {r[2]: r for r in rows[1:]}
    housing = [r for r in rows[1:] if r[0] == "p0"][0]
    assert housing[1:5] == ["Emailed submission", "Housing shortage", "manual", "accepted"]
    assert housing[8] == "Survivors wait weeks for housing." and housing[10] == "coder@example.org"
    assert int(housing[6]) == 31
    assert "Language access" in by_theme
    plus = [r for r in rows[1:] if r[0] == "plus"][0]
    assert plus[8] == "'+1 more shelter beds"
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(exchange.export_codings(world.consultation.id, "xlsx")))
    ws = wb.active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == exchange.CODINGS_HEADER and len(values) == len(rows)
    assert all(not str(v).startswith(("=", "+")) for row in values for v in row if v is not None)


def test_passages_csv(world, coded):
    text = exchange.export_passages_csv(world.consultation.id).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == exchange.PASSAGES_HEADER
    p1 = {r["external_id"]: r for r in rows}["p1"]
    assert p1["themes"] == "Language access;Protection" or set(p1["themes"].split(";")) == {
        "Language access",
        "Protection",
    }
    assert p1["organization_kind"] == "ngo"
    evil = {r["external_id"]: r for r in rows}["evil"]
    assert evil["themes"] == "" and evil["source"] == "Emailed submission"


def test_qdpx_validates_against_the_schema(world, coded):
    data = exchange_qda.export_qdpx(world.consultation.id)
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    assert "project.qde" in names
    doc = etree.fromstring(zf.read("project.qde"))
    schema = project_schema()
    assert schema.validate(doc), schema.error_log
    ns = {"q": "urn:QDA-XML:project:1.0"}
    sources = doc.findall(".//q:TextSource", ns)
    assert len(sources) == len(world.passages) + 1
    for src in sources:
        path = src.get("plainTextPath").replace("internal://", "sources/")
        assert path in names
    sel = doc.xpath("//q:PlainTextSelection", namespaces=ns)
    assert len(sel) == 3
    housing_sel = [s for s in sel if s.get("startPosition") == "31"][0]
    src = housing_sel.getparent()
    body = zf.read(src.get("plainTextPath").replace("internal://", "sources/")).decode()
    assert body[31 : int(housing_sel.get("endPosition"))] == "Survivors wait weeks for housing."
    target = housing_sel.find("q:Coding/q:CodeRef", ns).get("targetGUID")
    assert doc.xpath(f"//q:Code[@guid='{target}']/@name", namespaces=ns) == ["Housing shortage"]
    notes = {
        n.get("guid"): n.find("q:PlainTextContent", ns).text
        for n in doc.findall(".//q:Notes/q:Note", ns)
    }
    assert set(notes.values()) == {"Check with the shelter", "Beds, not quality"}
    ref = doc.xpath("//q:Code[@name='Housing shortage']/q:NoteRef/@targetGUID", namespaces=ns)
    assert [notes[r] for r in ref] == ["Beds, not quality"]


def test_export_pages_and_cli(world, coded, client, login_as, runner, tmp_path):
    login_as("staff")
    for kind, fmt in [
        ("codings", "csv"),
        ("codings", "xlsx"),
        ("passages", "csv"),
        ("project", "qdpx"),
    ]:
        resp = client.get(f"/coding/{world.slug}/exports/{kind}.{fmt}")
        assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    assert client.get(f"/coding/{world.slug}/exports/codings.pdf").status_code == 404
    for fmt in ("csv", "xlsx", "qdpx"):
        out = tmp_path / f"codings.{fmt}"
        r = runner.invoke(
            args=[
                "coding",
                "export",
                "--consultation",
                world.slug,
                "--format",
                fmt,
                "--out",
                str(out),
            ]
        )
        assert r.exit_code == 0, r.output
        assert out.stat().st_size > 100
    out = tmp_path / "passages.csv"
    r = runner.invoke(
        args=["coding", "export-passages", "--consultation", world.slug, "--out", str(out)]
    )
    assert r.exit_code == 0 and out.read_text(encoding="utf-8-sig").startswith("external_id,source")
    cb = tmp_path / "cb.qdc"
    r = runner.invoke(
        args=[
            "coding",
            "export-codebook",
            "--consultation",
            world.slug,
            "--format",
            "qdc",
            "--out",
            str(cb),
        ]
    )
    assert r.exit_code == 0
    from consult.consultations.services import create_consultation

    create_consultation(title="Other", slug="other")
    r = runner.invoke(args=["coding", "import-codebook", str(cb), "--consultation", "other"])
    assert r.exit_code == 0 and "4 themes created" in r.output
    r = runner.invoke(args=["coding", "import-codebook", str(cb), "--consultation", "nope"])
    assert r.exit_code != 0 and "no consultation" in r.output


def test_exports_can_leave_out_confidential_passages(world, coded):
    secret = world.passage("Confidential: the farm in Eastfield.", key="secret", confidential=True)
    add_codings(secret, [world.housing.id], [(0, 12)], coder_id=coded.id)
    cid = world.consultation.id
    assert b"Confidential" in exchange.export_codings(cid, "csv")
    assert b"Confidential" not in exchange.export_codings(cid, "csv", include_confidential=False)
    assert b"secret" not in exchange.export_passages_csv(cid, include_confidential=False)
    xml, files = exchange_qda.build_project(cid, include_confidential=False)
    assert b"secret" not in xml and not any("Eastfield" in t for t in files.values())
