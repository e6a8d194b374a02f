"""Sessions and accounts: two-factor, cookie flags, password rules, throttling across workers."""

import os
import re

import pyotp
import pytest
import requests
from sqlalchemy import select

from consult import create_app
from consult.audit import AuditEvent
from consult.auth import totp
from consult.auth.models import User
from consult.auth.passwords import password_problem
from consult.extensions import db
from tests.conftest import Auth, Factory, make_test_config, prepare_schema
from tests.helpers import PASSWORD


def _secret_from(page: str) -> str:
    m = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page)
    assert m, "no secret on the page"
    return m.group(1).replace(" ", "")


class Clock:
    """The clock two-factor codes are checked against, frozen; move it with `clock.t += 30`."""

    def __init__(self):
        self.t = 1_800_000_000 - 1_800_000_000 % 30 + 5.0  # 5 s into a time step

    def code(self, secret: str) -> str:
        return pyotp.TOTP(secret).at(self.t)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(totp, "now", lambda: c.t)
    return c


def enrol(client, clock: Clock | None = None) -> str:
    page = client.get("/auth/account/two-factor").get_data(as_text=True)
    secret = _secret_from(page)
    assert f"secret={secret}" in page.replace("&amp;", "&")  # the otpauth:// URI, as text
    wrong = client.post("/auth/account/two-factor", data={"code": "000000"})
    assert "That code is not right" in wrong.get_data(as_text=True)
    # the same secret is kept while enrolling, so the person's app keeps working
    assert _secret_from(wrong.get_data(as_text=True)) == secret
    code = clock.code(secret) if clock else pyotp.TOTP(secret).now()
    ok = client.post("/auth/account/two-factor", data={"code": code})
    assert ok.status_code == 302
    return secret


def login(client, user, code):
    return client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "totp": code}
    )


def test_two_factor_enrolment_and_login(client, factory, auth, clock):
    user = factory.user("staff")
    auth.login(user)
    secret = enrol(client, clock)
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret
    auth.logout()
    no_code = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert no_code.status_code == 200 and "not right" in no_code.get_data(as_text=True)
    bad = client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "totp": "123456"}
    )
    assert bad.status_code == 200
    failed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "auth.login_failed")
    ).all()
    assert len(failed) == 2 and all(e.detail.get("second_factor") for e in failed)
    clock.t += 30  # the enrolment code is spent; the app shows the next one
    good = login(client, user, clock.code(secret))
    assert good.status_code == 302
    # turning it off needs the password and a code
    clock.t += 30
    refused = client.post(
        "/auth/account/two-factor", data={"password": "wrong", "code": clock.code(secret)}
    )
    assert "not right" in refused.get_data(as_text=True)
    off = client.post(
        "/auth/account/two-factor",
        data={"password": PASSWORD, "code": clock.code(secret)},
    )
    assert off.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"user.totp_enable", "user.totp_disable"} <= actions


def _failed_logins() -> list[AuditEvent]:
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "auth.login_failed").order_by(AuditEvent.id)
    ).all()


def test_two_factor_code_cannot_be_replayed(client, factory, auth, clock):
    """RFC 6238 section 5.2: each code signs in once; only a later time step's code works."""
    user = factory.user("staff")
    auth.login(user)
    secret = enrol(client, clock)
    auth.logout()
    # the code just used to turn two-factor on cannot sign in
    spent = login(client, user, clock.code(secret))
    assert spent.status_code == 200
    assert "The e-mail address or password is not right." in spent.get_data(as_text=True)

    clock.t += 30
    code = clock.code(secret)
    assert login(client, user, code).status_code == 302
    assert auth.logout().status_code == 302
    # the same code again, seconds later and still inside its window: refused, worded like any
    # wrong code, and the audit trail says no more than for a wrong code (nothing secret)
    clock.t += 10
    wrong_code = "000000" if code != "000000" else "111111"
    assert login(client, user, wrong_code).status_code == 200  # shows the "signed out" notice
    replay = login(client, user, code)
    assert replay.status_code == 200
    assert "The e-mail address or password is not right." in replay.get_data(as_text=True)
    wrong = login(client, user, wrong_code)
    # the same page as for a wrong code (apart from the code typed, which the form shows again)
    echoed = replay.get_data(as_text=True).replace(f'value="{code}"', f'value="{wrong_code}"')
    assert echoed == wrong.get_data(as_text=True)
    assert client.get("/auth/account").status_code == 302  # not signed in
    events = _failed_logins()
    assert len(events) == 4
    assert all(e.detail == {"email_known": True, "second_factor": True} for e in events)
    assert all(code not in str(e.detail) for e in events)

    # one step later the new code works, and the previous one (still inside the window) does not
    clock.t += 20
    assert login(client, user, code).status_code == 200
    assert login(client, user, clock.code(secret)).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_last_step == pyotp.TOTP(secret).timecode(clock.t)


def test_two_factor_disable_refuses_replayed_code(client, factory, auth, clock):
    user = factory.user("staff")
    auth.login(user)
    secret = enrol(client, clock)
    auth.logout()
    clock.t += 30
    code = clock.code(secret)
    assert login(client, user, code).status_code == 302
    # the code that signed in cannot also turn two-factor off
    replay = client.post("/auth/account/two-factor", data={"password": PASSWORD, "code": code})
    assert replay.status_code == 200 and "That code is not right." in replay.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret
    clock.t += 30
    off = client.post(
        "/auth/account/two-factor", data={"password": PASSWORD, "code": clock.code(secret)}
    )
    assert off.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None


def test_two_factor_code_is_spent_by_the_database_not_memory(app, factory, clock):
    """Two sign-ins racing with one code: each request loaded the user before the other wrote,
    so only the conditional UPDATE in the database can tell them apart."""
    user = factory.user("staff")
    secret = pyotp.random_base32()
    user.totp_secret = secret
    db.session.commit()
    code = clock.code(secret)
    stale = db.session.get(User, user.id)
    assert stale.totp_last_step is None
    with app.app_context():  # the other request, with its own session and connection
        other = db.session.get(User, user.id)
        assert totp.consume_code(other, code)
        db.session.commit()
    assert stale.totp_last_step is None  # this request still believes the code is unused
    assert not totp.consume_code(stale, code)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_last_step == pyotp.TOTP(secret).timecode(clock.t)


def test_required_two_factor_for_staff(tmp_path, pg_database):
    app = create_app(make_test_config(tmp_path, pg_database, REQUIRE_TOTP_FOR_STAFF=True))
    prepare_schema(app, pg_database)
    with app.app_context():
        factory = Factory(app)
        staff, respondent = factory.user("staff"), factory.user("respondent")
        client = app.test_client()
        Auth(client).login(staff)
        resp = client.get("/consultations/")
        assert resp.status_code == 302 and "/auth/account/two-factor" in resp.headers["Location"]
        assert client.get("/organizations/").status_code == 302
        enrol(client)
        assert client.get("/consultations/").status_code == 200
        other = app.test_client()
        Auth(other).login(respondent)  # respondents are not asked
        assert other.get("/auth/account").status_code == 200
        db.session.remove()
        db.engine.dispose()


def test_production_cookie_flags(tmp_path, pg_database, monkeypatch):
    monkeypatch.setenv("CONSULT_ENV", "production")
    app = create_app(make_test_config(tmp_path, pg_database))
    prepare_schema(app, pg_database)
    with app.app_context():
        user = Factory(app).user("staff")
        client = app.test_client()
        resp = client.post(
            "/auth/login",
            data={"email": user.email, "password": PASSWORD},
            base_url="https://localhost",
        )
        cookie = resp.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "consult_session=" in cookie
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "at least 12"),
        ("password1234", "too common"),
        ("aaaaaaaaaaaaaaaa", "more variety"),
        ("my-name-is-jordan-and-more", "e-mail address"),
        ("x" * 257, "at most 256"),
    ],
)
def test_password_rules(app, password, problem):
    found = password_problem(password, min_length=12, email="jordan@example.org")
    assert found is not None and problem in str(found)
    assert password_problem("river stones at dusk", min_length=12, email="j@x.org") is None


def test_login_throttling_is_shared_by_gunicorn_workers(tmp_path):
    """Three workers share one Redis counter: the limit holds whichever worker answers."""
    import redis

    from tests.reliability.harness import Server, write_instance_config

    url = os.environ.get("CONSULT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        if os.environ.get("CONSULT_REQUIRE_REDIS") == "1":
            pytest.fail("Redis is required (CONSULT_REQUIRE_REDIS=1) but not reachable")
        pytest.skip("Redis is not running")
    instance = tmp_path / "instance"
    prefix = f"consult-test-{os.getpid()}-{tmp_path.name}"
    write_instance_config(instance, LOGIN_RATE_LIMIT="5 per minute", RATELIMIT_KEY_PREFIX=prefix)
    db_url = f"sqlite:///{instance / 'consult.db'}"
    app = create_app(
        make_test_config(
            tmp_path, None, SQLALCHEMY_DATABASE_URI=db_url, INSTANCE_PATH=str(instance)
        )
    )
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    server = Server(instance, db_url, workers=3, extra_env={"REDIS_URL": url}).start()
    try:
        codes = []
        for _ in range(12):
            http = requests.Session()  # a fresh connection each time: any worker may answer
            page = http.get(server.base + "/auth/login", timeout=30).text
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
            resp = http.post(
                server.base + "/auth/login",
                data={
                    "email": "victim@example.org",
                    "password": "guess-guess-guess",
                    "csrf_token": token,
                },
                timeout=30,
            )
            codes.append(resp.status_code)
        assert codes.count(200) == 5, codes
        assert codes[5:] == [429] * 7
    finally:
        server.stop()
        redis.Redis.from_url(url).delete(*(redis.Redis.from_url(url).keys(prefix + "*") or [b"x"]))
