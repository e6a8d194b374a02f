"""Manual coding services: apply, adjust and remove codings, memos, done marks, assignments."""

import importlib
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from consult.audit import record
from consult.coding.models import (
    Coding,
    CodingOrigin,
    CodingStatus,
    Memo,
    Theme,
    ThemeStatus,
)
from consult.extensions import db
from consult.passages.models import Confidentiality, Passage

SENTENCE_RE = re.compile(r"[^.!?…\n]+(?:[.!?…]+[\"'”’)\]]*|\n|$)")


class CodingError(Exception):
    """A coding problem worded for the person."""


def machine_attr(name: str):
    """Return a Part-B object (e.g. PassageAnalysis, split_sentences) if it exists, else None."""
    for module in (
        "consult.coding.models",
        "consult.coding.models_machine",
        "consult.coding.autocode",
        "consult.coding.nlp",
    ):
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        if hasattr(mod, name):
            return getattr(mod, name)
    return None


def split_sentences(text: str) -> list[tuple[int, int, str]]:
    """Sentences as (start, end, text) with offsets into `text` (code points)."""
    splitter = machine_attr("split_sentences")
    if splitter is not None:
        try:
            result = [(int(s), int(e), text[int(s) : int(e)]) for s, e, *_ in splitter(text)]
            if result:
                return result
        except (TypeError, ValueError):
            pass  # a different signature: use our own splitter
    out = []
    for m in SENTENCE_RE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end, text[start:end]))
    return out


def span_sentiment(snippet: str) -> tuple[float | None, float | None]:
    """Polarity and subjectivity of a span (TextBlob's offline pattern analyser)."""
    try:
        from textblob import TextBlob

        s = TextBlob(snippet).sentiment
        return round(float(s.polarity), 4), round(float(s.subjectivity), 4)
    except Exception:  # noqa: BLE001 - sentiment is optional decoration, never blocks coding
        return None, None


def visible_passage(consultation_id: int, passage_id: int, user) -> Passage | None:
    """The passage if this user may code it (confidential ones need can_read_confidential)."""
    stmt = select(Passage).where(
        Passage.id == passage_id, Passage.consultation_id == consultation_id
    )
    if not user.can("read_confidential"):
        stmt = stmt.where(Passage.confidentiality != Confidentiality.CONFIDENTIAL)
    return db.session.scalar(stmt)


def passage_codings(passage_id: int, *, viewer_id: int | None, blind: bool) -> list[Coding]:
    """Codings to show on a passage; in blind mode only the viewer's own."""
    stmt = (
        select(Coding)
        .join(Theme, Theme.id == Coding.theme_id)
        .options(contains_eager(Coding.theme), selectinload(Coding.coder))
        .where(Coding.passage_id == passage_id, Coding.status != CodingStatus.REJECTED)
    )
    if blind:
        stmt = stmt.where(Coding.coder_id == viewer_id)
    return list(db.session.scalars(stmt.order_by(Coding.start, Coding.end, Coding.id)))


@dataclass
class Segment:
    start: int
    end: int
    text: str
    codings: list = field(default_factory=list)


def segments(text: str, codings: list[Coding]) -> list[Segment]:
    """Cut the text at every coding boundary; each piece lists the codings covering it."""
    cuts = {0, len(text)}
    for c in codings:
        cuts.update((max(0, min(c.start, len(text))), max(0, min(c.end, len(text)))))
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:], strict=False):
        if b > a:
            # people's codings first: the first one sets the segment's style
            covering = sorted(
                (c for c in codings if c.start <= a and c.end >= b),
                key=lambda c: (c.coder_id is None, c.id or 0),
            )
            out.append(Segment(a, b, text[a:b], covering))
    return out


def _active_themes(consultation_id: int, theme_ids: list[int]) -> list[Theme]:
    ids = {int(i) for i in theme_ids}
    themes = list(
        db.session.scalars(
            select(Theme).where(
                Theme.id.in_(ids),
                Theme.consultation_id == consultation_id,
                Theme.status == ThemeStatus.ACTIVE,
            )
        )
    )
    if not themes or len(themes) != len(ids):
        raise CodingError("Choose one or more active themes from this codebook.")
    return themes


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join overlapping or touching spans (adjacent sentences become one coding)."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def add_codings(
    passage: Passage, theme_ids: list[int], spans: list[tuple[int, int]], *, coder_id: int
) -> list[Coding]:
    """Apply each theme to each span for this coder; returns the codings created."""
    if not spans:
        raise CodingError("Select some text, or tick one or more sentences, to code.")
    themes = _active_themes(passage.consultation_id, theme_ids)
    n = len(passage.text)
    for s, e in spans:
        if not (0 <= s < e <= n):
            raise CodingError("The selection is outside the passage; select the text again.")
    spans = [_trim(passage.text, s, e) for s, e in spans]
    spans = [(s, e) for s, e in spans if e > s]
    if not spans:
        raise CodingError("The selection holds only spaces; select some words.")
    existing = set(
        db.session.execute(
            select(Coding.theme_id, Coding.start, Coding.end).where(
                Coding.passage_id == passage.id, Coding.coder_id == coder_id
            )
        ).all()
    )
    created = []
    for s, e in merge_spans(spans):
        snippet = passage.text[s:e]
        polarity, subjectivity = span_sentiment(snippet)
        for theme in themes:
            if (theme.id, s, e) in existing:
                continue
            coding = Coding(
                passage_id=passage.id,
                theme_id=theme.id,
                start=s,
                end=e,
                snippet=snippet,
                coder_id=coder_id,
                origin=CodingOrigin.MANUAL,
                status=CodingStatus.ACCEPTED,
                polarity=polarity,
                subjectivity=subjectivity,
            )
            db.session.add(coding)
            created.append(coding)
    db.session.flush()
    for c in created:
        _audit("coding.create", c, coder_id, after=_coding_state(c))
    db.session.commit()
    return created


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _coding_state(c: Coding) -> dict:
    return {"theme_id": c.theme_id, "start": c.start, "end": c.end, "status": c.status.value}


def _audit(action: str, c: Coding, actor_id: int | None, **detail) -> None:
    record(
        action,
        actor_id=actor_id,
        object_type="coding",
        object_id=c.id,
        consultation_id=c.passage.consultation_id if c.passage else None,
        detail={"passage_id": c.passage_id, **detail},
    )


def get_coding(passage: Passage, coding_id: int) -> Coding:
    coding = db.session.scalar(
        select(Coding).where(Coding.id == coding_id, Coding.passage_id == passage.id)
    )
    if coding is None:
        raise CodingError("That coding no longer exists.")
    return coding


def adjust_coding(
    passage: Passage, coding_id: int, start: int, end: int, *, actor_id: int, theme_id=None
) -> Coding:
    """Move a human coding's span (and optionally its theme)."""
    coding = get_coding(passage, coding_id)
    if not (0 <= start < end <= len(passage.text)):
        raise CodingError(
            f"Start and end must satisfy 0 ≤ start < end ≤ {len(passage.text)} (the text length)."
        )
    before = _coding_state(coding)
    if theme_id and int(theme_id) != coding.theme_id:
        coding.theme_id = _active_themes(passage.consultation_id, [theme_id])[0].id
    coding.start, coding.end = start, end
    coding.snippet = passage.text[start:end]
    coding.polarity, coding.subjectivity = span_sentiment(coding.snippet)
    db.session.flush()
    _audit("coding.update", coding, actor_id, before=before, after=_coding_state(coding))
    db.session.commit()
    return coding


def remove_coding(passage: Passage, coding_id: int, *, actor_id: int) -> None:
    """Delete a coding (audited with its state before)."""
    coding = get_coding(passage, coding_id)
    _audit("coding.delete", coding, actor_id, before=_coding_state(coding), after=None)
    db.session.delete(coding)
    db.session.commit()


def add_memo(
    consultation_id: int,
    text: str,
    *,
    author_id: int,
    passage_id: int | None = None,
    theme_id: int | None = None,
) -> Memo:
    """Write a memo on a passage or a theme."""
    text = (text or "").strip()
    if not text:
        raise CodingError("Write something in the memo before saving it.")
    if len(text) > 20000:
        raise CodingError("Memos can be at most 20,000 characters long.")
    memo = Memo(
        consultation_id=consultation_id,
        passage_id=passage_id,
        theme_id=theme_id,
        author_id=author_id,
        text=text,
    )
    db.session.add(memo)
    db.session.flush()
    record(
        "memo.create",
        actor_id=author_id,
        object_type="memo",
        object_id=memo.id,
        consultation_id=consultation_id,
        detail={"passage_id": passage_id, "theme_id": theme_id},
    )
    db.session.commit()
    return memo


def memos_for(*, passage_id: int | None = None, theme_id: int | None = None) -> list[Memo]:
    stmt = select(Memo).options(selectinload(Memo.author)).order_by(Memo.created_at.desc())
    stmt = stmt.where(Memo.passage_id == passage_id) if passage_id else stmt
    stmt = stmt.where(Memo.theme_id == theme_id) if theme_id else stmt
    return list(db.session.scalars(stmt))
