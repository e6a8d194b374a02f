"""Submitting or editing a response issues as many SQL statements for 30 answers as for 10.

Statements are counted with SQLAlchemy's before_cursor_execute event (an executemany counts
once). Each case runs on a survey of N questions and on one of 3N with the same mix of types,
checks what was stored (answer rows, passages), and compares the two counts.
"""

import uuid

from sqlalchemy import func, select

from consult.api.tokens import create_token
from consult.extensions import db
from consult.passages.models import OriginKind, Passage
from consult.surveys import questions as q
from consult.surveys import services
from consult.surveys.models import Answer, Response, ResponseStatus
from consult.surveys.respond import save_page
from consult.surveys.submit import submit_answers, submit_response
from tests.helpers import counting_statements

N = 10  # questions of the small survey; the large one has 3N
TYPES = 5  # each group of questions: long text, number, single choice, multiple choice, yes/no


def wide_survey(consultation, questions: int, *, allow_edit=False, one_per_org=False):
    """One page of `questions` questions cycling through five types; returns (survey, answers).

    Per group of five: 6 answer rows (the multiple choice has a choice and an "other" row) and
    2 passages (the long text and the "other" text).
    """
    survey = services.create_survey(
        consultation.id,
        actor_id=None,
        title={"en": "Wide survey"},
        languages=["en"],
        one_response_per_organization=one_per_org,
        allow_edit_after_submit=allow_edit,
    )
    page = survey.sections[0].id
    answers = {}
    ab = [("a", {"en": "A"}), ("b", {"en": "B"})]
    for i in range(questions):
        kind = i % TYPES
        code = f"{'tncmy'[kind]}{i}"
        if kind == 0:
            q.add_question(page, actor_id=None, code=code, type="long_text", text={"en": code})
            answers[code] = f"Text answer {i}: more shelter beds."
        elif kind == 1:
            q.add_question(page, actor_id=None, code=code, type="number", text={"en": code})
            answers[code] = str(i)
        elif kind == 2:
            q.add_question(
                page, actor_id=None, code=code, type="single_choice", text={"en": code}, choices=ab
            )
            answers[code] = "b"
        elif kind == 3:
            q.add_question(
                page,
                actor_id=None,
                code=code,
                type="multiple_choice",
                options={"other": True},
                text={"en": code},
                choices=ab,
            )
            answers[code] = ["a", "other"]
            answers[f"{code}.other"] = f"Other answer {i}"
        else:
            q.add_question(page, actor_id=None, code=code, type="yes_no", text={"en": code})
            answers[code] = "yes"
    services.set_status(survey.id, "open", actor_id=None)
    db.session.commit()
    return services.load_structure(survey.id), answers


def rows_of(response_id: int) -> int:
    return db.session.scalar(select(func.count(Answer.id)).where(Answer.response_id == response_id))


def passages_of(response_id: int) -> list[Passage]:
    """The response's published (not withdrawn) passages."""
    ids = select(func.cast(Answer.id, Passage.origin_id.type)).where(
        Answer.response_id == response_id
    )
    return db.session.scalars(
        select(Passage).where(
            Passage.origin_kind == OriginKind.SURVEY_ANSWER,
            Passage.origin_id.in_(ids),
            Passage.withdrawn.is_(False),
        )
    ).all()


def expected_rows(questions: int) -> int:
    return questions // TYPES * 6


def expected_passages(questions: int) -> int:
    return questions // TYPES * 2


def test_submit_answers_statements_do_not_grow_with_the_answers(consultation, factory):
    org_id = factory.organization("Harbor House", kind="service_provider").id
    counts = {}
    for size in (N, 3 * N):
        survey, answers = wide_survey(consultation, size)
        db.session.expire_all()
        with counting_statements() as statements:
            response, created = submit_answers(
                survey.id, answers, organization_id=org_id, submission_key=uuid.uuid4().hex
            )
        counts[size] = len(statements)
        assert created and response.status is ResponseStatus.SUBMITTED
        assert rows_of(response.id) == expected_rows(size)
        passages = passages_of(response.id)
        assert len(passages) == expected_passages(size)
        assert {p.organization_kind for p in passages} == {"service_provider"}
    assert counts[3 * N] == counts[N], counts
    assert counts[N] <= 15, counts


def test_final_submit_of_a_draft_statements_do_not_grow_with_the_answers(consultation, factory):
    counts = {}
    for size in (N, 3 * N):
        org_id = factory.organization().id
        survey, answers = wide_survey(consultation, size, one_per_org=True)
        draft = Response(
            survey_id=survey.id,
            organization_id=org_id,
            organization_slot=org_id,
            language="en",
            survey_version=survey.version,
        )
        db.session.add(draft)
        db.session.commit()
        save_page(draft.id, 0, answers, language="en", check=True)
        draft_id = draft.id
        assert passages_of(draft_id) == []  # a draft is not published
        db.session.expire_all()
        with counting_statements() as statements:
            response, created = submit_response(draft_id, uuid.uuid4().hex)
        counts[size] = len(statements)
        assert created and response.status is ResponseStatus.SUBMITTED
        assert rows_of(draft_id) == expected_rows(size)
        assert len(passages_of(draft_id)) == expected_passages(size)
        # submitting again (double click, another tab) changes nothing
        again, created_again = submit_response(draft_id, uuid.uuid4().hex)
        assert again.id == draft_id and not created_again
        assert len(passages_of(draft_id)) == expected_passages(size)
    assert counts[3 * N] == counts[N], counts
    assert counts[N] <= 15, counts


def test_editing_a_sent_response_statements_do_not_grow_with_the_answers(consultation, factory):
    """An edit changing every text and unticking every "other": passages follow in place."""
    counts = {}
    for size in (N, 3 * N):
        org_id = factory.organization().id
        survey, answers = wide_survey(consultation, size, allow_edit=True)
        response, _ = submit_answers(
            survey.id, answers, organization_id=org_id, submission_key=uuid.uuid4().hex
        )
        rid = response.id
        before = {p.origin_id: p.id for p in passages_of(rid)}
        edited = {
            code: (f"Edited {value}" if code.startswith("t") else value)
            for code, value in answers.items()
            if not code.endswith(".other")
        }
        edited |= {code: ["a"] for code in answers if code.startswith("m") and "." not in code}
        db.session.expire_all()
        with counting_statements() as statements:
            result = save_page(rid, 0, edited, language="en", check=True)
        counts[size] = len(statements)
        assert result.problems == {}
        assert rows_of(rid) == expected_rows(size) - size // TYPES
        kept = passages_of(rid)
        assert len(kept) == size // TYPES
        assert all(p.text.startswith("Edited Text answer") for p in kept)
        assert {p.id for p in kept} < set(before.values())  # updated in place, not replaced
        # the removed "other" answers' passages are gone, not left behind withdrawn
        gone = db.session.scalars(
            select(Passage).where(Passage.id.in_(set(before.values()) - {p.id for p in kept}))
        ).all()
        assert len(before) - len(kept) == size // TYPES
        assert gone == []
    # the changed answer rows and passages are UPDATEs (one executemany each at most)
    assert counts[3 * N] == counts[N], counts


def test_api_submit_statements_do_not_grow_with_the_answers(client, consultation, factory):
    staff = factory.user("staff")
    _, secret = create_token(user_id=staff.id, name="t", scope="read-write", expires_in_days=30)
    headers = {"Authorization": f"Bearer {secret}"}
    counts = {}
    for size in (N, 3 * N):
        survey, answers = wide_survey(consultation, size)
        body = {"answers": answers, "submission_key": uuid.uuid4().hex, "language": "en"}
        url = f"/api/v1/surveys/{survey.id}/responses"
        # the token's use is recorded at most once a minute: let that happen outside the count
        assert client.get(f"/api/v1/surveys/{survey.id}", headers=headers).status_code == 200
        db.session.expire_all()
        with counting_statements() as statements:
            resp = client.post(url, json=body, headers=headers)
        counts[size] = len(statements)
        assert resp.status_code == 201, resp.get_data(as_text=True)
        rid = resp.get_json()["id"]
        assert rows_of(rid) == expected_rows(size)
        assert len(passages_of(rid)) == expected_passages(size)
        replay = client.post(url, json=body, headers=headers)
        assert replay.status_code == 200 and replay.get_json()["id"] == rid
    assert counts[3 * N] == counts[N], counts
