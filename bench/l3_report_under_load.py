"""L3: does generating a large report slow down survey submissions?

Serves the demo consultation (every feature's demo data) with gunicorn (4 workers) on SQLite (on
PostgreSQL when CONSULT_TEST_DATABASE_URL is set) and runs the L1 load (respondents through the
public survey link) twice: once alone, once while a staff member generates the internal summary
report of the demo consultation again and again through its job, as from the report page (the
job runs in a thread of the gunicorn worker that took the request, as on the embedded default).
Prints submissions, failures and submit latency p50/p99 for both, and the ratio of the p99s (the
target: no failures and p99 within 2x of the baseline).
tests/reliability/test_report_under_load.py checks the same scenario without timing: the report
is made, no request fails, every acknowledged submission is stored once.

    .venv/bin/python bench/l3_report_under_load.py --seconds 20 --clients 30
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reliability.harness import (  # noqa: E402
    ReportResult,
    Staff,
    latency_line,
    p99,
    run_load,
    serve_site,
)


def render_loop(staff: Staff, slug: str, stop: threading.Event, runs: list[ReportResult]) -> None:
    """Generate the report, wait for it, and again, until stopped."""
    while not stop.is_set():
        runs.append(staff.wait_report(staff.start_report(slug, edition="internal")))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--clients", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, serve_site(Path(tmp), demo=True) as site:
        base, path = site.server.base, site.public_path
        alone = run_load(base, path, args.seconds, args.clients)
        print(latency_line("alone", alone))
        staff = Staff(base)
        staff.login(*site.staff)
        stop, runs = threading.Event(), []
        renderer = threading.Thread(target=render_loop, args=(staff, site.demo_slug, stop, runs))
        renderer.start()
        time.sleep(2)
        busy = run_load(base, path, args.seconds, args.clients)
        stop.set()
        renderer.join()
        print(latency_line("with reports", busy))
        done = [r for r in runs if r.status == "done" and r.pdf.startswith(b"%PDF-")]
        seconds = [r.finished - r.started for r in done]
        base_p99, busy_p99 = p99(alone.latencies), p99(busy.latencies)
        print(
            f"reports generated meanwhile: {len(done)} of {len(runs)} "
            f"({len(done[-1].pdf) // 1024 if done else 0} KB each, "
            f"{statistics.mean(seconds) if seconds else 0:.1f} s each on average); "
            f"p99 ratio {busy_p99 / base_p99 if base_p99 else float('nan'):.2f} (target <= 2)"
        )


if __name__ == "__main__":
    main()
