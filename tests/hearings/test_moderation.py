"""Personal-data suggestions, redaction, approval, passages and the audit trail."""

from sqlalchemy import select

from consult.audit import AuditEvent
from consult.extensions import db
from consult.hearings.models import ModerationStatus, Speaker
from consult.hearings.text import (
    apply_redactions,
    find_phrase,
    merge_spans,
    parse_transcript,
    suggest_personal_data,
)
from consult.passages.models import OriginKind, Passage
from tests.hearings.conftest import signup_data

TEXT = (
    "My name is Maria Lopez and I picked apples. Write to maria.lopez@example.org or call "
    "(555) 123-4567. We lived at 42 Orchard Road, Apt 3 near the farm."
)


def test_suggestions_find_names_emails_phones_and_addresses():
    found = {(s.kind, s.text) for s in suggest_personal_data(TEXT)}
    assert ("name", "Maria Lopez") in found
    assert ("email", "maria.lopez@example.org") in found
    assert ("phone", "(555) 123-4567") in found
    assert ("address", "42 Orchard Road, Apt 3") in found
    assert suggest_personal_data("Me llamo Ana Ruiz y trabajé en la casa.")[0].text == "Ana Ruiz"
    assert suggest_personal_data("Nothing personal in 2025, 40 hours a week.") == []


def test_redaction_functions():
    assert merge_spans([(5, 8), (0, 2), (7, 10), (3, 3)]) == [(0, 2), (5, 10)]
    assert apply_redactions("abc secret def", [(4, 10)]) == "abc [redacted] def"
    assert apply_redactions("abc", [(2, 99)]) == "ab[redacted]"
    assert find_phrase("Ana and ana", "ANA") == [(0, 3), (8, 11)]
    assert parse_transcript("[00:01:02] Hello\n\nplain line") == [
        ("00:01:02", "Hello"),
        (None, "plain line"),
    ]


def _submit(client, hearing, **kw):
    resp = client.post(f"/hearings/{hearing.id}", data=signup_data(**kw))
    assert resp.status_code == 302
    return db.session.scalars(select(Speaker).order_by(Speaker.id.desc())).first()


def test_testimony_is_public_only_after_approval_and_redactions_apply(
    client, auth, factory, hearing
):
    speaker = _submit(client, hearing, written_text=TEXT, name="Maria Lopez")
    t = speaker.testimony
    record_url = f"/hearings/{hearing.id}/record"
    assert "picked apples" not in client.get(record_url).text

    auth.login(factory.user("staff"))
    page = client.get(f"/hearings/testimony/{t.id}").text
    assert "Possible personal data" in page and "maria.lopez@example.org" in page
    suggestion = next(s for s in suggest_personal_data(TEXT) if s.kind == "email")
    resp = client.post(
        f"/hearings/testimony/{t.id}/redact",
        data={
            "field": "written",
            "start": suggestion.start,
            "end": suggestion.end,
            "reason": "Email address",
        },
    )
    assert resp.status_code == 302
    page = client.get(f"/hearings/testimony/{t.id}").text
    assert "Email address: <q>" not in page and "Phone number: <q>" in page  # done ones drop off
    # Regression: the list of redactions showed "written 12–35" instead of the words hidden.
    assert "Written testimony: <q>maria.lopez@example.org</q> (Email address)" in page
    client.post(
        f"/hearings/testimony/{t.id}/redact",
        data={"field": "written", "phrase": "Orchard Road", "reason": "Address"},
    )
    missing = client.post(
        f"/hearings/testimony/{t.id}/redact",
        data={"field": "written", "phrase": "not in the text", "reason": "x"},
        follow_redirects=True,
    )
    assert "That text was not found" in missing.text
    no_reason = client.post(
        f"/hearings/testimony/{t.id}/redact",
        data={"field": "written", "phrase": "apples", "reason": ""},
        follow_redirects=True,
    )
    assert "Give a reason" in no_reason.text
    client.post(f"/hearings/testimony/{t.id}/moderate", data={"decision": "approved"})
    db.session.expire_all()

    auth.logout()
    public = client.get(record_url).text
    assert "picked apples" in public and "[redacted]" in public
    assert "maria.lopez@example.org" not in public and "Orchard Road" not in public
    passage = db.session.scalar(select(Passage).where(Passage.origin_kind == OriginKind.TESTIMONY))
    assert "maria.lopez@example.org" not in passage.text and "[redacted]" in passage.text

    actions = [e.action for e in db.session.scalars(select(AuditEvent))]
    assert actions.count("testimony.redact") == 2 and "testimony.moderate" in actions
    for ev in db.session.scalars(select(AuditEvent)):
        assert "picked apples" not in str(ev.detail or "")


def test_rejected_testimony_is_withdrawn_from_coding(client, auth, factory, hearing):
    speaker = _submit(client, hearing, written_text="Buy cheap watches now")
    auth.login(factory.user("staff"))
    client.post(
        f"/hearings/testimony/{speaker.testimony.id}/moderate", data={"decision": "rejected"}
    )
    db.session.expire_all()
    assert db.session.scalar(select(Passage)).withdrawn is True
    assert speaker.testimony.status is ModerationStatus.REJECTED


def test_changing_a_transcript_drops_its_redactions_and_returns_to_pending(
    client, auth, factory, hearing
):
    speaker = _submit(client, hearing, name="Tom Talker")
    auth.login(factory.user("staff"))
    client.post(
        f"/hearings/speakers/{speaker.id}", data={"transcript": "I live at 9 Elm Street today."}
    )
    db.session.expire_all()
    t = db.session.get(Speaker, speaker.id).testimony
    client.post(
        f"/hearings/testimony/{t.id}/redact",
        data={"field": "transcript", "phrase": "9 Elm Street", "reason": "Address"},
    )
    client.post(f"/hearings/testimony/{t.id}/moderate", data={"decision": "approved"})
    db.session.expire_all()
    passage = db.session.scalar(select(Passage).where(Passage.origin_kind == OriginKind.TRANSCRIPT))
    assert passage.text == "I live at [redacted] today."
    client.post(f"/hearings/speakers/{speaker.id}", data={"transcript": "I moved away."})
    db.session.expire_all()
    t = db.session.get(Speaker, speaker.id).testimony
    assert t.redactions == [] and t.status is ModerationStatus.PENDING
    assert (
        db.session.scalar(select(Passage).where(Passage.origin_kind == OriginKind.TRANSCRIPT)).text
        == "I moved away."
    )
    assert "testimony.transcript_update" in set(db.session.scalars(select(AuditEvent.action)))


def test_facilitators_cannot_moderate(client, auth, factory, hearing):
    speaker = _submit(client, hearing, written_text="words")
    auth.login(factory.user("facilitator"))
    assert client.get(f"/hearings/testimony/{speaker.testimony.id}").status_code == 403
    assert (
        client.post(
            f"/hearings/testimony/{speaker.testimony.id}/moderate", data={"decision": "approved"}
        ).status_code
        == 403
    )


def test_staff_change_confidentiality_at_the_speakers_request(client, auth, factory, hearing):
    speaker = _submit(client, hearing, name="Changing Chris", written_text="Later I worried CHG-42")
    auth.login(factory.user("staff"))
    client.post(
        f"/hearings/testimony/{speaker.testimony.id}/moderate", data={"decision": "approved"}
    )
    assert "Changing Chris" in client.get(f"/hearings/{hearing.id}/record").text
    resp = client.post(
        f"/hearings/speakers/{speaker.id}/confidentiality",
        data={"confidentiality": "confidential", "consent_publish": "y"},
    )
    assert resp.status_code == 302
    record_page = client.get(f"/hearings/{hearing.id}/record").text
    assert "Changing Chris" not in record_page and "CHG-42" not in record_page
    db.session.expire_all()
    passage = db.session.scalar(select(Passage))
    assert passage.confidentiality.value == "confidential"
    assert "speaker.confidentiality" in set(db.session.scalars(select(AuditEvent.action)))
    auth.logout()
    auth.login(factory.user("facilitator"))
    assert (
        client.post(
            f"/hearings/speakers/{speaker.id}/confidentiality", data={"confidentiality": "public"}
        ).status_code
        == 403
    )
