"""`flask hearings summary HEARING_ID --edition internal|public --out FILE.pdf`."""

from pathlib import Path

import click

from consult.extensions import db


@click.group("hearings", help="Hearings: summaries and other commands.")
def hearings():
    """Hearing commands."""


@hearings.command("summary", help="Write a hearing summary PDF.")
@click.argument("hearing_id", type=int)
@click.option(
    "--edition", type=click.Choice(["internal", "public"]), default="public", show_default=True
)
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), required=True)
def summary(hearing_id: int, edition: str, out: str):
    from consult.audit import record
    from consult.hearings.models import Hearing
    from consult.hearings.summary import summary_pdf

    hearing = db.session.get(Hearing, hearing_id)
    if hearing is None:
        raise click.ClickException(f"There is no hearing {hearing_id}.")
    pdf = summary_pdf(hearing.id, edition)
    Path(out).write_bytes(pdf)
    record(
        "hearing.summary",
        object_type="hearing",
        object_id=hearing.id,
        consultation_id=hearing.consultation_id,
        detail={"edition": edition, "format": "pdf", "via": "cli"},
    )
    db.session.commit()
    click.echo(f"Wrote the {edition} summary of “{hearing.title}” to {out} ({len(pdf):,} bytes).")


COMMANDS = [hearings]
