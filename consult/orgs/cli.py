"""`flask organizations ...` commands."""

from pathlib import Path

import click

from consult.orgs.services import OrganizationError, import_csv


@click.group("organizations", help="Manage organizations.")
def organizations():
    pass


@organizations.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
def import_(file):
    """Import organizations from a CSV (name,kind,region,contact_name,contact_email,contact_phone)."""
    path = Path(file)
    if not path.exists():
        raise click.ClickException(f"No such file: {file}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException("The file is not UTF-8 text; save it as CSV UTF-8.") from exc
    try:
        created, updated, problems = import_csv(text, actor_id=None)
    except OrganizationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{created} created, {updated} updated, {len(problems)} skipped.")
    for p in problems:
        click.echo(f"  {p}")


COMMANDS = [organizations]
