"""Retention, erasure on request, organization export, append-only audit log, clean logs."""

import logging
import secrets
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from consult.audit import AuditEvent, record
from consult.extensions import db
from tests.helpers import PASSWORD
from tests.security.seed import insert_row

T = db.metadata.tables


def count(name, **where) -> int:
    table = T[name]
    stmt = select(func.count()).select_from(table)
    for k, v in where.items():
        stmt = stmt.where(table.c[k] == v)
    return db.session.scalar(stmt)


def seed_submissions(consultation_id, org_id, *, email, user_id=None, text="a private answer"):
    """One survey response with an answer, one speaker with testimony and an uploaded file,
    passages made from both, codings of them, and a report file."""
    ids = {}
    survey = insert_row("survey", consultation_id=consultation_id)
    section = insert_row("survey_section", survey_id=survey)
    question = insert_row("survey_question", survey_id=survey, section_id=section)
    ids["response"] = insert_row(
        "survey_response",
        survey_id=survey,
        organization_id=org_id,
        user_id=user_id,
        respondent_email=email,
        submission_key=secrets.token_hex(16),
    )
    ids["answer"] = insert_row(
        "survey_answer", response_id=ids["response"], question_id=question, value_text=text
    )
    hearing = insert_row("hearing", consultation_id=consultation_id)
    ids["speaker"] = insert_row(
        "hearing_speaker", hearing_id=hearing, email=email, organization_id=org_id
    )
    ids["testimony"] = insert_row(
        "hearing_testimony", speaker_id=ids["speaker"], written_text="testimony " + text
    )
    stored = secrets.token_hex(16) + ".txt"
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "hearings"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored).write_text("attached " + text)
    ids["file"] = folder / stored
    ids["attachment"] = insert_row(
        "hearing_attachment",
        testimony_id=ids["testimony"],
        stored_name=stored,
        original_name="=HYPERLINK(evil).txt",
    )
    theme = insert_row("theme", consultation_id=consultation_id)
    ids["passages"] = []
    for kind, origin in (
        ("survey_answer", ids["answer"]),
        ("testimony", ids["testimony"]),
        ("attachment", ids["attachment"]),
    ):
        pid = insert_row(
            "passage",
            consultation_id=consultation_id,
            origin_kind=kind,
            origin_id=str(origin),
            source_kind="survey" if kind == "survey_answer" else "hearing",
            text=f"{kind}: {text}",
            organization_id=org_id,
        )
        insert_row("coding", passage_id=pid, theme_id=theme)
        ids["passages"].append(pid)
    reports = Path(current_app.config["UPLOAD_FOLDER"]) / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    ids["report_file"] = reports / f"summary-{secrets.token_hex(4)}.pdf"
    ids["report_file"].write_bytes(b"%PDF-1.7 test")
    insert_row("report_run", consultation_id=consultation_id, file_path=str(ids["report_file"]))
    return ids


def gone(ids) -> bool:
    return (
        count("survey_response", id=ids["response"]) == 0
        and count("survey_answer", id=ids["answer"]) == 0
        and count("hearing_speaker", id=ids["speaker"]) == 0
        and count("hearing_testimony", id=ids["testimony"]) == 0
        and count("hearing_attachment", id=ids["attachment"]) == 0
        and all(count("passage", id=p) == 0 for p in ids["passages"])
        and all(count("coding", passage_id=p) == 0 for p in ids["passages"])
        and not ids["file"].exists()
    )


def kept(ids) -> bool:
    return (
        count("survey_response", id=ids["response"]) == 1
        and count("hearing_testimony", id=ids["testimony"]) == 1
        and all(count("passage", id=p) == 1 for p in ids["passages"])
        and all(count("coding", passage_id=p) == 1 for p in ids["passages"])
        and ids["file"].exists()
    )


def test_retention_run_purges_only_expired_consultations(runner, factory):
    org = factory.organization()
    old = factory.consultation("Old", retention_until=date.today() - timedelta(days=1))
    new = factory.consultation("New", retention_until=date.today() + timedelta(days=365))
    expired = seed_submissions(old.id, org.id, email="a@example.org")
    current = seed_submissions(new.id, org.id, email="b@example.org")
    dry = runner.invoke(args=["retention", "run", "--dry-run"])
    assert dry.exit_code == 0 and old.slug in dry.output and kept(expired)
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert old.slug in result.output and new.slug not in result.output
    assert gone(expired) and not expired["report_file"].exists()
    assert count("report_run", consultation_id=old.id) == 0
    assert count("survey", consultation_id=old.id) == 1  # the questionnaire itself stays
    assert kept(current) and current["report_file"].exists()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.purge"))
    assert event.consultation_id == old.id and event.detail["responses"] == 1
    again = runner.invoke(args=["retention", "run"])  # idempotent
    assert again.exit_code == 0 and kept(current)


def test_erase_one_person_with_derived_passages_and_codings(runner, factory):
    org = factory.organization()
    c = factory.consultation()
    person = factory.user("respondent", organization=org, email="erase.me@example.org")
    mine = seed_submissions(c.id, org.id, email=person.email, user_id=person.id)
    theirs = seed_submissions(c.id, org.id, email="someone.else@example.org")
    result = runner.invoke(
        args=["data", "erase-person", "--email", "Erase.Me@example.org", "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert gone(mine) and kept(theirs)
    assert count("user", email="erase.me@example.org") == 0
    missing = runner.invoke(args=["data", "erase-person", "--email", "nobody@x.org", "--yes"])
    assert missing.exit_code != 0 and "Nothing is held" in missing.output


def test_erase_an_organization(runner, factory):
    org = factory.organization("Leaving Org")
    other = factory.organization("Staying Org")
    c = factory.consultation()
    own_account = factory.user("respondent", organization=org).id
    shared_user = factory.user("respondent", organization=other)
    shared = shared_user.id
    from consult.auth.roles import Role
    from consult.auth.services import add_membership

    add_membership(shared_user, Role.RESPONDENT, org.id, actor=shared_user)
    org_id = org.id
    leaving = seed_submissions(c.id, org.id, email="x@leaving.org")
    staying = seed_submissions(c.id, other.id, email="y@staying.org")
    result = runner.invoke(args=["data", "erase-organization", "--name", "leaving org", "--yes"])
    assert result.exit_code == 0, result.output
    assert gone(leaving) and kept(staying)
    assert count("organization", id=org_id) == 0
    assert count("user", id=own_account) == 0
    assert count("user", id=shared) == 1 and count("membership", user_id=shared) == 1


def test_export_an_organization(runner, factory, tmp_path):
    org = factory.organization("Exporting Org")
    c = factory.consultation()
    seed_submissions(c.id, org.id, email="z@export.org", text="=cmd|' /C calc'!A0")
    seed_submissions(c.id, factory.organization().id, email="q@other.org", text="not theirs")
    out = tmp_path / "export.zip"
    result = runner.invoke(
        args=["data", "export-organization", "--name", "Exporting Org", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        assert {"organization.json", "survey_response.csv", "hearing_testimony.json"} <= names
        answers = zf.read("survey_answer.csv").decode()
        assert "'=cmd|" in answers and "\n=cmd" not in answers and "not theirs" not in answers
        assert any(n.startswith("attachments/") for n in names)
        assert "not theirs" not in zf.read("passage.json").decode()


def test_audit_log_is_append_only(app):
    event = record("test.event", detail={"n": 1})
    db.session.commit()
    event.action = "tampered"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.delete(db.session.get(AuditEvent, event.id))
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).action == "test.event"


def test_logs_never_contain_passwords_or_testimony(client, factory, auth, caplog):
    secret_pw = "zebra marmalade quantum " + secrets.token_hex(3)
    caplog.set_level(logging.DEBUG)
    staff = factory.user("staff")
    auth.login(staff)
    org = factory.organization()
    client.post(
        "/auth/invite",
        data={
            "email": "n@example.org",
            "name": "N",
            "role": "respondent",
            "organization_id": org.id,
        },
    )
    auth.logout()
    from consult.mail import read_outbox

    link = [
        w for w in read_outbox()[-1].get_body(("plain",)).get_content().split() if "/auth/" in w
    ][0].replace("http://localhost", "")
    client.post(link, data={"password": secret_pw, "confirm": secret_pw})
    auth.logout()
    client.post("/auth/login", data={"email": "n@example.org", "password": secret_pw + "x"})
    client.post("/auth/login", data={"email": "n@example.org", "password": secret_pw})
    client.post("/auth/login", data={"email": staff.email, "password": PASSWORD})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert secret_pw not in logged and PASSWORD not in logged
    audit = " ".join(str(e.detail) for e in db.session.scalars(select(AuditEvent)))
    assert secret_pw not in audit and PASSWORD not in audit
