"""Uploaded files and the rows that point to them: find missing files, remove orphans.

A crash between writing an upload and committing its row leaves a file no row points to;
`flask uploads cleanup` (run it from cron, or after a restart) removes such files once they are
older than a few minutes, so uploads still in flight are never touched.
"""

import time
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from consult.extensions import db


def _hearing_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "hearings"


def _referenced() -> set[str]:
    table = db.metadata.tables.get("hearing_attachment")
    if table is None:
        return set()
    return set(db.session.scalars(select(table.c.stored_name)))


def missing_uploads() -> list[str]:
    """Stored names that rows point to but that are not on disk."""
    folder = _hearing_folder()
    return sorted(n for n in _referenced() if not (folder / n).is_file())


def cleanup_orphan_uploads(
    min_age_seconds: float = 600, dry_run: bool = False
) -> tuple[int, list[str]]:
    """Remove upload files no row points to (older than min_age); return (removed, orphans)."""
    folder = _hearing_folder()
    if not folder.exists():
        return 0, []
    referenced = _referenced()
    now = time.time()
    orphans = sorted(
        p.name
        for p in folder.iterdir()
        if p.is_file() and p.name not in referenced and now - p.stat().st_mtime >= min_age_seconds
    )
    if not dry_run:
        for name in orphans:
            (folder / name).unlink(missing_ok=True)
    return (0 if dry_run else len(orphans)), orphans


@click.group("uploads", help="Check uploaded files against the database.")
def uploads():
    pass


@uploads.command("cleanup")
@click.option("--min-age", default=600, show_default=True, help="Seconds; younger files stay.")
@click.option("--dry-run", is_flag=True)
def cleanup(min_age, dry_run):
    """Remove files no row points to, and list rows whose file is missing."""
    removed, orphans = cleanup_orphan_uploads(min_age, dry_run)
    click.echo(f"{len(orphans)} orphan files; {removed} removed.")
    for name in missing_uploads():
        click.echo(f"missing file for a stored attachment: {name}")
