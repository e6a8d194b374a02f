"""HTML -> PDF with WeasyPrint, safely: only the app's own static files may be fetched,
and rendering runs in a child process with a time and memory bound."""

import contextlib
import multiprocessing
import os
import resource
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Templates link static files as /static/...; relative to this base they become
# https://consult.invalid/static/..., the only URLs the fetcher will serve.
BASE_URL = "https://consult.invalid/"
STATIC_PREFIX = BASE_URL + "static/"


# Figures of the last successful bounded render in this process (seconds, peak_rss_mb of the child)
LAST_RENDER: dict = {}


class RenderError(RuntimeError):
    """The document could not be rendered within its bounds; the message is for the person."""


@dataclass
class StaticOnlyFetcher(URLFetcher):
    """Serves files under the static folder and refuses every other URL (network, file:, data:...).

    Refused URLs are kept in `refused` so tests can check that nothing else was asked for.
    """

    static_folder: str = ""
    refused: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)

    def __post_init__(self):
        super().__init__(allowed_protocols=(), allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith(STATIC_PREFIX):
            rel = url[len(STATIC_PREFIX) :].split("?")[0].split("#")[0]
            root = Path(self.static_folder).resolve()
            path = (root / rel).resolve()
            if path.is_file() and root in path.parents:
                self.served.append(url)
                mime = {
                    ".css": "text/css",
                    ".svg": "image/svg+xml",
                    ".png": "image/png",
                    ".ttf": "font/ttf",
                    ".woff2": "font/woff2",
                    ".woff": "font/woff",
                }.get(path.suffix, "application/octet-stream")
                return URLFetcherResponse(
                    url, body=path.read_bytes(), headers={"Content-Type": mime}
                )
        self.refused.append(url)
        raise ValueError(f"Refused to fetch {url[:100]!r}: only the app's static files are allowed")


def _render(
    html: str,
    static_folder: str,
    out_path: str,
    memory_mb: int,
    pdf_variant: str | None,
    title: str | None,
    lang: str | None,
    conn=None,
) -> None:
    """Child process: bound memory, render, write the PDF to out_path, report back on `conn`."""
    import time

    started = time.monotonic()
    try:
        if memory_mb:
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        fetcher = StaticOnlyFetcher(static_folder=static_folder)
        options = {"pdf_variant": pdf_variant} if pdf_variant else {}
        doc = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
        if title:
            doc.metadata.title = title
        if lang:
            doc.metadata.lang = lang
        doc.write_pdf(out_path, **options)
    except MemoryError:
        _send(conn, ("memory", ""))
        os._exit(3)
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a RenderError
        if memory_mb and _out_of_memory(exc):
            _send(conn, ("memory", ""))
            os._exit(3)
        _send(conn, ("error", f"{type(exc).__name__}: {str(exc)[:300]}"))
        os._exit(4)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    _send(conn, ("ok", {"seconds": time.monotonic() - started, "peak_rss_mb": rss_kb / 1024}))


def _out_of_memory(exc: BaseException) -> bool:
    """Under the address-space limit, C code (cairo, pango, Pillow, CPython itself) often fails
    with a SystemError or an "out of memory"/"cannot allocate" error instead of MemoryError."""
    while exc is not None:
        text = str(exc).lower()
        if isinstance(exc, (MemoryError, SystemError)) or "memory" in text or "alloc" in text:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _send(conn, message) -> None:
    if conn is not None:
        # if even this fails (no memory left), the parent reports the exit code instead
        with contextlib.suppress(Exception):
            conn.send(message)


def render_pdf_inline(
    html: str, *, static_folder: str | None = None, pdf_variant: str | None = "pdf/ua-1"
) -> tuple[bytes, StaticOnlyFetcher]:
    """Render in this process (tests that spy on the fetcher); returns the PDF and the fetcher."""
    fetcher = StaticOnlyFetcher(static_folder=static_folder or current_app.static_folder)
    options = {"pdf_variant": pdf_variant} if pdf_variant else {}
    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(**options)
    return pdf, fetcher


def render_pdf(
    html: str,
    *,
    title: str | None = None,
    lang: str | None = None,
    pdf_variant: str | None = "pdf/ua-1",
    timeout: int | None = None,
    memory_mb: int | None = None,
) -> bytes:
    """Render HTML to PDF bytes in a child process bounded in time and memory.

    Raises RenderError with a plain message when a bound is exceeded or rendering fails.
    """
    cfg = current_app.config
    timeout = timeout or cfg.get("REPORT_RENDER_TIMEOUT", 300)
    memory_mb = memory_mb if memory_mb is not None else cfg.get("REPORT_RENDER_MEMORY_MB", 2048)
    fd, out_path = tempfile.mkstemp(suffix=".pdf")
    os.close(fd)
    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    try:
        proc = ctx.Process(
            target=_render,
            args=(html, current_app.static_folder, out_path, memory_mb, pdf_variant, title, lang),
            kwargs={"conn": writer},
            daemon=True,
        )
        proc.start()
        writer.close()
        proc.join(timeout)
        if proc.is_alive():
            proc.kill()
            proc.join()
            raise RenderError(
                f"The document took longer than {timeout} seconds to render and was stopped. "
                "Try fewer sections or a smaller selection."
            )
        try:
            status, detail = reader.recv() if reader.poll() else ("crashed", proc.exitcode)
        except (EOFError, OSError):  # the child died before it could say why (no memory left)
            status, detail = "crashed", proc.exitcode
        if status == "ok" and proc.exitcode == 0:
            LAST_RENDER.clear()
            LAST_RENDER.update(detail)
            return Path(out_path).read_bytes()
        if status in ("memory", "crashed"):
            raise RenderError(
                f"The document needed more than the memory limit of {memory_mb} MB to render "
                "and was stopped. Try fewer sections."
            )
        raise RenderError(f"The document could not be rendered ({detail}).")
    finally:
        reader.close()
        Path(out_path).unlink(missing_ok=True)
