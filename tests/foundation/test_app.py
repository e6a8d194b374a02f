"""Factory, configuration, security headers, roles, CSRF, CLI and migrations."""

import stat

import pytest
from sqlalchemy import select

from consult import create_app
from consult.config import ConfigError
from consult.consultations.models import Consultation
from consult.extensions import db
from tests.conftest import make_test_config


def test_generated_secret_key_is_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    cfg = make_test_config(tmp_path, None)
    cfg.pop("SECRET_KEY")
    app = create_app(cfg)
    key_file = tmp_path / "instance" / "secret_key"
    assert app.config["SECRET_KEY"] == key_file.read_text().strip()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert create_app(cfg).config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_production_refuses_default_key(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "change-me")
    cfg = make_test_config(tmp_path, None)
    cfg.pop("SECRET_KEY")
    with pytest.raises(ConfigError):
        create_app(cfg)


def test_env_overrides_database_url(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1/x")
    cfg = make_test_config(tmp_path, None)
    cfg.pop("SQLALCHEMY_DATABASE_URI")
    app = create_app(cfg)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1/x"


def test_database_connection_settings(app):
    """SQLite gets WAL, a busy timeout and foreign keys; both databases enforce foreign keys."""
    from sqlalchemy.exc import IntegrityError

    from consult.auth.models import Membership
    from consult.auth.roles import Role

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    db.session.add(Membership(user_id=987654, role=Role.STAFF))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_security_headers(client):
    resp = client.get("/auth/login")
    csp = resp.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    cookie = resp.headers.get("Set-Cookie", "")
    if cookie:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_hsts_in_production(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_ENV", "production")
    app = create_app(make_test_config(tmp_path, None))
    resp = app.test_client().get("/auth/login")
    assert "max-age" in resp.headers["Strict-Transport-Security"]
    assert app.config["SESSION_COOKIE_SECURE"] is True


STAFF_PAGES = [
    "/organizations/",
    "/organizations/new",
    "/consultations/new",
    "/auth/users",
    "/auth/invite",
    "/consultations/audit",
]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_refuse_respondents_and_anonymous(client, login_as, path):
    anon = client.get(path)
    assert anon.status_code == 302 and "/auth/login" in anon.headers["Location"]
    login_as("respondent")
    assert client.get(path).status_code == 403


def test_facilitator_cannot_manage_organizations(client, login_as):
    login_as("facilitator")
    assert client.get("/organizations/").status_code == 403
    assert client.get("/consultations/").status_code == 200


def test_csrf_enforced(csrf_app):
    from tests.conftest import Factory, csrf_token_from

    client = csrf_app.test_client()
    user = Factory(csrf_app).user("staff")
    refused = client.post("/auth/login", data={"email": user.email, "password": "x" * 20})
    assert refused.status_code == 400
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    ok = client.post(
        "/auth/login",
        data={"email": user.email, "password": "correct horse staple battery", "csrf_token": token},
    )
    assert ok.status_code == 302
    # another session's token is refused
    other = csrf_app.test_client()
    other_token = csrf_token_from(other.get("/auth/login").get_data(as_text=True))
    resp = client.post(
        "/organizations/new", data={"name": "X", "kind": "ngo", "csrf_token": other_token}
    )
    assert resp.status_code == 400


def test_error_pages(client):
    resp = client.get("/no-such-page")
    assert resp.status_code == 404 and "Page not found" in resp.get_data(as_text=True)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.mimetype == "application/problem+json"


def test_organization_create_search_and_edit(client, login_as, factory):
    login_as("staff")
    resp = client.post(
        "/organizations/new",
        data={"name": "Coastal Youth Shelter", "kind": "service_provider", "region": "Coastal"},
    )
    assert resp.status_code == 302
    dup = client.post("/organizations/new", data={"name": "coastal youth shelter", "kind": "ngo"})
    assert "already exists" in dup.get_data(as_text=True)
    for i in range(30):
        factory.organization(f"Filler {i:02d}")
    page = client.get("/organizations/?q=coastal").get_data(as_text=True)
    assert "Coastal Youth Shelter" in page and "Filler" not in page
    page2 = client.get("/organizations/?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in page2


def test_consultation_create_and_dashboard(client, login_as):
    login_as("staff")
    resp = client.post(
        "/consultations/new",
        data={
            "title": "2026 stakeholder consultation",
            "slug": "2026",
            "stage": "open",
            "languages": ["en", "es"],
            "wave_of_id": 0,
        },
    )
    assert resp.status_code == 302
    c = db.session.scalar(select(Consultation).where(Consultation.slug == "2026"))
    assert c.languages == ["en", "es"]
    page = client.get("/consultations/2026").get_data(as_text=True)
    assert "2026 stakeholder consultation" in page and "Passages" in page


def test_cli_consultations_and_users(runner):
    r = runner.invoke(
        args=["consultations", "create", "--title", "2025 consultation", "--slug", "2025"]
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        args=["consultations", "create", "--title", "2026", "--slug", "2026", "--wave-of", "2025"]
    )
    assert r.exit_code == 0, r.output
    bad = runner.invoke(args=["consultations", "create", "--title", "x", "--slug", "2026"])
    assert bad.exit_code != 0 and "already exists" in bad.output
    listing = runner.invoke(args=["consultations", "list"])
    assert "2025" in listing.output and "2026" in listing.output
    r = runner.invoke(
        args=["users", "create", "--email", "a@example.org", "--name", "A", "--role", "admin"]
    )
    assert r.exit_code == 0 and "/auth/invitations/" in r.output
    bad = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "b@example.org",
            "--name",
            "B",
            "--role",
            "respondent",
            "--organization",
            "Nope",
        ]
    )
    assert bad.exit_code != 0 and "Nope" in bad.output


def test_cli_organizations_import(runner, tmp_path):
    f = tmp_path / "orgs.csv"
    f.write_text(
        "name,kind,region\nValley Clinic,health,Valley\nState Police,law enforcement,Capital\nBad,spaceship,\n"
    )
    r = runner.invoke(args=["organizations", "import", str(f)])
    assert r.exit_code == 0, r.output
    assert "2 created" in r.output and "line 4" in r.output


def test_migrations_match_models(tmp_path):
    """Upgrading an empty database gives exactly the models' schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from flask_migrate import upgrade

    app = create_app(
        make_test_config(tmp_path, None, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.db'}")
    )
    with app.app_context():
        app.logger.info("upgrading")  # the app's logger exists before alembic configures logging
        upgrade(revision="heads")
        # alembic's logging set-up must not silence the app's own loggers (a warning about a
        # file that could not be read would otherwise be lost after an in-process upgrade)
        assert not app.logger.disabled
        with db.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
            )
        assert diff == []
        db.engine.dispose()


def test_favicon_ico_points_at_the_svg_icon(client):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 301
    assert resp.headers["Location"].endswith("/static/img/favicon.svg")
    assert client.get(resp.headers["Location"]).status_code == 200


def test_dashboard_lists_work_in_the_order_data_flows(client, login_as, factory):
    """Surveys and hearings come before coding, and reports come last, whatever the import order."""
    login_as("staff")
    c = factory.consultation(slug="flow")
    page = client.get(f"/consultations/{c.slug}").get_data(as_text=True)
    work = page.split("Work in this consultation", 1)[1]
    positions = [
        work.index(label) for label in ("Surveys", "Hearings", "Code passages", "Recommendations")
    ]
    assert positions == sorted(positions)
