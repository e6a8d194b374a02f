"""Results/exports test data: a survey with every question type and responses written via the ORM.

Import the fixtures into a test module (`from tests.surveys.survey_data import full_survey, orgs`).
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from consult.extensions import db
from consult.surveys.models import (
    Answer,
    Choice,
    Question,
    QuestionType,
    Response,
    ResponseStatus,
    Section,
    Survey,
    SurveyStatus,
)

T = QuestionType


def _choices(pairs):
    return [
        Choice(position=i, value=v, label={"en": en, "es": es})
        for i, (v, en, es) in enumerate(pairs)
    ]


SERVICES = [
    ("health", "Health care", "Salud"),
    ("housing", "Housing", "Vivienda"),
    ("legal", "Legal", "Legal"),
]


def build_full_survey(consultation) -> Survey:
    """A bilingual survey with one question of every type, built directly with the models."""
    s = Survey(
        consultation_id=consultation.id,
        title={"en": "Services survey", "es": "Encuesta de servicios"},
        introduction={"en": "About your services.", "es": "Sobre sus servicios."},
        languages=["en", "es"],
        status=SurveyStatus.OPEN,
        one_response_per_organization=False,
    )
    first = Section(position=0, title={"en": "Profile", "es": "Perfil"})
    second = Section(
        position=1,
        title={"en": "Services", "es": "Servicios"},
        condition={
            "combine": "all",
            "rules": [{"question": "funded", "op": "equals", "value": "yes"}],
        },
    )
    s.sections = [first, second]
    db.session.add(s)
    db.session.flush()
    specs = [
        (
            first,
            "intro",
            T.NOTE,
            "Please answer for your organization.",
            "Responda por su organización.",
            {},
        ),
        (
            first,
            "org_name",
            T.SHORT_TEXT,
            "Organization name",
            "Nombre",
            {"required": True, "validation": {"max_length": 200}},
        ),
        (first, "founded", T.DATE, "Founded on", "Fundada el", {}),
        (
            first,
            "contact",
            T.EMAIL,
            "Contact e-mail",
            "Correo",
            {"help": {"en": "We reply here", "es": "Respondemos aquí"}},
        ),
        (
            first,
            "people",
            T.NUMBER,
            "People served",
            "Personas atendidas",
            {
                "options": {"integer": True},
                "validation": {"min": 0, "max": 10000, "message": {"en": "0 to 10,000"}},
            },
        ),
        (first, "funded", T.YES_NO, "Publicly funded?", "¿Financiación pública?", {}),
        (
            first,
            "main",
            T.SINGLE_CHOICE,
            "Main service",
            "Servicio principal",
            {"options": {"display": "dropdown"}, "choices": _choices(SERVICES)},
        ),
        (
            second,
            "services",
            T.MULTIPLE_CHOICE,
            "Services offered",
            "Servicios ofrecidos",
            {
                "options": {"other": True},
                "choices": _choices(SERVICES),
                "condition": {
                    "combine": "any",
                    "rules": [
                        {"question": "people", "op": "gt", "value": 0},
                        {"question": "main", "op": "any_of", "value": ["health", "legal"]},
                    ],
                },
            },
        ),
        (
            second,
            "progress",
            T.LIKERT,
            "Progress in prevention",
            "Progreso en prevención",
            {
                "options": {
                    "points": 5,
                    "labels": {
                        "en": ["Very poor", "Poor", "Fair", "Good", "Very good"],
                        "es": ["Muy malo", "Malo", "Regular", "Bueno", "Muy bueno"],
                    },
                }
            },
        ),
        (
            second,
            "coverage",
            T.MATRIX,
            "Services by area",
            "Servicios por área",
            {
                "options": {
                    "rows": [
                        {"key": "health", "labels": {"en": "Health", "es": "Salud"}},
                        {"key": "housing", "labels": {"en": "Housing", "es": "Vivienda"}},
                    ]
                },
                "choices": _choices(
                    [
                        ("provide", "Provide", "Presta"),
                        ("refer", "Refer", "Deriva"),
                        ("none", "Not available", "No disponible"),
                    ]
                ),
            },
        ),
        (
            second,
            "priorities",
            T.RANKING,
            "Rank the priorities",
            "Ordene las prioridades",
            {
                "choices": _choices(
                    [
                        ("prevention", "Prevention", "Prevención"),
                        ("protection", "Protection", "Protección"),
                        ("prosecution", "Prosecution", "Enjuiciamiento"),
                    ]
                )
            },
        ),
        (second, "gaps", T.LONG_TEXT, "Gaps in services", "Carencias", {}),
    ]
    for pos, (section, code, qtype, en, es, extra) in enumerate(specs):
        db.session.add(
            Question(
                survey_id=s.id,
                section_id=section.id,
                position=pos,
                code=code,
                type=qtype,
                text={"en": en, "es": es},
                **extra,
            )
        )
    db.session.commit()
    return s


def questions_by_code(survey) -> dict[str, Question]:
    rows = db.session.scalars(select(Question).where(Question.survey_id == survey.id)).all()
    return {q.code: q for q in rows}


def add_response(
    survey,
    organization=None,
    *,
    answers: dict,
    status="submitted",
    language="en",
    is_test=False,
    submitted_at=None,
) -> Response:
    """Write one response with answers given as {code: value} in the stored shape."""
    r = Response(
        survey_id=survey.id,
        organization_id=organization.id if organization else None,
        language=language,
        status=ResponseStatus(status),
        is_test=is_test,
        submitted_at=(submitted_at or datetime(2026, 3, 1, tzinfo=UTC))
        if status == "submitted"
        else None,
    )
    db.session.add(r)
    db.session.flush()
    rows = answer_rows(questions_by_code(survey), r.id, answers)
    if rows:
        db.session.execute(insert(Answer), rows)
    db.session.commit()
    return r


def answer_rows(qs, response_id, answers: dict) -> list[dict]:
    """Answer rows for one response (see the Answer model docstring for the shape per type)."""
    rows = []

    def row(code, **kw):
        base = {
            "response_id": response_id,
            "question_id": qs[code].id,
            "row_key": "",
            "choice": "",
            "value_text": None,
            "value_number": None,
            "value_date": None,
        }
        base.update(kw)
        rows.append(base)

    for code, value in answers.items():
        t = qs[code].type
        if t in (T.SHORT_TEXT, T.LONG_TEXT, T.EMAIL):
            row(code, value_text=value)
        elif t is T.NUMBER:
            row(code, value_number=value)
        elif t is T.DATE:
            row(code, value_date=value)
        elif t in (T.SINGLE_CHOICE, T.YES_NO):
            row(code, choice=value)
        elif t is T.LIKERT:
            row(code, choice=str(value), value_number=value)
        elif t is T.MULTIPLE_CHOICE:
            for v in value:
                if isinstance(v, tuple):  # ("other", "free text")
                    row(code, choice=v[0], value_text=v[1])
                else:
                    row(code, choice=v)
        elif t is T.MATRIX:
            for key, col in value.items():
                row(code, row_key=key, choice=col)
        elif t is T.RANKING:
            for item, rank in value.items():
                row(code, row_key=item, value_number=rank)
    return rows


def generated_answers(i: int) -> dict:
    """Deterministic complete answers for response number i."""
    return {
        "org_name": f"Organization {i}",
        "founded": date(2000, 1, 1) + timedelta(days=i),
        "contact": f"contact{i}@example.org",
        "people": i % 7 * 10,
        "funded": "yes" if i % 2 else "no",
        "main": ["health", "housing", "legal"][i % 3],
        "services": ["health", "legal"] if i % 2 else ["housing", ("other", f"Interpreting {i}")],
        "progress": i % 5 + 1,
        "coverage": {"health": "provide", "housing": ["refer", "none"][i % 2]},
        "priorities": {
            "prevention": 1 + i % 3,
            "protection": 1 + (i + 1) % 3,
            "prosecution": 1 + (i + 2) % 3,
        },
        "gaps": f"We need more shelter beds ({i}).",
    }


def add_many_responses(survey, organizations, n: int, start: int = 0) -> None:
    """n submitted responses spread over the organizations, bulk inserted."""
    qs = questions_by_code(survey)
    when = datetime(2026, 3, 1, tzinfo=UTC)
    for i in range(start, start + n):
        r = Response(
            survey_id=survey.id,
            organization_id=organizations[i % len(organizations)].id,
            language="es" if i % 4 == 0 else "en",
            status=ResponseStatus.SUBMITTED,
            submitted_at=when,
        )
        db.session.add(r)
        db.session.flush()
        db.session.execute(insert(Answer), answer_rows(qs, r.id, generated_answers(i)))
    db.session.commit()


@pytest.fixture
def full_survey(factory):
    consultation = factory.consultation(title="Trafficking consultation", slug="tip-2026")
    return build_full_survey(consultation)


@pytest.fixture
def orgs(factory):
    return [
        factory.organization(
            "Shelter North", kind="ngo", region="North", contact_email="north@shelter.example"
        ),
        factory.organization(
            "State Police",
            kind="law_enforcement",
            region="South",
            contact_email="desk@police.example",
        ),
        factory.organization(
            "Legal Aid South", kind="legal_aid", region="South", contact_email="help@legal.example"
        ),
    ]
