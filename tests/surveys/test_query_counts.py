"""The results page issues the same number of SQL queries for 5 and for 500 responses."""

from tests.helpers import counting_statements
from tests.surveys.survey_data import add_many_responses


def _results_page_queries(client, survey_id, expected_total) -> int:
    with counting_statements() as statements:
        resp = client.get(f"/surveys/{survey_id}/results?language=en&language=es")
    assert resp.status_code == 200
    assert f'data-total="{expected_total}"' in resp.get_data(as_text=True)
    return len(statements)


def test_results_page_query_count_does_not_grow_with_responses(client, login_as, full_survey, orgs):
    login_as("staff")
    add_many_responses(full_survey, orgs, 5)
    few = _results_page_queries(client, full_survey.id, 5)
    add_many_responses(full_survey, orgs, 495, start=5)
    many = _results_page_queries(client, full_survey.id, 500)
    assert few == many
    assert few < 25


def test_response_list_and_export_batches_do_not_query_per_response(
    client, login_as, full_survey, orgs
):
    login_as("staff")
    add_many_responses(full_survey, orgs, 5)
    with counting_statements() as small:
        client.get(f"/surveys/{full_survey.id}/responses")
        client.get(f"/surveys/{full_survey.id}/export.csv").get_data()
    add_many_responses(full_survey, orgs, 120, start=5)
    with counting_statements() as large:
        client.get(f"/surveys/{full_survey.id}/responses")
        client.get(f"/surveys/{full_survey.id}/export.csv").get_data()
    assert len(small) == len(large)
