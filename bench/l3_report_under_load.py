"""L3: does rendering a large report slow down survey submissions?

Serves the demo consultation (every feature's demo data) with gunicorn (4 workers) on SQLite and
runs the L1 load (respondents through the public survey link) twice: once alone, once while the
summary report of the demo consultation is rendered again and again (`flask report summary`, the
same rendering a report job does). Prints submissions, failures and submit latency p50/p99 for
both, and the ratio of the p99s (the target: no failures and p99 within 2x of the baseline).

    .venv/bin/python bench/l3_report_under_load.py --seconds 20 --clients 30
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consult import create_app  # noqa: E402
from consult.extensions import db  # noqa: E402
from tests.reliability.conftest import seed_survey, site_config  # noqa: E402
from tests.reliability.harness import SECRET, Server, write_instance_config  # noqa: E402
from tests.reliability.test_load import Tally, respondent_loop  # noqa: E402


def load(base, path, seconds, clients) -> Tally:
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


def render_loop(instance: Path, url: str, stop: threading.Event, counts: dict) -> None:
    env = dict(os.environ, CONSULT_INSTANCE_PATH=str(instance), DATABASE_URL=url, SECRET_KEY=SECRET)
    flask = Path(sys.executable).parent / "flask"
    while not stop.is_set():
        out = instance / "report.pdf"
        proc = subprocess.run(
            [
                str(flask),
                "--app",
                "consult",
                "report",
                "summary",
                "--consultation",
                "2026-stakeholder-consultation",
                "--edition",
                "internal",
                "--out",
                str(out),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        counts["renders" if proc.returncode == 0 else "failed"] += 1
        if out.exists():
            counts["bytes"] = out.stat().st_size


def summary(label: str, tally: Tally) -> float:
    lat = sorted(tally.latencies)
    p50 = statistics.median(lat) if lat else 0
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else 0
    print(
        f"{label:16} acknowledged {len(tally.acknowledged):4}  5xx {len(tally.server_errors)}  "
        f"errors {len(tally.other_errors)}  submit p50 {p50:.3f} s  p99 {p99:.3f} s"
    )
    return p99


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--clients", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp) / "instance"
        write_instance_config(instance, RATELIMIT_ENABLED=False)
        url = f"sqlite:///{instance / 'consult.db'}"
        app = create_app(site_config(instance, url))
        with app.app_context():
            db.create_all()
            from tests.security.conftest import load_demo

            load_demo(app)
            _sid, path = seed_survey(app)
            db.session.remove()
        server = Server(instance=instance, database_url=url).start()
        try:
            base = summary("alone", load(server.base, path, args.seconds, args.clients))
            stop, counts = threading.Event(), {"renders": 0, "failed": 0, "bytes": 0}
            renderer = threading.Thread(target=render_loop, args=(instance, url, stop, counts))
            renderer.start()
            time.sleep(2)
            busy = summary("with reports", load(server.base, path, args.seconds, args.clients))
            stop.set()
            renderer.join()
            print(
                f"reports rendered meanwhile: {counts['renders']} "
                f"({counts['bytes'] // 1024} KB each, {counts['failed']} failed); "
                f"p99 ratio {busy / base if base else float('nan'):.2f} (target <= 2)"
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
