"""L2: the server is killed with SIGKILL at random moments and restarted while respondents work.

Clients retry whatever was not acknowledged, with the same submission key. Every acknowledged
submission is stored exactly once; SQLite passes `PRAGMA integrity_check`; no row points to a
missing upload and, after the orphan cleanup, no upload is left without its row.
"""

import os
import random
import threading
import time
from collections import Counter

import pytest
import requests
from sqlalchemy import text

from consult.extensions import db
from tests.reliability.harness import Respondent
from tests.reliability.test_load import stored_keys

pytestmark = pytest.mark.reliability

KILLS = int(os.environ.get("CONSULT_L2_KILLS", "3"))
CLIENTS = int(os.environ.get("CONSULT_L2_CLIENTS", "20"))


RETRIES = Counter()


def persistent(step, stop: threading.Event, attempts: int = 200):
    """Call `step` until the server answers (it may be down for a restart)."""
    for _ in range(attempts):
        if stop.is_set():
            return None
        try:
            resp = step()
        except requests.RequestException:  # refused, timed out, or cut off mid-response by the kill
            RETRIES["connection"] += 1
            time.sleep(0.3)
            continue
        if resp.status_code >= 500 or resp.status_code == 502:
            time.sleep(0.3)
            continue
        return resp
    raise RuntimeError(f"{step.__name__} never got an answer")


def client_loop(site, stop: threading.Event, results: dict, lock, n: int):
    i = 0
    while not stop.is_set():
        i += 1
        person = Respondent(site.server.base, site.public_path, f"crash {n}-{i}", timeout=10)
        try:
            if persistent(person.start, stop) is None or persistent(person.answer, stop) is None:
                return
            if persistent(person.review, stop) is None:
                return
        except (RuntimeError, AttributeError):
            continue  # the flow broke before a key existed: nothing was submitted
        with lock:
            results["attempted"] += 1
        # the key exists: retry the submission until it is acknowledged, even after stop
        for _ in range(200):
            try:
                resp = person.submit()
            except requests.RequestException:  # a reply cut off by the kill is no acknowledgement
                RETRIES["submit"] += 1
                time.sleep(0.3)
                continue
            if Respondent.acknowledged(resp):
                with lock:
                    results["acknowledged"].add(person.key)
                break
            time.sleep(0.3)


def integrity(site) -> tuple[str | None, list[str], list[str]]:
    """(SQLite integrity_check result, rows without files, files without rows)."""
    from consult.maintenance.uploads import cleanup_orphan_uploads, missing_uploads

    with site.app.app_context():
        check = None
        if db.engine.url.get_backend_name() == "sqlite":
            check = db.session.execute(text("PRAGMA integrity_check")).scalar()
        missing = missing_uploads()
        cleanup_orphan_uploads(min_age_seconds=0)
        _, orphans = cleanup_orphan_uploads(min_age_seconds=0, dry_run=True)
        db.session.remove()
    return check, missing, orphans


def test_l2_acknowledged_submissions_survive_sigkill(site):
    rng = random.Random(2026)
    stop, lock = threading.Event(), threading.Lock()
    results = {"attempted": 0, "acknowledged": set()}
    threads = [
        threading.Thread(target=client_loop, args=(site, stop, results, lock, n))
        for n in range(CLIENTS)
    ]
    for t in threads:
        t.start()
    for _ in range(KILLS):
        time.sleep(rng.uniform(1.5, 4.0))
        site.server.kill()
        time.sleep(rng.uniform(0.1, 1.0))
        site.server.start()
    time.sleep(2)
    stop.set()
    for t in threads:
        t.join(timeout=180)
    stored = stored_keys(site.app, site.survey_id)
    duplicated = sum(n - 1 for n in stored.values() if n > 1)
    check, missing, orphans = integrity(site)
    acknowledged = results["acknowledged"]
    print(
        f"\nL2 ({site.server.database_url.split(':')[0]}, {CLIENTS} clients, {KILLS} SIGKILLs): "
        f"attempted {results['attempted']}, acknowledged {len(acknowledged)}, "
        f"stored {sum(stored.values())}, duplicated {duplicated}, "
        f"retried after a crash {RETRIES['connection']} steps and {RETRIES['submit']} submits, "
        f"integrity {check or 'n/a (PostgreSQL)'}, missing uploads {len(missing)}, "
        f"orphans after cleanup {len(orphans)}"
    )
    assert not any(t.is_alive() for t in threads)
    assert len(acknowledged) >= CLIENTS // 2  # a loaded machine restarts slowly
    assert duplicated == 0
    assert acknowledged <= set(stored)  # every acknowledged submission is there, once
    assert Counter(stored)  # and the store is not empty
    assert check in (None, "ok")
    assert missing == [] and orphans == []
