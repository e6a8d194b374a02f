"""Hearings and speakers through the API honour confidentiality exactly as the public record."""

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.hearings.models import Speaker
from consult.hearings.moderation import moderate
from tests.api.conftest import ROLES, assert_problem
from tests.hearings.conftest import make_hearing, signup_data  # noqa: F401 - fixture

CONF_NAME = "Zephyrine Quillfeather"
CONF_TEXT = "CONFSECRET-7f3a9 kept in the basement"
WITHHELD_NAME = "Bartholomew Xanthopoulos"
WITHHELD_ORG = "Withheld Org 5521"
WITHHELD_TEXT = "Withheld testimony WHTEXT-88"
PUBLIC_NAME = "Priya Openshaw"
PENDING_TEXT = "Not yet moderated PENDING-42"


@pytest.fixture
def heard(client, make_hearing):  # noqa: F811
    hearing = make_hearing()
    people = [
        signup_data(name=CONF_NAME, confidentiality="confidential", written_text=CONF_TEXT),
        signup_data(
            name=WITHHELD_NAME, organization_name=WITHHELD_ORG, confidentiality="name_withheld",
            written_text=WITHHELD_TEXT, position="oppose",
        ),
        signup_data(name=PUBLIC_NAME, written_text="Public words PUBTEXT-1"),
    ]  # fmt: skip
    for data in people:
        assert client.post(f"/hearings/{hearing.id}", data=data).status_code == 302
    for s in db.session.scalars(select(Speaker)):
        moderate(s.testimony.id, "approved", actor_id=None)
    pending = signup_data(name="Pending Person", written_text=PENDING_TEXT)
    assert client.post(f"/hearings/{hearing.id}", data=pending).status_code == 302
    return hearing


def _public_secrets_absent(text: str):
    for secret in (CONF_NAME, "CONFSECRET", WITHHELD_NAME, WITHHELD_ORG, "PENDING-42"):
        assert secret not in text, secret


@pytest.mark.parametrize("role", [None, "facilitator", "respondent"])
def test_public_callers_get_the_public_record(api, heard, role):
    secret = api.user_token(role)[1] if role else None
    hearing = api.get(f"/api/v1/hearings/{heard.id}", secret).get_json()
    assert hearing["title"] == "Labor trafficking hearing" and hearing["signup_open"] is True
    assert hearing["tally"]["oppose"] == 1
    resp = api.get(f"/api/v1/hearings/{heard.id}/speakers", secret)
    text = resp.get_data(as_text=True)
    _public_secrets_absent(text)
    items = resp.get_json()["items"]
    assert "WHTEXT-88" in text and "PUBTEXT-1" in text and PUBLIC_NAME in text
    withheld = next(i for i in items if "WHTEXT-88" in i["written"])
    assert withheld["withheld"] is True and withheld["name"].endswith("name withheld")
    assert withheld["organization"] is None
    assert all("confidentiality" not in i and "speaker_id" not in i for i in items)
    listing = api.get(f"/api/v1/consultations/{heard.consultation_id}/hearings", secret)
    assert [h["id"] for h in listing.get_json()["items"]] == [heard.id]


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_staff_get_the_internal_record(api, heard, role):
    _u, secret = api.user_token(role)
    items = api.get(f"/api/v1/hearings/{heard.id}/speakers", secret).get_json()["items"]
    names = {i["name"] for i in items}
    assert {CONF_NAME, WITHHELD_NAME, PUBLIC_NAME, "Pending Person"} <= names
    conf = next(i for i in items if i["name"] == CONF_NAME)
    assert conf["confidentiality"] == "confidential" and CONF_TEXT in conf["written"]
    pending = next(i for i in items if i["name"] == "Pending Person")
    assert pending["moderation"] == "pending" and PENDING_TEXT in pending["written"]


def test_hearings_of_draft_consultations_are_hidden(api, factory, make_hearing):  # noqa: F811
    draft = factory.consultation("Draft", slug="draft-c", stage="draft")
    hearing = make_hearing(consultation=draft)
    assert_problem(api.get(f"/api/v1/hearings/{hearing.id}"), 404)
    assert_problem(api.get(f"/api/v1/hearings/{hearing.id}/speakers"), 404)
    _r, respondent = api.user_token("respondent")
    assert_problem(api.get(f"/api/v1/hearings/{hearing.id}", respondent), 404)
    for role in ROLES[:3]:
        _u, secret = api.user_token(role)
        assert api.get(f"/api/v1/hearings/{hearing.id}", secret).status_code == 200
