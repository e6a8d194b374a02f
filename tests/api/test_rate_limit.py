"""Rate limits are counted per token, so one busy client does not block another."""

import pytest

from tests.api.conftest import assert_problem


@pytest.fixture
def app_config(app_config):
    app_config["RATELIMIT_ENABLED"] = True
    app_config["API_RATE_LIMIT"] = "3 per minute"
    return app_config


def test_rate_limit_is_per_token(api):
    _a, first = api.user_token("staff")
    _b, second = api.user_token("staff")
    for _ in range(3):
        assert api.get("/api/v1/organizations", first).status_code == 200
    body = assert_problem(api.get("/api/v1/consultations", first), 429)
    assert body["title"] == "Too Many Requests" and "3 per 1 minute" in body["detail"]
    assert api.get("/api/v1/organizations", second).status_code == 200
