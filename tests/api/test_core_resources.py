"""Consultations, organizations and passages through the API, for every role and anonymous."""

import pytest
from sqlalchemy import select

from consult.audit import AuditEvent
from consult.extensions import db
from consult.orgs.models import Organization
from consult.passages.models import Confidentiality, OriginKind, SourceKind
from consult.passages.services import publish_passage
from tests.api.conftest import ROLES, assert_problem


@pytest.fixture
def world(factory):
    """Two organizations, an open and a draft consultation, public and confidential passages."""
    listed = factory.organization("Listed NGO", listed_publicly=True, contact_email="a@x.org")
    hidden = factory.organization("Hidden shelter", contact_email="secret@x.org")
    open_c = factory.consultation("Open one", slug="open-one")
    draft = factory.consultation("Draft one", slug="draft-one", stage="draft")
    public = publish_passage(
        consultation_id=open_c.id,
        origin_kind=OriginKind.IMPORT,
        origin_id="p1",
        source_kind=SourceKind.IMPORT,
        text="Public words about shelters",
    )
    secret = publish_passage(
        consultation_id=open_c.id,
        origin_kind=OriginKind.IMPORT,
        origin_id="p2",
        source_kind=SourceKind.IMPORT,
        text="Confidential account",
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    db.session.commit()
    return {
        "listed": listed,
        "hidden": hidden,
        "open": open_c,
        "draft": draft,
        "public": public,
        "secret": secret,
    }


def _ids(resp):
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return {item["id"] for item in resp.get_json()["items"]}


@pytest.mark.parametrize("role", [None, *ROLES])
def test_consultations_by_role(api, world, role):
    secret = api.user_token(role)[1] if role else None
    ids = _ids(api.get("/api/v1/consultations", secret))
    staff_like = role in ("admin", "staff", "facilitator")
    assert world["open"].id in ids
    assert (world["draft"].id in ids) is staff_like
    draft = api.get(f"/api/v1/consultations/{world['draft'].id}", secret)
    if staff_like:
        assert draft.get_json()["title"] == "Draft one"
        assert draft.get_json()["counts"] == {"Passages": 0} | draft.get_json()["counts"]
    else:
        assert_problem(draft, 404)
        body = api.get(f"/api/v1/consultations/{world['open'].id}", secret).get_json()
        assert "counts" not in body and "executive_summary" not in body


@pytest.mark.parametrize("role", [None, *ROLES])
def test_consultation_writes_need_staff(api, world, role):
    secret = api.user_token(role)[1] if role else None
    resp = api.post("/api/v1/consultations", secret, json={"title": "New", "slug": "new-one"})
    patch = api.patch(
        f"/api/v1/consultations/{world['open'].id}", secret, json={"stage": "analysing"}
    )
    if role in ("admin", "staff"):
        assert resp.status_code == 201 and resp.get_json()["slug"] == "new-one"
        assert patch.status_code == 200 and patch.get_json()["stage"] == "analysing"
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert {"consultation.create", "consultation.update"} <= set(actions)
    else:
        assert_problem(resp, 401 if role is None else 403)
        assert_problem(patch, 401 if role is None else 403)


def test_consultation_service_errors_are_problems(api, world):
    _u, secret = api.user_token("staff")
    body = assert_problem(
        api.post("/api/v1/consultations", secret, json={"title": "T", "slug": "open-one"}), 422
    )
    assert "already exists" in body["detail"]
    body = assert_problem(
        api.post(
            "/api/v1/consultations", secret, json={"title": "T", "slug": "x", "languages": ["fr"]}
        ),
        422,
    )
    assert "fr" in body["detail"]
    body = assert_problem(
        api.patch(
            f"/api/v1/consultations/{world['open'].id}",
            secret,
            json={"opens_on": "2026-05-01", "closes_on": "2026-04-01"},
        ),
        422,
    )
    assert "closing date" in body["detail"]
    db.session.expire_all()
    assert (
        api.get(f"/api/v1/consultations/{world['open'].id}", secret).get_json()["opens_on"] is None
    )
    body = assert_problem(
        api.post("/api/v1/consultations", secret, json={"title": "a\x00b", "slug": "s"}), 422
    )
    assert "title" in body["errors"]["json"]


@pytest.mark.parametrize("role", [None, *ROLES])
def test_organizations_by_role(api, world, role):
    own = world["hidden"] if role == "respondent" else None
    secret = api.user_token(role, organization=own)[1] if role else None
    resp = api.get("/api/v1/organizations", secret)
    ids = _ids(resp)
    items = resp.get_json()["items"]
    if role in ("admin", "staff"):
        assert {world["listed"].id, world["hidden"].id} <= ids
        assert "secret@x.org" in resp.get_data(as_text=True)
    else:
        assert world["listed"].id in ids
        assert (world["hidden"].id in ids) is (role == "respondent")
        assert all(set(i) == {"id", "name", "kind", "region"} for i in items)
        assert "@x.org" not in resp.get_data(as_text=True)
    hidden = api.get(f"/api/v1/organizations/{world['hidden'].id}", secret)
    if role in ("admin", "staff", "respondent"):
        assert hidden.status_code == 200
    else:
        assert_problem(hidden, 404)


def test_respondent_of_another_organization_sees_nothing_of_it(api, world, factory):
    other = factory.organization("Other org")
    _u, secret = api.user_token("respondent", organization=other)
    assert_problem(api.get(f"/api/v1/organizations/{world['hidden'].id}", secret), 404)
    assert world["hidden"].id not in _ids(api.get("/api/v1/organizations?per_page=100", secret))


@pytest.mark.parametrize("role", [None, *ROLES])
def test_organization_writes(api, world, role):
    secret = api.user_token(role)[1] if role else None
    resp = api.post("/api/v1/organizations", secret, json={"name": "Clinic", "kind": "health"})
    if role in ("admin", "staff"):
        assert resp.status_code == 201 and resp.get_json()["kind"] == "health"
        org_id = resp.get_json()["id"]
        patch = api.patch(f"/api/v1/organizations/{org_id}", secret, json={"region": "South"})
        assert patch.get_json()["region"] == "South" and patch.get_json()["name"] == "Clinic"
        clash = api.post("/api/v1/organizations", secret, json={"name": "clinic", "kind": "ngo"})
        assert "already exists" in assert_problem(clash, 422)["detail"]
        for _ in range(2):  # found a 500 by schemathesis: non-ASCII names on SQLite
            last = api.post("/api/v1/organizations", secret, json={"name": "Ñandú", "kind": "ngo"})
        assert "already exists" in assert_problem(last, 422)["detail"]
    else:
        assert_problem(resp, 401 if role is None else 403)
        assert db.session.scalar(select(Organization).where(Organization.name == "Clinic")) is None


@pytest.mark.parametrize("role", [None, *ROLES])
def test_passages_for_coders_only(api, world, role):
    secret = api.user_token(role)[1] if role else None
    url = f"/api/v1/consultations/{world['open'].id}/passages"
    one = f"/api/v1/passages/{world['secret'].id}"
    if role in ("admin", "staff"):
        assert _ids(api.get(url, secret)) == {world["public"].id, world["secret"].id}
        assert api.get(one, secret).get_json()["confidentiality"] == "confidential"
        assert _ids(api.get(url + "?q=shelters", secret)) == {world["public"].id}
        assert _ids(api.get(url + "?confidentiality=public", secret)) == {world["public"].id}
    else:
        for resp in (api.get(url, secret), api.get(one, secret)):
            body = assert_problem(resp, 401 if role is None else 403)
            assert "Confidential" not in str(body)


def test_withdrawn_passages_only_on_request(api, world):
    _u, secret = api.user_token("staff")
    world["public"].withdrawn = True
    db.session.commit()
    url = f"/api/v1/consultations/{world['open'].id}/passages"
    assert world["public"].id not in _ids(api.get(url, secret))
    assert world["public"].id in _ids(api.get(url + "?include_withdrawn=true", secret))
