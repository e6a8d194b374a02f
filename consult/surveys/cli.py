"""`flask surveys ...`: import and export surveys and responses, send reminders."""

import sys
from pathlib import Path

import click

from consult.extensions import db
from consult.surveys.definition_io import (
    DefinitionError,
    consultation_by_slug,
    definition_json,
    import_definition,
)
from consult.surveys.models import Survey


@click.group("surveys", help="Import, export and distribute surveys.")
def surveys():
    pass


def _survey(survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise click.ClickException(f"There is no survey {survey_id}.")
    return survey


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"Cannot read {path}: {exc.strerror}.") from exc


def _consultation_id(slug: str) -> int:
    try:
        return consultation_by_slug(slug).id
    except DefinitionError as exc:
        raise click.ClickException(str(exc)) from exc


@surveys.command("import-xlsform")
@click.argument("file")
@click.option("--consultation", "slug", required=True, help="Short name of the consultation.")
def import_xlsform_cmd(file, slug):
    """Create a draft survey from an XLSForm (.xlsx, .xls, .csv); list what was not mapped."""
    from consult.surveys.xlsform import XLSFormError, import_xlsform

    data, cid = _read(file), _consultation_id(slug)
    try:
        outcome = import_xlsform(data, Path(file).name, cid)
    except XLSFormError as exc:
        for issue in exc.issues:
            click.echo(f"  {issue}", err=True)
        raise click.ClickException(str(exc).replace("\n", " ")) from exc
    total = sum(outcome.types.values())
    click.echo(f"Imported survey {outcome.survey.id} with {total} questions.")
    for kind, n in outcome.types.most_common():
        click.echo(f"  {kind}: {n}")
    if outcome.issues:
        click.echo(f"{len(outcome.issues)} item(s) not imported or imported differently:")
        for issue in outcome.issues:
            click.echo(f"  {issue}")


@surveys.command("export")
@click.argument("survey_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv")
@click.option("--out", required=True, help="File to write ('-' for standard output).")
@click.option("--drafts/--no-drafts", default=False, help="Include draft responses.")
@click.option("--tests/--no-tests", default=False, help="Include test responses.")
@click.option("--lang", default="en", help="Language of the column descriptions.")
def export_cmd(survey_id, fmt, out, drafts, tests, lang):
    """Export a survey's responses, one row per response."""
    from consult.surveys.exports import ExportError, write_export

    _survey(survey_id)
    try:
        if out == "-":
            write_export(
                survey_id, fmt, sys.stdout.buffer, lang, include_drafts=drafts, include_tests=tests
            )
            return
        with open(out, "wb") as fh:
            write_export(survey_id, fmt, fh, lang, include_drafts=drafts, include_tests=tests)
    except OSError as exc:
        raise click.ClickException(f"Cannot write {out}: {exc.strerror}.") from exc
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {out}.")


@surveys.command("export-definition")
@click.argument("survey_id", type=int)
@click.option("--out", default="-", help="File to write (default: standard output).")
def export_definition_cmd(survey_id, out):
    """Write a survey's definition as JSON (round trip with import-definition)."""
    text = definition_json(_survey(survey_id))
    if out == "-":
        click.echo(text)
        return
    try:
        Path(out).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"Cannot write {out}: {exc.strerror}.") from exc
    click.echo(f"Wrote {out}.")


@surveys.command("import-definition")
@click.argument("file")
@click.option("--consultation", "slug", required=True, help="Short name of the consultation.")
def import_definition_cmd(file, slug):
    """Create a draft survey from a definition JSON file."""
    data, cid = _read(file), _consultation_id(slug)
    try:
        survey = import_definition(data, cid)
    except DefinitionError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Imported survey {survey.id}.")


@surveys.command("remind")
@click.argument("survey_id", type=int)
def remind_cmd(survey_id):
    """E-mail a reminder to every invited organization that has not submitted."""
    from flask import current_app

    from consult.surveys.invitations import remind

    _survey(survey_id)
    cfg = current_app.config
    if not (cfg.get("SERVER_BASE_URL") or cfg.get("SERVER_NAME")):
        raise click.ClickException("Set SERVER_BASE_URL so the e-mailed links point at this site.")
    outcome = remind(survey_id)
    click.echo(f"Sent {outcome.sent} reminder(s).")
    for line in outcome.failed:
        click.echo(f"  not sent: {line}", err=True)
    if outcome.failed:
        raise click.ClickException(f"{len(outcome.failed)} reminder(s) could not be sent.")


COMMANDS = [surveys]
