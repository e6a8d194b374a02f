"""The staff JSON submission endpoint (paper-form data entry, benchmarks) goes through submit_answers."""

import pytest

from consult.extensions import db
from consult.surveys.models import Answer, Response
from consult.surveys.results import question_results

ANSWERS = {
    "org_name": "Shelter",
    "people": "40",
    "funded": "yes",
    "main": "health",
    "progress": "4",
    "services": ["health", "legal"],
    "coverage": {"health": "provide", "housing": "refer"},
    "priorities": {"prevention": "1", "protection": "2", "prosecution": "3"},
}


@pytest.fixture
def staff(login_as):
    return login_as("staff")


def test_submit_is_idempotent_and_counted_in_results(client, staff, full_survey, orgs):
    body = {"answers": ANSWERS, "submission_key": "bench-key-0001", "organization_id": orgs[0].id}
    first = client.post(f"/surveys/{full_survey.id}/responses.json", json=body)
    assert first.status_code == 201 and first.json["created"] is True
    again = client.post(f"/surveys/{full_survey.id}/responses.json", json=body)
    assert (
        again.status_code == 200
        and again.json["id"] == first.json["id"]
        and again.json["created"] is False
    )
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 1
    assert (
        db.session.scalar(
            db.select(db.func.count(Answer.id)).where(Answer.response_id == first.json["id"])
        )
        >= 10
    )
    people = {r.code: r for r in question_results(full_survey.id)}["people"]
    assert (people.answered, people.mean) == (1, 40)


def test_invalid_answers_and_bad_bodies(client, staff, full_survey, orgs):
    url = f"/surveys/{full_survey.id}/responses.json"
    bad = client.post(
        url, json={"answers": {"people": "-3", "org_name": "x"}, "submission_key": "bench-key-0002"}
    )
    assert bad.status_code == 422 and "people" in bad.json["problems"]
    assert client.post(url, json=["nope"]).status_code == 400
    assert (
        client.post(url, json={"answers": ANSWERS, "submission_key": "k"}).status_code == 409
    )  # key too short
    assert (
        client.post(
            url,
            json={"answers": ANSWERS, "submission_key": "bench-key-0003", "organization_id": "1"},
        ).status_code
        == 400
    )
    assert client.post("/surveys/999/responses.json", json={"answers": ANSWERS}).status_code == 404
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 0


def test_submit_json_needs_staff(client, factory, auth, full_survey, orgs):
    auth.login(factory.user("respondent", organization=orgs[0]))
    resp = client.post(
        f"/surveys/{full_survey.id}/responses.json",
        json={"answers": ANSWERS, "submission_key": "bench-key-0004"},
    )
    assert resp.status_code == 403
