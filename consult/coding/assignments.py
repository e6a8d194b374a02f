"""Assigning passages to coders, and each coder's "done" marks."""

from sqlalchemy import select

from consult.audit import record
from consult.coding.manual import CodingError
from consult.coding.models import PassageAssignment
from consult.extensions import db
from consult.models import utcnow
from consult.passages.models import Passage


def _assignment(passage: Passage, coder_id: int) -> PassageAssignment:
    a = db.session.scalar(
        select(PassageAssignment).where(
            PassageAssignment.passage_id == passage.id, PassageAssignment.coder_id == coder_id
        )
    )
    if a is None:
        a = PassageAssignment(
            consultation_id=passage.consultation_id, passage_id=passage.id, coder_id=coder_id
        )
        db.session.add(a)
    return a


def set_done(passage: Passage, coder_id: int, done: bool = True) -> PassageAssignment:
    """Mark (or unmark) a passage as done by this coder."""
    a = _assignment(passage, coder_id)
    a.done_at = utcnow() if done else None
    db.session.flush()
    record(
        "passage.done" if done else "passage.undone",
        actor_id=coder_id,
        object_type="passage",
        object_id=passage.id,
        consultation_id=passage.consultation_id,
    )
    db.session.commit()
    return a


def done_by(passage_id: int, coder_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(PassageAssignment.done_at).where(
                PassageAssignment.passage_id == passage_id,
                PassageAssignment.coder_id == coder_id,
            )
        )
    )


def assign_passages(
    consultation_id: int, passage_ids: list[int], coder_id: int, *, actor_id: int
) -> int:
    """Assign passages to a coder (existing assignments are kept); returns how many are new."""
    from consult.auth.models import User

    coder = db.session.get(User, coder_id)
    if coder is None or not coder.can("code"):
        raise CodingError("Choose a person who may code.")
    ids = set(
        db.session.scalars(
            select(Passage.id).where(
                Passage.consultation_id == consultation_id, Passage.id.in_(passage_ids)
            )
        )
    )
    if not ids:
        raise CodingError("Tick one or more passages to assign.")
    have = set(
        db.session.scalars(
            select(PassageAssignment.passage_id).where(
                PassageAssignment.coder_id == coder_id, PassageAssignment.passage_id.in_(ids)
            )
        )
    )
    for pid in sorted(ids - have):
        db.session.add(
            PassageAssignment(
                consultation_id=consultation_id,
                passage_id=pid,
                coder_id=coder_id,
                assigned_by_id=actor_id,
            )
        )
    record(
        "passage.assign",
        actor_id=actor_id,
        object_type="user",
        object_id=coder_id,
        consultation_id=consultation_id,
        detail={"passage_ids": sorted(ids - have)[:500], "count": len(ids - have)},
    )
    db.session.commit()
    return len(ids - have)
