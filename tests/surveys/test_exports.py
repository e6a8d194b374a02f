"""Response exports: CSV/XLSX columns and column descriptions, formula neutralisation, JSON, CLI."""

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from consult.surveys.exports import neutralise
from tests.surveys.survey_data import add_response

EXPECTED_COLUMNS = [
    "response_id",
    "reference",
    "status",
    "test",
    "organization",
    "organization_kind",
    "region",
    "language",
    "submitted_at",
    "org_name",
    "founded",
    "contact",
    "people",
    "funded",
    "main",
    "services/health",
    "services/housing",
    "services/legal",
    "services/other",
    "progress",
    "coverage/health",
    "coverage/housing",
    "priorities/prevention",
    "priorities/protection",
    "priorities/prosecution",
    "gaps",
]


@pytest.fixture
def exported(full_survey, orgs):
    add_response(
        full_survey,
        orgs[0],
        answers={
            "org_name": '=HYPERLINK("http://evil.example","x")',
            "founded": date(2001, 2, 3),
            "contact": "@me@example.org",
            "people": -5,
            "funded": "yes",
            "main": "legal",
            "services": ["health", ("other", "+Interpreting")],
            "progress": 4,
            "coverage": {"health": "provide", "housing": "none"},
            "priorities": {"prevention": 2, "protection": 1, "prosecution": 3},
            "gaps": "-no gaps\tat all",
        },
    )
    add_response(
        full_survey, orgs[1], language="es", answers={"org_name": "Policía", "people": 12.5}
    )
    add_response(full_survey, orgs[2], is_test=True, answers={"org_name": "Test run"})
    add_response(full_survey, orgs[2], status="draft", answers={"org_name": "Half done"})
    return full_survey


def test_neutralise():
    assert neutralise("=1+1") == "'=1+1"
    for risky in ("+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(risky).startswith("'")
    assert neutralise("plain") == "plain"
    assert neutralise(-5) == -5  # numbers stay numbers


def test_csv_columns_values_and_neutralisation(client, login_as, exported):
    login_as("staff")
    resp = client.get(f"/surveys/{exported.id}/export.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert list(rows[0].keys()) == EXPECTED_COLUMNS
    assert len(rows) == 2  # test responses and drafts are left out
    first, second = rows
    assert first["org_name"].startswith("'=HYPERLINK")
    assert first["contact"] == "'@me@example.org"
    assert first["gaps"] == "'-no gaps\tat all"
    assert first["services/other"] == "'+Interpreting"
    assert first["people"] == "-5"  # a number, not neutralised
    assert (first["services/health"], first["services/housing"], first["services/legal"]) == (
        "1",
        "0",
        "0",
    )
    assert (first["coverage/health"], first["coverage/housing"]) == ("provide", "none")
    assert (first["priorities/protection"], first["progress"], first["founded"]) == (
        "1",
        "4",
        "2001-02-03",
    )
    assert (first["organization"], first["organization_kind"], first["region"]) == (
        "Shelter North",
        "Nongovernmental organization",
        "North",
    )
    assert (
        second["people"] == "12.5"
        and second["services/health"] == ""
        and second["language"] == "es"
    )
    with_all = client.get(f"/surveys/{exported.id}/export.csv?drafts=1&tests=1").get_data(
        as_text=True
    )
    assert "Half done" in with_all and "Test run" in with_all


def test_columns_file_describes_every_column(client, login_as, exported):
    login_as("staff")
    text = client.get(f"/surveys/{exported.id}/export.columns.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["column"] for r in rows] == EXPECTED_COLUMNS
    by_name = {r["column"]: r for r in rows}
    assert by_name["services/health"]["meaning"] == "1 if “Health care” was chosen, 0 if not"
    assert by_name["coverage/housing"]["question"] == "Services by area"
    assert by_name["progress"]["meaning"] == "Point chosen, 1 to 5"


def test_xlsx_has_responses_and_columns_sheets(client, login_as, exported):
    login_as("staff")
    resp = client.get(f"/surveys/{exported.id}/export.xlsx")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data))
    assert wb.sheetnames == ["Responses", "Columns"]
    rows = list(wb["Responses"].iter_rows(values_only=True))
    assert list(rows[0]) == EXPECTED_COLUMNS
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["org_name"].startswith("'=HYPERLINK")  # stored as text, not a formula
    assert first["people"] == -5 and first["services/health"] == 1
    assert [r[0] for r in wb["Columns"].iter_rows(min_row=2, values_only=True)] == EXPECTED_COLUMNS


def test_json_export_has_structured_answers(client, login_as, exported):
    login_as("staff")
    data = json.loads(client.get(f"/surveys/{exported.id}/export.json").get_data(as_text=True))
    assert data["survey"]["title"]["es"] == "Encuesta de servicios"
    assert len(data["responses"]) == 2
    answers = data["responses"][0]["answers"]
    assert answers["services"] == {"chosen": ["health", "other"], "other": "+Interpreting"}
    assert answers["coverage"] == {"health": "provide", "housing": "none"}
    assert answers["priorities"] == {"prevention": 2, "protection": 1, "prosecution": 3}
    assert answers["people"] == -5 and answers["founded"] == "2001-02-03"


def test_unknown_format_is_404(client, login_as, exported):
    login_as("staff")
    assert client.get(f"/surveys/{exported.id}/export.pdf").status_code == 404
    assert client.get("/surveys/99999/export.csv").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_cli_export(runner, exported, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(
        args=["surveys", "export", str(exported.id), "--format", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "csv":
        assert data.decode("utf-8-sig").splitlines()[0].split(",")[:3] == [
            "response_id",
            "reference",
            "status",
        ]
    elif fmt == "json":
        assert len(json.loads(data)["responses"]) == 2
    else:
        assert load_workbook(io.BytesIO(data)).sheetnames == ["Responses", "Columns"]


def test_cli_export_bad_input(runner, exported, tmp_path):
    result = runner.invoke(args=["surveys", "export", "424242", "--out", str(tmp_path / "x.csv")])
    assert result.exit_code != 0 and "There is no survey 424242." in result.output
    result = runner.invoke(
        args=["surveys", "export", str(exported.id), "--format", "pdf", "--out", "x"]
    )
    assert result.exit_code != 0
    result = runner.invoke(
        args=["surveys", "export", str(exported.id), "--out", "/nonexistent/dir/x.csv"]
    )
    assert result.exit_code != 0 and "Cannot write" in result.output


def test_exports_are_audited(client, login_as, exported):
    from consult.audit import AuditEvent
    from consult.extensions import db

    user = login_as("staff")
    client.get(f"/surveys/{exported.id}/export.xlsx?drafts=1")
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "survey.export")
    ).one()
    assert (event.actor_id, event.object_id) == (user.id, str(exported.id))
    assert event.detail == {"format": "xlsx", "include_drafts": True, "include_tests": False}
