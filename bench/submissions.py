"""Concurrent survey submissions against gunicorn (2 workers) on SQLite and PostgreSQL.

Each of N respondent threads POSTs complete responses (30 answers) to the JSON API
/api/v1/surveys/<id>/responses with a staff API token (or, with --endpoint staff, signs in and uses
the staff JSON endpoint /surveys/<id>/responses.json); both call surveys.submit.submit_answers
(validation, idempotency by submission key, answer rows, audit, passages). Every respondent also
replays its last submission to check idempotency. Beside it, a minimal Flask app under the same
gunicorn settings inserts the same rows with no validation, auth or CSRF: the floor.

    .venv/bin/python bench/submissions.py --respondents 16 --each 20 --db sqlite --db postgresql

Prints responses/s, p50/p99 latency, the ratio to the floor, the SQL statements one submission
issues, and checks the stored counts.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench password long enough"
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
N_TEXT, N_NUMBER, N_CHOICE, N_YES_NO, N_LIKERT = 10, 5, 5, 5, 5  # = 30 answers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers_for(i: int) -> dict:
    out = {
        f"t{k}": f"Answer {k} from respondent {i}: we need more shelter beds."
        for k in range(N_TEXT)
    }
    out |= {f"n{k}": str((i * 7 + k) % 500) for k in range(N_NUMBER)}
    out |= {f"c{k}": ["a", "b", "c"][(i + k) % 3] for k in range(N_CHOICE)}
    out |= {f"y{k}": ["yes", "no"][(i + k) % 2] for k in range(N_YES_NO)}
    out |= {f"l{k}": str((i + k) % 5 + 1) for k in range(N_LIKERT)}
    return out


def setup_database(url: str, instance: Path) -> tuple[int, str, str]:
    """Create the schema, a staff user (with an API token) and a 30-question survey."""
    os.environ["CONSULT_INSTANCE_PATH"] = str(instance)
    from consult import create_app
    from consult.auth.roles import Role
    from consult.auth.services import create_user
    from consult.consultations.services import create_consultation
    from consult.extensions import db
    from consult.surveys.models import (
        Choice,
        Question,
        QuestionType,
        Section,
        Survey,
        SurveyStatus,
    )

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-" + "k" * 40,
            "INSTANCE_PATH": str(instance),
            "ARGON2_CHEAP": True,
        }
    )
    with app.app_context():
        db.create_all()
        email = "staff@bench.example"
        user = create_user(
            email=email,
            name="Bench staff",
            role=Role.STAFF,
            organization_id=None,
            password=PASSWORD,
        )
        from consult.api.tokens import create_token

        _, secret = create_token(
            user_id=user.id, name="bench", scope="read-write", expires_in_days=7
        )
        c = create_consultation(title="Bench", slug="bench", languages=["en"], stage="open")
        s = Survey(
            consultation_id=c.id,
            title={"en": "Bench survey"},
            languages=["en"],
            status=SurveyStatus.OPEN,
            one_response_per_organization=False,
        )
        s.sections = [Section(position=0, title={"en": "All"})]
        db.session.add(s)
        db.session.flush()
        sec = s.sections[0].id
        specs = [(f"t{k}", QuestionType.LONG_TEXT, {}) for k in range(N_TEXT)]
        specs += [(f"n{k}", QuestionType.NUMBER, {"integer": True}) for k in range(N_NUMBER)]
        specs += [(f"c{k}", QuestionType.SINGLE_CHOICE, {}) for k in range(N_CHOICE)]
        specs += [(f"y{k}", QuestionType.YES_NO, {}) for k in range(N_YES_NO)]
        specs += [(f"l{k}", QuestionType.LIKERT, {"points": 5}) for k in range(N_LIKERT)]
        for pos, (code, qtype, options) in enumerate(specs):
            choices = []
            if qtype is QuestionType.SINGLE_CHOICE:
                choices = [
                    Choice(position=j, value=v, label={"en": v.upper()})
                    for j, v in enumerate("abc")
                ]
            db.session.add(
                Question(
                    survey_id=s.id,
                    section_id=sec,
                    position=pos,
                    code=code,
                    type=qtype,
                    text={"en": code},
                    options=options,
                    choices=choices,
                    required=True,
                )
            )
        db.session.commit()
        survey_id = s.id
        db.engine.dispose()
    return survey_id, email, secret


def counts(url: str, survey_id: int) -> tuple[int, int]:
    from sqlalchemy import create_engine, text

    from consult.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    with engine.connect() as conn:
        n = conn.execute(
            text(
                "SELECT count(*) FROM survey_response WHERE survey_id = :s AND status = 'submitted'"
            ),
            {"s": survey_id},
        ).scalar()
        a = conn.execute(
            text(
                "SELECT count(*) FROM survey_answer a JOIN survey_response r ON r.id = a.response_id WHERE r.survey_id = :s"
            ),
            {"s": survey_id},
        ).scalar()
    engine.dispose()
    return n, a


def statements_per_submission(url: str, instance: Path, survey_id: int, secret: str) -> int:
    """SQL statements of one API submission (request, auth, submit, receipt), run in-process.

    Counted with SQLAlchemy's before_cursor_execute event (an executemany counts once) on a
    second submission, so the token's last-use stamp of the first is not counted.
    """
    from sqlalchemy import event

    from consult import create_app
    from consult.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-" + "k" * 40,
            "INSTANCE_PATH": str(instance),
            "ARGON2_CHEAP": True,
            "RATELIMIT_ENABLED": False,
        }
    )
    app.logger.setLevel("WARNING")  # no line per receipt sent
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    path = f"/api/v1/surveys/{survey_id}/responses"
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        for i in range(2):
            body = {"answers": answers_for(i), "submission_key": f"count-{uuid.uuid4().hex}"}
            statements.clear()
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                r = client.post(path, json={**body, "language": "en"}, headers=headers)
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
            assert r.status_code == 201, r.get_data(as_text=True)
        db.engine.dispose()
    return len(statements)


# ---- the floor: a minimal Flask app inserting the same rows ---------------------------------


def floor_app():
    """gunicorn entry point: POST /submit inserts a response and its 30 answer rows."""
    from flask import Flask, request
    from sqlalchemy import create_engine, text

    from consult.config import normalise_database_url

    app = Flask("floor")
    url = normalise_database_url(os.environ["BENCH_DATABASE_URL"])
    engine = create_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})
    survey_id = int(os.environ["BENCH_SURVEY_ID"])
    with engine.connect() as conn:
        qids = dict(
            conn.execute(
                text("SELECT code, id FROM survey_question WHERE survey_id = :s"), {"s": survey_id}
            ).all()
        )

    @app.post("/submit")
    def submit():
        body = request.get_json()
        now = time.strftime("%Y-%m-%d %H:%M:%S")
        with engine.begin() as conn:
            rid = conn.execute(
                text(
                    "INSERT INTO survey_response (survey_id, language, status, submission_key, is_test, current_section, survey_version, submitted_at, created_at, updated_at) "
                    "VALUES (:s, 'en', 'submitted', :k, false, 0, 1, :t, :t, :t) RETURNING id"
                ),
                {"s": survey_id, "k": body["submission_key"], "t": now},
            ).scalar()
            rows = []
            for code, value in body["answers"].items():
                row = {"r": rid, "q": qids[code], "c": "", "vt": None, "vn": None}
                if code[0] == "t":
                    row["vt"] = value
                elif code[0] in "nl":
                    row["vn"] = float(value)
                    row["c"] = value if code[0] == "l" else ""
                else:
                    row["c"] = value
                rows.append(row)
            conn.execute(
                text(
                    "INSERT INTO survey_answer (response_id, question_id, row_key, choice, value_text, value_number) VALUES (:r, :q, '', :c, :vt, :vn)"
                ),
                rows,
            )
        return {"id": rid}, 201

    return app


# ---- load generation ------------------------------------------------------------------------


def start_gunicorn(app_spec: str, env: dict, port: int) -> subprocess.Popen:
    cmd = [
        str(ROOT / ".venv/bin/gunicorn"),
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        "--log-level",
        "warning",
        "--pythonpath",
        f"{ROOT},{ROOT / 'bench'}",
        app_spec,
    ]
    log = open(Path(env["CONSULT_INSTANCE_PATH"]) / f"gunicorn-{port}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(cmd, env={**os.environ, **env}, cwd=ROOT, stdout=log, stderr=log)
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=10)
            return proc
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"gunicorn did not start: {app_spec}")


def staff_session(base: str, email: str, survey_id: int) -> tuple[requests.Session, str]:
    s = requests.Session()
    page = s.get(f"{base}/auth/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = s.post(
        f"{base}/auth/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    assert r.status_code == 302, f"login failed: {r.status_code}"
    page = s.get(f"{base}/surveys/{survey_id}/results").text
    return s, re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def run_load(respondents: int, each: int, post) -> tuple[float, list[float], int]:
    """Run respondents × each submissions (plus one replay each); return (seconds, latencies, errors)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(respondents + 1)

    clients = [post(w) for w in range(respondents)]  # sign in first, outside the timing

    def worker(w: int):
        client = clients[w]
        barrier.wait()
        last = None
        for j in range(each + 1):
            i = w * each + min(j, each - 1)
            key = last if j == each else f"bench-{uuid.uuid4().hex}"  # the last one is a replay
            t0 = time.perf_counter()
            try:
                ok = client(answers_for(i), key)
            except requests.RequestException:
                ok = False
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                errors[0] += 0 if ok else 1
            last = key

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(respondents)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, latencies, errors[0]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def consult_client(endpoint: str, base: str, email: str, secret: str, survey_id: int):
    """A function posting one submission through the JSON API or the staff JSON endpoint."""
    session = requests.Session()
    if endpoint == "api":
        url = f"{base}/api/v1/surveys/{survey_id}/responses"
        headers = {"Authorization": f"Bearer {secret}"}
    else:
        session, token = staff_session(base, email, survey_id)
        url = f"{base}/surveys/{survey_id}/responses.json"
        headers = {"X-CSRFToken": token}

    def post(answers, key):
        body = {"answers": answers, "submission_key": key, "language": "en"}
        r = session.post(url, json=body, headers=headers, timeout=60)
        return r.status_code in (200, 201)

    return post


def bench_one(kind: str, respondents: int, each: int, endpoint: str) -> None:
    instance = Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
    pg_name = None
    if kind == "sqlite":
        url = f"sqlite:///{instance / 'bench.db'}"
    else:
        import psycopg

        pg_name = f"consult_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + pg_name
    (instance / "config.py").write_text(
        "RATELIMIT_ENABLED = False\nARGON2_CHEAP = True\nSECRET_KEY = 'bench-" + "k" * 40 + "'\n"
    )
    try:
        survey_id, email, secret = setup_database(url, instance)
        env = {
            "CONSULT_INSTANCE_PATH": str(instance),
            "DATABASE_URL": url,
            "BENCH_DATABASE_URL": url,
            "BENCH_SURVEY_ID": str(survey_id),
        }
        total = respondents * each
        results = {}
        for name, spec in (
            ("consult", "consult:create_app()"),
            ("floor", "submissions:floor_app()"),
        ):
            port = free_port()
            proc = start_gunicorn(spec, env, port)
            base = f"http://127.0.0.1:{port}"
            try:
                before = counts(url, survey_id)
                if name == "consult":

                    def make(w, base=base):
                        return consult_client(endpoint, base, email, secret, survey_id)
                else:

                    def make(w, base=base):
                        session = requests.Session()
                        seen: set[str] = set()

                        def post(answers, key):
                            if key in seen:  # the floor has no idempotency: skip the replay
                                return True
                            seen.add(key)
                            r = session.post(
                                f"{base}/submit",
                                json={"answers": answers, "submission_key": key},
                                timeout=60,
                            )
                            return r.status_code == 201

                        return post

                seconds, lat, errors = run_load(respondents, each, make)
                after = counts(url, survey_id)
                stored, rows = after[0] - before[0], after[1] - before[1]
                results[name] = (total / seconds, pct(lat, 50), pct(lat, 99), errors, stored, rows)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
        c, f = results["consult"], results["floor"]
        print(
            f"\n{kind}: {respondents} concurrent respondents × {each} responses (+1 replay each), 30 answers each, gunicorn -w 2, "
            + (
                "POST /api/v1/surveys/<id>/responses"
                if endpoint == "api"
                else "POST /surveys/<id>/responses.json"
            )
        )
        print(
            f"  {'':8} {'resp/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'stored':>7} {'answer rows':>12}"
        )
        for name, r in results.items():
            print(f"  {name:8} {r[0]:8.1f} {r[1]:8.1f} {r[2]:8.1f} {r[3]:7d} {r[4]:7d} {r[5]:12d}")
        print(f"  consult / floor throughput: {c[0] / f[0]:.2f}")
        n = statements_per_submission(url, instance, survey_id, secret)
        print(
            f"  SQL statements per submission (one API request, in-process): consult {n}, floor 2"
        )
        exact = c[4] == total and c[5] == total * 30 and f[4] == total
        print(
            f"  stored count exact (expected {total} responses, {total * 30} answer rows): {'yes' if exact else 'NO'}"
        )
        if not exact or c[3] or f[3]:
            raise SystemExit(1)
    finally:
        if pg_name:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(instance, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=16)
    parser.add_argument("--each", type=int, default=20, help="responses per respondent")
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--endpoint",
        choices=["api", "staff"],
        default="api",
        help="the JSON API (token) or the staff JSON endpoint (session + CSRF)",
    )
    args = parser.parse_args()
    for kind in args.db or ["sqlite", "postgresql"]:
        bench_one(kind, args.respondents, args.each, args.endpoint)


if __name__ == "__main__":
    main()
