"""Invitations (hashed tokens, mailed links), reminders only to non-responders, revoke/resend,
the public link, and response rates per organization and kind."""

import re

import pytest

from consult.auth.services import token_hash
from consult.extensions import db
from consult.mail import read_outbox
from consult.surveys import invitations as service
from consult.surveys.models import Survey, SurveyInvitation
from tests.surveys.survey_data import add_response

LINK = re.compile(r"https?://\S+/surveys/invite/([A-Za-z0-9_\-]+)")


@pytest.fixture(autouse=True)
def base_url(app):
    app.config["SERVER_BASE_URL"] = "https://consult.example.org"


def tokens_in_outbox() -> dict[str, str]:
    """Recipient → the last token e-mailed to them."""
    out = {}
    for msg in read_outbox():
        m = LINK.search(msg.get_content())
        if m:
            out[msg["To"]] = m.group(1)
    return out


def invitations(survey) -> list[SurveyInvitation]:
    return list(
        db.session.scalars(
            db.select(SurveyInvitation).where(SurveyInvitation.survey_id == survey.id)
        )
    )


def test_invite_by_kind_and_by_organization_hashes_tokens(full_survey, orgs, factory):
    factory.organization("No Contact NGO", kind="ngo")
    outcome = service.invite(full_survey.id, kinds=["ngo"], organization_ids=[orgs[1].id])
    assert outcome.sent == 2
    assert outcome.skipped == ["No Contact NGO: no contact e-mail address"]
    sent = tokens_in_outbox()
    assert set(sent) == {"north@shelter.example", "desk@police.example"}
    stored = {inv.email: inv for inv in invitations(full_survey)}
    for email, token in sent.items():
        assert stored[email].token_hash == token_hash(token)
        assert token not in stored[email].token_hash and len(stored[email].token_hash) == 64
        assert service.find_invitation(token).id == stored[email].id
    again = service.invite(full_survey.id, organization_ids=[orgs[0].id])
    assert again.sent == 0 and "already invited" in again.skipped[0]


def test_invitation_link_reaches_the_respondent_entry(client, full_survey, orgs):
    service.invite(full_survey.id, organization_ids=[orgs[0].id])
    token = tokens_in_outbox()["north@shelter.example"]
    resp = client.get(f"/surveys/invite/{token}")
    assert resp.status_code in (200, 302)
    assert "not valid" not in resp.get_data(as_text=True)


def test_given_email_only_for_one_organization(full_survey, orgs):
    with pytest.raises(service.InvitationError, match="single organization"):
        service.invite(
            full_survey.id, organization_ids=[orgs[0].id, orgs[1].id], email="a@b.example"
        )
    with pytest.raises(service.InvitationError, match="at least one"):
        service.invite(full_survey.id)
    outcome = service.invite(
        full_survey.id, organization_ids=[orgs[2].id], email="Director@Legal.example"
    )
    assert outcome.sent == 1 and "director@legal.example" in tokens_in_outbox()


def test_reminders_only_to_organizations_that_have_not_submitted(full_survey, orgs):
    north, police, legal = orgs
    service.invite(full_survey.id, organization_ids=[o.id for o in orgs])
    add_response(full_survey, north, answers={"people": 1})  # responded
    add_response(full_survey, police, status="draft", answers={"people": 2})  # started only
    add_response(full_survey, legal, is_test=True, answers={"people": 3})  # a test does not count
    first_tokens = tokens_in_outbox()
    outcome = service.remind(full_survey.id)
    assert outcome.sent == 2
    reminders = [m for m in read_outbox() if m["Subject"].startswith("Reminder")]
    assert sorted(m["To"] for m in reminders) == ["desk@police.example", "help@legal.example"]
    by_email = {inv.email: inv for inv in invitations(full_survey)}
    assert by_email["north@shelter.example"].reminder_count == 0
    assert by_email["desk@police.example"].reminder_count == 1
    assert by_email["desk@police.example"].last_reminded_at is not None
    new_token = tokens_in_outbox()["desk@police.example"]
    assert service.find_invitation(new_token) is not None
    # the link in the first e-mail keeps working: people click whichever e-mail they find
    first = service.find_invitation(first_tokens["desk@police.example"])
    assert first is not None and first.id == by_email["desk@police.example"].id
    service.remind(full_survey.id)
    assert by_email["desk@police.example"].reminder_count == 2
    assert service.find_invitation(first_tokens["desk@police.example"]) is not None
    assert service.find_invitation(new_token) is not None


def test_revoking_or_resending_kills_every_earlier_link(client, full_survey, orgs):
    service.invite(full_survey.id, organization_ids=[orgs[1].id])
    first = tokens_in_outbox()["desk@police.example"]
    service.remind(full_survey.id)
    second = tokens_in_outbox()["desk@police.example"]
    assert first != second
    inv = invitations(full_survey)[0]
    service.revoke(full_survey.id, inv.id)
    assert service.find_invitation(first) is None and service.find_invitation(second) is None
    service.resend(full_survey.id, inv.id)
    third = tokens_in_outbox()["desk@police.example"]
    assert service.find_invitation(third).id == inv.id
    assert service.find_invitation(first) is None and service.find_invitation(second) is None
    assert client.get(f"/surveys/invite/{first}").status_code != 200 or "not valid" in client.get(
        f"/surveys/invite/{first}"
    ).get_data(as_text=True)


def test_revoked_link_is_refused_and_resend_restores(client, full_survey, orgs):
    service.invite(full_survey.id, organization_ids=[orgs[0].id])
    token = tokens_in_outbox()["north@shelter.example"]
    inv = invitations(full_survey)[0]
    service.revoke(full_survey.id, inv.id)
    assert service.find_invitation(token) is None
    resp = client.get(f"/surveys/invite/{token}", follow_redirects=True)
    assert resp.status_code in (403, 404, 410) or "not valid" in resp.get_data(as_text=True)
    assert resp.status_code != 200 or "not valid" in resp.get_data(as_text=True)
    assert service.remind(full_survey.id).sent == 0  # revoked invitations get no reminders
    service.resend(full_survey.id, inv.id)
    fresh = tokens_in_outbox()["north@shelter.example"]
    assert fresh != token and service.find_invitation(fresh).id == inv.id


def test_response_rates_per_organization_and_kind(full_survey, orgs, factory):
    north, police, legal = orgs
    ngo2 = factory.organization("Second NGO", kind="ngo", contact_email="two@ngo.example")
    service.invite(full_survey.id, organization_ids=[north.id, police.id, legal.id, ngo2.id])
    add_response(full_survey, north, answers={"people": 1})
    add_response(full_survey, north, answers={"people": 2})
    add_response(full_survey, police, status="draft", answers={"people": 2})
    add_response(full_survey, legal, answers={"people": 4})
    by_org, by_kind, total = service.response_rates(full_survey.id)
    assert [(r.label, r.invited, r.submitted, r.responses) for r in by_org] == [
        ("Legal Aid South", 1, 1, 1),
        ("Second NGO", 1, 0, 0),
        ("Shelter North", 1, 1, 2),
        ("State Police", 1, 0, 0),
    ]
    kinds = {r.label: (r.invited, r.submitted, r.percent) for r in by_kind}
    assert kinds == {
        "Legal aid": (1, 1, 100.0),
        "Law enforcement": (1, 0, 0.0),
        "Nongovernmental organization": (2, 1, 50.0),
    }
    assert (total.invited, total.submitted, total.percent) == (4, 2, 50.0)


def test_public_link_generate_rotate_disable(full_survey):
    url = service.set_public_link(full_survey.id, True)
    token = url.rsplit("/", 1)[1]
    survey = db.session.get(Survey, full_survey.id)
    assert survey.public_token_hash == token_hash(token) and survey.allow_anonymous
    second = service.set_public_link(full_survey.id, True)
    assert second != url and survey.public_token_hash == token_hash(second.rsplit("/", 1)[1])
    assert service.set_public_link(full_survey.id, False) is None
    assert survey.public_token_hash is None and not survey.allow_anonymous


def test_distribution_page_flow(client, login_as, full_survey, orgs):
    login_as("staff")
    page = client.get(f"/surveys/{full_survey.id}/distribution")
    assert page.status_code == 200 and "No organization has been invited yet." in page.get_data(
        as_text=True
    )
    resp = client.post(
        f"/surveys/{full_survey.id}/invitations",
        data={"kind": ["law_enforcement", "legal_aid"]},
        follow_redirects=True,
    )
    html = resp.get_data(as_text=True)
    assert "2 invitations sent." in html and "State Police" in html
    add_response(full_survey, orgs[1], answers={"people": 1})
    html = client.get(f"/surveys/{full_survey.id}/distribution").get_data(as_text=True)
    assert "Send a reminder to the 1 organization that has not responded" in html
    html = client.post(
        f"/surveys/{full_survey.id}/invitations/remind", follow_redirects=True
    ).get_data(as_text=True)
    assert "1 reminder sent" in html
    inv = [i for i in invitations(full_survey) if i.organization_id == orgs[2].id][0]
    html = client.post(
        f"/surveys/{full_survey.id}/invitations/{inv.id}/revoke", follow_redirects=True
    ).get_data(as_text=True)
    assert "revoked" in html
    html = client.post(
        f"/surveys/{full_survey.id}/public-link", data={"action": "generate"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "https://consult.example.org/surveys/public/" in html
    error = client.post(
        f"/surveys/{full_survey.id}/invitations",
        data={"email": "x@y.example"},
        follow_redirects=True,
    )
    assert "Choose at least one organization" in error.get_data(as_text=True)
    assert 'value="x@y.example"' in error.get_data(as_text=True)  # what was typed is kept
    assert (
        client.get(f"/surveys/{full_survey.id}/invitations/remind").status_code == 405
    )  # no GET changes


def test_distribution_needs_build_permission(client, factory, auth, full_survey, orgs):
    auth.login(factory.user("respondent", organization=orgs[0]))
    assert (
        client.post(f"/surveys/{full_survey.id}/invitations", data={"kind": ["ngo"]}).status_code
        == 403
    )
    assert (
        client.post(
            f"/surveys/{full_survey.id}/public-link", data={"action": "generate"}
        ).status_code
        == 403
    )
    assert read_outbox() == []


def test_cli_remind(runner, full_survey, orgs, app):
    service.invite(full_survey.id, organization_ids=[orgs[0].id])
    result = runner.invoke(args=["surveys", "remind", str(full_survey.id)])
    assert result.exit_code == 0 and "Sent 1 reminder(s)." in result.output
    result = runner.invoke(args=["surveys", "remind", "9999"])
    assert result.exit_code != 0 and "There is no survey 9999." in result.output
    app.config["SERVER_BASE_URL"] = None
    result = runner.invoke(args=["surveys", "remind", str(full_survey.id)])
    assert result.exit_code != 0 and "SERVER_BASE_URL" in result.output
