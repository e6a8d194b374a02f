"""Consistent backups while the app runs, and restore into an empty instance.

A backup is one .tar.gz holding `manifest.json` (format, time, database kind, schema revision,
row counts per table, sha256 of every file), the database (`database.sqlite3` made with SQLite's
online backup API, or `database.pgdump` made by pg_dump inside an exported snapshot, so the counts
match the dump exactly) and the upload folder under `uploads/`.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import make_url

from consult.extensions import db

FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go ahead, worded for the operator."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _is_sqlite() -> bool:
    return db.engine.url.get_backend_name() == "sqlite"


def _sqlite_path() -> Path:
    return Path(db.engine.url.database)


def _pg_cli_url() -> str:
    """The database URL as libpq tools want it (no SQLAlchemy driver suffix)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _table_names() -> list[str]:
    return [t.name for t in db.metadata.sorted_tables]


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return {
        name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608
        for name in _table_names()
        if name in existing
    }


def _revision() -> str | None:
    try:
        return db.session.scalar(text("SELECT version_num FROM alembic_version LIMIT 1"))
    except Exception:  # noqa: BLE001 - a database built without migrations (tests)
        db.session.rollback()
        return None


def _files_under(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): sha256_file(p)
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def make_backup(out: str | Path) -> dict:
    """Write a consistent backup archive to `out`; return its manifest."""
    out = Path(out)
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    with tempfile.TemporaryDirectory(prefix="consult-backup-") as tmp:
        tmp = Path(tmp)
        if _is_sqlite():
            db_file = tmp / "database.sqlite3"
            with (
                closing(sqlite3.connect(_sqlite_path(), timeout=60)) as src,
                closing(sqlite3.connect(db_file)) as dst,
            ):
                src.backup(dst)  # a consistent snapshot, even while others write
                counts = _sqlite_counts(dst)
                kind = "sqlite"
        else:
            db_file = tmp / "database.pgdump"
            counts = _pg_snapshot_dump(db_file)
            kind = "postgresql"
        files = _files_under(uploads)  # after the snapshot: every referenced file exists
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "database": kind,
            "revision": _revision(),
            "tables": counts,
            "files": files,
            "upload_folder": str(uploads.resolve()),
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=db_file.name)
            for rel in files:
                tar.add(uploads / rel, arcname=f"uploads/{rel}")
        os.chmod(partial, 0o600)
        partial.replace(out)
    return manifest


def _pg_snapshot_dump(target: Path) -> dict[str, int]:
    """Count rows and run pg_dump inside one exported snapshot."""
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client).")
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar()
            existing = set(inspect(conn).get_table_names())
            counts = {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                for t in db.metadata.sorted_tables
                if t.name in existing
            }
            proc = subprocess.run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(target),
                    _pg_cli_url(),
                ],
                capture_output=True,
                text=True,
                timeout=3600,
            )
    if proc.returncode != 0:
        raise BackupError(f"pg_dump failed: {proc.stderr.strip()[:500]}")
    return counts


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile("manifest.json"))
    except (KeyError, json.JSONDecodeError) as exc:
        raise BackupError("This file is not a Consult backup (no manifest).") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def instance_is_empty() -> bool:
    """No rows in any application table and no uploaded files."""
    existing = set(inspect(db.engine).get_table_names())
    for table in db.metadata.sorted_tables:
        if table.name in existing and db.session.scalar(select(func.count()).select_from(table)):
            return False
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    return not any(p.is_file() for p in uploads.rglob("*")) if uploads.exists() else True


def restore_backup(path: str | Path) -> dict:
    """Restore a backup into this (empty) instance; verify counts and checksums."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No such file: {path}")
    if not instance_is_empty():
        raise BackupError(
            "This instance already has data. Restore only into an empty instance "
            "(a new database and an empty upload folder)."
        )
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    with tarfile.open(path, "r:gz") as tar, tempfile.TemporaryDirectory() as tmp:
        manifest = _read_manifest(tar)
        members = {m.name: m for m in tar.getmembers()}
        for name, member in members.items():
            if not (member.isfile() or member.isdir()) or name.startswith("/") or ".." in name:
                raise BackupError(f"Refusing a suspicious entry in the archive: {name!r}")
        db_name = "database.sqlite3" if manifest["database"] == "sqlite" else "database.pgdump"
        if db_name not in members:
            raise BackupError("The backup has no database file.")
        tar.extract(db_name, tmp, filter="data")
        db.session.remove()
        if manifest["database"] == "sqlite":
            if not _is_sqlite():
                raise BackupError("This backup is of a SQLite database; configure SQLite.")
            _restore_sqlite(Path(tmp) / db_name)
        else:
            if _is_sqlite():
                raise BackupError("This backup is of a PostgreSQL database; set DATABASE_URL.")
            _restore_pg(Path(tmp) / db_name)
        for rel, digest in manifest["files"].items():
            member = members.get(f"uploads/{rel}")
            if member is None:
                raise BackupError(f"The backup lacks the file {rel}.")
            target = uploads / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            if sha256_file(target) != digest:
                raise BackupError(f"Checksum mismatch for {rel}: the backup is damaged.")
    _repoint_paths(manifest.get("upload_folder"), str(uploads.resolve()))
    counts = current_counts()
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"Row counts differ after restore: {wrong}")
    return manifest


def current_counts() -> dict[str, int]:
    existing = set(inspect(db.engine).get_table_names())
    return {
        t.name: db.session.scalar(select(func.count()).select_from(t))
        for t in db.metadata.sorted_tables
        if t.name in existing
    }


def _restore_sqlite(snapshot: Path) -> None:
    db.engine.dispose()
    target = _sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(snapshot)) as src,
        closing(sqlite3.connect(target, timeout=60)) as dst,
    ):
        src.backup(dst)
    db.engine.dispose()


def _restore_pg(dump: Path) -> None:
    if shutil.which("pg_restore") is None:
        raise BackupError("pg_restore is not installed (apt-get install postgresql-client).")
    db.engine.dispose()
    proc = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            _pg_cli_url(),
            str(dump),
        ],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if proc.returncode != 0:
        raise BackupError(f"pg_restore failed: {proc.stderr.strip()[:500]}")


def _repoint_paths(old_root: str | None, new_root: str) -> None:
    """Stored absolute file paths (report files) follow the upload folder to its new place."""
    if not old_root or old_root == new_root:
        return
    for table in db.metadata.sorted_tables:
        if "file_path" in table.c:
            db.session.execute(
                table.update()
                .where(table.c.file_path.startswith(old_root + os.sep))
                .values(file_path=func.replace(table.c.file_path, old_root, new_root))
            )
    db.session.commit()
