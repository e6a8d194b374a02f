"""Problem details, pagination links, rate limits per token, and the spec and reference page."""

from tests.api.conftest import assert_problem


def test_pagination_links_in_body_and_header(api, factory):
    for i in range(5):
        factory.organization(f"Org {i}", listed_publicly=True)
    resp = api.get("/api/v1/organizations?per_page=2&page=2&kind=ngo")
    body = resp.get_json()
    assert [o["name"] for o in body["items"]] == ["Org 2", "Org 3"]
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (2, 2, 5, 3)
    assert "page=3" in body["links"]["next"] and "kind=ngo" in body["links"]["next"]
    assert "page=1" in body["links"]["prev"] and "page=3" in body["links"]["last"]
    link = resp.headers["Link"]
    assert f'<{body["links"]["next"]}>; rel="next"' in link
    assert f'<{body["links"]["prev"]}>; rel="prev"' in link
    last = api.get(body["links"]["last"]).get_json()
    assert last["links"]["next"] is None and [o["name"] for o in last["items"]] == ["Org 4"]
    assert_problem(api.get("/api/v1/organizations?per_page=101"), 422)
    assert_problem(api.get("/api/v1/organizations?page=abc"), 422)


def test_errors_are_problem_details(api):
    assert_problem(api.get("/api/v1/no-such-thing"), 404)
    assert_problem(api.client.delete("/api/v1/organizations"), 405)
    assert_problem(api.get("/api/v1/consultations/99999999999"), 404)
    body = assert_problem(
        api.client.post(
            "/api/v1/organizations",
            data="not json",
            content_type="application/json",
            headers=api.headers(api.user_token("staff")[1]),
        ),
        400,
    )
    assert body["detail"]
