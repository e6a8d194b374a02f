"""The hearing record as plain data: who spoke, what they said, the tally and the themes.

One builder serves the public record page and both editions of the hearing summary, so the
rules about confidentiality live in one place:
- public: confidential speakers never appear; name-withheld speakers (and anyone who did not
  consent to publication) appear as "Speaker N, name withheld"; only approved testimony, redacted.
- internal: everyone and everything, with confidential speakers marked.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.hearings.models import (
    Attachment,
    Hearing,
    ModerationStatus,
    Position,
    RedactionField,
    Speaker,
    SpeakerStatus,
    Testimony,
)
from consult.hearings.publishing import redacted
from consult.hearings.text import parse_transcript
from consult.passages.models import Confidentiality, OriginKind, Passage, SourceKind

PUBLIC, INTERNAL = "public", "internal"
POSITION_LABELS = {
    Position.SUPPORT: "Support",
    Position.OPPOSE: "Oppose",
    Position.NEUTRAL: "Neutral",
    Position.INFORMATION: "For information",
}


@dataclass
class Entry:
    """One speaker as shown in a record or summary edition."""

    number: int
    name: str
    organization: str | None
    organization_kind: str | None
    position: Position
    mode: str
    status: str
    order: int | None
    confidentiality: Confidentiality
    walk_in: bool
    withheld: bool = False  # shown as "Speaker N, name withheld"
    written: str = ""
    transcript: list = field(default_factory=list)
    attachments: list = field(default_factory=list)  # (display name, text)
    summary: str | None = None
    moderation: str | None = None
    themes: list = field(default_factory=list)
    speaker_id: int = 0
    testimony_id: int | None = None

    @property
    def has_testimony(self) -> bool:
        return bool(self.written or self.transcript or any(t for _, t in self.attachments))


def position_tally(hearing_id: int, edition: str = PUBLIC) -> dict[Position, int]:
    """Speakers by position (not withdrawn, testimony not rejected), counted in SQL.

    The public edition leaves confidential speakers out, as it does everywhere else.
    """
    query = (
        select(Speaker.position, func.count(Speaker.id))
        .outerjoin(Testimony, Testimony.speaker_id == Speaker.id)
        .where(
            Speaker.hearing_id == hearing_id,
            Speaker.status != SpeakerStatus.WITHDRAWN,
            (Testimony.id.is_(None)) | (Testimony.status != ModerationStatus.REJECTED),
        )
        .group_by(Speaker.position)
    )
    if edition == PUBLIC:
        query = query.where(Speaker.confidentiality != Confidentiality.CONFIDENTIAL)
    rows = db.session.execute(query).all()
    tally = {p: 0 for p in Position}
    for position, n in rows:
        tally[Position(position)] = n
    return tally


def _themes_by_testimony(hearing_id: int) -> dict[int, list[str]]:
    """Accepted coding themes per testimony id for the passages of this hearing."""
    from consult.coding.models import Coding, CodingStatus, Theme

    rows = db.session.execute(
        select(Passage.origin_kind, Passage.origin_id, Theme.name)
        .join(Coding, Coding.passage_id == Passage.id)
        .join(Theme, Theme.id == Coding.theme_id)
        .where(
            Passage.source_kind == SourceKind.HEARING,
            Passage.source_id == hearing_id,
            Passage.withdrawn.is_(False),
            Coding.status == CodingStatus.ACCEPTED,
        )
        .distinct()
    ).all()
    attachment_ids = [int(oid) for kind, oid, _ in rows if kind == OriginKind.ATTACHMENT]
    owner = {}
    if attachment_ids:
        owner = dict(
            db.session.execute(
                select(Attachment.id, Attachment.testimony_id).where(
                    Attachment.id.in_(attachment_ids)
                )
            ).all()
        )
    out: dict[int, list[str]] = defaultdict(list)
    for kind, oid, name in rows:
        tid = owner.get(int(oid)) if kind == OriginKind.ATTACHMENT else int(oid)
        if tid is not None and name not in out[tid]:
            out[tid].append(name)
    return out


def _entry(number: int, s: Speaker, edition: str, themes: dict[int, list[str]]) -> Entry:
    t = s.testimony
    hide_name = s.confidentiality is not Confidentiality.PUBLIC or not s.consent_publish
    public = edition == PUBLIC
    name = f"Speaker {number}, name withheld" if public and hide_name else s.name
    entry = Entry(
        number=number,
        name=name,
        organization=None if public and hide_name else s.organization_name,
        organization_kind=s.organization_kind.label if s.organization_kind else None,
        position=s.position,
        mode=s.mode.value,
        status=s.status.value,
        order=s.order,
        confidentiality=s.confidentiality,
        walk_in=s.walk_in,
        withheld=public and hide_name,
        speaker_id=s.id,
    )
    if t is None:
        return entry
    entry.testimony_id = t.id
    entry.moderation = t.status.value
    if public and (t.status is not ModerationStatus.APPROVED or not s.consent_publish):
        return entry
    entry.themes = themes.get(t.id, [])
    entry.summary = t.summary
    if public:
        entry.written = redacted(t, RedactionField.WRITTEN)
        entry.transcript = parse_transcript(redacted(t, RedactionField.TRANSCRIPT))
        entry.attachments = [
            (a.original_name, redacted(t, RedactionField.ATTACHMENT, a)) for a in t.attachments
        ]
    else:
        entry.written = t.written_text or ""
        entry.transcript = parse_transcript(t.transcript)
        entry.attachments = [(a.original_name, a.extracted_text or "") for a in t.attachments]
    return entry


def build_entries(hearing: Hearing, edition: str = PUBLIC) -> list[Entry]:
    """Every speaker of the hearing in speaking order (written-only after), for an edition."""
    speakers = list(
        db.session.scalars(
            select(Speaker)
            .where(Speaker.hearing_id == hearing.id)
            .options(
                selectinload(Speaker.testimony).selectinload(Testimony.attachments),
                selectinload(Speaker.testimony).selectinload(Testimony.redactions),
            )
            .order_by(Speaker.id)
        )
    )
    themes = _themes_by_testimony(hearing.id)
    entries = []
    for number, s in enumerate(speakers, start=1):
        if edition == PUBLIC and s.confidentiality is Confidentiality.CONFIDENTIAL:
            continue
        entries.append(_entry(number, s, edition, themes))
    entries.sort(key=lambda e: (e.order is None, e.order or 0, e.number))
    if edition == PUBLIC:  # rejected testimony is not part of the public record
        entries = [e for e in entries if e.moderation != ModerationStatus.REJECTED.value]
    return entries


def theme_counts(entries: list[Entry]) -> list[tuple[str, int]]:
    """How many of these speakers' testimony was coded with each theme."""
    counts = Counter(name for e in entries for name in e.themes)
    return counts.most_common()
