"""Demo organizations, accounts and the two consultation waves (all fictional)."""

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

from flask import current_app

from consult.auth.models import User
from consult.auth.roles import Role
from consult.auth.services import create_user
from consult.consultations.models import Consultation
from consult.consultations.services import by_slug, create_consultation
from consult.orgs.models import Organization
from consult.orgs.services import save_organization

SLUG = "2026-stakeholder-consultation"
PREVIOUS_SLUG = "2025-stakeholder-consultation"
BODY = "State Interagency Task Force on Trafficking in Persons"

# name, kind, region, listed publicly
ORGANIZATIONS = [
    ("Department of Children and Families", "state_agency", "Capital", True),
    ("Department of Labor, Wage and Workplace Standards", "state_agency", "Capital", True),
    ("Department of Public Health", "state_agency", "Capital", True),
    ("State Department of Education", "state_agency", "Capital", True),
    ("Office of Victim Services", "state_agency", "Capital", True),
    ("State Police Special Investigations Unit", "law_enforcement", "Capital", True),
    ("Riverton Police Department", "law_enforcement", "River Valley", True),
    ("Port Haven Police Department", "law_enforcement", "Coastal", False),
    ("Office of the Chief State's Attorney", "law_enforcement", "Capital", True),
    ("Statewide Coalition Against Trafficking", "ngo", "Capital", True),
    ("New Roots Refugee and Immigrant Services", "ngo", "River Valley", True),
    ("Harbor House Domestic Violence Shelter", "service_provider", "Coastal", False),
    ("Safe Landing Youth Shelter", "service_provider", "North Hills", True),
    ("Survivors Rising Network", "ngo", "Coastal", False),
    ("Northern Legal Aid Society", "legal_aid", "North Hills", True),
    ("Farmworker Justice Project", "legal_aid", "Eastern Plains", True),
    ("Eastside Community Health Center", "health", "River Valley", True),
    ("Coastal Free Clinic", "health", "Coastal", True),
    ("Interfaith Refugee Ministry", "faith_community", "Eastern Plains", True),
    ("Eastern Plains Family Resource Center", "faith_community", "Eastern Plains", False),
    ("State University Center for Human Rights Research", "academic", "Capital", True),
    ("Agricultural Employers Association", "other", "Eastern Plains", True),
    # invited to the survey but do not respond (so response rates are realistic)
    ("Lakeshore County Sheriff's Office", "law_enforcement", "Coastal", True),
    ("Migrant Education Program, Region 3", "state_agency", "Eastern Plains", True),
    ("River Valley Workers' Centre", "ngo", "River Valley", True),
]

ACCOUNTS = [
    ("admin@demo.consult", "Alex Admin", Role.ADMIN, None),
    ("staff@demo.consult", "Sam Staff", Role.STAFF, None),
    ("coder2@demo.consult", "Casey Coder", Role.STAFF, None),
    ("facilitator@demo.consult", "Frances Facilitator", Role.FACILITATOR, None),
    (
        "respondent@demo.consult",
        "Rosa Respondent",
        Role.RESPONDENT,
        "Statewide Coalition Against Trafficking",
    ),
]


@dataclass
class DemoContext:
    """What each feature's demo step builds on."""

    consultation: Consultation
    previous: Consultation
    organizations: dict[str, Organization]
    users: dict[str, User]
    rng: Random = field(default_factory=lambda: Random(2026))  # noqa: S311 - demo data only


def load_foundation() -> tuple[DemoContext, dict[str, str]]:
    """Create organizations, accounts and consultations; return the context and passwords."""
    orgs = {}
    for name, kind, region, listed in ORGANIZATIONS:
        orgs[name] = save_organization(
            None,
            {
                "name": name,
                "kind": kind,
                "region": region,
                "listed_publicly": listed,
                "contact_name": "Program Director",
                "contact_email": _email(name),
            },
            actor_id=None,
        )
    passwords: dict[str, str] = {}
    users: dict[str, User] = {}
    for email, name, role, org_name in ACCOUNTS:
        pw = "-".join(secrets.token_urlsafe(6) for _ in range(3))
        users[email] = create_user(
            email=email,
            name=name,
            role=role,
            organization_id=orgs[org_name].id if org_name else None,
            password=pw,
        )
        passwords[email] = pw
    previous = create_consultation(
        title="2025 stakeholder consultation",
        slug=PREVIOUS_SLUG,
        body=BODY,
        stage="published",
        languages=["en", "es"],
        purpose="First statewide consultation of governmental and nongovernmental organizations.",
    )
    from datetime import date

    current = create_consultation(
        title="2026 stakeholder consultation",
        slug=SLUG,
        wave_of_slug=PREVIOUS_SLUG,
        body=BODY,
        stage="open",
        languages=["en", "es"],
        opens_on=date(2026, 9, 1),
        closes_on=date(2026, 12, 15),
        retention_until=date(2031, 12, 31),
        purpose=(
            "The task force must collect data on trafficking in the state, measure progress in "
            "prevention, protection and prosecution, inventory services for victims and report "
            "recommendations to the legislature. This consultation asks the organizations that "
            "do the work, and the public, what they see."
        ),
    )
    return DemoContext(current, previous, orgs, users), passwords


def _email(name: str) -> str:
    slug = "".join(ch for ch in name.lower() if ch.isalnum())[:20]
    return f"contact@{slug}.example.org"


def write_credentials(passwords: dict[str, str]) -> Path:
    path = Path(current_app.instance_path) / "demo-credentials.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write("Demo accounts (generated on first run; the demo data is fictional)\n")
        for email, _name, role, _org in ACCOUNTS:
            fh.write(f"{role.value:12} {email:28} {passwords[email]}\n")
    os.chmod(path, 0o600)
    return path


def existing() -> Consultation | None:
    return by_slug(SLUG)
