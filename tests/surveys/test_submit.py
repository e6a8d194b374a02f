"""Submission: validation, idempotency under concurrency, passages, receipts."""

import re
import threading
import uuid

import pytest
import requests
from sqlalchemy import func, select

from consult.extensions import db
from consult.mail import read_outbox
from consult.passages.models import OriginKind, Passage
from consult.surveys.models import Answer, Response, ResponseStatus
from consult.surveys.services import (
    AnswersInvalid,
    NotAllowed,
    SurveyClosed,
    set_status,
    submit_answers,
)
from tests.helpers import csrf_token_from
from tests.surveys.conftest import COMPLETE, build_survey, make_invitation


def _count(**where):
    stmt = select(func.count(Response.id))
    for key, value in where.items():
        stmt = stmt.where(getattr(Response, key) == value)
    return db.session.scalar(stmt)


def test_submit_answers_stores_rows_per_scalar_value(survey, factory):
    org = factory.organization("Coastal Free Clinic", kind="health")
    response, created = submit_answers(
        survey.id, COMPLETE, organization_id=org.id, language="es", submission_key="k-" + "1" * 10
    )
    assert created and response.status is ResponseStatus.SUBMITTED and response.reference
    rows = db.session.scalars(select(Answer).where(Answer.response_id == response.id)).all()
    by_code = {}
    for row in rows:
        by_code.setdefault(row.question.code, []).append(row)
    assert {r.choice for r in by_code["awareness"]} == {"posters", "other"}
    other = next(r for r in by_code["awareness"] if r.choice == "other")
    assert other.value_text == "Radio spots in Mixteco"
    assert {(r.row_key, r.choice) for r in by_code["services"]} == {
        ("housing", "provide"),
        ("legal", "refer"),
    }
    assert {(r.row_key, r.value_number) for r in by_code["priorities"]} == {
        ("prevention", 1.0),
        ("protection", 2.0),
    }
    assert by_code["progress"][0].value_number == 4.0 and by_code["progress"][0].choice == "4"
    # the free text answers become passages with the organization's kind and the language
    passages = db.session.scalars(select(Passage)).all()
    texts = {p.text: p for p in passages}
    assert set(texts) == {"Ana", "Radio spots in Mixteco"}
    p = texts["Radio spots in Mixteco"]
    assert p.origin_kind is OriginKind.SURVEY_ANSWER and p.origin_id == str(other.id)
    assert p.organization_kind == "health" and p.language == "es"
    assert p.source_label == "Awareness approaches"


def test_replay_returns_the_first_response(survey):
    first, created = submit_answers(survey.id, COMPLETE, submission_key="same-key-123")
    again, created_again = submit_answers(survey.id, COMPLETE, submission_key="same-key-123")
    assert created and not created_again and again.id == first.id
    assert _count(survey_id=survey.id) == 1


def test_invalid_answers_raise_with_problems_by_code(survey):
    bad = {**COMPLETE, "staff": "lots", "sector": "church", "name": ""}
    with pytest.raises(AnswersInvalid) as info:
        submit_answers(survey.id, bad, submission_key="bad-key-123")
    assert set(info.value.problems) == {"staff", "sector", "name"}
    assert info.value.problems["name"].kind == "required"
    assert _count(survey_id=survey.id) == 0


def test_hidden_answers_are_discarded_and_not_required(survey):
    # statutes_why is required but hidden unless "inadequate"; budget's page needs "gov"
    answers = {**COMPLETE, "statutes_why": "Should not be kept", "budget": "500"}
    response, _ = submit_answers(survey.id, answers, submission_key="hidden-123")
    codes = {a.question.code for a in response.answers}
    assert "statutes_why" not in codes and "budget" not in codes
    with pytest.raises(AnswersInvalid) as info:
        submit_answers(
            survey.id, {**COMPLETE, "statutes": "inadequate"}, submission_key="x-1234567"
        )
    assert set(info.value.problems) == {"statutes_why"}


def test_one_response_per_organization(survey, factory):
    org = factory.organization("Org A")
    submit_answers(survey.id, COMPLETE, organization_id=org.id, submission_key="org-a-1111")
    with pytest.raises(NotAllowed):
        submit_answers(survey.id, COMPLETE, organization_id=org.id, submission_key="org-a-2222")


def test_test_responses_are_not_published_and_closed_survey_refuses(survey):
    submit_answers(survey.id, COMPLETE, submission_key="test-12345", is_test=True)
    assert db.session.scalar(select(func.count(Passage.id))) == 0
    set_status(survey.id, "closed", actor_id=None)
    with pytest.raises(SurveyClosed):
        submit_answers(survey.id, COMPLETE, submission_key="late-12345")
    # a test response (preview) still works on a closed survey
    _r, created = submit_answers(survey.id, COMPLETE, submission_key="test-67890", is_test=True)
    assert created


def _parallel(n, fn):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run():
        barrier.wait()
        try:
            results.append(fn())
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_twenty_parallel_identical_service_calls_make_one_response(app, survey, factory):
    org = factory.organization("Parallel Org")
    survey_id, org_id = survey.id, org.id

    def call():
        with app.app_context():
            response, created = submit_answers(
                survey_id, COMPLETE, organization_id=org_id, submission_key="parallel-key-1"
            )
            return response.id, created

    results, errors = _parallel(20, call)
    assert not errors, errors
    assert len({rid for rid, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    db.session.expire_all()
    assert _count(survey_id=survey_id) == 1
    assert db.session.scalar(select(func.count(Passage.id))) == 2


def test_twenty_parallel_draft_claims_with_different_keys(app, survey, factory):
    """Two tabs (different keys) submitting the organization's draft: still one response."""
    org = factory.organization("Two Tabs Org")
    survey_id, org_id = survey.id, org.id

    def call():
        with app.app_context():
            try:
                response, created = submit_answers(
                    survey_id, COMPLETE, organization_id=org_id, submission_key=uuid.uuid4().hex
                )
            except NotAllowed:
                return None, False
            return response.id, created

    results, errors = _parallel(20, call)
    assert not errors, errors
    assert sum(created for _, created in results) == 1
    db.session.expire_all()
    assert _count(survey_id=survey_id, organization_id=org_id) == 1


def test_twenty_parallel_http_submits_make_one_response(live_server, factory_live):
    base, app, survey_id, token = factory_live
    http = requests.Session()
    assert http.get(f"{base}/surveys/invite/{token}").status_code == 200
    page = http.get(f"{base}/surveys/{survey_id}/review")
    assert page.status_code == 200
    form = {
        "csrf_token": csrf_token_from(page.text),
        "submission_key": re.search(r'name="submission_key" value="([^"]+)"', page.text).group(1),
    }
    cookies = http.cookies.get_dict()

    def post():
        r = requests.post(
            f"{base}/surveys/{survey_id}/submit",
            data=form,
            cookies=cookies,
            headers={"Referer": base + "/"},
            allow_redirects=False,
            timeout=60,
        )
        return r.status_code, r.headers.get("Location", "")

    results, errors = _parallel(20, post)
    assert not errors, errors
    assert all(code == 302 and location.endswith("/done") for code, location in results), results
    with app.app_context():
        n = db.session.scalar(
            select(func.count(Response.id)).where(
                Response.survey_id == survey_id, Response.status == ResponseStatus.SUBMITTED
            )
        )
        receipts = len(read_outbox())
    assert n == 1
    assert receipts == 1


@pytest.fixture
def factory_live(live_server):
    """A survey with a complete draft behind an invitation, on the live server's database."""
    from consult.orgs.services import save_organization
    from consult.surveys.respond import respondent_entry, save_page
    from consult.surveys.services import load_structure
    from tests.conftest import Factory

    base, app = live_server
    with app.app_context():
        c = Factory(app).consultation()
        survey = build_survey(c)
        org = save_organization(None, {"name": "Live Org", "kind": "ngo"}, actor_id=None)
        token, _inv = make_invitation(survey, org, email="live@example.org")
        response = respondent_entry(token)
        full = load_structure(survey.id)
        for index, page in enumerate(full.sections[:2]):
            posted = {q.code: COMPLETE.get(q.code, "") for q in page.questions}
            posted["awareness.other"] = COMPLETE["awareness.other"]
            result = save_page(response.id, index, posted, language="en", check=True)
            assert not result.problems, result.problems
        survey_id = survey.id
    yield base, app, survey_id, token


def test_submit_answers_takes_over_the_organizations_draft(survey, invitation):
    from consult.surveys.respond import respondent_entry

    token, _inv, org = invitation
    draft = respondent_entry(token)
    assert draft.status is ResponseStatus.DRAFT
    response, created = submit_answers(
        survey.id, COMPLETE, organization_id=org.id, submission_key="api-key-0001"
    )
    assert created and response.id == draft.id and response.status is ResponseStatus.SUBMITTED
    assert _count(survey_id=survey.id) == 1
    # the receipt goes to the invitation's address
    [receipt] = read_outbox()
    assert receipt["To"] == "contact@example.org"


def test_a_key_used_for_another_survey_is_refused(survey, consultation):
    from consult.surveys.services import SurveyError

    other = build_survey(consultation)
    submit_answers(survey.id, COMPLETE, submission_key="shared-key-1")
    with pytest.raises(SurveyError, match="another survey"):
        submit_answers(other.id, COMPLETE, submission_key="shared-key-1")
    with pytest.raises(SurveyError, match="submission key"):
        submit_answers(other.id, COMPLETE, submission_key="short")


def test_answers_kept_out_of_coding_are_stored_but_not_published(survey, factory):
    """A name or job title is stored and exported, but never becomes a passage to code."""
    from consult.surveys.models import Question

    name_q = db.session.scalar(
        select(Question).where(Question.survey_id == survey.id, Question.code == "name")
    )
    name_q.options = {**(name_q.options or {}), "not_for_coding": True}
    db.session.commit()
    org = factory.organization("Valley Clinic", kind="health")
    response, _ = submit_answers(
        survey.id, COMPLETE, organization_id=org.id, submission_key="k-" + "9" * 10
    )
    stored = db.session.scalars(
        select(Answer.value_text).where(
            Answer.response_id == response.id, Answer.question_id == name_q.id
        )
    ).all()
    assert stored == ["Ana"]
    assert set(db.session.scalars(select(Passage.text))) == {"Radio spots in Mixteco"}


def test_builder_offers_keeping_text_answers_out_of_coding(client, login_as, survey):
    from consult.surveys.builder_forms import question_fields, question_values

    fields = question_fields({"text.en": "Job title", "not_for_coding": "y"}, ["en"], "short_text")
    assert fields["options"] == {"not_for_coding": True}
    assert "not_for_coding" not in question_fields({"text.en": "x"}, ["en"], "long_text")["options"]
    login_as("staff")
    q = survey.sections[0].questions[0]
    page = client.get(f"/surveys/questions/{q.id}/edit")
    assert page.status_code == 200
    assert "Keep the answers out of theme coding" in page.get_data(as_text=True)
    assert question_values(q, ["en"])["not_for_coding"] == ""
