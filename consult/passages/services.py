"""Publishing and withdrawing passages. Called by the survey and hearing services."""

from sqlalchemy import delete, insert, select

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
    fields = _fields(
        consultation_id=consultation_id,
        source_kind=source_kind,
        text=text,
        source_id=source_id,
        source_label=source_label,
        language=language,
        organization_id=organization_id,
        organization_kind=organization_kind,
        position=position,
        confidentiality=confidentiality,
        external_id=external_id,
    )
    for name, value in fields.items():
        setattr(passage, name, value)
    return passage


def _fields(
    *,
    consultation_id: int,
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
) -> dict:
    """A published passage's column values (text already stripped and not empty)."""
    return {
        "consultation_id": consultation_id,
        "source_kind": source_kind,
        "source_id": source_id,
        "source_label": source_label[:300],
        "text": text,
        "language": language or "en",
        "organization_id": organization_id,
        "organization_kind": organization_kind,
        "position": position,
        "confidentiality": confidentiality,
        "external_id": external_id,
        "withdrawn": False,
    }


def publish_passages(origin_kind: OriginKind, items: list[dict]) -> None:
    """publish_passage for many origins of one kind in a fixed number of statements.

    Each item holds publish_passage's keyword arguments except origin_kind and known. Existing
    passages are found in one query and updated in place; new ones are added with one
    multi-row INSERT. Does not commit.
    """
    known = passages_by_origin(origin_kind, [item["origin_id"] for item in items])
    new: dict[str, dict] = {}
    for item in items:
        origin_id = str(item["origin_id"])
        text = (item.get("text") or "").strip()
        if origin_id in known or not text:
            new.pop(origin_id, None)
            publish_passage(origin_kind=origin_kind, known=known, **item)
            continue
        fields = {k: v for k, v in item.items() if k != "origin_id"}
        new[origin_id] = {
            "origin_kind": origin_kind,
            "origin_id": origin_id,
            **_fields(**{**fields, "text": text}),
        }
    if new:
        # render_nulls: every row has the same columns, so they go in one statement
        db.session.execute(insert(Passage).execution_options(render_nulls=True), list(new.values()))


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


def delete_passages(origin_kind: OriginKind, origin_ids: list) -> None:
    """Delete the passages of origins that no longer exist, with their codings (one DELETE).

    For a survey answer the respondent removed (cleared, or hidden by a changed answer): its
    words are no longer theirs to keep, and a passage left behind would point to an answer id
    that no erasure request can reach and that SQLite may hand to a new answer. Codings, memos
    and assignments go with it (ON DELETE CASCADE). Does not commit.
    """
    if not origin_ids:
        return
    db.session.execute(
        delete(Passage)
        .where(
            Passage.origin_kind == origin_kind,
            Passage.origin_id.in_([str(i) for i in origin_ids]),
        )
        .execution_options(synchronize_session=False)
    )
