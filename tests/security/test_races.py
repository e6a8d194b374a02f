"""Races: 20 parallel identical submissions give one row; 20 parallel sign-ups with one key, one."""

import secrets
import threading
from datetime import timedelta

from sqlalchemy import func, select

from consult.extensions import db
from consult.models import utcnow

N = 20


def run_parallel(fn) -> list:
    barrier = threading.Barrier(N)
    results: list = [None] * N

    def worker(i):
        barrier.wait()
        try:
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_parallel_identical_survey_submissions_store_one_response(app):
    from consult.surveys.models import Response
    from consult.surveys.submit import submit_answers
    from tests.reliability.conftest import seed_survey

    survey_id, _path = seed_survey(app)
    key = secrets.token_hex(16)

    def submit(_i):
        with app.app_context():
            response, created = submit_answers(
                survey_id, {"view": "We need more shelter beds."}, submission_key=key
            )
            rid = response.id
            db.session.remove()
            return rid, created

    results = run_parallel(submit)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    assert len({rid for rid, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    db.session.remove()
    n = db.session.scalar(select(func.count(Response.id)).where(Response.submission_key == key))
    assert n == 1


def test_parallel_signups_with_one_key_make_one_speaker(app, factory):
    from consult.hearings.models import Speaker
    from consult.hearings.services import save_hearing

    c = factory.consultation()
    hearing = save_hearing(
        None,
        c.id,
        {
            "title": "Race hearing",
            "subject": "HB 1",
            "starts_at": utcnow() + timedelta(days=7),
            "timezone": "UTC",
            "place": "Room 1",
            "agenda": ["Item"],
            "status": "open",
            "minutes_per_speaker": 3,
        },
        actor_id=None,
    )
    hearing_id = hearing.id
    key = secrets.token_hex(16)
    form = {
        "key": key,
        "name": "Jordan Example",
        "email": "jordan@example.org",
        "position": "support",
        "mode": "in_person",
        "confidentiality": "public",
        "consent_publish": "y",
    }

    def sign_up(_i):
        return app.test_client().post(f"/hearings/{hearing_id}", data=form).status_code

    codes = run_parallel(sign_up)
    assert [c for c in codes if isinstance(c, Exception) or c >= 500] == []
    db.session.remove()
    n = db.session.scalar(select(func.count(Speaker.id)).where(Speaker.hearing_id == hearing_id))
    assert n == 1
