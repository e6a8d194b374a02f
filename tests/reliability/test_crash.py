"""L2: the server is killed with SIGKILL at random moments and restarted while people work.

Most clients answer the survey; one in four signs up for the hearing with written testimony and
an attached file (TXT or PDF). Clients retry whatever was not acknowledged, with the same
submission key (survey) or sign-up key (hearing), and every client finishes the item it started
even after the kills stop. Afterwards every acknowledged submission and sign-up is stored exactly
once and nothing unacknowledged is stored; every stored attachment's file is on disk with the
bytes the client sent; SQLite passes `PRAGMA integrity_check`; no row points to a missing upload
and, after the orphan cleanup, no upload is left without its row.
"""

import hashlib
import os
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import requests
from sqlalchemy import select, text

from consult.extensions import db
from tests.reliability.harness import (
    Respondent,
    Signer,
    duplicated,
    stored_keys,
    stored_signups,
    tiny_pdf,
)

pytestmark = pytest.mark.reliability

KILLS = int(os.environ.get("CONSULT_L2_KILLS", "3"))
CLIENTS = int(os.environ.get("CONSULT_L2_CLIENTS", "20"))
SIGNER_EVERY = 4  # client n signs up for the hearing when n % SIGNER_EVERY == SIGNER_EVERY - 1
ATTEMPTS = 200  # per step; with 0.3 s pauses, about a minute of a server that does not answer


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    retries: Counter = field(default_factory=Counter)
    attempted: Counter = field(default_factory=Counter)
    acknowledged: dict = field(default_factory=lambda: {"survey": set(), "signup": set()})
    sent: dict = field(default_factory=dict)  # sign-up key -> sha256 of the file sent with it
    restarted_flows: int = 0
    unacknowledged: list = field(default_factory=list)  # gave up: a failure

    def add(self, kind: str, key: str) -> None:
        with self.lock:
            self.acknowledged[kind].add(key)


def persistent(step, results: Results):
    """Call `step` until the server answers (it may be down for a restart)."""
    for _ in range(ATTEMPTS):
        try:
            resp = step()
        except requests.RequestException:  # refused, timed out, or cut off mid-response by the kill
            with results.lock:
                results.retries["step"] += 1
            time.sleep(0.3)
            continue
        if resp.status_code >= 500:
            time.sleep(0.3)
            continue
        return resp
    raise RuntimeError(f"{step.__name__} never got an answer")


def until_acknowledged(send, acknowledged, results: Results, kind: str, key: str) -> None:
    """Send (and re-send, with the same key) until the server acknowledges it."""
    last = None
    for _ in range(ATTEMPTS):
        try:
            resp = send()
        except requests.RequestException:  # a reply cut off by the kill is no acknowledgement
            with results.lock:
                results.retries[kind] += 1
            time.sleep(0.3)
            continue
        if acknowledged(resp):
            results.add(kind, key)
            return
        last = resp.status_code
        time.sleep(0.3)
    with results.lock:
        results.unacknowledged.append(f"{kind} {key}: last answer {last}")


def survey_flow(site, results: Results, label: str) -> bool:
    """One respondent; False when the flow broke before a submission key existed."""
    person = Respondent(site.server.base, site.public_path, f"crash {label}", timeout=10)
    try:
        for step in (person.start, person.answer, person.review):
            persistent(step, results)
    except (RuntimeError, AttributeError):
        return False  # e.g. the review page came from a restarted server mid-flow: start again
    with results.lock:
        results.attempted["survey"] += 1
    until_acknowledged(person.submit, Respondent.acknowledged, results, "survey", person.key)
    return True


def signup_flow(site, results: Results, label: str, turn: int) -> bool:
    """One hearing sign-up with written testimony and a file: TXT or PDF, written testimony only
    or speaking in person, varying with `turn`."""
    body = f"Written testimony {label}: recruiters charged fees; shelters were full."
    if turn % 2:
        filename, data = f"testimony-{label}.pdf", tiny_pdf(body)
    else:
        filename, data = f"testimony-{label}.txt", (body + "\n").encode() * 20
    mode = "in_person" if turn % 3 == 0 else "written"
    signer = Signer(
        site.server.base, site.hearing_id, f"Signer {label}", filename, data, mode, timeout=10
    )
    try:
        persistent(signer.open, results)
    except (RuntimeError, AttributeError):
        return False
    with results.lock:
        results.attempted["signup"] += 1
        results.sent[signer.key] = signer.sha256
    until_acknowledged(signer.sign_up, Signer.acknowledged, results, "signup", signer.key)
    return True


def client_loop(site, stop: threading.Event, results: Results, n: int):
    """Work until stopped; every client completes at least one item, kills or not."""
    signer = n % SIGNER_EVERY == SIGNER_EVERY - 1
    i = done = 0
    while (not stop.is_set() or done == 0) and i < ATTEMPTS:
        i += 1
        label = f"{n}-{i}"
        if signer:
            ok = signup_flow(site, results, label, n // SIGNER_EVERY + i)
        else:
            ok = survey_flow(site, results, label)
        if ok:
            done += 1
        else:
            with results.lock:
                results.restarted_flows += 1


def integrity(site) -> tuple[str | None, list[str], int, list[str]]:
    """(SQLite integrity_check, rows without files, orphans removed, orphans left after cleanup)."""
    from consult.maintenance.uploads import cleanup_orphan_uploads, missing_uploads

    with site.app.app_context():
        check = None
        if db.engine.url.get_backend_name() == "sqlite":
            check = db.session.execute(text("PRAGMA integrity_check")).scalar()
        missing = missing_uploads()
        removed, _ = cleanup_orphan_uploads(min_age_seconds=0)
        _, orphans = cleanup_orphan_uploads(min_age_seconds=0, dry_run=True)
        db.session.remove()
    return check, missing, removed, orphans


def check_attachments(site, sent: dict) -> tuple[Counter, list[str]]:
    """Every stored sign-up has the one file its client sent, on disk with the same bytes."""
    from consult.hearings.models import Attachment, Speaker, Testimony
    from consult.hearings.uploads import stored_path

    problems: list[str] = []
    with site.app.app_context():
        rows = db.session.execute(
            select(
                Speaker.idempotency_key, Attachment.stored_name, Attachment.sha256, Attachment.mime
            )
            .join(Testimony, Testimony.speaker_id == Speaker.id)
            .join(Attachment, Attachment.testimony_id == Testimony.id)
            .where(Speaker.hearing_id == site.hearing_id)
        ).all()
        for key, name, row_sha, _mime in rows:
            try:
                on_disk = hashlib.sha256(stored_path(name).read_bytes()).hexdigest()
            except FileNotFoundError:
                problems.append(f"{key}: file {name} missing")
                continue
            if not on_disk == row_sha == sent.get(key):
                problems.append(f"{key}: file {name} is not what the client sent")
        db.session.remove()
    per_signup = Counter(row[0] for row in rows)
    problems += [f"{k}: {n} attachments, sent 1" for k, n in per_signup.items() if n != 1]
    return Counter(row[3].split("/")[-1] for row in rows), problems


def test_l2_acknowledged_submissions_and_signups_survive_sigkill(site):
    rng = random.Random(2026)
    stop, results = threading.Event(), Results()
    threads = [
        threading.Thread(target=client_loop, args=(site, stop, results, n)) for n in range(CLIENTS)
    ]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    restarts = []
    for _ in range(KILLS):
        time.sleep(rng.uniform(1.5, 4.0))
        site.server.kill()
        time.sleep(rng.uniform(0.1, 1.0))
        t_restart = time.monotonic()
        site.server.start()
        restarts.append(time.monotonic() - t_restart)
    time.sleep(2)
    stop.set()
    t_stop = time.monotonic()
    for t in threads:
        t.join(timeout=300)
    t_end = time.monotonic()

    surveys = stored_keys(site.app, site.survey_id)
    signups = stored_signups(site.app, site.hearing_id)
    check, missing, removed, orphans = integrity(site)
    kinds, bad_files = check_attachments(site, results.sent)
    files_checked = sum(kinds.values())
    ack = results.acknowledged
    n_signers = sum(1 for n in range(CLIENTS) if n % SIGNER_EVERY == SIGNER_EVERY - 1)
    print(
        f"\nL2 ({site.server.database_url.split(':')[0]}, {CLIENTS} clients of which "
        f"{n_signers} sign up for the hearing, {KILLS} SIGKILLs):\n"
        f"  survey submissions: attempted {results.attempted['survey']}, "
        f"acknowledged {len(ack['survey'])}, stored {sum(surveys.values())}, "
        f"duplicated {duplicated(surveys)}, re-sent after a crash {results.retries['survey']}\n"
        f"  hearing sign-ups:   attempted {results.attempted['signup']}, "
        f"acknowledged {len(ack['signup'])}, stored {sum(signups.values())}, "
        f"duplicated {duplicated(signups)}, re-sent after a crash {results.retries['signup']}\n"
        f"  attachment files checked {files_checked} "
        f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}), bad {len(bad_files)}; "
        f"steps retried {results.retries['step']}, flows restarted {results.restarted_flows}; "
        f"integrity {check or 'n/a (PostgreSQL)'}, missing uploads {len(missing)}, "
        f"orphans removed by cleanup {removed}, left after cleanup {len(orphans)}\n"
        f"  timing: kills and restarts {t_stop - t0:.1f} s "
        f"(restarts {', '.join(f'{r:.1f}' for r in restarts)} s), "
        f"finishing started items {t_end - t_stop:.1f} s"
    )
    assert not any(t.is_alive() for t in threads)
    assert results.unacknowledged == []
    # every client finished at least one item, so both kinds were exercised across the kills
    assert len(ack["survey"]) >= CLIENTS - n_signers and len(ack["signup"]) >= n_signers
    assert duplicated(surveys) == 0 and duplicated(signups) == 0
    assert set(surveys) == ack["survey"]  # every acknowledged submission is there, once; no other
    assert set(signups) == ack["signup"]  # the same for sign-ups
    assert files_checked == len(signups) and bad_files == []
    assert check in (None, "ok")
    assert missing == [] and orphans == []
