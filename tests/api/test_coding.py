"""Themes and codings through the API: codebook, manual coding, suggestion review, isolation."""

import pytest
from sqlalchemy import select

from consult.audit import AuditEvent
from consult.coding.codebook import create_theme, set_blind_mode
from consult.coding.models import Coding, CodingOrigin, CodingStatus
from consult.extensions import db
from consult.passages.models import Confidentiality, OriginKind, SourceKind
from consult.passages.services import publish_passage
from tests.api.conftest import ROLES, assert_problem


@pytest.fixture
def book(factory):
    c = factory.consultation("Coded", slug="coded")
    theme = create_theme(c.id, {"name": "Housing"}, actor_id=None)
    other = create_theme(c.id, {"name": "Training"}, actor_id=None)
    public = publish_passage(
        consultation_id=c.id,
        origin_kind=OriginKind.IMPORT,
        origin_id="a",
        source_kind=SourceKind.IMPORT,
        text="Survivors need safe housing. Staff need training.",
    )
    secret = publish_passage(
        consultation_id=c.id,
        origin_kind=OriginKind.IMPORT,
        origin_id="b",
        source_kind=SourceKind.IMPORT,
        text="A confidential story about housing.",
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    db.session.flush()
    suggestion = Coding(
        passage_id=public.id,
        theme_id=theme.id,
        start=0,
        end=28,
        snippet=public.text[:28],
        coder_id=None,
        origin=CodingOrigin.RULE,
        score=0.8,
        rule="keyword: housing",
        status=CodingStatus.SUGGESTED,
    )
    db.session.add(suggestion)
    db.session.commit()
    return {
        "c": c,
        "theme": theme,
        "other": other,
        "public": public,
        "secret": secret,
        "suggestion": suggestion,
    }


@pytest.mark.parametrize("role", [None, *ROLES])
def test_codebook_by_role(api, book, role):
    secret = api.user_token(role)[1] if role else None
    url = f"/api/v1/consultations/{book['c'].id}/themes"
    listing = api.get(url, secret)
    created = api.post(url, secret, json={"name": "Prosecution", "keywords": ["court"]})
    patched = api.patch(f"/api/v1/themes/{book['theme'].id}", secret, json={"colour": "#112233"})
    if role in ("admin", "staff"):
        assert [t["name"] for t in listing.get_json()["items"]] == ["Housing", "Training"]
        assert created.status_code == 201 and created.get_json()["keywords"] == ["court"]
        assert patched.get_json()["colour"] == "#112233"
        dup = api.post(url, secret, json={"name": "housing"})
        assert "already an active theme" in assert_problem(dup, 422)["detail"]
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"theme.create", "theme.update"} <= actions
    else:
        for resp in (listing, created, patched):
            assert_problem(resp, 401 if role is None else 403)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_manual_coding_by_role(api, book, role):
    user, secret = api.user_token(role) if role else (None, None)
    resp = api.post(
        f"/api/v1/passages/{book['public'].id}/codings",
        secret,
        json={"theme_ids": [book["other"].id], "spans": [{"start": 29, "end": 49}]},
    )
    if role in ("admin", "staff"):
        body = resp.get_json()
        assert resp.status_code == 201, body
        assert body[0]["snippet"] == "Staff need training." and body[0]["coder_id"] == user.id
        assert body[0]["origin"] == "manual" and body[0]["status"] == "accepted"
        bad = api.post(
            f"/api/v1/passages/{book['public'].id}/codings",
            secret,
            json={"theme_ids": [book["other"].id], "spans": [{"start": 10, "end": 5000}]},
        )
        assert "outside the passage" in assert_problem(bad, 422)["detail"]
    else:
        assert_problem(resp, 401 if role is None else 403)
        assert db.session.scalar(select(Coding).where(Coding.origin == CodingOrigin.MANUAL)) is None


@pytest.mark.parametrize("action,status", [("accept", "accepted"), ("reject", "rejected")])
def test_suggestion_review_records_who_and_when(api, book, action, status):
    user, secret = api.user_token("staff")
    sid = book["suggestion"].id
    resp = api.post(f"/api/v1/codings/{sid}/{action}", secret)
    body = resp.get_json()
    assert resp.status_code == 200, body
    assert body["status"] == status and body["reviewed_by_id"] == user.id and body["reviewed_at"]
    again = api.post(f"/api/v1/codings/{sid}/{action}", secret)
    assert "already been reviewed" in assert_problem(again, 409)["detail"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "coding"))
    assert event.action == f"coding.suggestion_{action}" and event.actor_id == user.id


def test_batch_review_and_read_only_token(api, book):
    _u, reader = api.user_token("staff", scope="read")
    url = f"/api/v1/consultations/{book['c'].id}/suggestions/review"
    payload = {"action": "accept", "coding_ids": [book["suggestion"].id]}
    assert_problem(api.post(url, reader, json=payload), 403)
    _u, writer = api.user_token("staff")
    assert api.post(url, writer, json=payload).get_json() == {"reviewed": 1}
    listing = api.get(f"/api/v1/consultations/{book['c'].id}/codings?status=accepted", writer)
    assert [c["id"] for c in listing.get_json()["items"]] == [book["suggestion"].id]


def test_codings_on_confidential_passages_and_blind_mode(api, book, factory):
    staff_a, secret_a = api.user_token("staff")
    _staff_b, secret_b = api.user_token("staff")
    resp = api.post(
        f"/api/v1/passages/{book['secret'].id}/codings",
        secret_a,
        json={"theme_ids": [book["theme"].id], "spans": [{"start": 0, "end": 14}]},
    )
    assert resp.status_code == 201
    mine = resp.get_json()[0]["id"]
    url = f"/api/v1/consultations/{book['c'].id}/codings"
    ids = {c["id"] for c in api.get(url, secret_b).get_json()["items"]}
    assert ids == {mine, book["suggestion"].id}
    set_blind_mode(book["c"].id, True, actor_id=None)
    ids = {c["id"] for c in api.get(url, secret_b).get_json()["items"]}
    assert ids == {book["suggestion"].id}  # the machine's, not another coder's
    assert_problem(api.get(f"/api/v1/codings/{mine}", secret_b), 404)
    assert api.get(f"/api/v1/codings/{mine}", secret_a).status_code == 200
