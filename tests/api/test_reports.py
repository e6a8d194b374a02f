"""Recommendations, evidence and report runs through the API (report writers only)."""

import pytest
from sqlalchemy import select

from consult.audit import AuditEvent
from consult.coding.codebook import create_theme
from consult.coding.models import Coding, CodingOrigin, CodingStatus
from consult.extensions import db
from consult.passages.models import OriginKind, SourceKind
from consult.passages.services import publish_passage
from tests.api.conftest import ROLES, assert_problem


@pytest.fixture
def quote(factory):
    c = factory.consultation("Reported", slug="reported")
    theme = create_theme(c.id, {"name": "Shelter"}, actor_id=None)
    p = publish_passage(
        consultation_id=c.id, origin_kind=OriginKind.IMPORT, origin_id="q",
        source_kind=SourceKind.IMPORT, text="We need more shelter beds.",
    )  # fmt: skip
    db.session.flush()
    coding = Coding(
        passage_id=p.id, theme_id=theme.id, start=0, end=26, snippet=p.text,
        origin=CodingOrigin.MANUAL, status=CodingStatus.ACCEPTED,
    )  # fmt: skip
    db.session.add(coding)
    db.session.commit()
    return c, coding


@pytest.mark.parametrize("role", [None, *ROLES])
def test_recommendations_by_role(api, quote, role):
    c, coding = quote
    secret = api.user_token(role)[1] if role else None
    url = f"/api/v1/consultations/{c.id}/recommendations"
    created = api.post(url, secret, json={"title": "Fund shelters", "area": "protection"})
    listing = api.get(url, secret)
    if role not in ("admin", "staff"):
        assert_problem(created, 401 if role is None else 403)
        assert_problem(listing, 401 if role is None else 403)
        return
    rec = created.get_json()
    assert created.status_code == 201 and rec["status"] == "draft" and rec["evidence"] == []
    final = api.patch(f"/api/v1/recommendations/{rec['id']}", secret, json={"status": "final"})
    assert "no evidence" in assert_problem(final, 409)["detail"]
    ev = api.post(
        f"/api/v1/recommendations/{rec['id']}/evidence", secret,
        json={"coding_id": coding.id, "note": "Key quote"},
    )  # fmt: skip
    assert ev.status_code == 201 and ev.get_json()["snippet"] == "We need more shelter beds."
    dup = api.post(
        f"/api/v1/recommendations/{rec['id']}/evidence", secret, json={"coding_id": coding.id}
    )
    assert "already evidence" in assert_problem(dup, 422)["detail"]
    final = api.patch(
        f"/api/v1/recommendations/{rec['id']}",
        secret,
        json={"status": "final", "title": "Fund beds"},
    )
    assert final.get_json()["status"] == "final" and final.get_json()["title"] == "Fund beds"
    assert [r["title"] for r in listing.get_json()["items"]] == ["Fund shelters"]
    removed = api.client.delete(
        f"/api/v1/evidence/{ev.get_json()['id']}", headers=api.headers(secret)
    )
    assert removed.status_code == 204
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"recommendation.create", "evidence.add", "evidence.remove"} <= actions


def test_evidence_from_another_consultation_is_refused(api, quote, factory):
    c, _coding = quote
    other = factory.consultation("Other", slug="other-c")
    _u, secret = api.user_token("staff")
    rec = api.post(
        f"/api/v1/consultations/{other.id}/recommendations", secret, json={"title": "X"}
    ).get_json()
    resp = api.post(
        f"/api/v1/recommendations/{rec['id']}/evidence", secret, json={"coding_id": _coding.id}
    )
    assert "not part of this consultation" in assert_problem(resp, 422)["detail"]


@pytest.mark.parametrize("role", [None, "facilitator", "respondent"])
def test_report_runs_need_report_writers(api, quote, role):
    c, _coding = quote
    secret = api.user_token(role)[1] if role else None
    resp = api.post(f"/api/v1/consultations/{c.id}/report-runs", secret, json={})
    assert_problem(resp, 401 if role is None else 403)
    assert_problem(
        api.get(f"/api/v1/consultations/{c.id}/report-runs", secret), 401 if role is None else 403
    )


def test_start_follow_and_download_a_report(api, quote):
    c, _coding = quote
    _u, secret = api.user_token("staff")
    bad = api.post(f"/api/v1/consultations/{c.id}/report-runs", secret, json={"sections": []})
    assert_problem(bad, 422)
    resp = api.post(
        f"/api/v1/consultations/{c.id}/report-runs", secret,
        json={"sections": ["summary", "themes"], "edition": "internal"},
    )  # fmt: skip
    run = resp.get_json()
    assert resp.status_code == 202, run
    # tests run jobs inline, so the run is already finished
    status = api.get(f"/api/v1/report-runs/{run['id']}", secret).get_json()
    assert status["status"] == "done" and status["progress"] == 100, status
    assert status["options"]["sections"] == ["summary", "themes"]
    pdf = api.get(status["download_url"], secret)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    listing = api.get(f"/api/v1/consultations/{c.id}/report-runs", secret).get_json()
    assert [r["id"] for r in listing["items"]] == [run["id"]]
    _r, outsider = api.user_token("respondent")
    assert_problem(api.get(status["download_url"], outsider), 403)
