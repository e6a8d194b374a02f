"""Gunicorn servers in subprocesses and people as HTTP clients, for load, crashes and reports.

The server runs the real app (`consult:create_app()`) with several workers on a free port, with
its own instance folder, on a SQLite file or on a fresh PostgreSQL database
(CONSULT_TEST_DATABASE_URL). `serve_site` seeds it (an open survey with a public link, an open
hearing that takes written testimony, and optionally every feature's demo data) and serves it.
Respondents go through the public survey link like a browser: start, answer the page, review,
submit with the page's submission key. Signers post the public hearing sign-up with a file, with
the form's key. Staff sign in and generate a summary report through its job, as a person does.
"""

import hashlib
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import requests
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from tests.pdfs import pdf_from_objects

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
PG_URL = os.environ.get("CONSULT_TEST_DATABASE_URL")
SECRET = "reliability-secret-" + "k" * 32


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_database_url() -> str:
    """Create a throwaway PostgreSQL database; the caller drops it with drop_pg_database."""
    base = make_url(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"consult_rel_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    u = make_url(url)
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)'))
    admin.dispose()


@dataclass
class Server:
    """One gunicorn master with `workers` sync workers serving an instance folder."""

    instance: Path
    database_url: str
    workers: int = 4
    port: int = field(default_factory=free_port)
    extra_env: dict = field(default_factory=dict)
    proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        env = dict(os.environ)
        env.update(
            {
                "CONSULT_INSTANCE_PATH": str(self.instance),
                "DATABASE_URL": self.database_url,
                "SECRET_KEY": SECRET,
                "PYTHONPATH": str(ROOT),
            }
        )
        env.pop("REDIS_URL", None)
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 60) -> "Server":
        log = (self.instance / "gunicorn.log").open("ab")
        self.proc = subprocess.Popen(
            [
                str(GUNICORN),
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                "--graceful-timeout",
                "5",
                "--preload",  # import the app once, then fork the workers (fast restarts)
                "consult:create_app()",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.instance / 'gunicorn.log'}")
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not become healthy")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, like a power cut."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def write_instance_config(instance: Path, **settings) -> None:
    instance.mkdir(parents=True, exist_ok=True)
    lines = [f"{k} = {v!r}" for k, v in settings.items()]
    (instance / "config.py").write_text("\n".join(lines) + "\n")


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
KEY_RE = re.compile(r'name="submission_key"[^>]*value="([^"]+)"')
FIELD_RE = re.compile(r'<(?:textarea|input)[^>]*name="([^"]+)"[^>]*>')
SKIP_FIELDS = {"csrf_token", "action", "lang", "submission_key"}


class Respondent:
    """A person answering through the public link, with a browser-like cookie session."""

    def __init__(self, base: str, public_path: str, text: str, timeout: float = 30):
        self.base, self.public_path, self.text = base, public_path, text
        self.http = requests.Session()
        self.timeout = timeout
        self.survey_page: str | None = None
        self.key: str | None = None

    def _csrf(self, html: str) -> str:
        m = CSRF_RE.search(html)
        return m.group(1) if m else ""

    def _get(self, path: str):
        return self.http.get(self.base + path, timeout=self.timeout, allow_redirects=False)

    def _post(self, path: str, data: dict):
        return self.http.post(
            self.base + path, data=data, timeout=self.timeout, allow_redirects=False
        )

    def start(self) -> requests.Response:
        page = self._get(self.public_path)
        r = self._post(self.public_path, {"csrf_token": self._csrf(page.text)})
        self.survey_page = r.headers.get("Location", "").replace(self.base, "")
        return r

    def answer(self) -> requests.Response:
        page = self._get(self.survey_page)
        fields = [f for f in FIELD_RE.findall(page.text) if f not in SKIP_FIELDS]
        data = {f: self.text for f in fields}
        data.update({"csrf_token": self._csrf(page.text), "action": "continue"})
        return self._post(self.survey_page, data)

    def review(self) -> requests.Response:
        review_path = self.survey_page.split("/page/")[0] + "/review"
        r = self._get(review_path)
        self.key = KEY_RE.search(r.text).group(1)
        self.csrf = self._csrf(r.text)
        self.submit_path = review_path.replace("/review", "/submit")
        return r

    def submit(self) -> requests.Response:
        """Send (or re-send) the response with the same submission key."""
        return self._post(self.submit_path, {"csrf_token": self.csrf, "submission_key": self.key})

    @staticmethod
    def acknowledged(resp: requests.Response) -> bool:
        return resp.status_code in (302, 303) and "/done" in resp.headers.get("Location", "")


# --- signers: the public hearing sign-up with a written-testimony file -------------------------

HEARING_KEY_RE = re.compile(r'name="key"[^>]*value="([^"]+)"')


def tiny_pdf(text: str) -> bytes:
    """A small valid one-page PDF that says `text` (its text can be extracted)."""
    safe = text.encode("latin-1", "replace").replace(b"\\", b"\\\\")
    safe = safe.replace(b"(", b"\\(").replace(b")", b"\\)")
    content = b"BT /F1 12 Tf 72 720 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    return pdf_from_objects(objects)


class Signer:
    """A person signing up for a hearing with written testimony and one attached file."""

    def __init__(
        self,
        base: str,
        hearing_id: int,
        name: str,
        filename: str,
        data: bytes,
        mode: str = "written",
        timeout: float = 30,
    ):
        self.base, self.path = base, f"/hearings/{hearing_id}"
        self.name, self.filename, self.data, self.mode = name, filename, data, mode
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.http = requests.Session()
        self.timeout = timeout
        self.key: str | None = None
        self.csrf: str | None = None

    def open(self) -> requests.Response:
        """Load the hearing page: the form's CSRF token and its sign-up key."""
        r = self.http.get(self.base + self.path, timeout=self.timeout, allow_redirects=False)
        m = CSRF_RE.search(r.text)
        self.csrf = m.group(1) if m else None
        self.key = HEARING_KEY_RE.search(r.text).group(1)
        return r

    def sign_up(self) -> requests.Response:
        """Send (or re-send) the sign-up with the same key and the same file."""
        data = {
            "csrf_token": self.csrf or "",
            "key": self.key,
            "website": "",  # the honeypot stays empty, as a person leaves it
            "name": self.name,
            "organization_name": "",
            "organization_kind": "",
            "email": "",
            "phone": "",
            "agenda_item": "",
            "position": "support",
            "mode": self.mode,
            "interpretation_language": "",
            "accessibility_needs": "",
            "confidentiality": "public",
            "consent_publish": "y",
            "written_text": f"{self.name}: my statement is attached.",
        }
        mime = "application/pdf" if self.filename.endswith(".pdf") else "text/plain"
        return self.http.post(
            self.base + self.path,
            data=data,
            files={"files": (self.filename, self.data, mime)},
            timeout=self.timeout,
            allow_redirects=False,
        )

    @staticmethod
    def acknowledged(resp: requests.Response) -> bool:
        return resp.status_code in (302, 303) and "/thanks" in resp.headers.get("Location", "")


# --- load: concurrent respondents, and what they leave in the database --------------------------


class Tally:
    """What a load run saw: attempts, acknowledged keys, errors and submit latencies."""

    def __init__(self):
        self.lock = threading.Lock()
        self.attempted = 0
        self.acknowledged: set[str] = set()
        self.replays = 0
        self.server_errors: list[str] = []
        self.other_errors: list[str] = []
        self.latencies: list[float] = []
        self.acknowledged_at: list[float] = []  # time.monotonic() of each first acknowledgement

    def note(self, resp, step):
        if resp.status_code >= 500:
            with self.lock:
                self.server_errors.append(f"{step}: {resp.status_code}")


def respondent_loop(base, path, deadline, tally: Tally, rng: random.Random, n: int):
    """Answer and submit, one respondent after another, until the deadline; 10% send their
    submission twice with the same key."""
    i = 0
    while time.monotonic() < deadline:
        i += 1
        person = Respondent(base, path, f"Respondent {n}-{i} says: shelters need funding.")
        try:
            for step in (person.start, person.answer, person.review):
                tally.note(step(), step.__name__)
            with tally.lock:
                tally.attempted += 1
            t0 = time.monotonic()
            resp = person.submit()
            t1 = time.monotonic()
            tally.note(resp, "submit")
            if Respondent.acknowledged(resp):
                with tally.lock:
                    tally.acknowledged.add(person.key)
                    tally.latencies.append(t1 - t0)
                    tally.acknowledged_at.append(t1)
            if rng.random() < 0.10:  # the browser sends it again (double click, flaky network)
                again = person.submit()
                tally.note(again, "replay")
                with tally.lock:
                    tally.replays += 1
                if Respondent.acknowledged(again):
                    with tally.lock:
                        tally.acknowledged.add(person.key)
        except (requests.RequestException, AttributeError) as exc:
            with tally.lock:
                tally.other_errors.append(repr(exc)[:200])


def run_load(base: str, path: str, seconds: float, clients: int) -> Tally:
    """`clients` concurrent respondents for `seconds` (each finishes the response it started)."""
    tally = Tally()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=respondent_loop, args=(base, path, deadline, tally, random.Random(n), n)
        )
        for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally


def stored_keys(app, survey_id) -> Counter:
    """Submission keys of the survey's submitted responses, with how often each is stored."""
    from consult.extensions import db
    from consult.surveys.models import Response, ResponseStatus

    with app.app_context():
        keys = db.session.scalars(
            select(Response.submission_key).where(
                Response.survey_id == survey_id, Response.status == ResponseStatus.SUBMITTED
            )
        ).all()
        db.session.remove()
    return Counter(keys)


def stored_signups(app, hearing_id) -> Counter:
    """Sign-up keys of the hearing's speakers, with how often each is stored."""
    from consult.extensions import db
    from consult.hearings.models import Speaker

    with app.app_context():
        keys = db.session.scalars(
            select(Speaker.idempotency_key).where(Speaker.hearing_id == hearing_id)
        ).all()
        db.session.remove()
    return Counter(keys)


def duplicated(stored: Counter) -> int:
    return sum(n - 1 for n in stored.values() if n > 1)


def p99(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.99))] if values else 0.0


def p50(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def latencies_between(tally: Tally, start: float, end: float) -> list[float]:
    """Submit latencies of the submissions acknowledged between two time.monotonic() values."""
    with tally.lock:
        pairs = list(zip(tally.latencies, tally.acknowledged_at, strict=True))
    return [lat for lat, at in pairs if start <= at <= end]


def latency_line(label: str, tally: Tally) -> str:
    return (
        f"{label:16} attempted {tally.attempted:4}  acknowledged {len(tally.acknowledged):4}  "
        f"5xx {len(tally.server_errors)}  errors {len(tally.other_errors)}  "
        f"submit p50 {p50(tally.latencies):.3f} s  p99 {p99(tally.latencies):.3f} s"
    )


# --- staff: a summary report generated through its job, as from the report page ----------------

JOB_STATUS_RE = re.compile(r'data-job-status="([^"]+)"')


@dataclass
class ReportResult:
    run_id: int | None = None
    status: str = "not started"
    error: str | None = None
    pdf: bytes = b""
    started: float = 0.0  # time.monotonic() when the run was queued
    finished: float = 0.0  # when it was seen done or failed


class Staff:
    """A staff member's browser session."""

    def __init__(self, base: str, timeout: float = 60):
        self.base, self.timeout = base, timeout
        self.http = requests.Session()

    def _csrf(self, path: str) -> str:
        page = self.http.get(self.base + path, timeout=self.timeout)
        return CSRF_RE.search(page.text).group(1)

    def login(self, email: str, password: str) -> None:
        data = {"csrf_token": self._csrf("/auth/login"), "email": email, "password": password}
        r = self.http.post(
            self.base + "/auth/login", data=data, timeout=self.timeout, allow_redirects=False
        )
        if r.status_code != 302:
            raise RuntimeError(f"staff login failed: {r.status_code}")

    def start_report(self, slug: str, edition: str = "internal") -> ReportResult:
        """Ask for a summary report with every section; the server runs it as a job."""
        from consult.reports.options import SECTION_KEYS

        path = f"/reports/{slug}/summary"
        data = {"csrf_token": self._csrf(path), "edition": edition, "sections": SECTION_KEYS}
        r = self.http.post(self.base + path, data=data, timeout=self.timeout, allow_redirects=False)
        result = ReportResult(started=time.monotonic())
        m = re.search(r"/reports/runs/(\d+)$", r.headers.get("Location", ""))
        if r.status_code != 302 or not m:
            result.status, result.error = "refused", f"HTTP {r.status_code}"
            result.finished = time.monotonic()
            return result
        result.run_id, result.status = int(m.group(1)), "queued"
        return result

    def wait_report(self, result: ReportResult, give_up_after: float = 900) -> ReportResult:
        """Follow the run's job until it is done or failed; then download the PDF."""
        if result.run_id is None:
            return result
        page = self.http.get(f"{self.base}/reports/runs/{result.run_id}", timeout=self.timeout)
        status_url = JOB_STATUS_RE.search(page.text).group(1).replace("&amp;", "&")
        give_up = time.monotonic() + give_up_after  # a hang guard, not a timing check
        job: dict = {}
        while time.monotonic() < give_up:
            job = self.http.get(self.base + status_url, timeout=self.timeout).json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.5)
        result.finished = time.monotonic()
        result.status, result.error = job.get("status", "unknown"), job.get("error")
        if result.status == "done":
            pdf = self.http.get(
                f"{self.base}/reports/runs/{result.run_id}/download", timeout=self.timeout
            )
            result.pdf = pdf.content if pdf.status_code == 200 else b""
        return result


# --- a seeded site, served ---------------------------------------------------------------------


@dataclass
class Site:
    server: Server
    app: object
    public_path: str
    survey_id: int
    instance: Path
    hearing_id: int
    staff: tuple[str, str] | None = None  # (email, password) with the demo data
    demo_slug: str | None = None


DEMO_SLUG = "2026-stakeholder-consultation"


def site_config(instance: Path, database_url: str) -> dict:
    return {
        "SECRET_KEY": SECRET,
        "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
    }


def seed_survey(app) -> tuple[int, str]:
    """A consultation with an open survey of one page and a public link; return (id, path)."""
    from consult.consultations.services import create_consultation
    from consult.surveys import questions, services
    from consult.surveys.invitations import set_public_link

    c = create_consultation(title="Load", slug="load", languages=["en"], stage="open")
    survey = services.create_survey(
        c.id,
        actor_id=None,
        title={"en": "Load survey"},
        introduction={"en": "Tell us."},
        languages=["en"],
        one_response_per_organization=False,
        allow_anonymous=True,
    )
    questions.add_question(
        survey.sections[0].id,
        actor_id=None,
        code="view",
        type="long_text",
        required=True,
        text={"en": "Your view"},
    )
    services.set_status(survey.id, "open", actor_id=None)
    with app.test_request_context():
        url = set_public_link(survey.id, True, actor_id=None)
    return survey.id, "/" + url.split("://", 1)[1].split("/", 1)[1]


def seed_hearing(consultation_slug: str = "load") -> int:
    """An open hearing (sign-up open, no capacity limit) that takes written testimony."""
    from consult.consultations.services import by_slug
    from consult.hearings.services import availability, save_hearing
    from consult.models import utcnow

    c = by_slug(consultation_slug)
    hearing = save_hearing(
        None,
        c.id,
        {
            "title": "Load hearing",
            "subject": "HB 1234",
            "starts_at": utcnow() + timedelta(days=7),
            "timezone": "America/New_York",
            "place": "Room 2B, State Capitol",
            "agenda": ["HB 1234"],
            "status": "open",
            "minutes_per_speaker": 3,
        },
        actor_id=None,
    )
    avail = availability(hearing)
    assert avail.signup_open and avail.written_open, avail
    return hearing.id


@contextmanager
def serve_site(tmp_path: Path, demo: bool = False, **config) -> Iterator[Site]:
    """Seed an instance (SQLite file, or a fresh PostgreSQL database) and serve it with gunicorn.

    `demo=True` loads every feature's demo data first (a consultation big enough for a long
    report; the demo's sample report is not rendered) and `Site.staff` holds the demo staff
    member's e-mail and password.
    """
    from consult import create_app
    from consult.extensions import db

    instance = tmp_path / "instance"
    write_instance_config(instance, **{"RATELIMIT_ENABLED": False, **config})
    pg = pg_database_url() if PG_URL else None
    url = pg or f"sqlite:///{instance / 'consult.db'}"
    os.environ.pop("CONSULT_ENV", None)
    app = create_app(site_config(instance, url))
    staff = None
    try:
        with app.app_context():
            db.create_all()
            if demo:
                from unittest import mock

                from tests.security.conftest import load_demo

                # the demo's own sample report is not needed (callers render theirs): skip it
                with mock.patch("consult.reports.demo.generate_now"):
                    _ctx, passwords = load_demo(app)
                staff = ("staff@demo.consult", passwords["staff@demo.consult"])
            survey_id, path = seed_survey(app)
            hearing_id = seed_hearing("load")
            db.session.remove()
        server = Server(instance=instance, database_url=url).start()
        try:
            yield Site(
                server,
                app,
                path,
                survey_id,
                instance,
                hearing_id,
                staff=staff,
                demo_slug=DEMO_SLUG if demo else None,
            )
        finally:
            server.stop()
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if pg:
            drop_pg_database(pg)
