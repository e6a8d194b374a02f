"""Survey definition JSON: the round trip loses nothing; invalid input gets a clear message."""

import json

import pytest

from consult.extensions import db
from consult.surveys.definition_io import (
    DefinitionError,
    export_definition,
    import_definition,
    parse_definition,
)
from consult.surveys.models import Survey


def test_round_trip_loses_nothing(full_survey, factory):
    full_survey.opens_at = None
    full_survey.estimated_minutes = 12
    full_survey.allow_edit_after_submit = True
    db.session.commit()
    first = export_definition(full_survey)
    other = factory.consultation(title="Next wave", slug="tip-2027")
    copy = import_definition(json.dumps(first), other.id, actor_id=None)
    assert copy.id != full_survey.id and copy.consultation_id == other.id
    assert export_definition(db.session.get(Survey, copy.id)) == first
    spec = first["survey"]
    questions = {q["code"]: q for s in spec["sections"] for q in s["questions"]}
    assert len(questions) == 12
    assert questions["people"]["validation"] == {
        "min": 0,
        "max": 10000,
        "message": {"en": "0 to 10,000"},
    }
    assert questions["services"]["condition"]["rules"][1] == {
        "question": "main",
        "op": "any_of",
        "value": ["health", "legal"],
    }
    assert questions["coverage"]["options"]["rows"][1]["labels"]["es"] == "Vivienda"
    assert questions["priorities"]["choices"][2] == {
        "value": "prosecution",
        "label": {"en": "Prosecution", "es": "Enjuiciamiento"},
    }
    assert questions["contact"]["help"] == {"en": "We reply here", "es": "Respondemos aquí"}
    assert spec["sections"][1]["condition"]["rules"][0]["question"] == "funded"
    assert (
        spec["settings"]["allow_edit_after_submit"] is True
        and spec["settings"]["estimated_minutes"] == 12
    )
    assert spec["title"] == {"en": "Services survey", "es": "Encuesta de servicios"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "not valid JSON (line 1, column 2"),
        ("[]", "not a survey definition"),
        (
            '{"format": "consult-survey-definition", "version": 9}',
            "Unsupported definition version 9",
        ),
    ],
)
def test_invalid_json_gets_a_clear_message(raw, message):
    with pytest.raises(DefinitionError, match=message.replace("(", r"\(")):
        parse_definition(raw)


def _definition(full_survey, change):
    data = export_definition(full_survey)
    change(data["survey"])
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda s: s["sections"][0]["questions"][1].update(type="slider"),
            r"sections\[0\].questions\[1\].type 'slider' is not one of",
        ),
        (
            lambda s: s["sections"][1]["questions"][0].update(code="people"),
            "'people' is used twice",
        ),
        (
            lambda s: s["sections"][1]["questions"][0]["condition"]["rules"][0].update(
                question="ghost"
            ),
            "refers to question 'ghost'",
        ),
        (lambda s: s.update(languages=[]), "languages must be a non-empty list"),
        (
            lambda s: s["sections"][0]["questions"][1].update(text="plain"),
            "must map language codes to text",
        ),
        (
            lambda s: s["sections"][0]["questions"][6]["choices"].append(
                {"value": "health", "label": {"en": "x"}}
            ),
            r"choices\[3\].value must be a unique",
        ),
    ],
)
def test_invalid_definitions_name_the_place(full_survey, factory, change, message):
    with pytest.raises(DefinitionError, match=message):
        import_definition(_definition(full_survey, change), full_survey.consultation_id)
    assert db.session.query(Survey).count() == 1  # nothing half-imported


def test_cli_definition_round_trip(runner, full_survey, factory, tmp_path):
    other = factory.consultation(title="Next wave", slug="next-wave")
    out = tmp_path / "def.json"
    result = runner.invoke(
        args=["surveys", "export-definition", str(full_survey.id), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["surveys", "import-definition", str(out), "--consultation", "next-wave"]
    )
    assert result.exit_code == 0, result.output
    new = db.session.scalars(db.select(Survey).where(Survey.consultation_id == other.id)).one()
    assert export_definition(new) == export_definition(full_survey)
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    result = runner.invoke(
        args=["surveys", "import-definition", str(bad), "--consultation", "next-wave"]
    )
    assert result.exit_code != 0 and "not valid JSON" in result.output
    result = runner.invoke(
        args=["surveys", "import-definition", str(out), "--consultation", "nope"]
    )
    assert result.exit_code != 0 and "no consultation with the short name 'nope'" in result.output


def test_definition_download_and_upload_pages(client, login_as, full_survey):
    login_as("staff")
    resp = client.get(f"/surveys/{full_survey.id}/definition.json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    import io

    upload = {
        "consultation": str(full_survey.consultation_id),
        "file": (io.BytesIO(resp.data), "survey.json"),
    }
    resp = client.post("/surveys/import", data=upload, content_type="multipart/form-data")
    assert resp.status_code == 302
    assert db.session.query(Survey).count() == 2
    bad = {
        "consultation": str(full_survey.consultation_id),
        "file": (io.BytesIO(b"{nope"), "survey.json"),
    }
    resp = client.post("/surveys/import", data=bad, content_type="multipart/form-data")
    assert resp.status_code == 400 and "not valid JSON" in resp.get_data(as_text=True)
