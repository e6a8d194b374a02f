"""Speaker order rules (pure) and the facilitator console driven through the client."""

from sqlalchemy import select

from consult.audit import AuditEvent
from consult.extensions import db
from consult.hearings.models import Speaker, SpeakerStatus
from consult.hearings.ordering import Candidate, first_come, officials_first
from tests.hearings.conftest import signup_data


def cands():
    return [
        Candidate(1, 1, "support"),
        Candidate(2, 2, "support"),
        Candidate(3, 3, "oppose", is_official=True),
        Candidate(4, 4, "oppose"),
        Candidate(5, 5, "neutral"),
        Candidate(6, 6, "support", walk_in=True),
        Candidate(7, 7, "support", is_official=True),
        Candidate(8, 8, "information"),
        Candidate(9, 0, "oppose"),
    ]


def test_first_come_orders_by_signup_with_walk_ins_last():
    assert first_come(cands()) == [9, 1, 2, 3, 4, 5, 7, 8, 6]


def test_officials_first_then_positions_alternate():
    # officials 3, 7 (sign-up order); then rounds of support, oppose, neutral, information
    assert officials_first(cands()) == [3, 7, 1, 9, 5, 8, 2, 4, 6]


def test_alternation_continues_when_one_side_runs_out():
    c = [Candidate(i, i, "support") for i in range(1, 4)] + [Candidate(10, 10, "oppose")]
    assert officials_first(c) == [1, 10, 2, 3]


def _sign_up(client, hearing, **kw):
    resp = client.post(f"/hearings/{hearing.id}", data=signup_data(**kw))
    assert resp.status_code == 302


def _order(hearing_id):
    return [
        s.name
        for s in db.session.scalars(
            select(Speaker)
            .where(Speaker.hearing_id == hearing_id, Speaker.order.is_not(None))
            .order_by(Speaker.order)
        )
    ]


def test_console_generates_moves_marks_and_adds_walk_ins(client, auth, factory, hearing):
    _sign_up(client, hearing, name="Ann Support", position="support")
    _sign_up(client, hearing, name="Bo Support", position="support")
    _sign_up(client, hearing, name="Cy Oppose", position="oppose")
    _sign_up(
        client,
        hearing,
        name="Di Official",
        position="neutral",
        organization_name="Dept",
        organization_kind="state_agency",
    )
    _sign_up(client, hearing, name="Ed Written", mode="written", written_text="x")
    auth.login(factory.user("facilitator"))
    page = client.get(f"/hearings/{hearing.id}/console").text
    assert "Ann Support" in page and "Ed Written" in page

    client.post(f"/hearings/{hearing.id}/order", data={"rule": "officials_first"})
    assert _order(hearing.id) == ["Di Official", "Ann Support", "Cy Oppose", "Bo Support"]
    client.post(f"/hearings/{hearing.id}/order", data={"rule": "first_come"})
    assert _order(hearing.id) == ["Ann Support", "Bo Support", "Cy Oppose", "Di Official"]

    cy = db.session.scalar(select(Speaker).where(Speaker.name == "Cy Oppose"))
    client.post(f"/hearings/speakers/{cy.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert _order(hearing.id) == ["Ann Support", "Cy Oppose", "Bo Support", "Di Official"]
    client.post(f"/hearings/speakers/{cy.id}/move", data={"direction": "down"})
    client.post(f"/hearings/speakers/{cy.id}/move", data={"direction": "down"})
    db.session.expire_all()
    assert _order(hearing.id) == ["Ann Support", "Bo Support", "Di Official", "Cy Oppose"]

    resp = client.post(f"/hearings/speakers/{cy.id}/status", data={"status": "present"})
    assert resp.status_code == 302
    client.post(f"/hearings/speakers/{cy.id}/status", data={"status": "spoke"})
    db.session.expire_all()
    cy = db.session.get(Speaker, cy.id)
    assert cy.status is SpeakerStatus.SPOKE and cy.checked_in_at is not None
    assert (
        client.post(f"/hearings/speakers/{cy.id}/status", data={"status": "bogus"}).status_code
        == 400
    )
    assert client.get(f"/hearings/speakers/{cy.id}/status").status_code == 405

    # Regression: the console showed raw values ("no_show", "in_person", "(support)").
    client.post(f"/hearings/speakers/{cy.id}/status", data={"status": "no_show"})
    page = client.get(f"/hearings/{hearing.id}/console").text
    assert '<span class="tag">No-show</span>' in page and "<td>In person</td>" in page
    assert "no show" not in page and "in person</td>" not in page
    assert "Ed Written</a> (Support)" in page
    # Regression: every "Start timer" button had the same name for screen readers.
    assert f'aria-labelledby="timer-{cy.id} speaker-name-{cy.id}"' in page
    assert f'id="speaker-name-{cy.id}">Cy Oppose</a>' in page
    sheet = client.get(f"/hearings/{hearing.id}/sheet").text
    assert "<td>Support</td><td>In person</td>" in sheet and "in_person" not in sheet

    client.post(f"/hearings/{hearing.id}/walk-in", data={"name": "Walk In", "position": "oppose"})
    db.session.expire_all()
    assert _order(hearing.id)[-1] == "Walk In"
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {
        "hearing.order_generated",
        "speaker.move",
        "speaker.status",
        "speaker.walk_in",
    } <= actions


def test_transcript_with_timestamps_and_printable_sheet(client, auth, factory, hearing):
    _sign_up(client, hearing, name="Fay Speaker")
    auth.login(factory.user("facilitator"))
    fay = db.session.scalar(select(Speaker))
    resp = client.post(
        f"/hearings/speakers/{fay.id}",
        data={"notes": "Spoke clearly", "transcript": "[00:00:05] Good morning.\nThank you."},
    )
    assert resp.status_code == 302
    db.session.expire_all()
    fay = db.session.get(Speaker, fay.id)
    assert fay.testimony.transcript.startswith("[00:00:05]")
    sheet = client.get(f"/hearings/{hearing.id}/sheet").text
    assert "Fay Speaker" in sheet and "Signature" in sheet
    assert "hearings.css" in sheet


def test_console_needs_the_run_hearings_permission(client, auth, factory, hearing):
    assert client.get(f"/hearings/{hearing.id}/console").status_code == 302
    auth.login(factory.user("respondent"))
    assert client.get(f"/hearings/{hearing.id}/console").status_code == 403
    assert (
        client.post(f"/hearings/{hearing.id}/order", data={"rule": "first_come"}).status_code == 403
    )


def test_staff_create_and_edit_a_hearing(client, login_as, factory):
    c = factory.consultation()
    login_as("facilitator")
    resp = client.post(
        f"/hearings/manage/{c.slug}/new",
        data={
            "title": "Evening hearing",
            "starts_at": "2026-12-15T18:30",
            "timezone": "America/Chicago",
            "place": "Library",
            "agenda": "Item one\nItem two\n",
            "minutes_per_speaker": "4",
            "status": "open",
            "order_rule": "first_come",
            "title_es": "Audiencia de la tarde",
        },
    )
    assert resp.status_code == 302, resp.text
    from consult.hearings.models import Hearing

    h = db.session.scalars(select(Hearing)).one()
    assert h.starts_at.hour == 0 and h.starts_at.day == 16  # 18:30 CST is 00:30 UTC
    assert h.agenda == ["Item one", "Item two"]
    assert client.get(f"/hearings/{h.id}/edit").status_code == 200
    bad = client.post(
        f"/hearings/manage/{c.slug}/new",
        data={
            "title": "x",
            "starts_at": "2026-12-15T18:30",
            "timezone": "Mars/Base",
            "place": "p",
            "minutes_per_speaker": "3",
            "status": "open",
            "order_rule": "first_come",
        },
    )
    assert bad.status_code == 200 and "is not a time zone name" in bad.text
    assert "Evening hearing" in client.get(f"/hearings/manage/{c.slug}").text


def test_aware_times_in_another_zone_are_kept_exactly(make_hearing):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from consult.hearings.models import Hearing

    local = datetime(2026, 10, 20, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    h = make_hearing(starts_at=local)
    db.session.expire_all()
    assert db.session.get(Hearing, h.id).starts_at == local


def test_public_page_posts_the_order_honouring_confidentiality(client, auth, factory, hearing):
    _sign_up(client, hearing, name="Open Olivia", organization_name="Open Org")
    _sign_up(client, hearing, name="Hidden Harriet", confidentiality="name_withheld")
    _sign_up(client, hearing, name="Secret Sam", confidentiality="confidential")
    _sign_up(client, hearing, name="Shy Shane", consent_publish=None)
    assert "Speaker order" not in client.get(f"/hearings/{hearing.id}").text
    auth.login(factory.user("facilitator"))
    client.post(f"/hearings/{hearing.id}/order", data={"rule": "first_come"})
    auth.logout()
    html = client.get(f"/hearings/{hearing.id}").text
    assert "Speaker order" in html and "Open Olivia, Open Org" in html
    assert "Speaker 2, name withheld" in html and "Speaker 4, name withheld" in html
    for name in ("Hidden Harriet", "Secret Sam", "Shy Shane"):
        assert name not in html


def test_facilitators_add_to_but_cannot_read_a_confidential_transcript(
    client, auth, factory, hearing
):
    _sign_up(client, hearing, name="Quiet Quinn", confidentiality="confidential")
    quinn = db.session.scalar(select(Speaker))
    auth.login(factory.user("staff"))
    client.post(
        f"/hearings/speakers/{quinn.id}", data={"transcript": "[00:00:01] First part TXT-991"}
    )
    assert "TXT-991" in client.get(f"/hearings/speakers/{quinn.id}").text
    auth.logout()
    auth.login(factory.user("facilitator"))
    page = client.get(f"/hearings/speakers/{quinn.id}").text
    assert "TXT-991" not in page and "added to the end" in page
    client.post(f"/hearings/speakers/{quinn.id}", data={"transcript": "[00:03:00] Second part"})
    db.session.expire_all()
    transcript = db.session.get(Speaker, quinn.id).testimony.transcript
    assert transcript == "[00:00:01] First part TXT-991\n[00:03:00] Second part"
    reads = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "testimony.read_confidential")
    )
    assert len(list(reads)) == 1  # the staff member's reading only
