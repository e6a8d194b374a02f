"""Recommendations and their evidence: create, edit, order, finalise, link quotes."""

from sqlalchemy import func, select

from consult.audit import record
from consult.coding.models import Coding, CodingStatus
from consult.extensions import db
from consult.passages.models import Passage
from consult.reports.models import (
    Evidence,
    Recommendation,
    RecommendationArea,
    RecommendationStatus,
)


class RecommendationError(Exception):
    """A problem worded for the person."""


class NeedsConfirmation(RecommendationError):
    """Finalising a recommendation that has no evidence: ask before doing it."""


def _get(consultation_id: int, recommendation_id: int) -> Recommendation:
    rec = db.session.get(Recommendation, recommendation_id)
    if rec is None or rec.consultation_id != consultation_id:
        raise RecommendationError("That recommendation is not part of this consultation.")
    return rec


def _validate(title: str, area: str) -> tuple[str, RecommendationArea]:
    title = (title or "").strip()
    if not title:
        raise RecommendationError("Enter a title for the recommendation.")
    if len(title) > 300:
        raise RecommendationError("The title must be 300 characters or fewer.")
    try:
        return title, RecommendationArea(area or "other")
    except ValueError:
        raise RecommendationError("Choose an area from the list.") from None


def _audit(action: str, rec: Recommendation, actor_id: int | None, **detail) -> None:
    record(
        action,
        actor_id=actor_id,
        object_type="recommendation",
        object_id=rec.id,
        consultation_id=rec.consultation_id,
        detail=detail or None,
    )


def create_recommendation(
    consultation_id: int, *, title: str, text: str, area: str, actor_id: int | None
) -> Recommendation:
    """Add a draft recommendation at the end of the list."""
    title, area_value = _validate(title, area)
    last = db.session.scalar(
        select(func.max(Recommendation.position)).where(
            Recommendation.consultation_id == consultation_id
        )
    )
    rec = Recommendation(
        consultation_id=consultation_id,
        title=title,
        text=(text or "").strip(),
        area=area_value,
        position=(last if last is not None else -1) + 1,
        created_by_id=actor_id,
    )
    db.session.add(rec)
    db.session.flush()
    _audit("recommendation.create", rec, actor_id)
    db.session.commit()
    return rec


def update_recommendation(
    consultation_id: int,
    recommendation_id: int,
    *,
    title: str,
    text: str,
    area: str,
    actor_id: int | None,
) -> Recommendation:
    rec = _get(consultation_id, recommendation_id)
    title, area_value = _validate(title, area)
    before = {"title": rec.title, "area": rec.area.value}
    rec.title, rec.text, rec.area = title, (text or "").strip(), area_value
    _audit(
        "recommendation.update",
        rec,
        actor_id,
        before=before,
        after={"title": title, "area": area_value.value},
    )
    db.session.commit()
    return rec


def evidence_count(recommendation_id: int) -> int:
    return db.session.scalar(
        select(func.count(Evidence.id)).where(Evidence.recommendation_id == recommendation_id)
    )


def set_status(
    consultation_id: int,
    recommendation_id: int,
    status: str,
    *,
    actor_id: int | None,
    confirmed: bool = False,
) -> Recommendation:
    """Mark draft or final; finalising without evidence raises NeedsConfirmation unless confirmed."""
    rec = _get(consultation_id, recommendation_id)
    try:
        new = RecommendationStatus(status)
    except ValueError:
        raise RecommendationError("Choose draft or final.") from None
    if new is RecommendationStatus.FINAL and not confirmed and evidence_count(rec.id) == 0:
        raise NeedsConfirmation(f"“{rec.title}” has no evidence linked to it. Finalise it anyway?")
    before = rec.status.value
    rec.status = new
    _audit("recommendation.status", rec, actor_id, before=before, after=new.value)
    db.session.commit()
    return rec


def move(
    consultation_id: int, recommendation_id: int, direction: str, *, actor_id: int | None
) -> None:
    """Swap a recommendation with its neighbour above ("up") or below ("down")."""
    recs = list(
        db.session.scalars(
            select(Recommendation)
            .where(Recommendation.consultation_id == consultation_id)
            .order_by(Recommendation.position, Recommendation.id)
        )
    )
    index = next((i for i, r in enumerate(recs) if r.id == recommendation_id), None)
    if index is None:
        raise RecommendationError("That recommendation is not part of this consultation.")
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(recs):
        return
    recs[index], recs[other] = recs[other], recs[index]
    for position, r in enumerate(recs):
        r.position = position
    _audit("recommendation.move", recs[other], actor_id, direction=direction)
    db.session.commit()


def delete_recommendation(
    consultation_id: int, recommendation_id: int, *, actor_id: int | None
) -> None:
    rec = _get(consultation_id, recommendation_id)
    _audit("recommendation.delete", rec, actor_id, title=rec.title)
    db.session.delete(rec)
    db.session.commit()


def add_evidence(
    consultation_id: int,
    recommendation_id: int,
    coding_id: int,
    *,
    actor_id: int | None,
    note: str | None = None,
) -> Evidence:
    """Link a quote (coding) of this consultation to a recommendation."""
    rec = _get(consultation_id, recommendation_id)
    row = db.session.execute(
        select(Coding, Passage.consultation_id, Passage.withdrawn)
        .join(Passage, Passage.id == Coding.passage_id)
        .where(Coding.id == coding_id)
    ).first()
    if row is None or row[1] != consultation_id:
        raise RecommendationError("That quote is not part of this consultation.")
    coding, _cid, withdrawn = row
    if withdrawn:
        raise RecommendationError("That passage was withdrawn and cannot be used as evidence.")
    if coding.status is CodingStatus.REJECTED:
        raise RecommendationError("That coding was rejected; choose an accepted quote.")
    exists = db.session.scalar(
        select(Evidence.id).where(
            Evidence.recommendation_id == rec.id, Evidence.coding_id == coding_id
        )
    )
    if exists:
        raise RecommendationError("That quote is already evidence for this recommendation.")
    ev = Evidence(
        recommendation_id=rec.id,
        coding_id=coding_id,
        note=(note or "").strip()[:2000] or None,
        added_by_id=actor_id,
    )
    db.session.add(ev)
    db.session.flush()
    _audit("evidence.add", rec, actor_id, coding_id=coding_id, evidence_id=ev.id)
    rec.updated_at = ev.added_at  # the recommendation changed: the report's data-as-of moves
    db.session.commit()
    return ev


def remove_evidence(
    consultation_id: int, evidence_id: int, *, actor_id: int | None
) -> Recommendation:
    ev = db.session.get(Evidence, evidence_id)
    if ev is None or ev.recommendation.consultation_id != consultation_id:
        raise RecommendationError("That evidence link is not part of this consultation.")
    rec = ev.recommendation
    _audit("evidence.remove", rec, actor_id, coding_id=ev.coding_id, evidence_id=ev.id)
    db.session.delete(ev)
    db.session.commit()
    return rec


def recommendation_choices(consultation_id: int) -> list[tuple[int, str]]:
    """(id, numbered title) of the consultation's recommendations, in order."""
    rows = db.session.execute(
        select(Recommendation.id, Recommendation.title)
        .where(Recommendation.consultation_id == consultation_id)
        .order_by(Recommendation.position, Recommendation.id)
    ).all()
    return [(rid, f"{i}. {title}") for i, (rid, title) in enumerate(rows, start=1)]
