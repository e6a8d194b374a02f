"""Demo surveys: the 2026 task-force survey with 42 responses and drafts, and the 2025 wave."""

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from consult.extensions import db
from consult.orgs.models import OrganizationKind
from consult.surveys import demo_content as text
from consult.surveys.demo_definition import PAGES, PREVIOUS_PAGES, REGIONS, SERVICE_AREAS
from consult.surveys.invitations import invite, remind
from consult.surveys.models import Response, Survey
from consult.surveys.questions import add_question
from consult.surveys.respond import save_page
from consult.surveys.services import (
    add_section,
    create_survey,
    load_structure,
    set_status,
    update_section,
    update_survey,
)
from consult.surveys.submit import submit_answers

SPANISH_ORGS = {
    "New Roots Refugee and Immigrant Services",
    "Farmworker Justice Project",
    "Interfaith Refugee Ministry",
    "Eastern Plains Family Resource Center",
}
# invited (and reminded) but never respond, so the response rates are realistic
NON_RESPONDENTS = {
    "Lakeshore County Sheriff's Office",
    "Migrant Education Program, Region 3",
    "River Valley Workers' Centre",
}
CATEGORY = {
    "ngo": "ngo",
    "service_provider": "ngo",
    "faith_community": "ngo",
    "law_enforcement": "law_enforcement",
    "state_agency": "state_agency",
    "legal_aid": "legal_aid",
    "health": "health",
    "academic": "academic",
    "other": "other",
}
PROVIDED = {
    "ngo": {"human_services", "housing", "job_training", "esl_classes", "interpreting"},
    "law_enforcement": set(),
    "state_agency": {"human_services", "education", "victim_compensation"},
    "legal_aid": {"legal_assistance", "interpreting"},
    "health": {"health_care", "interpreting"},
    "academic": set(),
    "other": set(),
}
# mean ratings (prevention, protection, prosecution) by category; 2025 is a little lower
RATINGS = {
    "law_enforcement": (3, 3, 4),
    "state_agency": (3, 3, 3),
    "ngo": (2, 2, 2),
    "legal_aid": (2, 1, 2),
    "health": (3, 2, 3),
    "academic": (2, 2, 3),
    "other": (3, 3, 3),
}
STATUTES = {
    "law_enforcement": ["adequate", "adequate", "partly", "partly", "inadequate"],
    "ngo": ["inadequate", "inadequate", "inadequate", "partly", "unsure"],
    "legal_aid": ["inadequate", "inadequate", "partly"],
    "state_agency": ["partly", "partly", "adequate", "inadequate"],
}


def load(ctx) -> None:
    """Create both surveys and their responses (deterministic with ctx.rng)."""
    rng = ctx.rng
    survey = _build(
        ctx.consultation.id,
        PAGES,
        "2026 stakeholder survey",
        "Encuesta 2026 a las partes interesadas",
    )
    with _mail_links():
        invite(survey.id, kinds=[kind.value for kind in OrganizationKind], actor_id=None)
    picker = _Picker(rng)
    orgs = [o for o in ctx.organizations.values() if o.name not in NON_RESPONDENTS]
    n = 0
    for org in orgs:
        category = CATEGORY[org.kind.value]
        copies = 1 if category in ("academic", "other") else 2
        for _copy in range(copies):
            n += 1
            spanish = org.name in SPANISH_ORGS and (n % 2 == 0 or org.name.startswith("Farmworker"))
            answers = _answers(rng, picker, category, spanish, n)
            submit_answers(
                survey.id,
                answers,
                organization_id=org.id,
                language="es" if spanish else "en",
                submission_key=f"demo-2026-{n:03d}",
            )
    _drafts(survey, ctx, rng)
    with _mail_links():
        remind(survey.id, actor_id=None)
    _spread_dates(survey.id, rng, datetime(2026, 9, 3, tzinfo=UTC), 80)
    update_survey(
        survey.id,
        actor_id=None,
        opens_at=datetime(2026, 9, 1, 9, tzinfo=UTC),
        closes_at=datetime(2026, 12, 15, 23, 59, tzinfo=UTC),
    )
    _previous(ctx, rng)


def _mail_links():
    """A request context so e-mailed links work without SERVER_BASE_URL (local demo default)."""
    base = current_app.config.get("SERVER_BASE_URL") or "http://localhost:5000"
    return current_app.test_request_context(base_url=base)


def _build(consultation_id: int, pages, title_en: str, title_es: str) -> Survey:
    survey = create_survey(
        consultation_id,
        actor_id=None,
        title={"en": title_en, "es": title_es},
        introduction={
            "en": "The State Interagency Task Force on Trafficking in Persons must measure the "
            "state's progress and inventory services for victims. Your answers shape its report "
            "and recommendations to the legislature.",
            "es": "El Grupo de Trabajo Interinstitucional del Estado sobre la Trata de Personas "
            "debe medir los avances del estado e inventariar los servicios para víctimas. Sus "
            "respuestas darán forma a su informe y recomendaciones a la legislatura.",
        },
        privacy={
            "en": "Task force staff read every response. Ratings are reported only in totals. "
            "Answers to open questions may be quoted in the public report with the kind of "
            "organization, never with your name or e-mail address.",
            "es": "El personal del grupo de trabajo lee todas las respuestas. Las valoraciones "
            "solo se publican en totales. Las respuestas abiertas pueden citarse en el informe "
            "público indicando el tipo de organización, nunca su nombre ni su correo.",
        },
        languages=["en", "es"],
        one_response_per_organization=False,
        allow_edit_after_submit=True,
        estimated_minutes=20,
    )
    for index, (title, intro, condition, questions) in enumerate(pages):
        if index == 0:
            section = survey.sections[0]
            update_section(section.id, actor_id=None, title=title, introduction=intro or {})
        else:
            section = add_section(
                survey.id, actor_id=None, title=title, introduction=intro or {}, condition=condition
            )
        for spec in questions:
            add_question(section.id, actor_id=None, **spec)
    set_status(survey.id, "open", actor_id=None)
    return load_structure(survey.id)


class _Picker:
    """Draws texts from pools in a shuffled order, so repeats are rare (but possible)."""

    def __init__(self, rng):
        self.rng = rng
        self.queues: dict[int, list] = {}

    def take(self, pool: list[str]) -> str:
        queue = self.queues.get(id(pool))
        if not queue:
            queue = list(pool)
            self.rng.shuffle(queue)
            self.queues[id(pool)] = queue
        return queue.pop()


def _answers(rng, picker: _Picker, category: str, spanish: bool, n: int) -> dict:
    answers: dict = {
        "respondent_role": (
            "Coordinadora de programas" if spanish else picker.take(text.ROLES[category])
        ),
        "staff_count": rng.choice([2, 3, 5, 8, 12, 20, 35, 60]),
        "regions": rng.sample(
            [r.lower().replace(" ", "_") for r in REGIONS], k=rng.choice([1, 1, 2])
        )
        + (["statewide"] if category == "state_agency" else []),
        "services": _services(rng, category),
        "served_labor": rng.choice([0, 0, 2, 4, 7, 11, 19, 30]),
        "served_sex": rng.choice([0, 1, 3, 6, 9, 14, 25]),
        "collaborates": "yes" if rng.random() < 0.8 else "no",
    }
    answers["served_minors"] = min(answers["served_sex"], rng.choice([0, 1, 2, 4]))
    for code, mean in zip(
        ("progress_prevention", "progress_protection", "progress_prosecution"),
        RATINGS[category],
        strict=True,
    ):
        answers[code] = str(max(1, min(5, mean + rng.choice([-1, 0, 0, 1]))))
    if rng.random() < 0.5:
        answers["progress_comment"] = picker.take(text.PROGRESS_COMMENTS[category])
    if answers["collaborates"] == "yes" and rng.random() < 0.7:
        pool = text.COLLABORATION_ES if spanish else text.COLLABORATION[category]
        answers["collaboration_works"] = picker.take(pool)
    approaches = rng.sample(
        ["posters", "social_media", "radio", "professional_training", "schools", "workplaces"],
        k=rng.choice([0, 1, 2, 3]),
    )
    if rng.random() < 0.2:
        approaches.append("other")
        answers["awareness.other"] = picker.take(text.AWARENESS_OTHER)
    answers["awareness"] = approaches
    answers["awareness_reach"] = rng.choice(["under_500", "500_5000", "over_5000", "unknown", ""])
    statute = rng.choice(STATUTES.get(category, ["partly", "unsure", "inadequate"]))
    answers["statutes_adequacy"] = statute
    if statute == "inadequate":
        pool = text.STATUTE_REVISIONS_ES if spanish else text.STATUTE_REVISIONS[category]
        answers["statutes_revisions"] = picker.take(pool)
    _open_questions(answers, rng, picker, category, spanish, n)
    if rng.random() < 0.6:
        answers["contact_email"] = f"respondent{n}@example.org"
    return answers


def _open_questions(answers, rng, picker, category, spanish, n) -> None:
    if spanish:
        answers["gaps"] = picker.take(text.GAPS_ES)
        answers["barriers"] = picker.take(text.BARRIERS_ES) if rng.random() < 0.8 else ""
        answers["recommendations"] = picker.take(text.RECOMMENDATIONS_ES)
        return
    if rng.random() < 0.9:
        answers["gaps"] = picker.take(text.GAPS[category])
    if rng.random() < 0.75:
        answers["barriers"] = picker.take(text.BARRIERS[category])
    if category == "ngo" and n % 3 != 1:
        answers["recommendations"] = picker.take(text.CAMPAIGN)
    elif rng.random() < 0.85:
        answers["recommendations"] = picker.take(text.RECOMMENDATIONS[category])


def _services(rng, category: str) -> dict:
    out = {}
    for key, _en, _es in SERVICE_AREAS:
        if key in PROVIDED[category] and rng.random() < 0.85:
            out[key] = "provide"
        elif key == "voluntary_repatriation":
            out[key] = "not_available" if rng.random() < 0.7 else "refer"
        else:
            out[key] = "refer" if rng.random() < 0.7 else "not_available"
    return out


def _drafts(survey: Survey, ctx, rng) -> None:
    """Three organizations have started another response and saved it part-way."""
    for name, language, role in (
        ("Safe Landing Youth Shelter", "en", "Youth advocate"),
        ("Coastal Free Clinic", "en", "Clinic nurse"),
        ("Farmworker Justice Project", "es", "Promotora comunitaria"),
    ):
        org = ctx.organizations[name]
        response = Response(
            survey_id=survey.id,
            organization_id=org.id,
            language=language,
            survey_version=survey.version,
        )
        db.session.add(response)
        db.session.commit()
        save_page(
            response.id,
            0,
            {
                "respondent_role": role,
                "staff_count": str(rng.choice([3, 6, 9])),
                "regions": ["coastal"],
            },
            language=language,
            check=False,
        )


def _spread_dates(survey_id: int, rng, start: datetime, days: int) -> None:
    """Give submitted responses realistic submission times over the survey's open weeks."""
    ids = db.session.scalars(select(Response.id).where(Response.survey_id == survey_id)).all()
    for rid in ids:
        when = start + timedelta(days=rng.randrange(days), minutes=rng.randrange(8 * 60) + 8 * 60)
        db.session.execute(
            update(Response)
            .where(Response.id == rid, Response.submitted_at.is_not(None))
            .values(submitted_at=when, created_at=when - timedelta(minutes=rng.randrange(15, 90)))
        )
    db.session.commit()


def _previous(ctx, rng) -> None:
    """The 2025 wave: the same progress questions, 20 responses, now closed."""
    survey = _build(
        ctx.previous.id,
        PREVIOUS_PAGES,
        "2025 stakeholder survey",
        "Encuesta 2025 a las partes interesadas",
    )
    picker = _Picker(rng)
    orgs = [o for o in ctx.organizations.values() if o.name not in NON_RESPONDENTS][:20]
    for n, org in enumerate(orgs, start=1):
        category = CATEGORY[org.kind.value]
        answers = {"respondent_role": picker.take(text.ROLES[category])}
        for code, mean in zip(
            ("progress_prevention", "progress_protection", "progress_prosecution"),
            RATINGS[category],
            strict=True,
        ):
            lower = mean - (1 if code != "progress_protection" else 0)
            answers[code] = str(max(1, min(5, lower + rng.choice([-1, 0, 0, 1]))))
        spanish = org.name in SPANISH_ORGS
        if rng.random() < 0.8:
            answers["gaps"] = picker.take(text.GAPS_ES if spanish else text.PREVIOUS_GAPS[category])
        submit_answers(
            survey.id,
            answers,
            organization_id=org.id,
            language="es" if spanish else "en",
            submission_key=f"demo-2025-{n:03d}",
        )
    _spread_dates(survey.id, rng, datetime(2025, 9, 8, tzinfo=UTC), 60)
    update_survey(
        survey.id,
        actor_id=None,
        opens_at=datetime(2025, 9, 1, 9, tzinfo=UTC),
        closes_at=datetime(2025, 11, 30, 23, 59, tzinfo=UTC),
    )
    set_status(survey.id, "closed", actor_id=None)
