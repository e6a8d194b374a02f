"""Back up while respondents submit, restore into an empty instance, compare counts and files."""

import hashlib
import json
import os
import secrets
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from consult.extensions import db
from tests.reliability.harness import (
    PG_URL,
    ROOT,
    SECRET,
    Tally,
    drop_pg_database,
    pg_database_url,
    respondent_loop,
)

pytestmark = pytest.mark.reliability
FLASK = Path(sys.executable).parent / "flask"


def flask(instance: Path, database_url: str, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update(
        {
            "CONSULT_INSTANCE_PATH": str(instance),
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET,
        }
    )
    return subprocess.run(
        [str(FLASK), "--app", "consult", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def add_uploads(site, n=3) -> None:
    """Testimony attachments with files, so the backup carries uploads."""
    from tests.security.seed import insert_row

    with site.app.app_context():
        folder = Path(site.app.config["UPLOAD_FOLDER"]) / "hearings"
        folder.mkdir(parents=True, exist_ok=True)
        c = db.session.scalar(text("SELECT id FROM consultation LIMIT 1"))
        hearing = insert_row("hearing", consultation_id=c)
        speaker = insert_row("hearing_speaker", hearing_id=hearing)
        testimony = insert_row("hearing_testimony", speaker_id=speaker, written_text="on file")
        for i in range(n):
            name = secrets.token_hex(16) + ".txt"
            (folder / name).write_bytes(f"attachment {i} ".encode() * 1000)
            insert_row("hearing_attachment", testimony_id=testimony, stored_name=name)
        db.session.remove()


def table_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        counts = {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar()
            for t in db.metadata.sorted_tables
            if t.name in names
        }
    engine.dispose()
    return counts


def test_backup_during_load_restores_exactly(site, tmp_path):
    add_uploads(site)
    tally = Tally()
    deadline = time.monotonic() + 15
    load = [
        threading.Thread(
            target=respondent_loop,
            args=(
                site.server.base,
                site.public_path,
                deadline,
                tally,
                __import__("random").Random(n),
                n,
            ),
        )
        for n in range(10)
    ]
    for t in load:
        t.start()
    time.sleep(3)
    archive = tmp_path / "backup.tar.gz"
    made = flask(site.instance, site.server.database_url, "backup", "--out", str(archive))
    for t in load:
        t.join()
    assert made.returncode == 0, made.stderr
    assert tally.server_errors == []
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["tables"]["survey_response"] > 0 and len(manifest["files"]) == 3

    # the running instance is not empty: restore refuses
    refused = flask(site.instance, site.server.database_url, "restore", str(archive))
    assert refused.returncode != 0 and "already has data" in refused.stderr

    target = tmp_path / "restored"
    target.mkdir()
    pg = pg_database_url() if PG_URL else None
    url = pg or f"sqlite:///{target / 'consult.db'}"
    try:
        done = flask(target, url, "restore", str(archive))
        assert done.returncode == 0, done.stderr
        restored = table_counts(url.replace("postgresql://", "postgresql+psycopg://", 1))
        assert {t: restored[t] for t in manifest["tables"]} == manifest["tables"]
        for rel, digest in manifest["files"].items():
            data = (target / "uploads" / rel).read_bytes()
            assert hashlib.sha256(data).hexdigest() == digest
        final = table_counts(
            site.server.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
        )
        print(
            f"\nbackup during load ({manifest['database']}): snapshot "
            f"{manifest['tables']['survey_response']} responses of {final['survey_response']} "
            f"at the end, {sum(manifest['tables'].values())} rows, {len(manifest['files'])} files; "
            f"restored counts and checksums equal"
        )
        assert manifest["tables"]["survey_response"] <= final["survey_response"]
    finally:
        if pg:
            drop_pg_database(pg)
