"""`flask coding` commands for automatic coding, theme discovery and near-duplicates."""

import click
from sqlalchemy import select

from consult.coding import discovery, duplicates, suggestions
from consult.coding.cli_group import coding
from consult.consultations.models import Consultation
from consult.extensions import db


def _consultation(slug: str) -> Consultation:
    c = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    if c is None:
        raise click.ClickException(f"No consultation with the slug {slug!r}.")
    return c


def _echo_progress(pct: int, message: str | None = None) -> None:
    click.echo(f"[{pct:3d}%] {message or ''}")


@coding.command("autocode")
@click.option("--consultation", "slug", required=True, help="The consultation's slug.")
@click.option("--ignore-position", is_flag=True, help="Do not use passages' known positions.")
def autocode_command(slug: str, ignore_position: bool) -> None:
    """Suggest themes for every passage (replaces pending suggestions only)."""
    c = _consultation(slug)
    result = suggestions.run_autocode(
        c.id, progress=_echo_progress, use_position=not ignore_position
    )
    click.echo(
        f"{result['suggestions']} suggestions for {result['passages_with_suggestions']} of "
        f"{result['passages']} passages against {result['themes']} themes; "
        f"{result['analysed']} passages (re)analysed."
    )


@coding.command("discover")
@click.option("--consultation", "slug", required=True, help="The consultation's slug.")
@click.option("--topics", type=click.IntRange(2, 30), default=None, help="How many candidates.")
def discover_command(slug: str, topics: int | None) -> None:
    """Find candidate themes in the passages that have no accepted coding."""
    c = _consultation(slug)
    result = discovery.run_discovery(c.id, n_topics=topics, progress=_echo_progress)
    click.echo(
        f"{result['candidates']} candidate themes from {result['uncoded_passages']} uncoded passages."
    )
    for cand in db.session.scalars(
        select(discovery.CandidateTheme)
        .where(
            discovery.CandidateTheme.consultation_id == c.id,
            discovery.CandidateTheme.status == discovery.CandidateStatus.PENDING,
        )
        .order_by(discovery.CandidateTheme.size.desc())
    ):
        click.echo(f"  {cand.size:5d}  {cand.label}  [{', '.join(cand.top_phrases[:5])}]")


@coding.command("duplicates")
@click.option("--consultation", "slug", required=True, help="The consultation's slug.")
def duplicates_command(slug: str) -> None:
    """Group identical and near-identical passages (campaigns, template letters)."""
    c = _consultation(slug)
    result = duplicates.detect_duplicates(c.id)
    click.echo(
        f"{result['groups']} groups covering {result['passages']} passages "
        f"({result['extra_copies']} extra copies)."
    )
