"""The demo surveys: realistic, deterministic, valid and quick to load."""

from collections import Counter

from sqlalchemy import func, select

from consult.demo.foundation import load_foundation
from consult.extensions import db
from consult.mail import read_outbox
from consult.passages.models import Passage
from consult.surveys import demo
from consult.surveys.invitations import pending_invitations, response_rates
from consult.surveys.models import Answer, Question, Response, ResponseStatus, Survey
from consult.surveys.services import availability, load_structure


def test_demo_surveys(app):
    ctx, _passwords = load_foundation()
    demo.load(ctx)
    current = db.session.scalar(select(Survey).where(Survey.consultation_id == ctx.consultation.id))
    previous = db.session.scalar(select(Survey).where(Survey.consultation_id == ctx.previous.id))
    statuses = Counter(
        db.session.scalars(select(Response.status).where(Response.survey_id == current.id))
    )
    assert statuses[ResponseStatus.SUBMITTED] >= 40
    assert statuses[ResponseStatus.DRAFT] == 3
    languages = Counter(
        db.session.scalars(
            select(Response.language).where(
                Response.survey_id == current.id, Response.status == ResponseStatus.SUBMITTED
            )
        )
    )
    assert languages["es"] >= 3 and languages["en"] >= 30
    structure = load_structure(current.id)
    codes = [q.code for page in structure.sections for q in page.questions]
    assert {"services", "progress_prevention", "statutes_revisions", "recommendations"} <= set(
        codes
    )
    services = next(q for q in structure.sections[1].questions if q.code == "services")
    assert len(services.options["rows"]) == 10 and services.text["es"]
    # the follow-up on statutes is only answered where the answer was "inadequate"
    follow_up = db.session.scalar(
        select(func.count(Answer.id))
        .join(Question)
        .where(Question.survey_id == current.id, Question.code == "statutes_revisions")
    )
    inadequate = db.session.scalar(
        select(func.count(Answer.id))
        .join(Question)
        .where(
            Question.survey_id == current.id,
            Question.code == "statutes_adequacy",
            Answer.choice == "inadequate",
        )
    )
    assert follow_up == inadequate > 0
    # free text is published for coding, with the campaign paragraph repeated near-identically
    texts = list(db.session.scalars(select(Passage.text)))
    assert len(texts) > 100
    assert sum("We join Survivors Rising" in t or "Like Survivors Rising" in t for t in texts) >= 4
    assert any("vivienda" in t.lower() for t in texts)
    # the earlier wave asks the same progress questions
    prev_codes = {q.code for page in load_structure(previous.id).sections for q in page.questions}
    assert {"progress_prevention", "progress_protection", "progress_prosecution"} <= prev_codes
    prev_count = db.session.scalar(
        select(func.count(Response.id)).where(Response.survey_id == previous.id)
    )
    assert prev_count == 20 and availability(previous) == "closed"
    dates = db.session.scalars(
        select(Response.submitted_at)
        .where(Response.survey_id == current.id)
        .where(Response.submitted_at.is_not(None))
    ).all()
    assert min(dates).year == 2026 and min(dates).month == 9
    # every organization is invited; three never answer and got one reminder each
    _orgs, kinds, total = response_rates(current.id)
    assert total.invited == len(ctx.organizations) and total.submitted == total.invited - 3
    pending = pending_invitations(current.id)
    assert {inv.organization.name for inv in pending} == demo.NON_RESPONDENTS
    assert all(inv.reminder_count == 1 for inv in pending)
    mails = read_outbox()
    assert len(mails) == len(ctx.organizations) + 3
    assert sum(m["Subject"].startswith("Reminder") for m in mails) == 3
