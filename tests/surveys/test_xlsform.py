"""XLSForm import of workbooks built here with openpyxl: types, groups, conditions, translations."""

import io

import pytest
from openpyxl import Workbook

from consult.extensions import db
from consult.surveys.definition_io import export_definition
from consult.surveys.models import Survey
from consult.surveys.xlsform import XLSFormError, convert, import_xlsform

HEADERS = [
    "type",
    "name",
    "label::English (en)",
    "label::Español (es)",
    "hint::English (en)",
    "required",
    "relevant",
    "constraint",
    "constraint_message::English (en)",
    "appearance",
    "calculation",
]
SURVEY_ROWS = [
    ["text", "org", "Organization", "Organización", "Full legal name", "yes"],
    ["integer", "staff", "Staff", "Personal", None, None, None, ". >= 0 and . <= 500", "0 to 500"],
    ["decimal", "budget", "Budget", "Presupuesto"],
    ["date", "founded", "Founded", "Fundada"],
    ["select_one yn", "funded", "Funded?", "¿Financiada?", None, "true()"],
    ["begin group", "svc_group", "Services", "Servicios", None, None, "${funded} = 'yes'"],
    ["select_multiple svc or_other", "services", "Services offered", "Servicios ofrecidos"],
    [
        "text",
        "detail",
        "Details",
        "Detalles",
        None,
        None,
        "selected(${services}, 'legal') and ${staff} > 10",
        None,
        None,
        "multiline",
    ],
    ["note", "thanks", "Thank you", "Gracias"],
    ["end group", "svc_group"],
    ["geopoint", "location", "Where are you?", "¿Dónde está?"],
    ["text", "calc_q", "Calculated", "Calculada", None, None, None, None, None, None, "1 + 1"],
    ["text", "weird", "Weird", "Rara", None, None, "${staff} * 2 > 10"],
    ["text", "code3", "Code", "Código", None, None, None, "regex(., '^[A-Z]{3}$')"],
    [
        "select_one yn",
        "dropdown_q",
        "Pick",
        "Elija",
        None,
        None,
        "${funded} != 'no' or ${staff} < 3",
        None,
        None,
        "minimal",
    ],
]


def workbook(
    survey_rows=SURVEY_ROWS, headers=HEADERS, choices=True, settings=True, extra_choices=()
) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "survey"
    sheet.append(headers)
    for row in survey_rows:
        sheet.append(row)
    if choices:
        ch = wb.create_sheet("choices")
        ch.append(["list_name", "name", "label::English (en)", "label::Español (es)"])
        for row in (
            ["yn", "yes", "Yes", "Sí"],
            ["yn", "no", "No", "No"],
            ["svc", "health", "Health care", "Salud"],
            ["svc", "legal", "Legal aid", "Asistencia legal"],
            *extra_choices,
        ):
            ch.append(row)
    if settings:
        st = wb.create_sheet("settings")
        st.append(["form_title", "default_language"])
        st.append(["Provider survey", "English (en)"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def questions(survey) -> dict:
    spec = export_definition(survey)["survey"]
    return {q["code"]: (i, q) for i, s in enumerate(spec["sections"]) for q in s["questions"]}


def test_types_groups_conditions_translations(full_survey):
    outcome = import_xlsform(workbook(), "providers.xlsx", full_survey.consultation_id)
    survey = db.session.get(Survey, outcome.survey.id)
    spec = export_definition(survey)["survey"]
    assert spec["title"] == {"en": "Provider survey"}
    assert spec["languages"] == ["en", "es"]
    assert [s["title"] for s in spec["sections"]] == [{}, {"en": "Services", "es": "Servicios"}, {}]
    assert spec["sections"][1]["condition"] == {
        "combine": "all",
        "rules": [{"question": "funded", "op": "equals", "value": "yes"}],
    }
    q = questions(survey)
    assert q["org"][1]["type"] == "short_text" and q["org"][1]["required"] is True
    assert q["org"][1]["text"] == {"en": "Organization", "es": "Organización"}
    assert q["org"][1]["help"] == {"en": "Full legal name"}
    assert q["staff"][1]["options"] == {"integer": True}
    assert q["staff"][1]["validation"] == {"min": 0, "max": 500, "message": {"en": "0 to 500"}}
    assert q["budget"][1]["type"] == "number" and q["budget"][1]["options"] == {}
    assert q["founded"][1]["type"] == "date"
    assert q["funded"][1]["type"] == "single_choice" and q["funded"][1]["required"] is True
    assert q["funded"][1]["choices"] == [
        {"value": "yes", "label": {"en": "Yes", "es": "Sí"}},
        {"value": "no", "label": {"en": "No", "es": "No"}},
    ]
    assert q["services"][0] == 1 and q["services"][1]["type"] == "multiple_choice"
    assert q["services"][1]["options"] == {"other": True}
    assert q["detail"][1]["type"] == "long_text"
    assert q["detail"][1]["condition"] == {
        "combine": "all",
        "rules": [
            {"question": "services", "op": "contains", "value": "legal"},
            {"question": "staff", "op": "gt", "value": 10},
        ],
    }
    assert q["thanks"][1]["type"] == "note"
    assert q["code3"][1]["validation"] == {"pattern": "^[A-Z]{3}$"}
    assert q["dropdown_q"][1]["options"] == {"display": "dropdown"}
    assert q["dropdown_q"][1]["condition"]["combine"] == "any"
    assert "location" not in q
    assert q["weird"][1]["condition"] is None
    assert dict(outcome.types) == {
        "text": 5,
        "integer": 1,
        "decimal": 1,
        "date": 1,
        "select_one": 2,
        "select_multiple": 1,
        "note": 1,
    }


def test_unmapped_things_are_reported_by_row_and_column(full_survey):
    result = convert(workbook(), "providers.xlsx")
    where = {(i.sheet, i.row, i.column) for i in result.issues}
    assert ("survey", 12, "type") in where  # geopoint
    assert ("survey", 13, "calculation") in where
    assert ("survey", 14, "relevant") in where
    messages = [str(i) for i in result.issues]
    assert (
        "survey sheet, row 12, column type: question type 'geopoint' is not supported; 'location' skipped"
        in messages
    )
    assert any("row 14, column relevant" in m and "'${staff} * 2 > 10'" in m for m in messages)


def test_csv_xlsform_with_old_style_language_column(full_survey):
    data = (
        b"survey,,,\n,type,name,label:english\n,text,your_name,What is your name?\n"
        b",integer,your_age,How old are you?\nchoices,,,\n,list name,name,label:english\n"
    )
    outcome = import_xlsform(data, "tiny.csv", full_survey.consultation_id)
    q = questions(outcome.survey)
    assert q["your_age"][1]["text"] == {"en": "How old are you?"}
    assert sum(outcome.types.values()) == 2


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"this is not a spreadsheet",
            "form.xlsx",
            "named .xlsx but is not an Excel .xlsx workbook",
        ),
        (b"PK\x03\x04garbage", "form.xlsx", "could not be read as an XLSForm"),
        (b"\xd0\xcf\x11\xe0garbage", "form.xls", "could not be read as an XLSForm"),
        (b"anything", "form.docx", "Upload an XLSForm as .xlsx, .xls or .csv"),
        (None, "nosurvey.xlsx", "survey"),
        ("missing-list", "bad.xlsx", "not a valid XLSForm"),
    ],
)
def test_invalid_workbooks_get_a_clear_message(full_survey, data, name, message):
    if data is None:
        wb = Workbook()
        wb.active.title = "questions"
        wb.create_sheet("other").append(["x"])
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
    elif data == "missing-list":
        data = workbook([["select_one nolist", "q1", "Q1", "P1"]])
    with pytest.raises(XLSFormError, match=message):
        import_xlsform(data, name, full_survey.consultation_id)
    assert db.session.query(Survey).count() == 1


def test_upload_page_lists_issues_and_refuses_bad_files(client, login_as, full_survey):
    login_as("staff")
    assert client.get("/surveys/import").status_code == 200
    form = {
        "consultation": str(full_survey.consultation_id),
        "file": (io.BytesIO(workbook()), "providers.xlsx"),
    }
    resp = client.post("/surveys/import", data=form, content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert (
        resp.status_code == 200
        and "Imported “Provider survey” as a draft survey with 12 questions" in html
    )
    assert (
        "<td>calculation</td>" in html
        and "question type &#39;geopoint&#39; is not supported" in html
    )
    bad = {
        "consultation": str(full_survey.consultation_id),
        "file": (io.BytesIO(b"junk"), "x.xlsx"),
    }
    resp = client.post("/surveys/import", data=bad, content_type="multipart/form-data")
    assert resp.status_code == 400 and "is not an Excel .xlsx workbook" in resp.get_data(
        as_text=True
    )
    resp = client.post(
        "/surveys/import",
        data={"consultation": str(full_survey.consultation_id)},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400 and "Choose a file to upload." in resp.get_data(as_text=True)


def test_upload_page_is_staff_only(client, factory, auth):
    assert client.get("/surveys/import").status_code == 302
    auth.login(factory.user("respondent"))
    assert client.post("/surveys/import").status_code == 403


def test_cli_import_xlsform(runner, full_survey, tmp_path):
    path = tmp_path / "providers.xlsx"
    path.write_bytes(workbook())
    slug = db.session.get(Survey, full_survey.id).consultation_id
    from consult.consultations.models import Consultation

    slug = db.session.get(Consultation, slug).slug
    result = runner.invoke(args=["surveys", "import-xlsform", str(path), "--consultation", slug])
    assert result.exit_code == 0, result.output
    assert "with 12 questions" in result.output and "row 12, column type" in result.output
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nope")
    result = runner.invoke(args=["surveys", "import-xlsform", str(bad), "--consultation", slug])
    assert result.exit_code != 0 and "not an Excel .xlsx workbook" in result.output
    result = runner.invoke(
        args=["surveys", "import-xlsform", str(tmp_path / "missing.xlsx"), "--consultation", slug]
    )
    assert result.exit_code != 0 and "Cannot read" in result.output


def test_dashboard_links_to_the_import_page(client, login_as, full_survey):
    from consult.consultations.models import Consultation

    login_as("staff")
    c = db.session.get(Consultation, full_survey.consultation_id)
    html = client.get(f"/consultations/{c.slug}").get_data(as_text=True)
    assert f"/surveys/import?consultation={c.id}" in html
    page = client.get(f"/surveys/import?consultation={c.id}").get_data(as_text=True)
    assert f'<option value="{c.id}" selected>' in page


def test_select_one_or_other_is_a_single_choice_with_other(full_survey):
    rows = [
        ["select_one svc or_other", "main_service", "Main service", "Servicio principal"],
        ["select_one svc or_other", "main_dd", "Main (list)", "Principal", *[None] * 5, "minimal"],
        ["select_one ho or_other", "heard", "Heard of us", "Supo de nosotros"],
    ]
    extra = [["ho", "radio", "Radio", "Radio"], ["ho", "other", "Other", "Otro"]]
    data = workbook(rows, extra_choices=extra)
    result = convert(data, "providers.xlsx")
    messages = [str(i) for i in result.issues]
    assert not any("not supported" in m for m in messages), messages
    assert messages == [
        "survey sheet, row 4, column type: or_other: list 'ho' already has a choice named "
        "'other'; kept as a plain choice, without a box to specify it"
    ]
    outcome = import_xlsform(data, "providers.xlsx", full_survey.consultation_id)
    q = questions(db.session.get(Survey, outcome.survey.id))
    main = q["main_service"][1]
    assert main["type"] == "single_choice" and main["options"] == {"other": True}
    assert [c["value"] for c in main["choices"]] == ["health", "legal"]  # no added choice
    assert q["main_dd"][1]["options"] == {"other": True, "display": "dropdown"}
    assert q["heard"][1]["options"] == {}
    assert [c["value"] for c in q["heard"][1]["choices"]] == ["radio", "other"]
