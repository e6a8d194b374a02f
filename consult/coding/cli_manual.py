"""`flask coding` commands for the codebook, passages and exports."""

from pathlib import Path

import click

from consult.coding.cli_group import coding


def _consultation(slug: str):
    from consult.consultations.services import by_slug

    c = by_slug(slug)
    if c is None:
        raise click.ClickException(f"There is no consultation with the short name {slug!r}.")
    return c


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"Cannot read {path}: {exc.strerror}") from exc


@coding.command("import-passages")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--consultation", "slug", required=True, help="Short name of the consultation.")
def import_passages_command(file, slug):
    """Import passages from a CSV or XLSX file (header external_id,text,source,...)."""
    from consult.coding.passages_import import ImportRefused, import_passages

    c = _consultation(slug)
    try:
        result = import_passages(c.id, c.slug, Path(file).name, _read(file), actor_id=None)
    except ImportRefused as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{result.created} passages created, {result.updated} updated.")
    for problem in result.problems:
        click.echo(problem, err=True)


@coding.command("import-codebook")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--consultation", "slug", required=True, help="Short name of the consultation.")
def import_codebook_command(file, slug):
    """Import a codebook from CSV/XLSX (name,parent,description,keywords,stance) or .qdc."""
    from consult.coding.exchange import import_codebook
    from consult.coding.passages_import import ImportRefused

    c = _consultation(slug)
    try:
        created, updated, problems = import_codebook(
            c.id, Path(file).name, _read(file), actor_id=None
        )
    except ImportRefused as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{created} themes created, {updated} updated.")
    for problem in problems:
        click.echo(problem, err=True)


@coding.command("export-codebook")
@click.option("--consultation", "slug", required=True, help="Short name of the consultation.")
@click.option("--format", "fmt", type=click.Choice(["csv", "qdc"]), default="csv")
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True))
def export_codebook_command(slug, fmt, out):
    """Export the active codebook as CSV or REFI-QDA codebook XML (.qdc)."""
    from consult.coding.exchange import export_codebook_csv
    from consult.coding.exchange_qda import export_qdc

    c = _consultation(slug)
    data = export_codebook_csv(c.id) if fmt == "csv" else export_qdc(c.id)
    Path(out).write_bytes(data)
    click.echo(f"Codebook written to {out}.")


@coding.command("export")
@click.option("--consultation", "slug", required=True, help="Short name of the consultation.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "qdpx"]), default="csv")
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True))
def export_command(slug, fmt, out):
    """Export codings as CSV/XLSX, or the whole project as REFI-QDA .qdpx."""
    from consult.coding.exchange import export_codings
    from consult.coding.exchange_qda import export_qdpx

    c = _consultation(slug)
    data = export_qdpx(c.id) if fmt == "qdpx" else export_codings(c.id, fmt)
    Path(out).write_bytes(data)
    click.echo(f"Codings written to {out}.")


@coding.command("export-passages")
@click.option("--consultation", "slug", required=True, help="Short name of the consultation.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True))
def export_passages_command(slug, out):
    """Export one row per passage with its themes and sentiment (CSV)."""
    from consult.coding.exchange import export_passages_csv

    c = _consultation(slug)
    Path(out).write_bytes(export_passages_csv(c.id))
    click.echo(f"Passages written to {out}.")
