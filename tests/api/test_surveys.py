"""Survey definitions and responses through the API: roles, isolation, idempotent submission."""

import threading

import pytest
import requests
from sqlalchemy import func, select

from consult.extensions import db
from consult.surveys.definition_io import export_definition
from consult.surveys.models import Response, Survey
from tests.api.conftest import ROLES, assert_problem
from tests.surveys.conftest import COMPLETE, build_survey


@pytest.fixture
def survey(factory):
    return build_survey(factory.consultation("Surveyed", slug="surveyed"))


@pytest.fixture
def draft(factory):
    return build_survey(factory.consultation("Drafting", slug="drafting"), status="draft")


@pytest.mark.parametrize("role", [None, *ROLES])
def test_survey_definitions_by_role(api, survey, draft, role):
    secret = api.user_token(role)[1] if role else None
    one = api.get(f"/api/v1/surveys/{survey.id}", secret)
    hidden = api.get(f"/api/v1/surveys/{draft.id}", secret)
    if role is None:
        assert_problem(one, 401)
        assert_problem(hidden, 401)
        return
    body = one.get_json()
    assert body["availability"] == "open" and body["title"]["es"].startswith("Encuesta")
    codes = [q["code"] for s in body["definition"]["survey"]["sections"] for q in s["questions"]]
    assert codes[:3] == ["name", "email", "sector"] and "budget" in codes
    if role in ("admin", "staff"):
        assert hidden.status_code == 200 and hidden.get_json()["status"] == "draft"
    else:
        assert_problem(hidden, 404)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_create_survey_from_definition(api, survey, role):
    secret = api.user_token(role)[1] if role else None
    definition = export_definition(survey)
    url = f"/api/v1/consultations/{survey.consultation_id}/surveys"
    resp = api.post(url, secret, json=definition)
    if role in ("admin", "staff"):
        body = resp.get_json()
        assert resp.status_code == 201, body
        assert body["status"] == "draft" and body["id"] != survey.id
        assert body["definition"]["survey"]["sections"] == definition["survey"]["sections"]
        broken = {**definition, "survey": {**definition["survey"], "sections": []}}
        assert "sections" in assert_problem(api.post(url, secret, json=broken), 422)["detail"]
    else:
        assert_problem(resp, 401 if role is None else 403)
        assert db.session.scalar(select(func.count(Survey.id))) == 1


def _submit(api, secret, survey, key="key-00000001", **extra):
    return api.post(
        f"/api/v1/surveys/{survey.id}/responses", secret,
        json={"submission_key": key, "answers": COMPLETE, **extra},
    )  # fmt: skip


def test_respondent_submits_for_own_organization_and_reads_only_its_responses(api, survey, factory):
    ours, theirs = factory.organization("Ours"), factory.organization("Theirs")
    user, secret = api.user_token("respondent", organization=ours)
    _other, other_secret = api.user_token("respondent", organization=theirs)
    resp = _submit(api, secret, survey)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    rid = resp.get_json()["id"]
    assert resp.get_json()["organization_id"] == ours.id and resp.get_json()["reference"]
    replay = _submit(api, secret, survey)
    assert replay.status_code == 200 and replay.get_json()["id"] == rid
    mine = api.get(f"/api/v1/responses/{rid}", secret).get_json()
    assert mine["answers"]["services"] == {"housing": "provide", "legal": "refer"}
    assert mine["answers"]["awareness"]["other"] == "Radio spots in Mixteco"
    # another organization's respondent: the response does not exist for them
    assert_problem(api.get(f"/api/v1/responses/{rid}", other_secret), 404)
    listing = api.get(f"/api/v1/surveys/{survey.id}/responses", other_secret).get_json()
    assert listing["total"] == 0 and listing["items"] == []
    assert [
        r["id"]
        for r in api.get(f"/api/v1/surveys/{survey.id}/responses", secret).get_json()["items"]
    ] == [rid]
    # a respondent cannot answer for another organization
    assert_problem(_submit(api, secret, survey, key="key-00000002", organization_id=theirs.id), 404)
    # the organization has answered once; another key is refused
    body = assert_problem(_submit(api, secret, survey, key="key-00000003"), 409)
    assert "already submitted" in body["detail"]
    assert db.session.scalar(select(func.count(Response.id))) == 1
    assert user.id == db.session.get(Response, rid).user_id


@pytest.mark.parametrize("role", [None, *ROLES])
def test_responses_by_role(api, survey, factory, role):
    org = factory.organization("Answering org")
    _r, respondent = api.user_token("respondent", organization=org)
    rid = _submit(api, respondent, survey).get_json()["id"]
    secret = api.user_token(role)[1] if role else None  # a respondent of another organization
    one = api.get(f"/api/v1/responses/{rid}", secret)
    listing = api.get(f"/api/v1/surveys/{survey.id}/responses", secret)
    if role in ("admin", "staff"):
        assert one.get_json()["answers"]["name"] == "Ana"
        assert [r["id"] for r in listing.get_json()["items"]] == [rid]
    elif role == "respondent":
        assert_problem(one, 404)
        assert listing.get_json()["items"] == []
    else:
        assert_problem(one, 401 if role is None else 403)
        assert_problem(listing, 401 if role is None else 403)


def test_invalid_answers_and_closed_surveys(api, survey, factory):
    _u, secret = api.user_token("respondent", organization=factory.organization("A"))
    resp = _submit(api, secret, survey, answers={"name": "", "sector": "nope"})
    body = assert_problem(resp, 422)
    assert body["errors"]["answers"]["name"] == ["Enter an answer"]
    assert "sector" in body["errors"]["answers"]
    assert_problem(_submit(api, secret, survey, key="short"), 422)
    from consult.surveys.services import set_status

    set_status(survey.id, "closed", actor_id=None)
    assert (
        "not open"
        in assert_problem(_submit(api, secret, survey, key="key-closed-1"), 409)["detail"]
    )
    assert db.session.scalar(select(func.count(Response.id))) == 0


def test_staff_enters_a_paper_form_for_an_organization(api, survey, factory):
    org = factory.organization("Paper org")
    _u, secret = api.user_token("staff")
    resp = _submit(api, secret, survey, organization_id=org.id)
    assert resp.status_code == 201 and resp.get_json()["organization_id"] == org.id
    _f, facilitator = api.user_token("facilitator")
    assert_problem(_submit(api, facilitator, survey, key="key-facil-1"), 403)


def test_parallel_identical_submissions_make_exactly_one_response(live_server):
    base_url, app = live_server
    with app.app_context():
        from consult.api.tokens import create_token
        from tests.conftest import Factory

        factory = Factory(app)
        org = factory.organization("Parallel org")
        user = factory.user("respondent", organization=org)
        survey = build_survey(factory.consultation("Parallel", slug="parallel"))
        survey_id = survey.id
        _t, secret = create_token(user_id=user.id, name="p", scope="read-write", expires_in_days=7)
        db.session.remove()
    url = f"{base_url}/api/v1/surveys/{survey_id}/responses"
    payload = {"submission_key": "parallel-key-0001", "answers": COMPLETE}
    barrier = threading.Barrier(20)
    results: list = []

    def post():
        barrier.wait()
        r = requests.post(
            url, json=payload, headers={"Authorization": f"Bearer {secret}"}, timeout=60
        )
        results.append((r.status_code, r.json().get("id")))

    threads = [threading.Thread(target=post) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(code for code, _ in results).count(201) == 1, results
    assert {code for code, _ in results} <= {200, 201}, results
    assert len({rid for _, rid in results}) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 1
        db.session.remove()
