"""Role management, organization isolation, session timeouts, friendly 413/429 pages, health."""

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from consult import create_app
from consult.audit import AuditEvent
from consult.auth.models import Membership, User
from consult.auth.roles import Role
from consult.extensions import db
from tests.conftest import make_test_config, prepare_schema
from tests.helpers import PASSWORD


def test_admin_adds_and_removes_a_role_and_it_is_audited(client, factory, login_as):
    admin = login_as("admin")
    org = factory.organization("Valley Clinic", kind="health")
    person = factory.user("facilitator", name="Pat Person")
    page = client.get(f"/auth/users/{person.id}").get_data(as_text=True)
    assert "Pat Person" in page and "Facilitator" in page and "Add a role" in page
    missing_org = client.post(f"/auth/users/{person.id}", data={"role": "respondent"})
    assert "Choose the organization" in missing_org.get_data(as_text=True)
    resp = client.post(
        f"/auth/users/{person.id}", data={"role": "respondent", "organization_id": org.id}
    )
    assert resp.status_code == 302
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert person.organization_ids == {org.id}
    assert {m.role for m in person.memberships} == {Role.FACILITATOR, Role.RESPONDENT}
    facilitator = next(m for m in person.memberships if m.role is Role.FACILITATOR)
    resp = client.post(f"/auth/users/{person.id}/roles/{facilitator.id}/remove")
    assert resp.status_code == 302
    db.session.expire_all()
    roles = db.session.scalars(select(Membership.role).where(Membership.user_id == person.id))
    assert list(roles) == [Role.RESPONDENT]
    # the last role cannot be removed
    last = db.session.scalar(select(Membership).where(Membership.user_id == person.id))
    page = client.post(
        f"/auth/users/{person.id}/roles/{last.id}/remove", follow_redirects=True
    ).get_data(as_text=True)
    assert "at least one role" in page
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "user.role_change", AuditEvent.object_id == str(person.id)
        )
    ).all()
    assert len(events) == 2
    assert all(e.actor_id == admin.id for e in events)
    assert {tuple(sorted(e.detail)) for e in events} == {
        ("added", "organization_id"),
        ("organization_id", "removed"),
    }


def test_staff_sees_people_but_cannot_change_roles(client, factory, login_as):
    login_as("staff")
    person = factory.user("facilitator")
    page = client.get(f"/auth/users/{person.id}").get_data(as_text=True)
    assert "Add a role" not in page
    assert client.post(f"/auth/users/{person.id}", data={"role": "admin"}).status_code == 403
    m = person.memberships[0]
    assert client.post(f"/auth/users/{person.id}/roles/{m.id}/remove").status_code == 403
    db.session.expire_all()
    assert [x.role for x in db.session.get(User, person.id).memberships] == [Role.FACILITATOR]


def test_membership_of_another_person_cannot_be_removed_through_a_wrong_url(
    client, factory, login_as
):
    login_as("admin")
    a = factory.user("staff")
    b = factory.user("facilitator")
    factory_org = factory.organization()
    from consult.auth.services import add_membership

    add_membership(b, Role.RESPONDENT, factory_org.id, actor=a)
    b_membership = b.memberships[0]
    assert client.post(f"/auth/users/{a.id}/roles/{b_membership.id}/remove").status_code == 404
    db.session.expire_all()
    assert len(db.session.get(User, b.id).memberships) == 2


def test_admin_cannot_remove_own_admin_role(client, factory, login_as):
    admin = login_as("admin")
    from consult.auth.services import add_membership

    add_membership(admin, Role.STAFF, None, actor=admin)
    own = next(m for m in admin.memberships if m.role is Role.ADMIN)
    page = client.post(
        f"/auth/users/{admin.id}/roles/{own.id}/remove", follow_redirects=True
    ).get_data(as_text=True)
    assert "cannot remove your own administrator role" in page
    db.session.expire_all()
    assert db.session.get(User, admin.id).has_role(Role.ADMIN)


def test_respondents_are_kept_out_of_other_organizations(client, factory, login_as):
    org_a = factory.organization("Org A")
    org_b = factory.organization("Org B")
    other = factory.user("respondent", organization=org_b)
    login_as("respondent", organization=org_a)
    for path in (
        f"/organizations/{org_b.id}",
        f"/organizations/{org_b.id}/edit",
        f"/organizations/{org_a.id}",
        f"/auth/users/{other.id}",
        "/auth/users",
        "/consultations/audit",
    ):
        resp = client.get(path)
        assert resp.status_code in (403, 404), path
        assert "Org B" not in resp.get_data(as_text=True)
        assert other.email not in resp.get_data(as_text=True)


def test_job_of_another_user_is_not_found(client, factory, login_as):
    from consult.jobs import Job

    owner = factory.user("facilitator")
    job = Job(kind="x", params={}, created_by_id=owner.id, message="secret progress")
    db.session.add(job)
    db.session.commit()
    login_as("facilitator")
    resp = client.get(f"/jobs/{job.id}?format=json")
    assert resp.status_code == 404 and b"secret progress" not in resp.data


def test_idle_timeout_is_enforced_by_the_server(tmp_path, pg_database):
    app = create_app(
        make_test_config(tmp_path, pg_database, PERMANENT_SESSION_LIFETIME=timedelta(seconds=1))
    )
    prepare_schema(app, pg_database)
    with app.app_context():
        from tests.conftest import Factory

        user = Factory(app).user("staff")
        client = app.test_client()
        client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        cookie = client.get_cookie("consult_session").value
        assert client.get("/consultations/").status_code == 200
        time.sleep(2.2)
        # replay the cookie as if the browser ignored its expiry: the signature is too old
        client.set_cookie("consult_session", cookie)
        resp = client.get("/consultations/")
        assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]
        db.session.remove()
        db.engine.dispose()


def test_absolute_timeout_signs_out_an_active_session(client, factory, auth):
    user = factory.user("staff")
    auth.login(user)
    assert client.get("/consultations/").status_code == 200
    with client.session_transaction() as s:
        s["login_at"] = (datetime.now(UTC) - timedelta(hours=13)).timestamp()
    resp = client.get("/consultations/")
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]
    assert client.get("/consultations/").status_code == 302


def test_too_large_request_gets_a_friendly_page(tmp_path, pg_database):
    app = create_app(make_test_config(tmp_path, pg_database, MAX_CONTENT_LENGTH=1000))
    prepare_schema(app, pg_database)
    resp = app.test_client().post("/auth/login", data={"email": "a@b.org", "password": "x" * 5000})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 413
    assert "The file is too large" in body and "10 MB" in body and "<html" in body
    with app.app_context():
        db.engine.dispose()


def test_too_many_requests_gets_a_friendly_page(tmp_path, pg_database):
    app = create_app(
        make_test_config(tmp_path, pg_database, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="1/minute")
    )
    prepare_schema(app, pg_database)
    client = app.test_client()
    client.post("/auth/login", data={"email": "a@b.org", "password": "wrong-wrong-wrong"})
    resp = client.post("/auth/login", data={"email": "a@b.org", "password": "wrong-wrong-wrong"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 429
    assert "Too many attempts" in body and "Wait a minute" in body and "<html" in body
    with app.app_context():
        db.engine.dispose()


def test_healthz_checks_the_database(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.get_json() == {"status": "ok"}
    assert "no-store" in resp.headers.get("Cache-Control", "")


def test_healthz_reports_an_unreachable_database(client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    resp = client.get("/healthz")
    assert resp.status_code == 503 and resp.get_json()["status"] == "unavailable"
