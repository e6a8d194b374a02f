"""Manual coding through the web pages: queue, spans, sentences, adjust, remove, memos, done."""

from sqlalchemy import select

from consult.audit import AuditEvent
from consult.coding.models import Coding, Memo, PassageAssignment
from consult.extensions import db
from tests.helpers import counting_statements


def _codings(passage_id):
    return db.session.scalars(
        select(Coding).where(Coding.passage_id == passage_id).order_by(Coding.start)
    ).all()


def test_coder_applies_themes_to_a_span(world, client, login_as):
    user = login_as("staff")
    p = world.passages[0]
    page = client.get(f"/coding/{world.slug}/passages/{p.id}")
    assert page.status_code == 200
    assert "Shelters are full every night." in page.text
    start = p.text.index("Survivors")
    resp = client.post(
        f"/coding/{world.slug}/passages/{p.id}/codings",
        data={
            "start": start,
            "end": len(p.text),
            "theme_id": [world.housing.id, world.protection.id],
        },
    )
    assert resp.status_code == 302
    codings = _codings(p.id)
    assert {c.theme_id for c in codings} == {world.housing.id, world.protection.id}
    assert all(c.snippet == "Survivors wait weeks for housing." for c in codings)
    assert all(c.coder_id == user.id and c.origin.value == "manual" for c in codings)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "coding.create"))
    page = client.get(f"/coding/{world.slug}/passages/{p.id}")
    assert 'class="seg hl' in page.text and "[1]" in page.text and "[2]" in page.text
    assert "Housing shortage" in page.text


def test_without_javascript_sentences_are_coded(world, client, login_as):
    login_as("staff")
    p = world.passages[1]
    page = client.get(f"/coding/{world.slug}/passages/{p.id}")
    assert 'name="sentence"' in page.text
    client.post(
        f"/coding/{world.slug}/passages/{p.id}/codings",
        data={"sentence": ["1"], "theme_id": [world.language.id]},
    )
    (coding,) = _codings(p.id)
    assert coding.snippet == "Language access is a right."
    assert p.text[coding.start : coding.end] == coding.snippet
    # two adjacent sentences become one coding
    client.post(
        f"/coding/{world.slug}/passages/{p.id}/codings",
        data={"sentence": ["0", "1"], "theme_id": [world.protection.id]},
    )
    merged = [c for c in _codings(p.id) if c.theme_id == world.protection.id]
    assert len(merged) == 1 and merged[0].snippet == p.text


def test_bad_input_is_refused_with_a_message(world, client, login_as):
    login_as("staff")
    p = world.passages[0]
    url = f"/coding/{world.slug}/passages/{p.id}/codings"
    resp = client.post(url, data={"start": 0, "end": 999, "theme_id": [world.housing.id]})
    assert resp.status_code == 302
    assert "outside the passage" in client.get(resp.location).text
    resp = client.post(url, data={"start": 0, "end": 5})
    assert "Choose one or more active themes" in client.get(resp.location).text
    resp = client.post(url, data={"theme_id": [world.housing.id]})
    assert "Select some text" in client.get(resp.location).text
    assert _codings(p.id) == []


def test_adjust_and_remove_a_coding(world, client, login_as):
    login_as("staff")
    p = world.passages[2]
    client.post(
        f"/coding/{world.slug}/passages/{p.id}/codings",
        data={"start": 0, "end": 14, "theme_id": [world.training.id]},
    )
    (coding,) = _codings(p.id)
    client.post(
        f"/coding/{world.slug}/passages/{p.id}/codings/{coding.id}",
        data={"start": 0, "end": 41, "theme_id": world.training.id},
    )
    db.session.refresh(coding)
    assert coding.snippet == p.text[:41] and (coding.start, coding.end) == (0, 41)
    client.post(f"/coding/{world.slug}/passages/{p.id}/codings/{coding.id}/delete")
    assert _codings(p.id) == []
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "coding")
    ).all()
    assert actions == ["coding.create", "coding.update", "coding.delete"]


def test_memo_and_done_and_next(world, client, login_as):
    user = login_as("staff")
    p = world.passages[0]
    client.post(f"/coding/{world.slug}/passages/{p.id}/memos", data={"text": "Ask about beds"})
    assert db.session.scalar(select(Memo.text)) == "Ask about beds"
    resp = client.post(f"/coding/{world.slug}/passages/{p.id}/memos", data={"text": "  "})
    assert "Write something" in client.get(resp.location).text
    resp = client.post(
        f"/coding/{world.slug}/passages/{p.id}/done", data={"done": "1", "go_next": "1"}
    )
    assert resp.location.endswith(f"/passages/{world.passages[1].id}")
    a = db.session.scalar(select(PassageAssignment))
    assert a.coder_id == user.id and a.done_at is not None
    assert "Done" in client.get(f"/coding/{world.slug}/passages/{p.id}").text


def test_queue_filters_and_assignment(world, client, login_as, factory):
    staff = login_as("staff")
    other = factory.user("staff", name="Other Coder")
    p0, p1 = world.passages[0], world.passages[1]
    client.post(
        f"/coding/{world.slug}/passages/{p0.id}/codings",
        data={"start": 0, "end": 10, "theme_id": [world.housing.id]},
    )
    page = client.get(f"/coding/{world.slug}/queue")
    assert page.status_code == 200 and "4 passages match" in page.text
    assert "1 passage match" in client.get(f"/coding/{world.slug}/queue?coded=coded").text
    assert "3 passages match" in client.get(f"/coding/{world.slug}/queue?coded=uncoded").text
    page = client.get(f"/coding/{world.slug}/queue?sort=newest").text
    assert page.index("Labor inspectors") < page.index("Shelters are full")
    page = client.get(f"/coding/{world.slug}/queue?sort=length").text
    assert page.index("Police officers need training") < page.index("Shelters are full")
    page = client.get(f"/coding/{world.slug}/queue?theme={world.housing.id}")
    assert "1 passage match" in page.text and "Shelters are full" in page.text
    assert "2 passages match" in client.get(f"/coding/{world.slug}/queue?org_kind=ngo").text
    assert "1 passage match" in client.get(f"/coding/{world.slug}/queue?coder={staff.id}").text
    resp = client.post(
        f"/coding/{world.slug}/queue/assign",
        data={"passage_id": [p0.id, p1.id], "coder_id": other.id},
    )
    assert resp.status_code == 302
    resp = client.post(
        f"/coding/{world.slug}/queue/assign",
        data={"passage_id": [p0.id], "coder_id": other.id, "next": "https://evil.example/"},
    )
    assert resp.location.endswith(f"/coding/{world.slug}/queue")
    page = client.get(f"/coding/{world.slug}/queue?assigned={other.id}")
    assert "2 passages match" in page.text and "Other Coder" in page.text


def test_queue_has_no_n_plus_one(world, client, login_as):
    login_as("staff")
    for i in range(20):
        world.passage(f"Extra passage number {i}. It talks about shelter.", key=f"x{i}")

    def count_queries():
        with counting_statements() as statements:
            assert client.get(f"/coding/{world.slug}/queue").status_code == 200
        return len(statements)

    few = count_queries()
    for i in range(20, 40):
        world.passage(f"Another extra passage {i}.", key=f"x{i}")
    assert count_queries() == few


def test_roles_and_confidential_passages(world, client, auth, factory):
    secret = world.passage(
        "A confidential account of forced labor.", key="secret", confidential=True
    )
    url = f"/coding/{world.slug}/passages/{secret.id}"
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    respondent = factory.user("respondent")
    auth.login(respondent)
    assert client.get(url).status_code == 403
    assert client.get(f"/coding/{world.slug}/queue").status_code == 403
    auth.logout()
    facilitator = factory.user("facilitator")
    auth.login(facilitator)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(factory.user("staff"))
    assert client.get(url).status_code == 200
    assert "confidential account" in client.get(f"/coding/{world.slug}/queue").text


def test_dashboard_counts_and_links(world, factory, client, login_as):
    from consult.consultations.services import counts_for

    user = login_as("staff")
    empty = factory.consultation(slug="empty")
    add = world.passages[0]
    client.post(
        f"/coding/{world.slug}/passages/{add.id}/codings",
        data={"start": 0, "end": 5, "theme_id": [world.housing.id]},
    )
    counts = counts_for([world.consultation.id, empty.id])
    assert counts[world.consultation.id]["Themes"] == 4
    assert counts[world.consultation.id]["Coded passages"] == 1
    assert counts[empty.id]["Themes"] == 0 and counts[empty.id]["Coded passages"] == 0
    page = client.get(f"/consultations/{world.slug}")
    assert "Code passages" in page.text and f"/coding/{world.slug}/queue" in page.text
    assert user.can("code")


def test_sentiment_and_pending_filters_and_passage_export(world, client, login_as):
    import csv
    import io

    from consult.coding.exchange import export_passages_csv
    from consult.coding.models import CodingOrigin, CodingStatus
    from consult.coding.models_machine import PassageAnalysis

    login_as("staff")
    p0, p1, p2 = world.passages[:3]
    for p, pol in ((p0, -0.5), (p1, 0.6), (p2, 0.0)):
        db.session.add(
            PassageAnalysis(
                passage_id=p.id,
                polarity=pol,
                subjectivity=0.4,
                key_phrases=["shelter beds", "housing"] if p is p0 else [],
                text_hash="x",
            )
        )
    db.session.add(
        Coding(
            passage_id=p2.id,
            theme_id=world.training.id,
            start=0,
            end=6,
            snippet=p2.text[:6],
            origin=CodingOrigin.RULE,
            status=CodingStatus.SUGGESTED,
        )
    )
    db.session.commit()
    q = f"/coding/{world.slug}/queue"
    page = client.get(q + "?sentiment=negative").text
    assert "1 passage match" in page and "Shelters are full" in page
    assert "Interpreters" not in client.get(q + "?sentiment=negative").text
    assert "We need interpreters" in client.get(q + "?sentiment=positive").text
    page = client.get(q + "?pending=1").text
    assert "1 passage match" in page and "Police officers" in page
    rows = {
        r["external_id"]: r
        for r in csv.DictReader(
            io.StringIO(export_passages_csv(world.consultation.id).decode("utf-8-sig"))
        )
    }
    assert rows["p0"]["sentiment"] == "-0.5" and rows["p0"]["key_phrases"] == "shelter beds;housing"
    assert rows["p3"]["sentiment"] == ""
