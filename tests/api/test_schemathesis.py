"""Schemathesis against the running app's own OpenAPI document, with a staff token.

The app is served on a free port (the live_server fixture) and the `st` CLI fuzzes every
operation: zero server errors and zero responses that break the document are allowed.
"""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from consult.coding.codebook import create_theme
from consult.coding.models import Coding, CodingOrigin, CodingStatus
from consult.extensions import db
from consult.hearings.services import save_hearing
from consult.models import utcnow
from consult.passages.models import Confidentiality, OriginKind, SourceKind
from consult.passages.services import publish_passage
from consult.reports.services import create_recommendation
from consult.surveys.submit import submit_answers
from tests.surveys.conftest import COMPLETE, build_survey

ST = Path(sys.executable).with_name("st")
MAX_EXAMPLES = os.environ.get("CONSULT_SCHEMATHESIS_EXAMPLES", "3")


def _seed(app) -> str:
    """Some data for the operations to find, and a staff token; returns the token."""
    from consult.api.tokens import create_token
    from tests.conftest import Factory

    with app.app_context():
        factory = Factory(app)
        staff = factory.user("staff")
        org = factory.organization("Seed NGO", listed_publicly=True)
        factory.user("respondent", organization=org)
        c = factory.consultation("Seeded", slug="seeded")
        for n, conf in enumerate(Confidentiality):
            publish_passage(
                consultation_id=c.id,
                origin_kind=OriginKind.IMPORT,
                origin_id=f"seed-{n}",
                source_kind=SourceKind.IMPORT,
                text=f"Seed passage {n}",
                confidentiality=conf,
            )
        theme = create_theme(c.id, {"name": "Housing", "keywords": ["housing"]}, actor_id=None)
        for n in range(3):
            db.session.add(
                Coding(
                    passage_id=n + 1,
                    theme_id=theme.id,
                    start=0,
                    end=4,
                    snippet="Seed",
                    origin=CodingOrigin.RULE,
                    status=CodingStatus.SUGGESTED,
                    score=0.5,
                )
            )
        db.session.commit()
        survey = build_survey(c)
        submit_answers(survey.id, COMPLETE, organization_id=org.id, submission_key="seed-key-1")
        save_hearing(
            None, c.id,
            {"title": "Seed hearing", "starts_at": utcnow() + timedelta(days=3), "status": "open",
             "timezone": "UTC", "agenda": ["Item"], "minutes_per_speaker": 3, "place": "Hall"},
            actor_id=None,
        )  # fmt: skip
        create_recommendation(c.id, title="Seed rec", text="", area="other", actor_id=None)
        _token, secret = create_token(
            user_id=staff.id, name="schemathesis", scope="read-write", expires_in_days=7
        )
        db.session.remove()
        return secret


def test_schemathesis_finds_no_server_errors_or_schema_violations(live_server, tmp_path):
    base_url, app = live_server
    secret = _seed(app)
    cmd = [
        str(ST),
        "run",
        f"{base_url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--exclude-checks",
        "positive_data_acceptance,ignored_auth,use_after_free,ensure_resource_availability",
        "--header",
        f"Authorization: Bearer {secret}",
        "--max-examples",
        MAX_EXAMPLES,
        # each report run renders a PDF in a child process: test_reports covers it directly
        "--exclude-method-regex",
        "^POST$",
        "--exclude-path-regex",
        "/report-runs$",
        "--phases",
        "examples,coverage,fuzzing",
        "--workers",
        "1",
        "--seed",
        "7",
        "--generation-database",
        "none",
        "--request-timeout",
        "20",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path / "st-report"),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-12000:]
    assert "38 selected / 39 total" in output, output[-4000:]
