"""Survey fixtures: a survey with every question type, invitations made directly."""

import secrets
from datetime import timedelta

import pytest

from consult.auth.services import token_hash
from consult.extensions import db
from consult.models import utcnow
from consult.surveys import questions as q
from consult.surveys import services
from consult.surveys.models import SurveyInvitation


def build_survey(
    consultation, *, one_per_org=True, allow_edit=False, anonymous=False, status="open"
):
    """Three pages: profile (text, email, choice, yes/no, number, date), views, follow-up."""
    s = services.create_survey(
        consultation.id,
        actor_id=None,
        title={"en": "Task force survey", "es": "Encuesta del grupo de trabajo"},
        introduction={"en": "Tell us what you see.", "es": "Cuéntenos lo que ve."},
        languages=["en", "es"],
        one_response_per_organization=one_per_org,
        allow_edit_after_submit=allow_edit,
        allow_anonymous=anonymous,
        estimated_minutes=10,
    )
    p1 = s.sections[0]
    services.update_section(p1.id, actor_id=None, title={"en": "About you", "es": "Sobre usted"})
    q.add_question(
        p1.id,
        actor_id=None,
        code="name",
        type="short_text",
        required=True,
        text={"en": "Your name", "es": "Su nombre"},
        help={"en": "As you sign letters", "es": "Como firma sus cartas"},
    )
    q.add_question(
        p1.id,
        actor_id=None,
        code="email",
        type="email",
        text={"en": "E-mail", "es": "Correo electrónico"},
    )
    q.add_question(
        p1.id,
        actor_id=None,
        code="sector",
        type="single_choice",
        required=True,
        text={"en": "Sector", "es": "Sector"},
        choices=[
            ("gov", {"en": "Government", "es": "Gobierno"}),
            ("ngo", {"en": "NGO", "es": "ONG"}),
        ],
    )
    q.add_question(
        p1.id,
        actor_id=None,
        code="staff",
        type="number",
        options={"integer": True},
        validation={"min": 0, "max": 10000},
        text={"en": "Staff", "es": "Personal"},
    )
    q.add_question(
        p1.id, actor_id=None, code="founded", type="date", text={"en": "Founded", "es": "Fundada"}
    )
    p2 = services.add_section(
        s.id, actor_id=None, title={"en": "Your views", "es": "Sus opiniones"}
    )
    q.add_question(
        p2.id,
        actor_id=None,
        code="statutes",
        type="single_choice",
        required=True,
        text={"en": "Are the statutes adequate?", "es": "¿Son adecuadas las leyes?"},
        choices=[
            ("adequate", {"en": "Adequate", "es": "Adecuadas"}),
            ("inadequate", {"en": "Inadequate", "es": "Inadecuadas"}),
        ],
    )
    q.add_question(
        p2.id,
        actor_id=None,
        code="statutes_why",
        type="long_text",
        required=True,
        text={"en": "What should change?", "es": "¿Qué debería cambiar?"},
        condition={
            "combine": "all",
            "rules": [{"question": "statutes", "op": "equals", "value": "inadequate"}],
        },
    )
    q.add_question(
        p2.id,
        actor_id=None,
        code="progress",
        type="likert",
        options={"points": 5, "labels": {"en": ["Poor", "", "", "", "Excellent"]}},
        text={"en": "Progress", "es": "Progreso"},
    )
    q.add_question(
        p2.id,
        actor_id=None,
        code="awareness",
        type="multiple_choice",
        options={"other": True},
        text={"en": "Awareness approaches", "es": "Enfoques de sensibilización"},
        choices=[
            ("posters", {"en": "Posters", "es": "Carteles"}),
            ("radio", {"en": "Radio", "es": "Radio"}),
        ],
    )
    q.add_question(
        p2.id,
        actor_id=None,
        code="services",
        type="matrix",
        text={"en": "Services", "es": "Servicios"},
        rows=[
            ("housing", {"en": "Housing", "es": "Vivienda"}),
            ("legal", {"en": "Legal", "es": "Legal"}),
        ],
        choices=[
            ("provide", {"en": "Provide", "es": "Presta"}),
            ("refer", {"en": "Refer", "es": "Deriva"}),
        ],
    )
    q.add_question(
        p2.id,
        actor_id=None,
        code="priorities",
        type="ranking",
        text={"en": "Rank priorities", "es": "Ordene prioridades"},
        choices=[
            ("prevention", {"en": "Prevention", "es": "Prevención"}),
            ("protection", {"en": "Protection", "es": "Protección"}),
        ],
    )
    q.add_question(
        p2.id,
        actor_id=None,
        code="collab",
        type="yes_no",
        text={"en": "Do you collaborate?", "es": "¿Colabora?"},
    )
    p3 = services.add_section(
        s.id,
        actor_id=None,
        title={"en": "Government only", "es": "Solo gobierno"},
        condition={"rules": [{"question": "sector", "op": "equals", "value": "gov"}]},
    )
    q.add_question(
        p3.id,
        actor_id=None,
        code="budget",
        type="number",
        text={"en": "Budget", "es": "Presupuesto"},
    )
    if status != "draft":
        services.set_status(s.id, status, actor_id=None)
    return services.load_structure(s.id)


def make_invitation(survey, organization, email="contact@example.org", **kw):
    token = secrets.token_urlsafe(16)
    inv = SurveyInvitation(
        survey_id=survey.id,
        organization_id=organization.id,
        email=email,
        token_hash=token_hash(token),
        **kw,
    )
    db.session.add(inv)
    db.session.commit()
    return token, inv


COMPLETE = {
    "name": "Ana",
    "sector": "ngo",
    "statutes": "adequate",
    "progress": "4",
    "awareness": ["posters", "other"],
    "awareness.other": "Radio spots in Mixteco",
    "services": {"housing": "provide", "legal": "refer"},
    "priorities": {"prevention": "1", "protection": "2"},
    "collab": "yes",
}


@pytest.fixture
def consultation(factory):
    return factory.consultation()


@pytest.fixture
def survey(consultation):
    return build_survey(consultation)


@pytest.fixture
def invitation(survey, factory):
    org = factory.organization("Harbor House", kind="service_provider")
    token, inv = make_invitation(survey, org)
    return token, inv, org


def past(days=1):
    return utcnow() - timedelta(days=days)


def future(days=1):
    return utcnow() + timedelta(days=days)


# Results, exports and distribution fixtures (full_survey, orgs) live in survey_data.py.
from tests.surveys.survey_data import full_survey, orgs  # noqa: E402,F401
