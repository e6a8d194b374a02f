"""Text extraction from uploaded PDF and Word files, in a child process bounded in time and memory.

`run_extraction(kind, data, seconds=..., memory_mb=...)` starts `python -I <this file> ...` with
`subprocess`, sends the document on stdin and reads one JSON answer on stdout. The child limits its
own address space (RLIMIT_AS) and CPU time (RLIMIT_CPU, a backstop should the parent die) before it
imports pypdf or python-docx; the parent kills and reaps it when the wall-clock timeout passes, so
a crafted document (huge or endless content streams, compression bombs, thousands of heavy pages)
costs at most the timeout and never the web worker itself.

A fresh interpreter (fork + exec) rather than a fork of the web worker: nothing of the worker
(database connections, locks held by other threads, the environment with its secrets) reaches the
code that parses a stranger's file, and it behaves the same under gunicorn, the development server
and tests. The price is the interpreter start and the pypdf import (a few tenths of a second).

This file also runs as a script outside the consult package: stdlib, pypdf and python-docx only.
"""

import io
import json
import math
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MAX_EXTRACTED_CHARS = 200_000
MAX_PDF_PAGES = 200
SCRIPT = str(Path(__file__).resolve())
# the child gets these variables only (no SECRET_KEY, DATABASE_URL, ...)
CHILD_ENV_KEYS = ("PATH", "LD_LIBRARY_PATH", "LANG", "LC_ALL", "TMPDIR")

# The last extraction run in this process (tests check the child was stopped and reaped)
LAST_RUN: dict = {}


@dataclass
class Extraction:
    """The outcome of one extraction: text (maybe "") and how it went."""

    text: str
    status: str  # ok, timeout, memory, error, crashed, skipped
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def reason(self) -> str:
        """Why no text came out, for the log."""
        return {
            "ok": "",
            "timeout": "it took longer than the time limit and was stopped",
            "memory": "it needed more than the memory limit and was stopped",
            "skipped": "the time limit for this sign-up's files was already used",
            "crashed": f"the extracting process died ({self.detail})",
        }.get(self.status, f"it could not be read ({self.detail})")


def run_extraction(
    kind: str,
    data: bytes,
    *,
    seconds: float,
    memory_mb: int,
    max_chars: int = MAX_EXTRACTED_CHARS,
    max_pages: int = MAX_PDF_PAGES,
) -> Extraction:
    """Extract text from PDF or DOCX bytes in a bounded child process; never raises for the file."""
    if kind not in ("pdf", "docx"):
        raise ValueError(f"no child extraction for {kind!r}")
    if seconds <= 0:
        return Extraction("", "skipped")
    cpu_seconds = math.ceil(seconds) + 1  # wall clock is enforced here; CPU only if we are gone
    cmd = [sys.executable, "-I", SCRIPT, kind, str(memory_mb), str(cpu_seconds)]
    cmd += [str(max_chars), str(max_pages)]
    env = {k: os.environ[k] for k in CHILD_ENV_KEYS if k in os.environ}
    try:
        proc = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            close_fds=True,
        )
    except OSError as exc:  # no process could be started (out of processes or memory)
        return Extraction("", "error", f"could not start: {exc}")
    LAST_RUN.clear()
    LAST_RUN.update(pid=proc.pid, status=None, returncode=None)
    try:
        out, _ = proc.communicate(data, timeout=seconds)
    except subprocess.TimeoutExpired:
        result = Extraction("", "timeout", f"after {seconds:g} s")
        out = None
    finally:
        if proc.returncode is None:  # timeout, or anything else that interrupted us
            proc.kill()
            proc.communicate()  # reap it and close the pipes
        LAST_RUN.update(returncode=proc.returncode)
    if out is not None:
        result = _read_answer(out, proc.returncode)
    LAST_RUN.update(status=result.status)
    return result


def _read_answer(out: bytes, returncode: int) -> Extraction:
    try:
        answer = json.loads(out.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        answer = {}
    status = answer.get("status") if isinstance(answer, dict) else None
    if status == "ok" and returncode == 0 and isinstance(answer.get("text"), str):
        return Extraction(answer["text"], "ok")
    if status in ("memory", "error"):
        return Extraction("", status, str(answer.get("detail") or "")[:300])
    if returncode is not None and returncode < 0:
        if -returncode == signal.SIGXCPU:
            return Extraction("", "timeout", "CPU time limit")
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        return Extraction("", "crashed", f"signal {name}")
    return Extraction("", "crashed", f"exit code {returncode}")


# --- the child ------------------------------------------------------------------------------


def pdf_text(data: bytes, max_chars: int = MAX_EXTRACTED_CHARS, max_pages: int = MAX_PDF_PAGES):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts, size = [], 0
    for page in reader.pages[:max_pages]:
        chunk = page.extract_text() or ""
        parts.append(chunk)
        size += len(chunk)
        if size > max_chars:
            break
    return "\n\n".join(parts)


def docx_text(data: bytes, max_chars: int = MAX_EXTRACTED_CHARS) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts, size = [], 0
    for para in document.paragraphs:
        parts.append(para.text)
        size += len(para.text)
        if size > max_chars:
            break
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
            size += len(parts[-1])
            if size > max_chars:
                break
        if size > max_chars:
            break
    return "\n".join(parts)


def _limit_resources(memory_mb: int, cpu_seconds: int) -> None:
    import resource

    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def _answer(message: dict) -> None:
    try:
        sys.stdout.buffer.write(json.dumps(message, ensure_ascii=False).encode("utf-8"))
        sys.stdout.buffer.flush()
    except Exception:  # noqa: BLE001, S110 - the parent reports the exit code instead
        pass


def main(argv: list[str]) -> int:
    kind, memory_mb, cpu_seconds, max_chars, max_pages = argv[0], *map(int, argv[1:5])
    try:
        _limit_resources(memory_mb, cpu_seconds)
        import logging
        import warnings

        logging.disable(logging.CRITICAL)  # pypdf warns about every damaged object; unread here
        warnings.simplefilter("ignore")
        data = sys.stdin.buffer.read()
        text = pdf_text(data, max_chars, max_pages) if kind == "pdf" else docx_text(data, max_chars)
    except MemoryError:
        _answer({"status": "memory"})
        return 3
    except Exception as exc:  # noqa: BLE001 - a damaged document yields no text, not an error
        _answer({"status": "error", "detail": f"{type(exc).__name__}: {str(exc)[:200]}"})
        return 4
    _answer({"status": "ok", "text": text[:max_chars]})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
