"""Personal API tokens: created on the account page, shown once, hashed, scoped, revocable."""

import hashlib
import re
from datetime import timedelta

from sqlalchemy import select

from consult.api.models import ApiToken
from consult.audit import AuditEvent
from consult.extensions import db
from consult.models import utcnow
from tests.api.conftest import assert_problem
from tests.helpers import csrf_token_from

SECRET_RE = re.compile(r"cst_[A-Za-z0-9_-]{20,}")


def _create_through_page(client, name="Dashboard", scope="read", days="30"):
    return client.post(
        "/auth/account/tokens", data={"name": name, "scope": scope, "expires_in_days": days}
    )


def test_account_page_offers_tokens_and_shows_the_secret_once(client, login_as, api):
    user = login_as("staff")
    page = client.get("/auth/account").get_data(as_text=True)
    assert "API tokens" in page and "Create token" in page
    resp = _create_through_page(client, name="BI dashboard", scope="read")
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    secret = SECRET_RE.search(resp.get_data(as_text=True)).group(0)

    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.name == "BI dashboard" and token.scope.value == "read"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret) // 3
    assert timedelta(days=29) < token.expires_at - utcnow() <= timedelta(days=30)
    # listed afterwards by name and prefix, never with the secret
    page = client.get("/auth/account").get_data(as_text=True)
    assert "BI dashboard" in page and token.prefix in page and secret not in page
    assert api.get("/api/v1/organizations", secret).status_code == 200
    events = db.session.scalars(select(AuditEvent.action)).all()
    assert "api_token.create" in events


def test_bad_token_form_keeps_what_was_typed(client, login_as):
    login_as("staff")
    resp = _create_through_page(client, name="", scope="read-write", days="90")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Enter a name that says what the token is for." in html
    assert re.search(r'<input checked[^>]*value="read-write"', html)
    assert re.search(r'<input checked[^>]*value="90"', html)
    assert db.session.scalar(select(ApiToken)) is None
    resp = _create_through_page(client, name="x", scope="everything", days="90")
    assert "Not a valid choice" in resp.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None


def test_token_forms_need_csrf(csrf_app):
    from tests.conftest import Auth, Factory

    client = csrf_app.test_client()
    user = Factory(csrf_app).user("staff")
    page = client.get("/auth/login").get_data(as_text=True)
    client.post(
        "/auth/login",
        data={
            "email": user.email,
            "password": "correct horse staple battery",
            "csrf_token": csrf_token_from(page),
        },
    )
    assert Auth  # the login above went through the real form
    resp = client.post(
        "/auth/account/tokens", data={"name": "n", "scope": "read", "expires_in_days": "30"}
    )
    assert resp.status_code == 400
    assert db.session.scalar(select(ApiToken)) is None
    token = csrf_token_from(client.get("/auth/account").get_data(as_text=True))
    resp = client.post(
        "/auth/account/tokens",
        data={"name": "n", "scope": "read", "expires_in_days": "30", "csrf_token": token},
    )
    assert resp.status_code == 200 and SECRET_RE.search(resp.get_data(as_text=True))


def test_revoked_expired_and_deactivated_tokens_are_refused(client, auth, api, factory):
    user, secret = api.user_token("staff")
    assert api.get("/api/v1/passages/1", secret).status_code == 404  # authenticated
    token = db.session.scalar(select(ApiToken))
    # revoke through the account page, as the owner
    auth.login(user)
    resp = client.post(f"/auth/account/tokens/{token.id}/revoke")
    assert resp.status_code == 302
    auth.logout()
    body = assert_problem(api.get("/api/v1/passages/1", secret), 401)
    assert "expired or revoked" in body["detail"]

    _user2, secret2 = api.user_token("staff")
    token2 = db.session.scalar(select(ApiToken).where(ApiToken.id != token.id))
    token2.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert_problem(api.get("/api/v1/passages/1", secret2), 401)

    user3, secret3 = api.user_token("staff")
    user3.active = False
    db.session.commit()
    assert_problem(api.get("/api/v1/passages/1", secret3), 401)


def test_nobody_else_can_revoke_my_token(client, auth, api, factory):
    _owner, secret = api.user_token("staff")
    token = db.session.scalar(select(ApiToken))
    auth.login(factory.user("admin"))
    client.post(f"/auth/account/tokens/{token.id}/revoke")
    db.session.refresh(token)
    assert token.revoked_at is None
    assert api.get("/api/v1/organizations", secret).status_code == 200


def test_malformed_authorization_is_refused(api):
    for header in ("Basic dXNlcjpwYXNz", "Bearer", "Bearer cst_nope", "Bearer " + "a" * 500):
        resp = api.client.get("/api/v1/organizations", headers={"Authorization": header})
        assert_problem(resp, 401)
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_session_cookie_alone_does_not_authenticate(client, login_as, api):
    login_as("admin")
    assert client.get("/consultations/").status_code == 200  # the session works for pages
    assert_problem(client.get("/api/v1/consultations/1/passages"), 401)
    resp = client.post("/api/v1/organizations", json={"name": "Sneaky", "kind": "ngo"})
    assert_problem(resp, 401)


def test_read_scope_cannot_write(api):
    _user, secret = api.user_token("admin", scope="read")
    assert api.get("/api/v1/organizations", secret).status_code == 200
    body = assert_problem(
        api.post("/api/v1/organizations", secret, json={"name": "New", "kind": "ngo"}), 403
    )
    assert "read only" in body["detail"]


def test_last_used_is_recorded(api):
    _user, secret = api.user_token("staff")
    assert db.session.scalar(select(ApiToken)).last_used_at is None
    api.get("/api/v1/organizations", secret)
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken)).last_used_at is not None
