"""Publishing and withdrawing passages. Called by the survey and hearing services."""

from sqlalchemy import select

from consult.extensions import db
from consult.passages.models import Confidentiality, OriginKind, Passage, SourceKind


def publish_passage(
    *,
    consultation_id: int,
    origin_kind: OriginKind,
    origin_id: int | str,
    source_kind: SourceKind,
    text: str,
    source_id: int | None = None,
    source_label: str = "",
    language: str = "en",
    organization_id: int | None = None,
    organization_kind: str | None = None,
    position: str | None = None,
    confidentiality: Confidentiality = Confidentiality.PUBLIC,
    external_id: str | None = None,
    known: dict[str, Passage] | None = None,
) -> Passage | None:
    """Create or update the passage for an origin; empty text withdraws it.

    Does not commit: the caller's service owns the transaction, so the passage changes with
    the answer or testimony it comes from.
    """
    text = (text or "").strip()
    if known is not None:  # the caller fetched this origin kind's passages in one query
        passage = known.get(str(origin_id))
    else:
        passage = db.session.scalar(
            select(Passage).where(
                Passage.origin_kind == origin_kind, Passage.origin_id == str(origin_id)
            )
        )
    if not text:
        if passage is not None:
            passage.withdrawn = True
        return passage
    if passage is None:
        passage = Passage(origin_kind=origin_kind, origin_id=str(origin_id))
        db.session.add(passage)
    passage.consultation_id = consultation_id
    passage.source_kind = source_kind
    passage.source_id = source_id
    passage.source_label = source_label[:300]
    passage.text = text
    passage.language = language or "en"
    passage.organization_id = organization_id
    passage.organization_kind = organization_kind
    passage.position = position
    passage.confidentiality = confidentiality
    passage.external_id = external_id
    passage.withdrawn = False
    return passage


def passages_by_origin(origin_kind: OriginKind, origin_ids: list) -> dict[str, Passage]:
    """Existing passages of these origins, by origin id: one query for a batch of publishes."""
    if not origin_ids:
        return {}
    rows = db.session.scalars(
        select(Passage).where(
            Passage.origin_kind == origin_kind, Passage.origin_id.in_([str(i) for i in origin_ids])
        )
    )
    return {p.origin_id: p for p in rows}


def withdraw_passage(origin_kind: OriginKind, origin_id: int | str) -> None:
    """Mark an origin's passage withdrawn (the origin was deleted or emptied). Does not commit."""
    passage = db.session.scalar(
        select(Passage).where(
            Passage.origin_kind == origin_kind, Passage.origin_id == str(origin_id)
        )
    )
    if passage is not None:
        passage.withdrawn = True
