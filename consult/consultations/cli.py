"""`flask consultations ...` commands."""

import click
from sqlalchemy import select

from consult.consultations.models import Consultation
from consult.consultations.services import ConsultationError, counts_for, create_consultation
from consult.extensions import db


@click.group("consultations", help="Create and list consultations.")
def consultations():
    pass


@consultations.command("create")
@click.option("--title", required=True)
@click.option("--slug", required=True)
@click.option("--wave-of", "wave_of", default=None, help="Slug of the earlier consultation.")
@click.option("--languages", default="en", help="Comma-separated, default first (e.g. en,es).")
def create(title, slug, wave_of, languages):
    """Create a consultation."""
    try:
        c = create_consultation(
            title=title, slug=slug, wave_of_slug=wave_of, languages=languages.split(",")
        )
    except ConsultationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created consultation {c.slug} (id {c.id}).")


@consultations.command("list")
def list_():
    """List consultations with their counts."""
    rows = db.session.scalars(select(Consultation).order_by(Consultation.created_at)).all()
    counts = counts_for([c.id for c in rows])
    for c in rows:
        extra = ", ".join(f"{n} {k.lower()}" for k, n in counts[c.id].items())
        click.echo(f"{c.slug}\t{c.stage.value}\t{c.title}\t{extra}")


COMMANDS = [consultations]
