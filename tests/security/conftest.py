"""A populated world for the security sweeps: the demo consultation plus an outsider organization.

Built once per module (the sweeps only read, or are refused). Every feature's demo step runs, so
objects of every kind exist with real ids; the outsider respondent owns nothing.
"""

import importlib
import secrets
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select, update

from consult import create_app
from consult.extensions import db
from tests.conftest import Auth, Factory, make_test_config

CANARY_NOTES = "CANARYNOTES"
OUTSIDER_PASSWORD = "blue lanterns over the bay"


@dataclass
class World:
    app: object
    user_ids: dict  # role name -> user id (admin, staff, facilitator, respondent, outsider)
    passwords: dict
    secrets_: list[str] = field(default_factory=list)  # text only staff may see
    other_emails: list[str] = field(default_factory=list)
    outsider_org_id: int = 0
    outsider_api_token: str | None = None

    def user(self, role: str):
        """The user with this role, loaded in the current session (the world outlives sessions)."""
        from consult.auth.models import User

        return db.session.get(User, self.user_ids[role])

    def email(self, role: str) -> str:
        return self.user(role).email

    def client(self, role: str | None):
        """A test client signed in as `role` (None: anonymous)."""
        client = self.app.test_client()
        if role is not None:
            Auth(client).login(self.email(role), self.passwords[role])
        return client


def load_demo(app):
    """Run the foundation demo and every feature's demo step, as `flask demo` does."""
    from consult.demo import cli as demo_cli
    from consult.demo import foundation

    ctx, passwords = foundation.load_foundation()
    for name in demo_cli.FEATURE_STEPS:
        try:
            module = importlib.import_module(f"consult.{name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"consult.{name}.demo":
                raise
            continue
        module.load(ctx)
    db.session.commit()
    return ctx, passwords


def build_world(app) -> World:
    from consult.auth.models import User
    from consult.orgs.models import Organization
    from consult.passages.models import Confidentiality, Passage

    ctx, passwords = load_demo(app)
    by_role = {
        "admin": "admin@demo.consult",
        "staff": "staff@demo.consult",
        "facilitator": "facilitator@demo.consult",
        "respondent": "respondent@demo.consult",
    }
    users = {
        role: db.session.scalar(select(User).where(User.email == e)) for role, e in by_role.items()
    }
    pw = {role: passwords[e] for role, e in by_role.items()}
    db.session.execute(
        update(Organization).values(notes=CANARY_NOTES + " staff-only notes about this partner")
    )
    db.session.commit()
    outsider_org = Factory(app).organization("Outsider Organization B", kind="other")
    outsider = Factory(app).user(
        "respondent",
        organization=outsider_org,
        email="outsider@b.example.org",
        password=OUTSIDER_PASSWORD,
    )
    users["outsider"] = outsider
    pw["outsider"] = OUTSIDER_PASSWORD
    confidential = db.session.scalars(
        select(Passage.text).where(Passage.confidentiality == Confidentiality.CONFIDENTIAL)
    ).all()
    world = World(
        app=app,
        user_ids={role: u.id for role, u in users.items()},
        passwords=pw,
        secrets_=[CANARY_NOTES] + [t[:60] for t in confidential if len(t) >= 20],
        other_emails=[e for e in by_role.values()],
        outsider_org_id=outsider_org.id,
    )
    try:
        from consult.api.tokens import create_token
    except ImportError:
        pass
    else:
        _tok, secret = create_token(
            user_id=outsider.id, name="outsider", scope="read", expires_in_days=30
        )
        db.session.commit()
        world.outsider_api_token = secret
    return world


def _world(tmp):
    """Build a world in its own database (a new PostgreSQL database when testing on it)."""
    from tests.reliability.harness import PG_URL, drop_pg_database, pg_database_url

    pg = pg_database_url() if PG_URL else None
    app = create_app(make_test_config(tmp, pg))
    with app.app_context():
        db.create_all()
        try:
            yield build_world(app)
        finally:
            db.session.remove()
            db.engine.dispose()
            if pg:
                drop_pg_database(pg)


@pytest.fixture(scope="session")
def world(tmp_path_factory):
    """The demo world, shared by the read-only sweeps (access control, CSRF, GET)."""
    yield from _world(tmp_path_factory.mktemp("world"))


@pytest.fixture(scope="module")
def fresh_world(tmp_path_factory):
    """A world of its own, for sweeps that change the data (stored XSS)."""
    yield from _world(tmp_path_factory.mktemp("fresh-world"))


def random_text() -> str:
    return secrets.token_hex(4)
