"""Login, logout, throttling, invitations and password reset through the outbox."""

import re

from consult.auth.models import User
from consult.mail import read_outbox
from tests.helpers import PASSWORD


def test_login_success_and_failure(client, factory):
    user = factory.user("staff")
    bad = client.post("/auth/login", data={"email": user.email, "password": "wrong password!!"})
    assert bad.status_code == 200
    assert "The e-mail address or password is not right." in bad.get_data(as_text=True)
    ok = client.post("/auth/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert ok.status_code == 302
    assert client.get("/consultations/").status_code == 200


def test_failed_login_is_logged_without_password(client, factory, app):
    from sqlalchemy import select

    from consult.audit import AuditEvent
    from consult.extensions import db

    user = factory.user("staff")
    client.post("/auth/login", data={"email": user.email, "password": "not-the-password-123"})
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "auth.login_failed")
    ).all()
    assert len(events) == 1
    assert "not-the-password-123" not in str(events[0].detail)


def test_logout_invalidates_old_cookie(client, factory, auth):
    user = factory.user("staff")
    auth.login(user)
    stolen = client.get_cookie("consult_session").value
    auth.logout()
    client.set_cookie("consult_session", stolen)
    resp = client.get("/consultations/")
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]


def test_session_rotates_at_login(client, factory):
    user = factory.user("staff")
    client.get("/auth/login")
    with client.session_transaction() as s:
        s["planted"] = "by an attacker"
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as s:
        assert "planted" not in s
        assert "_user_id" in s


def test_login_is_throttled(tmp_path, pg_database):
    from consult import create_app
    from consult.extensions import db
    from tests.conftest import make_test_config, prepare_schema

    app = create_app(
        make_test_config(
            tmp_path, pg_database, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute"
        )
    )
    prepare_schema(app, pg_database)
    client = app.test_client()
    codes = [
        client.post(
            "/auth/login", data={"email": "x@example.org", "password": "nope-nope-nope"}
        ).status_code
        for _ in range(5)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]
    with app.app_context():
        db.engine.dispose()


def _link(msg, path):
    body = msg.get_body(("plain",)).get_content()
    m = re.search(r"https?://\S+" + path + r"\S+", body)
    assert m, body
    return m.group(0).replace("http://localhost", "")


def test_invitation_flow(client, factory, auth, app):
    staff = factory.user("staff")
    org = factory.organization("Harbor Legal Aid", kind="legal_aid")
    auth.login(staff)
    resp = client.post(
        "/auth/invite",
        data={
            "email": "New.Person@Example.org",
            "name": "New Person",
            "role": "respondent",
            "organization_id": org.id,
        },
    )
    assert resp.status_code == 302
    auth.logout()
    msgs = read_outbox()
    assert msgs[-1]["To"] == "new.person@example.org"
    link = _link(msgs[-1], "/auth/invitations/")
    assert client.get(link).status_code == 200
    weak = client.post(link, data={"password": "password", "confirm": "password"})
    assert "Use at least 12 characters." in weak.get_data(as_text=True)
    common = client.post(link, data={"password": "passwordpassword", "confirm": "passwordpassword"})
    assert "too common" in common.get_data(as_text=True)
    done = client.post(
        link, data={"password": "a river of quiet stones", "confirm": "a river of quiet stones"}
    )
    assert done.status_code == 302
    # single use
    assert client.get(link).status_code == 404
    user = User.by_email("new.person@example.org")
    assert user.organization_ids == {org.id}
    auth.logout()
    auth.login("new.person@example.org", "a river of quiet stones")


def test_password_reset(client, factory, auth):
    user = factory.user("facilitator")
    client.post("/auth/reset", data={"email": user.email})
    client.post("/auth/reset", data={"email": "nobody@example.org"})  # says nothing
    msgs = read_outbox()
    assert len(msgs) == 1
    link = _link(msgs[0], "/auth/reset/")
    assert (
        client.post(
            link, data={"password": "new quiet river stones", "confirm": "new quiet river stones"}
        ).status_code
        == 302
    )
    auth.logout()
    bad = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert bad.status_code == 200
    auth.login(user, "new quiet river stones")
