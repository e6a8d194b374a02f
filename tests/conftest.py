"""Fixtures: app (fresh database per test), client, runner, factories, login, live server, browser.

The database is SQLite in a temporary folder, or PostgreSQL when CONSULT_TEST_DATABASE_URL is set
(CI runs the whole suite both ways). On PostgreSQL one database is created per test session (and
per xdist worker), the schema is built once and every table is emptied between tests.
"""

import os
import re
import subprocess
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from consult import create_app
from consult.auth.roles import Role
from consult.extensions import db

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("CONSULT_TEST_DATABASE_URL")
PASSWORD = "correct horse staple battery"


def pytest_configure(config):
    _compile_translations()


def _compile_translations():
    """Compile .po catalogues (make does this too; tests must not depend on it)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (ROOT / "consult").glob("**/translations/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as fh:
                catalog = read_po(fh)
            with mo.open("wb") as fh:
                write_mo(fh, catalog)


@pytest.fixture(scope="session")
def pg_database():
    """Create a throwaway PostgreSQL database for this session; drop it afterwards."""
    if not PG_URL:
        yield None
        return
    base = make_url(
        PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
        if PG_URL.startswith("postgresql://")
        else PG_URL
    )
    name = f"consult_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


_pg_schema_ready: set[str] = set()


def make_test_config(tmp_path, pg_database, **extra) -> dict:
    cfg = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": pg_database or f"sqlite:///{tmp_path / 'test.db'}",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "ARGON2_CHEAP": True,
        "JOBS_INLINE_SYNC": True,
        "SERVER_NAME": None,
    }
    cfg.update(extra)
    return cfg


def prepare_schema(app, pg_database) -> None:
    with app.app_context():
        if pg_database:
            if pg_database not in _pg_schema_ready:
                db.create_all()
                _pg_schema_ready.add(pg_database)
            else:
                tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
                db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
                db.session.commit()
        else:
            db.create_all()


@pytest.fixture
def app_config(tmp_path, pg_database):
    """Override per test with @pytest.mark.parametrize or by requesting and updating it."""
    return make_test_config(tmp_path, pg_database)


@pytest.fixture
def app(app_config, pg_database):
    app = create_app(app_config)
    prepare_schema(app, pg_database)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def csrf_app(tmp_path, pg_database):
    """An app with CSRF protection switched on, as in production."""
    app = create_app(make_test_config(tmp_path, pg_database, WTF_CSRF_ENABLED=True))
    prepare_schema(app, pg_database)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Factory:
    """Builds objects the way the services would, with sensible defaults."""

    def __init__(self, app):
        self.app = app
        self.n = 0

    def _next(self) -> int:
        self.n += 1
        return self.n

    def organization(self, name=None, kind="ngo", region="North", **kw):
        from consult.orgs.services import save_organization

        data = {"name": name or f"Organization {self._next()}", "kind": kind, "region": region}
        data.update(kw)
        return save_organization(None, data, actor_id=None)

    def user(
        self,
        role: Role | str = Role.STAFF,
        organization=None,
        email=None,
        name=None,
        password=PASSWORD,
    ):
        from consult.auth.services import create_user

        role = Role(role)
        if role is Role.RESPONDENT and organization is None:
            organization = self.organization()
        n = self._next()
        return create_user(
            email=email or f"{role.value}{n}@example.org",
            name=name or f"{role.label} {n}",
            role=role,
            organization_id=organization.id if organization is not None else None,
            password=password,
        )

    def consultation(self, title="Test consultation", slug=None, **kw):
        from consult.consultations.services import create_consultation

        kw.setdefault("languages", ["en", "es"])
        kw.setdefault("stage", "open")
        return create_consultation(title=title, slug=slug or f"test-{self._next()}", **kw)


@pytest.fixture
def factory(app):
    return Factory(app)


class Auth:
    """Sign a test client in and out through the real login form."""

    def __init__(self, client):
        self.client = client

    def login(self, user_or_email, password=PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        resp = self.client.post("/auth/login", data={"email": email, "password": password})
        assert resp.status_code == 302, f"login failed for {email}: {resp.status_code}"
        return resp

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def login_as(factory, auth):
    """login_as('staff') creates a user with that role, signs in, and returns the user."""

    def _login(role="staff", **kw):
        user = factory.user(role, **kw)
        auth.login(user)
        return user

    return _login


def csrf_token_from(html: str) -> str:
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert m, "no CSRF token in the page"
    return m.group(1)


# ---- live server and browser -------------------------------------------------------------


@pytest.fixture
def live_server(tmp_path, pg_database):
    """Serve a fresh app on a free port in a thread; yields (base_url, app)."""
    from werkzeug.serving import make_server

    cfg = make_test_config(tmp_path, pg_database, WTF_CSRF_ENABLED=True, JOBS_INLINE_SYNC=False)
    app = create_app(cfg)
    prepare_schema(app, pg_database)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    port = server.server_port
    app.config["SERVER_BASE_URL"] = f"http://127.0.0.1:{port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


CHROMIUM = os.environ.get("CONSULT_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CONSULT_REQUIRE_BROWSER") == "1":
            pytest.fail(
                f"Chromium is required (CONSULT_REQUIRE_BROWSER=1) but {CHROMIUM} is missing"
            )
        pytest.skip("chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def axe_violations(page) -> list:
    """Run axe-core on the current page; return violations (WCAG 2.1 A/AA rules)."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    return result.response["violations"]


def assert_no_axe_violations(page):
    violations = axe_violations(page)
    summary = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert not violations, f"axe violations on {page.url}: {summary}"


def run_pdftotext(pdf_bytes: bytes, tmp_path) -> str:
    path = tmp_path / f"doc-{uuid.uuid4().hex}.pdf"
    path.write_bytes(pdf_bytes)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
