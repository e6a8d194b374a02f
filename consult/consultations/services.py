"""Consultation services and the dashboard counts."""

import re
from collections.abc import Callable

from sqlalchemy import func, select

from consult.audit import record
from consult.consultations.models import Consultation, Stage
from consult.extensions import db
from consult.passages.models import Passage

# Features register `fn(consultation_ids) -> {consultation_id: {label: count}}`; one query each,
# whatever the number of consultations (no N+1 on the list page).
COUNT_PROVIDERS: list[Callable[[list[int]], dict[int, dict[str, int]]]] = []

# Features register `fn(consultation) -> list[(label, url)]` for dashboard links.
DASHBOARD_LINKS: list[Callable] = []


class ConsultationError(Exception):
    """A problem worded for the person."""


SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def passage_counts(ids: list[int]) -> dict[int, dict[str, int]]:
    rows = db.session.execute(
        select(Passage.consultation_id, func.count(Passage.id))
        .where(Passage.consultation_id.in_(ids), Passage.withdrawn.is_(False))
        .group_by(Passage.consultation_id)
    ).all()
    out = {cid: {"Passages": 0} for cid in ids}
    for cid, n in rows:
        out[cid]["Passages"] = n
    return out


COUNT_PROVIDERS.append(passage_counts)


def counts_for(ids: list[int]) -> dict[int, dict[str, int]]:
    """All dashboard counts for these consultations, computed in SQL."""
    out: dict[int, dict[str, int]] = {cid: {} for cid in ids}
    if not ids:
        return out
    for provider in COUNT_PROVIDERS:
        for cid, values in provider(ids).items():
            out.setdefault(cid, {}).update(values)
    return out


def dashboard_links(consultation: Consultation, user) -> list[tuple[str, str]]:
    """Every feature's links for the dashboard, in the order data flows (surveys first, reports last)."""
    from consult import FEATURES

    def feature_rank(provider) -> int:
        feature = provider.__module__.split(".")[1]
        return FEATURES.index(feature) if feature in FEATURES else len(FEATURES)

    ordered = sorted(DASHBOARD_LINKS, key=feature_rank)  # stable: a feature keeps its own order
    return [link for provider in ordered for link in provider(consultation, user)]


def by_slug(slug: str) -> Consultation | None:
    return db.session.scalar(select(Consultation).where(Consultation.slug == slug))


def create_consultation(
    *, title: str, slug: str, actor_id: int | None = None, wave_of_slug: str | None = None, **fields
) -> Consultation:
    title = (title or "").strip()
    slug = (slug or "").strip().lower()
    if not title:
        raise ConsultationError("Enter a title.")
    if not SLUG_RE.match(slug):
        raise ConsultationError(
            "The short name may use lower-case letters, digits and hyphens, like 2026-consultation."
        )
    if by_slug(slug):
        raise ConsultationError(f"A consultation with the short name {slug!r} already exists.")
    c = Consultation(title=title, slug=slug)
    if wave_of_slug:
        earlier = by_slug(wave_of_slug)
        if earlier is None:
            raise ConsultationError(f"There is no consultation {wave_of_slug!r} to be a wave of.")
        c.wave_of_id = earlier.id
    _apply(c, fields)
    db.session.add(c)
    db.session.flush()
    record(
        "consultation.create",
        actor_id=actor_id,
        object_type="consultation",
        object_id=c.id,
        consultation_id=c.id,
    )
    db.session.commit()
    return c


def update_consultation(c: Consultation, *, actor_id: int | None, **fields) -> Consultation:
    before = {"stage": c.stage.value, "title": c.title}
    _apply(c, fields)
    record(
        "consultation.update",
        actor_id=actor_id,
        object_type="consultation",
        object_id=c.id,
        consultation_id=c.id,
        detail={"before": before, "after": {"stage": c.stage.value, "title": c.title}},
    )
    db.session.commit()
    return c


def _apply(c: Consultation, fields: dict) -> None:
    for key in (
        "title",
        "body",
        "purpose",
        "opens_on",
        "closes_on",
        "retention_until",
        "executive_summary",
        "wave_of_id",
    ):
        if key in fields:
            setattr(c, key, fields[key])
    if fields.get("stage"):
        c.stage = Stage(fields["stage"])
    if fields.get("languages"):
        langs = [code.strip() for code in fields["languages"] if code.strip()]
        c.languages = list(dict.fromkeys(langs)) or ["en"]
    if c.opens_on and c.closes_on and c.closes_on < c.opens_on:
        raise ConsultationError("The closing date must be on or after the opening date.")
