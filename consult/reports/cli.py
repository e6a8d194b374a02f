"""`flask report summary --consultation SLUG --edition public|internal --out FILE.pdf`."""

from pathlib import Path

import click

from consult.reports.options import EDITIONS, SECTION_KEYS, OptionsError, ReportOptions


@click.group("report", help="Generate reports.")
def report():
    pass


@report.command("summary", help="Write the summary report of a consultation to a PDF file.")
@click.option("--consultation", "slug", required=True, help="The consultation's short name.")
@click.option("--edition", type=click.Choice(list(EDITIONS)), default="public", show_default=True)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--include-suggestions", is_flag=True, help="Count unreviewed machine suggestions.")
@click.option(
    "--sections",
    default=",".join(SECTION_KEYS),
    show_default=True,
    help="Comma-separated sections.",
)
def summary(slug, edition, out, include_suggestions, sections):
    from consult.consultations.services import by_slug
    from consult.reports.pdf import RenderError
    from consult.reports.runs import generate_now

    consultation = by_slug(slug)
    if consultation is None:
        raise click.ClickException(f"There is no consultation {slug!r}.")
    try:
        options = ReportOptions.from_dict(
            {
                "edition": edition,
                "sections": [s.strip() for s in sections.split(",") if s.strip()],
                "include_suggestions": include_suggestions,
                "lang": consultation.default_language,
            }
        )
        run = generate_now(consultation.id, options, None)  # stored like every other run
    except (OptionsError, RenderError) as exc:
        raise click.ClickException(str(exc)) from exc
    Path(out).write_bytes(Path(run.file_path).read_bytes())
    click.echo(
        f"Wrote {out}: {run.page_count} pages, {run.byte_size:,} bytes, "
        f"data hash {run.data_hash[:16]} (report run {run.id})."
    )


COMMANDS = [report]
