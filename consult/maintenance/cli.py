"""`flask backup`, `flask restore`, `flask retention run` and `flask data ...` commands."""

from datetime import date

import click
from sqlalchemy import func, select

from consult.extensions import db
from consult.maintenance import backup as backup_mod
from consult.maintenance import erasure
from consult.maintenance.export import export_organization
from consult.maintenance.uploads import uploads


@click.command("backup", help="Write a consistent backup (database and uploads) to one .tar.gz.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False))
def backup(out):
    try:
        manifest = backup_mod.make_backup(out)
    except backup_mod.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(manifest["tables"].values())
    click.echo(
        f"Backup written to {out}: {rows} rows in {len(manifest['tables'])} tables, "
        f"{len(manifest['files'])} files ({manifest['database']})."
    )


@click.command("restore", help="Restore a backup into this instance, which must be empty.")
@click.argument("file", type=click.Path(dir_okay=False))
def restore(file):
    try:
        manifest = backup_mod.restore_backup(file)
    except backup_mod.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(manifest["tables"].values())
    click.echo(
        f"Restored {rows} rows and {len(manifest['files'])} files from {manifest['created_at']}; "
        "counts and checksums verified. Run `flask db upgrade heads` if the code is newer."
    )


@click.group("retention", help="Delete personal data past each consultation's retention date.")
def retention():
    pass


@retention.command("run")
@click.option("--dry-run", is_flag=True, help="Only list the consultations that would be purged.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
def retention_run(dry_run, today):
    """Purge responses, testimony, uploads, passages, codings and report files past retention."""
    day = today.date() if today else date.today()
    done = erasure.run_retention(day, dry_run=dry_run)
    if not done:
        click.echo("No consultation is past its retention date.")
    for slug, counts in done:
        if dry_run:
            click.echo(f"{slug}: past retention (dry run, nothing deleted)")
        else:
            click.echo(f"{slug}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@click.group("data", help="Erase or export personal data on request.")
def data():
    pass


def _org_id(name: str) -> int:
    from consult.orgs.models import Organization

    org_id = db.session.scalar(
        select(Organization.id).where(func.lower(Organization.name) == name.strip().lower())
    )
    if org_id is None:
        raise click.ClickException(f"No organization called {name!r}.")
    return org_id


@data.command("erase-person")
@click.option("--email", required=True)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_person(email, yes):
    """Delete one person's responses, testimony, derived passages and codings, and account."""
    if not yes:
        click.confirm(f"Delete everything held about {email}? This cannot be undone", abort=True)
    try:
        counts = erasure.erase_person(email)
    except (LookupError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("Deleted: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@data.command("erase-organization")
@click.option("--name", required=True)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_organization(name, yes):
    """Delete an organization with its responses, testimony, passages and its own accounts."""
    org_id = _org_id(name)
    if not yes:
        click.confirm(
            f"Delete {name} and everything it submitted? This cannot be undone", abort=True
        )
    counts = erasure.erase_organization(org_id)
    click.echo("Deleted: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@data.command("export-organization")
@click.option("--name", required=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False))
def export_org(name, out):
    """Write everything held about an organization to a zip of JSON and CSV files."""
    counts = export_organization(_org_id(name), out)
    click.echo(f"Exported to {out}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


COMMANDS = [backup, restore, retention, data, uploads]
