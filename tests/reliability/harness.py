"""Gunicorn servers in subprocesses and survey respondents as HTTP clients, for load and crashes.

The server runs the real app (`consult:create_app()`) with several workers on a free port, with
its own instance folder, on a SQLite file or on a fresh PostgreSQL database
(CONSULT_TEST_DATABASE_URL). Respondents go through the public survey link like a browser:
start, answer the page, review, submit with the page's submission key.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

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
