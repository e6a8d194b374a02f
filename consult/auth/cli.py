"""`flask users ...` commands."""

import click
from flask import current_app
from sqlalchemy import func, select

from consult.auth.roles import Role
from consult.auth.services import AccountError, create_user, issue_token
from consult.extensions import db
from consult.orgs.models import Organization


@click.group("users", help="Manage user accounts.")
def users():
    pass


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--organization", default=None, help="Organization name (respondents).")
def create(email, name, role, organization):
    """Create a user and print a one-time link to set the password."""
    org_id = None
    if organization:
        org_id = db.session.scalar(
            select(Organization.id).where(func.lower(Organization.name) == organization.lower())
        )
        if org_id is None:
            raise click.ClickException(f"No organization called {organization!r}.")
    try:
        user = create_user(email=email, name=name, role=Role(role), organization_id=org_id)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    raw = issue_token(user, "invite", current_app.config["INVITATION_TTL"])
    db.session.commit()
    base = (current_app.config.get("SERVER_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    click.echo(f"Created {user.email} ({role}). Set the password within 14 days at:")
    click.echo(f"{base}/auth/invitations/{raw}")


COMMANDS = [users]
