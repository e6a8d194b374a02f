"""`flask demo`: load the demo consultation once (idempotent)."""

import importlib
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from consult.audit import AuditEvent, record
from consult.demo import foundation
from consult.extensions import db

# Each feature may provide consult.<feature>.demo.load(ctx: DemoContext); run in this order.
FEATURE_STEPS = ["surveys", "hearings", "coding", "reports"]


@click.command("demo", help="Load the demo consultation (does nothing if it is already there).")
def demo():
    if foundation.existing() is not None:
        if not _finished():
            raise click.ClickException(
                "An earlier demo load stopped half-way. Remove the database "
                "(instance/consult.db) and run `make run` again."
            )
        click.echo("The demo consultation is already loaded.")
        _print_credentials()
        return
    ctx, passwords = foundation.load_foundation()
    for name in FEATURE_STEPS:
        try:
            module = importlib.import_module(f"consult.{name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"consult.{name}.demo":
                raise
            continue
        click.echo(f"Loading demo {name}...")
        module.load(ctx)
    foundation.write_credentials(passwords)
    record(
        "demo.loaded",
        object_type="consultation",
        object_id=ctx.consultation.id,
        consultation_id=ctx.consultation.id,
    )
    db.session.commit()
    click.echo(f"Demo consultation loaded: {ctx.consultation.title}.")
    _print_credentials()


def _finished() -> bool:
    """The last step records `demo.loaded`; without it an earlier run failed part-way."""
    return (
        db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "demo.loaded"))
        is not None
    )


def _print_credentials():
    path = Path(current_app.instance_path) / "demo-credentials.txt"
    if path.exists():
        click.echo(path.read_text())
        click.echo(f"(kept in {path}, readable only by you)")


COMMANDS = [demo]
