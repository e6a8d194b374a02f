"""Recommendations pages: create, order, finalise (with confirmation), evidence, picker, access."""

from sqlalchemy import select

from consult.audit import AuditEvent
from consult.coding.models import Coding, CodingStatus
from consult.extensions import db
from consult.passages.models import Passage
from consult.reports.models import Evidence, Recommendation


def _recs(cid):
    return db.session.scalars(
        select(Recommendation)
        .where(Recommendation.consultation_id == cid)
        .order_by(Recommendation.position)
    ).all()


def test_staff_create_edit_and_reorder(client, auth, seeded, staff):
    auth.login(staff)
    resp = client.post(
        f"/reports/{seeded.slug}/recommendations/new",
        data={"title": "", "area": "other", "text": "kept text"},
    )
    assert resp.status_code == 200
    assert "Enter a title for the recommendation." in resp.text and "kept text" in resp.text
    resp = client.post(
        f"/reports/{seeded.slug}/recommendations/new",
        data={
            "title": "Vacate convictions of victims",
            "area": "statutes",
            "text": "Amend the statute.",
        },
    )
    assert resp.status_code == 302
    recs = _recs(seeded.consultation_id)
    assert recs[-1].title == "Vacate convictions of victims" and recs[-1].status.value == "draft"
    new_id = recs[-1].id
    client.post(f"/reports/{seeded.slug}/recommendations/{new_id}/move", data={"direction": "up"})
    assert [r.id for r in _recs(seeded.consultation_id)].index(new_id) == len(recs) - 2
    resp = client.post(
        f"/reports/{seeded.slug}/recommendations/{new_id}/edit",
        data={"title": "Vacate convictions", "area": "statutes", "text": "x"},
    )
    assert (
        resp.status_code == 302
        and db.session.get(Recommendation, new_id).title == "Vacate convictions"
    )
    page = client.get(f"/reports/{seeded.slug}/recommendations").text
    assert "Vacate convictions" in page and "Move up" in page
    assert db.session.scalar(
        select(AuditEvent.id).where(AuditEvent.action == "recommendation.move")
    )


def test_finalising_without_evidence_asks_for_confirmation(client, auth, seeded, staff):
    auth.login(staff)
    rid = seeded.recommendation_ids[2]  # has no evidence
    url = f"/reports/{seeded.slug}/recommendations/{rid}/status"
    resp = client.post(url, data={"status": "final"})
    assert resp.status_code == 200 and "Finalise without evidence?" in resp.text
    assert db.session.get(Recommendation, rid).status.value == "draft"
    resp = client.post(url, data={"status": "final", "confirm": "yes"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Recommendation, rid).status.value == "final"
    # with evidence: no question asked
    rid0 = seeded.recommendation_ids[0]
    client.post(f"/reports/{seeded.slug}/recommendations/{rid0}/status", data={"status": "draft"})
    resp = client.post(
        f"/reports/{seeded.slug}/recommendations/{rid0}/status", data={"status": "final"}
    )
    assert resp.status_code == 302


def test_add_evidence_from_the_picker_and_counts_update(client, auth, seeded, staff):
    auth.login(staff)
    rid = seeded.recommendation_ids[2]
    page = client.get(f"/reports/{seeded.slug}/recommendations/{rid}/quotes?source=hearing")
    assert page.status_code == 200 and "Add as evidence" in page.text
    coding = db.session.scalars(
        select(Coding)
        .join(Passage, Passage.id == Coding.passage_id)
        .where(
            Passage.consultation_id == seeded.consultation_id,
            Coding.status == CodingStatus.ACCEPTED,
        )
    ).first()
    resp = client.post(
        f"/reports/{seeded.slug}/evidence",
        data={
            "recommendation_id": rid,
            "coding_id": coding.id,
            "next": f"/reports/{seeded.slug}/recommendations/{rid}",
        },
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/recommendations/{rid}")
    assert (
        db.session.scalar(select(Evidence).where(Evidence.recommendation_id == rid)).coding_id
        == coding.id
    )
    # twice is refused with a message
    resp = client.post(
        f"/reports/{seeded.slug}/evidence",
        data={"recommendation_id": rid, "coding_id": coding.id},
        follow_redirects=True,
    )
    assert "already evidence" in resp.text
    detail = client.get(f"/reports/{seeded.slug}/recommendations/{rid}").text
    assert f"C{coding.id}" in detail and "Evidence (1)" in detail
    # the picker no longer offers it
    picker = client.get(f"/reports/{seeded.slug}/recommendations/{rid}/quotes").text
    assert f'id="coding-{coding.id}"' not in picker


def test_evidence_from_another_consultation_is_refused(client, auth, seeded, staff, factory):
    other = factory.consultation(title="Other")
    auth.login(staff)
    coding_id = db.session.scalar(select(Coding.id))
    resp = client.post(
        f"/reports/{other.slug}/evidence",
        data={"recommendation_id": seeded.recommendation_ids[0], "coding_id": coding_id},
        follow_redirects=True,
    )
    assert "not part of this consultation" in resp.text


def test_the_evidence_button_partial_renders_for_a_coding(app, client, auth, seeded, staff):
    from flask import render_template_string

    auth.login(staff)
    coding = db.session.scalar(select(Coding))
    with app.test_request_context("/coding/quotes"):
        from flask_login import login_user

        login_user(staff)
        html = render_template_string(
            '{% include "reports/_evidence_button.html" %}', coding=coding
        )
    assert "Add as evidence" in html and 'name="coding_id"' in html
    assert "Fund emergency housing for survivors" in html


def test_only_staff_reach_recommendations(client, auth, seeded, login_as):
    assert client.get(f"/reports/{seeded.slug}/recommendations").status_code == 302  # to sign in
    login_as("respondent")
    assert client.get(f"/reports/{seeded.slug}/recommendations").status_code == 403
    assert client.post(f"/reports/{seeded.slug}/evidence", data={}).status_code == 403
    assert client.get(f"/reports/{seeded.slug}/summary").status_code == 403


def test_dashboard_links_to_recommendations_and_the_report(client, auth, seeded, staff):
    auth.login(staff)
    page = client.get(f"/consultations/{seeded.slug}").text
    assert (
        f"/reports/{seeded.slug}/recommendations" in page
        and f"/reports/{seeded.slug}/summary" in page
    )


def test_the_coding_quote_browser_offers_add_as_evidence(client, auth, seeded, staff):
    from consult.coding.models import Theme

    auth.login(staff)
    coding = db.session.scalar(
        select(Coding)
        .join(Theme, Theme.id == Coding.theme_id)
        .where(Coding.status == CodingStatus.ACCEPTED)
    )
    page = client.get(f"/coding/{seeded.slug}/analysis/themes/{coding.theme_id}/quotes")
    assert page.status_code == 200
    assert "Add as evidence" in page.text and f'name="coding_id" value="{coding.id}"' in page.text
    rid = seeded.recommendation_ids[2]
    resp = client.post(
        f"/reports/{seeded.slug}/evidence",
        data={
            "recommendation_id": rid,
            "coding_id": coding.id,
            "next": f"/coding/{seeded.slug}/analysis/themes/{coding.theme_id}/quotes",
        },
    )
    assert resp.status_code == 302 and "/analysis/themes/" in resp.headers["Location"]
    assert (
        db.session.scalar(select(Evidence.coding_id).where(Evidence.recommendation_id == rid))
        == coding.id
    )
