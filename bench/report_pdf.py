"""Benchmark the summary report: our pipeline vs a bare WeasyPrint render of the same HTML.

Builds synthetic consultations (bulk inserts) with 1,000 and 5,000 survey responses, 500 hearing
testimonies and 20,000 codings, then prints for each: report time, pages, peak memory, the same for a
bare WeasyPrint render of the final HTML, and the ratios (goal: <= 1.15x time, <= 1.2x memory).
Finally renders the report 20 times in one process and prints this process's memory after the first
and after the twentieth render (a leak shows as growth).

Run: .venv/bin/python bench/report_pdf.py [--responses 1000,5000] [--renders 20]
"""

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def rss_mb() -> float:
    """Current resident memory of this process, from /proc (no psutil)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _bare_child(html: str, static_folder: str, conn) -> None:
    from weasyprint import HTML

    from consult.reports.pdf import BASE_URL, StaticOnlyFetcher

    started = time.monotonic()
    pdf = HTML(
        string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(static_folder=static_folder)
    ).write_pdf(pdf_variant="pdf/ua-1")
    conn.send(
        (
            time.monotonic() - started,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            len(pdf),
        )
    )


def bare_render(html: str, static_folder: str) -> tuple[float, float]:
    """WeasyPrint alone on the final HTML, in a fresh child like ours: (seconds, peak RSS MB)."""
    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    started = time.monotonic()
    proc = ctx.Process(target=_bare_child, args=(html, static_folder, writer))
    proc.start()
    seconds, peak, _ = reader.recv()
    proc.join()
    return time.monotonic() - started, peak


def make_app(folder: str):
    from consult import create_app
    from consult.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench-" + "x" * 40,
            "INSTANCE_PATH": f"{folder}/instance",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
            "ARGON2_CHEAP": True,
            "REPORT_RENDER_TIMEOUT": 1800,
            "REPORT_RENDER_MEMORY_MB": 4096,
        }
    )
    with app.app_context():
        db.create_all()
    return app


def one_size(responses: int, renders: int) -> None:
    from consult.auth.roles import Role
    from consult.auth.services import create_user
    from consult.reports import pdf as pdf_module
    from consult.reports.builders import build_summary
    from consult.reports.options import ReportOptions
    from consult.reports.render import render_summary_html
    from consult.reports.runs import page_count
    from tests.reports.seed import seed_report_data

    with tempfile.TemporaryDirectory() as folder:
        app = make_app(folder)
        with app.app_context():
            staff = create_user(
                email="bench@example.org",
                name="Bench",
                role=Role.STAFF,
                organization_id=None,
                password="correct horse staple battery",
            )
            t0 = time.monotonic()
            seeded = seed_report_data(
                responses=responses, testimonies=500, codings=20000, orgs=60, staff_id=staff.id
            )
            print(
                f"\n== {responses:,} responses, 500 testimonies, {seeded.counts['codings']:,} codings "
                f"(seeded in {time.monotonic() - t0:.1f} s)"
            )
            options = ReportOptions(edition="public")
            t0 = time.monotonic()
            report = build_summary(seeded.consultation_id, options)
            t_build = time.monotonic() - t0
            html = render_summary_html(report)
            t_html = time.monotonic() - t0 - t_build
            # best of two for each (the machine is shared), alternating so neither runs cold
            render_times, child_peaks, bare_times, bare_peaks = [], [], [], []
            for _ in range(2):
                t0 = time.monotonic()
                pdf = pdf_module.render_pdf(html, title=report.title, lang="en")
                render_times.append(time.monotonic() - t0)
                child_peaks.append(pdf_module.LAST_RENDER.get("peak_rss_mb", 0))
                bare_time, bare_peak = bare_render(html, app.static_folder)
                bare_times.append(bare_time)
                bare_peaks.append(bare_peak)
            t_render, bare_time, bare_peak = min(render_times), min(bare_times), max(bare_peaks)
            ours_total = t_build + t_html + t_render
            ours_peak = max(max(child_peaks), rss_mb())
            pages = page_count(pdf)
            print(f"report: {ours_total:6.2f} s  (queries {t_build:.2f} s, template {t_html:.2f} s, "
                  f"bounded render {t_render:.2f} s)  pages {pages}  "
                  f"peak RSS {ours_peak:.0f} MB (render child "
                  f"{max(child_peaks):.0f} MB, app {rss_mb():.0f} MB)")  # fmt: skip
            print(f"bare WeasyPrint: {bare_time:6.2f} s  peak RSS {bare_peak:.0f} MB")
            print(f"ratio: time {ours_total / bare_time:.2f}x  memory {ours_peak / bare_peak:.2f}x")
            if renders:
                repeated(seeded.consultation_id, options, renders)


def repeated(consultation_id: int, options, renders: int) -> None:
    import gc

    from consult.reports import pdf as pdf_module
    from consult.reports.builders import build_summary
    from consult.reports.render import render_summary_html

    after = []
    for _ in range(renders):
        report = build_summary(consultation_id, options)
        pdf_module.render_pdf(render_summary_html(report), title=report.title, lang="en")
        gc.collect()
        after.append(rss_mb())
    print(
        f"memory of this process after 1 render: {after[0]:.0f} MB; after {renders}: "
        f"{after[-1]:.0f} MB (growth {after[-1] - after[0]:+.0f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", default="1000,5000")
    parser.add_argument("--renders", type=int, default=20, help="repeat renders (smallest size)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.responses.split(",")]
    try:
        import consult.hearings.models  # noqa: F401

        hearings = "yes"
    except ModuleNotFoundError:
        hearings = "NO: the hearing sections and testimonies are left out"
    print(f"Hearing models present: {hearings}. Data is synthetic, in SQLite.")
    for i, n in enumerate(sizes):
        one_size(n, args.renders if i == 0 else 0)


if __name__ == "__main__":
    main()
