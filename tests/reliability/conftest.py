"""Fixtures for load and crash tests: a seeded instance served by gunicorn."""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from consult import create_app
from consult.extensions import db
from tests.reliability.harness import (
    PG_URL,
    SECRET,
    Server,
    drop_pg_database,
    pg_database_url,
    write_instance_config,
)

pytestmark = pytest.mark.reliability


@dataclass
class Site:
    server: Server
    app: object
    public_path: str
    survey_id: int
    instance: Path


def seed_survey(app) -> tuple[int, str]:
    """A consultation with an open survey of one page and a public link; return (id, path)."""
    from consult.consultations.services import create_consultation
    from consult.surveys import questions, services
    from consult.surveys.invitations import set_public_link

    c = create_consultation(title="Load", slug="load", languages=["en"], stage="open")
    survey = services.create_survey(
        c.id,
        actor_id=None,
        title={"en": "Load survey"},
        introduction={"en": "Tell us."},
        languages=["en"],
        one_response_per_organization=False,
        allow_anonymous=True,
    )
    questions.add_question(
        survey.sections[0].id,
        actor_id=None,
        code="view",
        type="long_text",
        required=True,
        text={"en": "Your view"},
    )
    services.set_status(survey.id, "open", actor_id=None)
    with app.test_request_context():
        url = set_public_link(survey.id, True, actor_id=None)
    return survey.id, "/" + url.split("://", 1)[1].split("/", 1)[1]


def site_config(instance: Path, database_url: str) -> dict:
    return {
        "SECRET_KEY": SECRET,
        "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
    }


@pytest.fixture
def site(tmp_path):
    """Seed an instance (SQLite file, or a fresh PostgreSQL database) and serve it."""
    instance = tmp_path / "instance"
    write_instance_config(instance, RATELIMIT_ENABLED=False, ARGON2_CHEAP=False)
    pg = pg_database_url() if PG_URL else None
    url = pg or f"sqlite:///{instance / 'consult.db'}"
    os.environ.pop("CONSULT_ENV", None)
    app = create_app(site_config(instance, url))
    with app.app_context():
        db.create_all()
        survey_id, path = seed_survey(app)
        db.session.remove()
    server = Server(instance=instance, database_url=url).start()
    try:
        yield Site(server, app, path, survey_id, instance)
    finally:
        server.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if pg:
            drop_pg_database(pg)
