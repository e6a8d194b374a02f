"""Speaker order rules (pure): officials first then alternating positions, or first come."""

from collections import deque
from dataclasses import dataclass

from consult.hearings.models import OrderRule

POSITION_ROTATION = ["support", "oppose", "neutral", "information"]


@dataclass(frozen=True)
class Candidate:
    """What the ordering needs to know about a speaker."""

    id: int
    signed_up: object  # anything comparable: a datetime or a sequence number
    position: str
    is_official: bool = False
    walk_in: bool = False


def first_come(candidates: list[Candidate]) -> list[int]:
    """In the order people signed up; walk-ins after everyone who signed up."""
    return [c.id for c in sorted(candidates, key=lambda c: (c.walk_in, c.signed_up, c.id))]


def officials_first(candidates: list[Candidate]) -> list[int]:
    """Officials in sign-up order, then one speaker per position in turn, then walk-ins."""
    ordered = sorted(candidates, key=lambda c: (c.signed_up, c.id))
    officials = [c.id for c in ordered if c.is_official and not c.walk_in]
    queues = {p: deque() for p in POSITION_ROTATION}
    for c in ordered:
        if not c.is_official and not c.walk_in:
            queues.setdefault(c.position, deque()).append(c.id)
    rest: list[int] = []
    while any(queues.values()):
        for p in list(queues):
            if queues[p]:
                rest.append(queues[p].popleft())
    walk_ins = [c.id for c in ordered if c.walk_in]
    return officials + rest + walk_ins


def speaker_order(candidates: list[Candidate], rule: OrderRule | str) -> list[int]:
    """Speaker ids in speaking order under a rule."""
    if OrderRule(rule) is OrderRule.FIRST_COME:
        return first_come(candidates)
    return officials_first(candidates)
