"""Long work as jobs with progress: inline (thread) on the embedded default, RQ with Redis."""

import threading
import traceback
from collections.abc import Callable
from datetime import datetime

from flask import current_app
from sqlalchemy import JSON, ForeignKey, Integer, String, Text, update
from sqlalchemy.orm import Mapped, mapped_column

from consult.models import IdMixin, TimestampMixin, UTCDateTime, db, utcnow

HANDLERS: dict[str, Callable] = {}


class Job(IdMixin, TimestampMixin, db.Model):
    """A unit of long work; progress is written to this row so any worker or page can read it."""

    __tablename__ = "job"

    kind: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    params: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="queued", nullable=False)
    progress: Mapped[int] = mapped_column(Integer, default=0, nullable=False)  # 0..100
    message: Mapped[str | None] = mapped_column(String(300))
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def done(self) -> bool:
        return self.status in ("done", "failed")


def job_handler(kind: str):
    """Register `fn(job, progress, **params) -> dict | None` as the handler for a job kind."""

    def deco(fn):
        HANDLERS[kind] = fn
        return fn

    return deco


def set_progress(job_id: int, progress: int, message: str | None = None) -> None:
    """Write progress in its own short transaction so pages see it while the job runs."""
    values = {"progress": max(0, min(100, int(progress))), "status": "running"}
    if message is not None:
        values["message"] = message[:300]
    with db.engine.begin() as conn:
        conn.execute(update(Job).where(Job.id == job_id).values(**values))


def run_job(job_id: int) -> None:
    """Run a job to completion in the current app context, recording success or failure."""
    job = db.session.get(Job, job_id)
    if job is None or job.done:
        return
    handler = HANDLERS[job.kind]
    set_progress(job_id, 0, "Started")
    try:
        result = handler(job, lambda p, m=None: set_progress(job_id, p, m), **(job.params or {}))
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.status, job.progress, job.result = "done", 100, result or {}
        job.message = job.message if job.message and job.progress == 100 else "Finished"
        job.finished_at = utcnow()
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 - the job records any failure for the person waiting
        db.session.rollback()
        current_app.logger.error("job %s failed: %s", job_id, traceback.format_exc())
        job = db.session.get(Job, job_id)
        job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
        job.message = "Failed"
        job.finished_at = utcnow()
        db.session.commit()


def _rq_entry(job_id: int) -> None:
    """RQ entry point: build an app and run the job."""
    from consult import create_app

    app = create_app()
    with app.app_context():
        run_job(job_id)


def start_job(kind: str, *, consultation_id: int | None, user_id: int | None, **params) -> Job:
    """Create a job row and run it: synchronously (tests), on RQ (REDIS_URL) or in a thread."""
    if kind not in HANDLERS:
        raise KeyError(f"No handler for job kind {kind!r}")
    job = Job(kind=kind, consultation_id=consultation_id, params=params, created_by_id=user_id)
    db.session.add(job)
    db.session.commit()
    app = current_app._get_current_object()
    if app.config.get("JOBS_INLINE_SYNC"):
        run_job(job.id)
    elif app.config.get("REDIS_URL"):
        from redis import Redis
        from rq import Queue

        Queue("consult", connection=Redis.from_url(app.config["REDIS_URL"])).enqueue(
            _rq_entry, job.id, job_timeout=app.config.get("REPORT_RENDER_TIMEOUT", 300) * 4
        )
    else:
        job_id = job.id

        def target():
            with app.app_context():
                run_job(job_id)

        threading.Thread(target=target, name=f"job-{job_id}", daemon=True).start()
    return job
