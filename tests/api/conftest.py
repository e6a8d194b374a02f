"""API fixtures: tokens for users of each role, and a bearer-header helper."""

import pytest

from consult.auth.roles import Role


class ApiHelper:
    """Makes users with tokens and calls the API with them."""

    def __init__(self, client, factory):
        self.client = client
        self.factory = factory

    def token(self, user, scope="read-write", days=30) -> str:
        from consult.api.tokens import create_token

        _token, secret = create_token(
            user_id=user.id, name=f"test {user.email}", scope=scope, expires_in_days=days
        )
        return secret

    def user_token(self, role, organization=None, scope="read-write"):
        """(user, secret) for a new user with this role."""
        user = self.factory.user(Role(role), organization=organization)
        return user, self.token(user, scope)

    @staticmethod
    def headers(secret: str | None) -> dict:
        return {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, url, secret=None, **kw):
        return self.client.get(url, headers=self.headers(secret), **kw)

    def post(self, url, secret=None, **kw):
        return self.client.post(url, headers=self.headers(secret), **kw)

    def patch(self, url, secret=None, **kw):
        return self.client.patch(url, headers=self.headers(secret), **kw)


@pytest.fixture
def api(client, factory):
    return ApiHelper(client, factory)


ROLES = ["admin", "staff", "facilitator", "respondent"]


def assert_problem(resp, status: int):
    """The response is problem details with this status."""
    assert resp.status_code == status, (resp.status_code, resp.get_data(as_text=True)[:500])
    assert resp.mimetype == "application/problem+json"
    body = resp.get_json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    return body
