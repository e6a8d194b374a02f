"""Survey results: numbers equal hand-computed values; filters; test and draft responses excluded."""

from datetime import UTC, date, datetime

import pytest
from werkzeug.datastructures import MultiDict

from consult.surveys.results import Filters, median_from_counts, question_results, response_total
from tests.surveys.survey_data import add_response


@pytest.fixture
def answered(full_survey, orgs):
    north, police, legal = orgs
    add_response(
        full_survey,
        north,
        answers={
            "people": 10,
            "funded": "yes",
            "main": "health",
            "services": ["health", "legal"],
            "progress": 4,
            "coverage": {"health": "provide", "housing": "refer"},
            "priorities": {"prevention": 1, "protection": 2, "prosecution": 3},
            "gaps": "More shelter beds",
            "founded": date(2001, 1, 1),
        },
    )
    add_response(
        full_survey,
        police,
        language="es",
        answers={
            "people": 20,
            "funded": "no",
            "main": "health",
            "services": ["housing", ("other", "Interpreting")],
            "progress": 2,
            "coverage": {"health": "refer", "housing": "refer"},
            "priorities": {"prevention": 2, "protection": 1, "prosecution": 3},
            "gaps": "Formación",
            "founded": date(1990, 5, 5),
        },
    )
    add_response(
        full_survey,
        legal,
        answers={
            "people": 60,
            "funded": "yes",
            "main": "legal",
            "services": ["health"],
            "progress": 5,
            "coverage": {"health": "provide"},
            "priorities": {"prevention": 1, "protection": 3, "prosecution": 2},
        },
    )
    add_response(
        full_survey,
        north,
        answers={"people": 30, "funded": "no", "main": "housing", "progress": 4},
        submitted_at=datetime(2026, 5, 1, 12, tzinfo=UTC),
    )
    # never counted: a test response and a draft
    add_response(
        full_survey, legal, is_test=True, answers={"people": 1000, "progress": 1, "main": "legal"}
    )
    add_response(full_survey, police, status="draft", answers={"people": 5000, "progress": 1})
    return full_survey


def by_code(results):
    return {r.code: r for r in results}


def test_counts_means_medians_match_hand_computed_values(answered):
    r = by_code(question_results(answered.id))
    assert response_total(answered.id) == 4
    people = r["people"]
    assert (people.answered, people.mean, people.median, people.minimum, people.maximum) == (
        4,
        30,
        25,
        10,
        60,
    )
    progress = r["progress"]
    assert progress.mean == 3.75 and progress.median == 4
    assert [(o.value, o.count, o.percent) for o in progress.options] == [
        ("1", 0, 0.0),
        ("2", 1, 25.0),
        ("3", 0, 0.0),
        ("4", 2, 50.0),
        ("5", 1, 25.0),
    ]
    assert [(o.value, o.count) for o in r["funded"].options] == [("yes", 2), ("no", 2)]
    assert [(o.label, o.count, o.percent) for o in r["main"].options] == [
        ("Health care", 2, 50.0),
        ("Housing", 1, 25.0),
        ("Legal", 1, 25.0),
    ]


def test_multiple_choice_percent_of_answering_and_other(answered):
    services = by_code(question_results(answered.id))["services"]
    assert services.answered == 3
    assert [(o.value, o.count, o.percent) for o in services.options] == [
        ("health", 2, 66.7),
        ("housing", 1, 33.3),
        ("legal", 1, 33.3),
        ("other", 1, 33.3),
    ]
    assert services.other_count == 1


def test_matrix_and_ranking(answered):
    r = by_code(question_results(answered.id))
    coverage = r["coverage"]
    assert coverage.matrix_columns == ["Provide", "Refer", "Not available"]
    assert [(m.key, m.counts) for m in coverage.matrix_rows] == [
        ("health", [2, 1, 0]),
        ("housing", [0, 2, 0]),
    ]
    ranking = r["priorities"]
    assert [(i.value, i.average_rank, i.count) for i in ranking.ranking] == [
        ("prevention", 1.33, 3),
        ("protection", 2.0, 3),
        ("prosecution", 2.67, 3),
    ]


def test_text_and_date_questions(answered):
    r = by_code(question_results(answered.id, lang="es"))
    assert r["gaps"].answered == 2
    assert sorted(r["gaps"].examples) == ["Formación", "More shelter beds"]
    assert (r["founded"].earliest, r["founded"].latest) == (date(1990, 5, 5), date(2001, 1, 1))
    assert r["main"].text == "Servicio principal"
    assert "intro" not in r  # notes have no results


@pytest.mark.parametrize(
    ("args", "total", "people_mean"),
    [
        ({"kind": "law_enforcement"}, 1, 20),
        ({"region": "South"}, 2, 40),
        ({"language": "es"}, 1, 20),
        ({"from": "2026-04-01"}, 1, 30),
        ({"to": "2026-03-31"}, 3, 30),
        ({"kind": "ngo", "to": "2026-03-31"}, 1, 10),
        ({"from": "not a date", "kind": "nonsense"}, 4, 30),
    ],
)
def test_filters(answered, args, total, people_mean):
    filters = Filters.from_args(MultiDict(args))
    assert response_total(answered.id, filters) == total
    assert by_code(question_results(answered.id, filters))["people"].mean == people_mean


def test_median_from_grouped_counts():
    assert median_from_counts([]) is None
    assert median_from_counts([(5.0, 1)]) == 5
    assert median_from_counts([(1.0, 2), (10.0, 1)]) == 1
    assert median_from_counts([(3.0, 1), (1.0, 1), (2.0, 1), (4.0, 1)]) == 2.5
    assert median_from_counts([(1.0, 1), (7.0, 0), (9.0, 1)]) == 5


def test_results_page_shows_charts_and_tables(client, login_as, answered):
    login_as("staff")
    resp = client.get(f"/surveys/{answered.id}/results")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'data-total="4"' in html
    assert html.count("<svg") >= 6  # choice, yes/no, likert, multiple, matrix, ranking
    assert (
        '<th scope="row">Health care</th><td class="num">2</td><td class="num">50.0%</td>' in html
    )
    filtered = client.get(f"/surveys/{answered.id}/results?kind=law_enforcement").get_data(
        as_text=True
    )
    assert 'data-total="1"' in filtered


def test_results_escape_answer_text(client, login_as, full_survey, orgs):
    add_response(full_survey, orgs[0], answers={"gaps": "<script>alert(1)</script>"})
    login_as("staff")
    html = client.get(f"/surveys/{full_survey.id}/results").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_only_staff_see_results(client, factory, auth, full_survey, orgs):
    add_response(full_survey, orgs[0], answers={"people": 3})
    assert client.get(f"/surveys/{full_survey.id}/results").status_code == 302  # to sign-in
    respondent = factory.user("respondent", organization=orgs[0])
    auth.login(respondent)
    for path in ("results", "responses", "export.csv", "distribution"):
        assert client.get(f"/surveys/{full_survey.id}/{path}").status_code == 403, path
    auth.logout()
    auth.login(factory.user("facilitator"))
    assert client.get(f"/surveys/{full_survey.id}/results").status_code == 403


def test_response_list_detail_and_test_flag(client, login_as, answered, orgs):
    from consult.audit import AuditEvent
    from consult.extensions import db
    from consult.surveys.models import Response

    login_as("staff")
    listing = client.get(f"/surveys/{answered.id}/responses?status=draft").get_data(as_text=True)
    assert "1 response<" in listing and "Draft" in listing
    html = client.get(
        f"/surveys/{answered.id}/responses?kind=law_enforcement&status=submitted"
    ).get_data(as_text=True)
    assert "1 response<" in html and "State Police" in html
    police = db.session.scalars(
        db.select(Response).where(
            Response.organization_id == orgs[1].id, Response.status == "submitted"
        )
    ).one()
    detail = client.get(f"/surveys/{answered.id}/responses/{police.id}").get_data(as_text=True)
    assert "Housing; Other: Interpreting" in detail and "Health: Refer; Housing: Refer" in detail
    assert "1. Protection; 2. Prevention; 3. Prosecution" in detail
    assert "2 – Poor" in detail  # scale points read as on the respondent's review page
    client.post(f"/surveys/{answered.id}/responses/{police.id}/test", data={"is_test": "1"})
    assert response_total(answered.id) == 3
    assert (
        db.session.scalar(
            db.select(AuditEvent.action).where(
                AuditEvent.object_type == "survey_response", AuditEvent.object_id == str(police.id)
            )
        )
        == "survey_response.mark_test"
    )
    client.post(f"/surveys/{answered.id}/responses/{police.id}/test", data={"is_test": "0"})
    assert response_total(answered.id) == 4
    other = add_response(answered, orgs[0], answers={"people": 1})
    assert client.get(f"/surveys/{answered.id + 1}/responses/{other.id}").status_code == 404
    assert client.get(f"/surveys/{answered.id}/responses/{other.id + 99}").status_code == 404
