"""The respondent flow through the test client: start, pages, errors, drafts, review, submit."""

import re

from sqlalchemy import func, select

from consult.extensions import db
from consult.mail import read_outbox
from consult.passages.models import Passage
from consult.surveys.models import Response, ResponseStatus
from tests.surveys.conftest import make_invitation

PAGE1 = {
    "name": "Ana Torres",
    "email": "ana@example.org",
    "sector": "ngo",
    "staff": "12",
    "founded": "2001-05-04",
    "action": "continue",
}
PAGE2 = {
    "statutes": "inadequate",
    "statutes_why": "Coercion is defined too narrowly.",
    "progress": "2",
    "awareness": ["posters", "other"],
    "awareness.other": "Radio in Mixteco",
    "services.housing": "refer",
    "services.legal": "provide",
    "priorities.prevention": "2",
    "priorities.protection": "1",
    "collab": "no",
    "action": "continue",
}


def _open(client, token):
    r = client.get(f"/surveys/invite/{token}")
    assert r.status_code == 302
    return r.location


def test_start_page_says_what_who_how_long_and_what_happens(client, survey, invitation):
    token, _inv, _org = invitation
    html = client.get(_open(client, token)).get_data(as_text=True)
    assert "<h1>Task force survey</h1>" in html
    assert "Tell us what you see." in html
    assert "Who runs it" in html and "About 10 minutes" in html
    assert "What happens to your answers" in html
    assert "Start now" in html


def test_page_has_progress_title_and_keeps_input_on_error(client, survey, invitation):
    token, _inv, _org = invitation
    _open(client, token)
    r = client.post(f"/surveys/{survey.id}/", data={})
    page = client.get(r.location).get_data(as_text=True)
    assert "Page 1 of 2" in page  # page 3 is only for government respondents
    assert "<h1>About you</h1>" in page
    assert '<fieldset class="fieldset"' in page and "<legend" in page
    assert 'aria-describedby="q-name-hint"' in page
    r = client.post(
        f"/surveys/{survey.id}/page/0",
        data={**PAGE1, "name": "", "staff": "twelve", "email": "ana@"},
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert 'class="error-summary"' in html
    assert '<a href="#q-name">Your name: Enter an answer</a>' in html
    assert '<a href="#q-staff">Staff: Enter a whole number, like 25</a>' in html
    assert 'value="twelve"' in html and 'value="ana@"' in html  # nothing typed is lost
    assert 'value="ngo" checked' in html
    # ...and the draft kept it too: a fresh visit shows what was typed
    again = client.get(f"/surveys/{survey.id}/page/0").get_data(as_text=True)
    assert 'value="twelve"' in again


def test_whole_journey_in_spanish_with_skip_logic_review_and_submit(client, survey, invitation):
    token, _inv, org = invitation
    _open(client, token)
    client.post(f"/surveys/{survey.id}/", data={})
    es = client.get(f"/surveys/{survey.id}/page/0?lang=es").get_data(as_text=True)
    assert '<html lang="es">' in es
    assert "<h1>Sobre usted</h1>" in es and "Página 1 de 2" in es
    assert "Guardar y continuar más tarde" in es and "Saltar al contenido principal" in es
    r = client.post(f"/surveys/{survey.id}/page/0", data={**PAGE1, "lang": "es"})
    assert r.location.endswith(f"/surveys/{survey.id}/page/1")
    # skip logic: "inadequate" makes the follow-up required
    r = client.post(
        f"/surveys/{survey.id}/page/1", data={**PAGE2, "statutes_why": "", "lang": "es"}
    )
    assert r.status_code == 400
    assert "Escriba una respuesta" in r.get_data(as_text=True)
    r = client.post(f"/surveys/{survey.id}/page/1", data={**PAGE2, "lang": "es"})
    assert r.location.endswith("/review")
    review = client.get(r.location).get_data(as_text=True)
    assert "Revise sus respuestas antes de enviarlas" in review
    assert "Coercion is defined too narrowly." in review and "Otro: Radio in Mixteco" in review
    assert "Vivienda: Deriva" in review and "1. Protección" in review
    assert f'href="/surveys/{survey.id}/page/1#q-statutes-wrap"' in review
    key = re.search(r'name="submission_key" value="([^"]+)"', review).group(1)
    r = client.post(f"/surveys/{survey.id}/submit", data={"submission_key": key})
    assert r.location.endswith("/done")
    done = client.get(r.location).get_data(as_text=True)
    response = db.session.scalar(select(Response).where(Response.organization_id == org.id))
    assert response.status is ResponseStatus.SUBMITTED and response.language == "es"
    assert response.reference in done and "Respuesta enviada" in done
    # double click / resubmitted form / another tab: still exactly one response
    client.post(f"/surveys/{survey.id}/submit", data={"submission_key": key})
    client.post(f"/surveys/{survey.id}/submit", data={"submission_key": "another-tab-key"})
    assert db.session.scalar(select(func.count(Response.id))) == 1
    [receipt] = read_outbox()
    assert receipt["To"] == "contact@example.org"
    assert response.reference in receipt["Subject"]
    assert "Coercion is defined too narrowly." in receipt.get_content()
    copy = client.get(f"/surveys/{survey.id}/copy").get_data(as_text=True)
    assert "Copia de sus respuestas" in copy and "Ana Torres" in copy
    texts = set(db.session.scalars(select(Passage.text)))
    assert texts == {"Ana Torres", "Coercion is defined too narrowly.", "Radio in Mixteco"}
    # the response cannot be edited (this survey does not allow it)
    r = client.get(f"/surveys/{survey.id}/page/0")
    assert r.status_code == 302 and r.location.endswith("/done")


def test_hidden_answer_is_discarded_when_the_condition_changes(client, survey, invitation):
    token, _inv, _org = invitation
    _open(client, token)
    client.post(f"/surveys/{survey.id}/page/0", data=PAGE1)
    client.post(f"/surveys/{survey.id}/page/1", data=PAGE2)
    # change the answer so the follow-up is hidden; its typed text must not be submitted
    client.post(f"/surveys/{survey.id}/page/1", data={**PAGE2, "statutes": "adequate"})
    review = client.get(f"/surveys/{survey.id}/review").get_data(as_text=True)
    assert "Coercion is defined too narrowly." not in review
    client.post(f"/surveys/{survey.id}/submit", data={"submission_key": "k" * 12})
    texts = set(db.session.scalars(select(Passage.text)))
    assert "Coercion is defined too narrowly." not in texts


def test_section_condition_adds_a_page(client, survey, invitation):
    token, _inv, _org = invitation
    _open(client, token)
    client.post(f"/surveys/{survey.id}/page/0", data={**PAGE1, "sector": "gov"})
    page = client.get(f"/surveys/{survey.id}/page/1").get_data(as_text=True)
    assert "Page 2 of 3" in page
    r = client.post(f"/surveys/{survey.id}/page/1", data=PAGE2)
    assert r.location.endswith("/page/2")


def test_save_and_resume_from_another_browser(client, app, survey, invitation):
    token, _inv, _org = invitation
    _open(client, token)
    r = client.post(
        f"/surveys/{survey.id}/page/0", data={**PAGE1, "name": "", "staff": "12", "action": "save"}
    )
    assert r.location.endswith("/saved")  # saving never insists on required answers
    saved = client.get(r.location).get_data(as_text=True)
    assert "open the link in your invitation e-mail again" in saved
    other = app.test_client()
    assert other.get(f"/surveys/{survey.id}/page/0").status_code == 404  # no grant yet
    other.get(f"/surveys/invite/{token}")
    r = other.post(f"/surveys/{survey.id}/", data={})
    assert r.location.endswith("/page/0")
    html = other.get(r.location).get_data(as_text=True)
    assert 'value="12"' in html and 'value="ana@example.org"' in html


def test_a_respondent_only_reaches_their_own_organizations_response(client, app, survey, factory):
    org_a, org_b = factory.organization("A"), factory.organization("B")
    token_a, _ = make_invitation(survey, org_a, email="a@example.org")
    token_b, _ = make_invitation(survey, org_b, email="b@example.org")
    _open(client, token_a)
    client.post(f"/surveys/{survey.id}/page/0", data={**PAGE1, "name": "Secret A"})
    other = app.test_client()
    other.get(f"/surveys/invite/{token_b}")
    html = other.get(f"/surveys/{survey.id}/page/0").get_data(as_text=True)
    assert "Secret A" not in html
    assert other.get("/surveys/invite/not-a-token").status_code == 404
    # a signed-in respondent of B sees B's response, never A's
    user_b = factory.user("respondent", organization=org_b)
    signed = app.test_client()
    signed.post(
        "/auth/login", data={"email": user_b.email, "password": "correct horse staple battery"}
    )
    signed.post(f"/surveys/{survey.id}/", data={})
    page = signed.get(f"/surveys/{survey.id}/page/0").get_data(as_text=True)
    assert "Secret A" not in page
    rows = db.session.execute(select(Response.organization_id)).scalars().all()
    assert sorted(rows) == sorted([org_a.id, org_b.id])  # B reused its invitation's draft


def test_closed_and_not_yet_open_surveys_say_so(client, survey, invitation):
    from consult.surveys.services import set_status, update_survey
    from tests.surveys.conftest import future

    token, _inv, _org = invitation
    set_status(survey.id, "closed", actor_id=None)
    r = client.get(f"/surveys/invite/{token}", follow_redirects=True)
    assert "This survey is closed and no longer takes answers." in r.get_data(as_text=True)
    set_status(survey.id, "open", actor_id=None)
    update_survey(survey.id, actor_id=None, opens_at=future(3))
    r = client.get(f"/surveys/invite/{token}?lang=es", follow_redirects=True)
    assert "Esta encuesta todavía no está abierta." in r.get_data(as_text=True)


def test_closing_while_answering_shows_the_message_and_refuses_submit(client, survey, invitation):
    from consult.surveys.services import set_status

    token, _inv, _org = invitation
    _open(client, token)
    client.post(f"/surveys/{survey.id}/page/0", data=PAGE1)
    set_status(survey.id, "closed", actor_id=None)
    r = client.post(f"/surveys/{survey.id}/page/1", data=PAGE2)
    assert "This survey is closed" in r.get_data(as_text=True)
    r = client.post(f"/surveys/{survey.id}/submit", data={"submission_key": "late-key-123"})
    assert "This survey is closed" in r.get_data(as_text=True)
    assert (
        db.session.scalar(
            select(func.count(Response.id)).where(Response.status == ResponseStatus.SUBMITTED)
        )
        == 0
    )


def test_submit_with_missing_answers_returns_to_the_page(client, survey, invitation):
    token, _inv, _org = invitation
    _open(client, token)
    client.post(f"/surveys/{survey.id}/page/0", data={**PAGE1, "action": "save"})
    r = client.post(f"/surveys/{survey.id}/submit", data={"submission_key": "early-key-1"})
    assert r.location.endswith("/page/1?check=1")
    html = client.get(r.location).get_data(as_text=True)
    assert "Select an answer" in html and 'class="error-summary"' in html


def test_public_link_emails_a_resume_link(client, app, consultation):
    from consult.auth.services import token_hash
    from tests.surveys.conftest import build_survey

    survey = build_survey(consultation, anonymous=True)
    survey.public_token_hash = token_hash("public-token-abc")
    db.session.commit()
    assert "Start now" in client.get("/surveys/public/public-token-abc").get_data(as_text=True)
    r = client.post("/surveys/public/public-token-abc", data={})
    assert r.location.endswith(f"/surveys/{survey.id}/page/0")
    client.post(f"/surveys/{survey.id}/page/0", data={**PAGE1, "action": "save"})
    r = client.post(f"/surveys/{survey.id}/saved", data={"email": "not an address"})
    assert r.status_code == 400 and 'value="not an address"' in r.get_data(as_text=True)
    client.post(f"/surveys/{survey.id}/saved", data={"email": "me@example.org"})
    [mail] = read_outbox()
    link = re.search(r"http\S+/surveys/resume/\S+", mail.get_content()).group(0)
    other = app.test_client()
    r = other.get(link.split("localhost", 1)[-1])
    assert r.location.endswith(f"/surveys/{survey.id}/page/0")
    assert "Ana Torres" in other.get(r.location).get_data(as_text=True)
    # a different public respondent starts their own empty response
    third = app.test_client()
    third.post("/surveys/public/public-token-abc", data={})
    assert "Ana Torres" not in third.get(f"/surveys/{survey.id}/page/0").get_data(as_text=True)


def test_edit_after_submit_when_allowed_updates_passages_in_place(client, consultation, factory):
    from tests.surveys.conftest import build_survey

    survey = build_survey(consultation, allow_edit=True)
    org = factory.organization("Editors")
    token, _ = make_invitation(survey, org)
    _open(client, token)
    client.post(f"/surveys/{survey.id}/page/0", data=PAGE1)
    client.post(f"/surveys/{survey.id}/page/1", data=PAGE2)
    client.post(f"/surveys/{survey.id}/submit", data={"submission_key": "edit-key-123"})
    before = db.session.scalar(select(Passage).where(Passage.text.like("Coercion%")))
    done = client.get(f"/surveys/{survey.id}/done").get_data(as_text=True)
    assert "Change your answers" in done
    r = client.post(
        f"/surveys/{survey.id}/page/1",
        data={**PAGE2, "statutes_why": "Coercion and fraud need redefining."},
    )
    assert r.status_code == 302
    db.session.expire_all()
    after = db.session.get(Passage, before.id)
    assert after.text == "Coercion and fraud need redefining." and not after.withdrawn
    # an invalid edit is refused and changes nothing
    r = client.post(f"/surveys/{survey.id}/page/0", data={**PAGE1, "staff": "-5"})
    assert r.status_code == 400
    r = client.post(f"/surveys/{survey.id}/page/0", data={**PAGE1, "staff": "-5", "action": "save"})
    assert r.status_code == 400  # "save" never stores an invalid edit of a sent response
    assert db.session.scalar(select(func.count(Response.id))) == 1


def test_missing_translation_falls_back_with_a_lang_attribute(client, survey, invitation):
    from consult.surveys.models import Question

    question = db.session.scalar(select(Question).where(Question.code == "staff"))
    question.text = {"en": "Staff and volunteers"}
    db.session.commit()
    token, _inv, _org = invitation
    _open(client, token)
    html = client.get(f"/surveys/{survey.id}/page/0?lang=es").get_data(as_text=True)
    assert (
        '<label class="label question-label" for="q-staff" lang="en">Staff and volunteers' in html
    )
    assert '<label class="label question-label" for="q-name">Su nombre' in html


def test_a_page_hidden_by_earlier_answers_is_skipped(client, survey, invitation):
    token, _inv, _org = invitation
    _open(client, token)
    client.post(f"/surveys/{survey.id}/page/0", data=PAGE1)  # an NGO: page 3 is for government
    r = client.get(f"/surveys/{survey.id}/page/2")
    assert r.status_code == 302 and r.location.endswith("/review")


def test_revoked_and_expired_invitations_are_refused(client, survey, factory):
    from tests.surveys.conftest import past

    org = factory.organization("Expired Org")
    revoked, _ = make_invitation(survey, org, email="r@example.org", revoked=True)
    expired, _ = make_invitation(survey, org, email="e@example.org", expires_at=past())
    for token in (revoked, expired):
        r = client.get(f"/surveys/invite/{token}")
        assert r.status_code == 404
        assert "This link cannot be used" in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Response.id))) == 0


def test_without_javascript_a_same_page_condition_is_explained(client, survey, invitation):
    token, _inv, _org = invitation
    _open(client, token)
    client.post(f"/surveys/{survey.id}/page/0", data=PAGE1)
    html = client.get(f"/surveys/{survey.id}/page/1?lang=es").get_data(as_text=True)
    assert "data-condition=" in html
    assert "Responda solo si su respuesta a “¿Son adecuadas las leyes?” es “Inadecuadas”." in html


def test_previous_page_saves_and_goes_back(client, survey, invitation):
    token, _inv, _org = invitation
    _open(client, token)
    client.post(f"/surveys/{survey.id}/page/0", data=PAGE1)
    r = client.post(
        f"/surveys/{survey.id}/page/1", data={**PAGE2, "statutes_why": "", "action": "back"}
    )
    assert r.status_code == 302 and r.location.endswith("/page/0")
    html = client.get(f"/surveys/{survey.id}/page/1").get_data(as_text=True)
    assert 'value="inadequate" checked' in html  # saved on the way back, unchecked


def test_anonymous_respondent_can_ask_for_a_receipt(client, consultation):
    from consult.auth.services import token_hash
    from tests.surveys.conftest import build_survey

    survey = build_survey(consultation, anonymous=True)
    survey.public_token_hash = token_hash("public-token-xyz")
    db.session.commit()
    client.post("/surveys/public/public-token-xyz", data={})
    client.post(f"/surveys/{survey.id}/page/0", data=PAGE1)
    client.post(f"/surveys/{survey.id}/page/1", data=PAGE2)
    review = client.get(f"/surveys/{survey.id}/review").get_data(as_text=True)
    assert "E-mail address for a receipt (optional)" in review
    r = client.post(
        f"/surveys/{survey.id}/submit",
        data={"submission_key": "anon-key-123", "receipt_email": "nope"},
    )
    assert r.status_code == 400 and 'value="nope"' in r.get_data(as_text=True)
    assert db.session.scalar(select(Response.status)) is ResponseStatus.DRAFT
    r = client.post(
        f"/surveys/{survey.id}/submit",
        data={"submission_key": "anon-key-123", "receipt_email": "me@example.org"},
    )
    assert r.location.endswith("/done")
    [receipt] = read_outbox()
    assert receipt["To"] == "me@example.org"


def test_signed_in_respondent_finds_their_surveys(client, survey, factory, auth):
    org = factory.organization("Member Org")
    user = factory.user("respondent", organization=org)
    auth.login(user)
    home = client.get("/?lang=es").get_data(as_text=True)
    assert 'href="/surveys/mine"' in home and "Encuestas para su organización" in home
    mine = client.get("/surveys/mine?lang=en").get_data(as_text=True)
    assert "Task force survey" in mine and "Not started" in mine
    client.post(f"/surveys/{survey.id}/", data={})
    client.post(f"/surveys/{survey.id}/page/0", data={**PAGE1, "action": "save"})
    assert "In progress" in client.get("/surveys/mine").get_data(as_text=True)


def test_edit_of_sent_response_that_reveals_a_required_question_elsewhere_asks_for_it(
    client, consultation, factory
):
    from consult.surveys.models import Question
    from tests.surveys.conftest import build_survey

    survey = build_survey(consultation, allow_edit=True)
    budget = db.session.scalar(select(Question).where(Question.code == "budget"))
    budget.required = True  # on page 3, shown only to government respondents
    db.session.commit()
    token, _ = make_invitation(survey, factory.organization("Editors"))
    _open(client, token)
    client.post(f"/surveys/{survey.id}/page/0", data=PAGE1)
    client.post(f"/surveys/{survey.id}/page/1", data=PAGE2)
    client.post(f"/surveys/{survey.id}/submit", data={"submission_key": "edit-key-456"})
    # switching to "government" on page 1 reveals the required budget question on page 3
    r = client.post(f"/surveys/{survey.id}/page/0", data={**PAGE1, "sector": "gov"})
    assert r.status_code == 302 and r.location.endswith(f"/surveys/{survey.id}/page/2?check=1")
    html = client.get(r.location).get_data(as_text=True)
    assert "Your change asks new questions" in html and 'id="q-budget-error"' in html
    review = client.get(f"/surveys/{survey.id}/review").get_data(as_text=True)
    assert "Your response is not complete" in review and "Your changes are saved" not in review
    assert "Check your changed answers" in review and "before sending" not in review
    assert "page/2?check=1#q-budget-wrap" in review
    # the same through "save and continue later"
    r = client.post(
        f"/surveys/{survey.id}/page/0", data={**PAGE1, "sector": "gov", "action": "save"}
    )
    assert r.location.endswith("/page/2?check=1")
    r = client.post(f"/surveys/{survey.id}/page/2", data={"budget": "1200", "action": "continue"})
    assert r.status_code == 302
    review = client.get(f"/surveys/{survey.id}/review").get_data(as_text=True)
    assert "Your changes are saved" in review and "not complete" not in review


def test_an_answer_removed_in_an_edit_takes_its_passage_and_codings_with_it(
    client, consultation, factory
):
    from consult.coding.codebook import create_theme
    from consult.coding.manual import add_codings
    from consult.coding.models import Coding
    from tests.surveys.conftest import build_survey

    survey = build_survey(consultation, allow_edit=True)
    token, _ = make_invitation(survey, factory.organization("Editors"))
    _open(client, token)
    client.post(f"/surveys/{survey.id}/page/0", data=PAGE1)
    client.post(f"/surveys/{survey.id}/page/1", data=PAGE2)
    client.post(f"/surveys/{survey.id}/submit", data={"submission_key": "edit-key-456"})
    passage = db.session.scalar(select(Passage).where(Passage.text.like("Coercion%")))
    theme = create_theme(consultation.id, {"name": "Statutes"}, actor_id=None)
    coder = factory.user("staff")
    add_codings(passage, [theme.id], [(0, 8)], coder_id=coder.id)
    db.session.commit()
    passage_id = passage.id
    assert db.session.scalar(select(func.count(Coding.id))) == 1
    # the statutes are now called adequate: the "what should change" answer is hidden and dropped
    r = client.post(f"/surveys/{survey.id}/page/1", data={**PAGE2, "statutes": "adequate"})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Passage, passage_id) is None
    assert db.session.scalar(select(func.count(Coding.id))) == 0
    assert not db.session.scalar(select(func.count(Passage.id)).where(Passage.text.like("%Coerc%")))
