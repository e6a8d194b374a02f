"""Report builders: theme frequencies, by organization kind, sentiment, quotes; hearing summaries."""

from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import aliased

from consult.coding.models import Coding, CodingStatus, Theme, ThemeStatus
from consult.coding.models_machine import PassageGroup, PassageGroupMember
from consult.extensions import db
from consult.hearings.models import Hearing, Mode, Speaker, SpeakerStatus, Testimony
from consult.passages.models import Confidentiality, Passage, SourceKind
from consult.reports.build_core import coding_statuses, kind_label, live_passages
from consult.reports.data import Count, HearingSummary, Quote, ThemeRow, Themes
from consult.reports.quotes import load_quote_rows, make_quote

QUOTES_PER_THEME = 3
QUOTED_THEMES = 12
POSITION_LABELS = {
    "support": "Support",
    "oppose": "Oppose",
    "neutral": "Neutral",
    "information": "Information only",
}


def _coding_filter(consultation_id: int, include_suggestions: bool):
    return and_(
        live_passages(consultation_id),
        Coding.status.in_(coding_statuses(include_suggestions)),
        Theme.status == ThemeStatus.ACTIVE,
    )


def theme_rows(consultation_id: int, include_suggestions: bool) -> list[ThemeRow]:
    """One grouped query: codings, passages, organizations and sentiment per theme."""
    parent = aliased(Theme)
    pol = Coding.polarity
    rows = db.session.execute(
        select(
            Theme.id,
            Theme.name,
            func.coalesce(parent.name, ""),
            Theme.colour,
            func.count(Coding.id),
            func.count(distinct(Passage.id)),
            func.count(distinct(Passage.organization_id)),
            func.count(case((Coding.status == CodingStatus.SUGGESTED, 1))),
            func.avg(pol),
            func.count(case((pol > 0.1, 1))),
            func.count(case((and_(pol >= -0.1, pol <= 0.1), 1))),
            func.count(case((pol < -0.1, 1))),
        )
        .select_from(Coding)
        .join(Passage, Passage.id == Coding.passage_id)
        .join(Theme, Theme.id == Coding.theme_id)
        .outerjoin(parent, parent.id == Theme.parent_id)
        .where(_coding_filter(consultation_id, include_suggestions))
        .group_by(Theme.id, Theme.name, parent.name, Theme.colour)
    ).all()
    out = [
        ThemeRow(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            round(r[8], 2) if r[8] is not None else None,
            r[9],
            r[10],
            r[11],
        )  # fmt: skip
        for r in rows
    ]
    return sorted(out, key=lambda t: (-t.passages, -t.codings, t.name))


def _by_kind(consultation_id: int, include_suggestions: bool, rows: list[ThemeRow]):
    data = db.session.execute(
        select(Coding.theme_id, Passage.organization_kind, func.count(distinct(Passage.id)))
        .join(Passage, Passage.id == Coding.passage_id)
        .join(Theme, Theme.id == Coding.theme_id)
        .where(_coding_filter(consultation_id, include_suggestions))
        .group_by(Coding.theme_id, Passage.organization_kind)
    ).all()
    kinds = sorted({kind_label(k) for _, k, _ in data})
    cells: dict[tuple[int, str], int] = {}
    for tid, k, n in data:
        cells[(tid, kind_label(k))] = cells.get((tid, kind_label(k)), 0) + n
    return kinds, [(t.name, [cells.get((t.theme_id, k), 0) for k in kinds]) for t in rows]


def _campaign_copies(consultation_id: int):
    """Passages that are copies in a near-duplicate (campaign) group, other than its representative."""
    return (
        select(PassageGroupMember.passage_id)
        .join(PassageGroup, PassageGroup.id == PassageGroupMember.group_id)
        .where(
            PassageGroup.consultation_id == consultation_id,
            PassageGroupMember.passage_id != func.coalesce(PassageGroup.representative_id, 0),
        )
    )


def _representative(consultation_id, include_suggestions, public, theme_ids) -> dict[int, list]:
    """Up to three quotes per theme (in `theme_ids` order), from as many organization kinds as
    possible, each passage quoted once, campaign copies left out."""
    if not theme_ids:
        return {}
    distance = func.abs(func.length(Coding.snippet) - 170)
    rank = (
        func.row_number()
        .over(
            partition_by=(Coding.theme_id, Passage.organization_kind),
            order_by=(case((func.length(Coding.snippet) < 40, 1), else_=0), distance, Coding.id),
        )
        .label("rn")
    )
    conditions = [
        _coding_filter(consultation_id, include_suggestions),
        Coding.theme_id.in_(theme_ids),
        Passage.id.not_in(_campaign_copies(consultation_id)),
    ]
    if public:
        conditions.append(Passage.confidentiality != Confidentiality.CONFIDENTIAL)
    inner = (
        select(
            Coding.id.label("cid"),
            Coding.theme_id.label("tid"),
            Passage.organization_kind.label("kind"),
            Passage.id.label("pid"),
            rank,
        )
        .join(Passage, Passage.id == Coding.passage_id)
        .join(Theme, Theme.id == Coding.theme_id)
        .where(*conditions)
        .subquery()
    )
    picked = db.session.execute(
        select(inner.c.cid, inner.c.tid, inner.c.kind, inner.c.pid, inner.c.rn).where(
            inner.c.rn <= 2 * QUOTES_PER_THEME  # spares for passages already quoted
        )
    ).all()
    order = {tid: i for i, tid in enumerate(theme_ids)}
    chosen: dict[int, list[int]] = {}
    quoted: set[int] = set()
    # most frequent theme first; within a theme round-robin over kinds (rank 1 of each kind first)
    for cid, tid, _kind, pid, _rn in sorted(
        picked, key=lambda r: (order[r[1]], r[4], kind_label(r[2]), r[0])
    ):
        if pid not in quoted and len(chosen.setdefault(tid, [])) < QUOTES_PER_THEME:
            chosen[tid].append(cid)
            quoted.add(pid)
    return chosen


def build_themes(consultation_id: int, include_suggestions: bool, public: bool) -> Themes:
    rows = theme_rows(consultation_id, include_suggestions)
    kinds, by_kind = _by_kind(consultation_id, include_suggestions, rows)
    top = [t.theme_id for t in rows[:QUOTED_THEMES]]
    chosen = _representative(consultation_id, include_suggestions, public, top)
    quote_rows = load_quote_rows([cid for ids in chosen.values() for cid in ids])
    quotes: list[tuple[str, list[Quote]]] = []
    for t in rows[:QUOTED_THEMES]:
        qs = [make_quote(quote_rows[cid], public) for cid in chosen.get(t.theme_id, [])]
        if qs:
            quotes.append((t.name, qs))
    return Themes(rows, kinds, by_kind, quotes, include_suggestions)


def _when(starts_at, timezone) -> str:
    try:
        local = starts_at.astimezone(ZoneInfo(timezone or "UTC"))
    except (KeyError, ValueError):
        local = starts_at
    return local.strftime("%-d %B %Y, %H:%M")


def build_hearings(consultation_id: int, include_suggestions: bool) -> list[HearingSummary]:
    """Per hearing: speakers, testimonies, position tallies and the themes most coded."""
    hearings = db.session.execute(
        select(
            Hearing.id,
            Hearing.title,
            Hearing.subject,
            Hearing.starts_at,
            Hearing.timezone,
            Hearing.place,
            Hearing.remote_link,
        )
        .where(Hearing.consultation_id == consultation_id)
        .order_by(Hearing.starts_at, Hearing.id)
    ).all()
    if not hearings:
        return []
    ids = [h.id for h in hearings]
    # speakers per hearing and position; the per-hearing totals are sums over positions
    speakers: dict[int, tuple[int, int, int]] = {}
    positions: dict[int, dict[str, int]] = {}
    for hid, pos, n, spoke, written in db.session.execute(
        select(
            Speaker.hearing_id,
            Speaker.position,
            func.count(Speaker.id),
            func.count(case((Speaker.status == SpeakerStatus.SPOKE, 1))),
            func.count(case((Speaker.mode == Mode.WRITTEN, 1))),
        )
        .where(Speaker.hearing_id.in_(ids), Speaker.status != SpeakerStatus.WITHDRAWN)
        .group_by(Speaker.hearing_id, Speaker.position)
    ):
        before = speakers.get(hid, (0, 0, 0))
        speakers[hid] = (before[0] + n, before[1] + spoke, before[2] + written)
        positions.setdefault(hid, {})[pos.value] = n
    testimonies = dict(
        db.session.execute(
            select(Speaker.hearing_id, func.count(Testimony.id))
            .join(Testimony, Testimony.speaker_id == Speaker.id)
            .where(Speaker.hearing_id.in_(ids), Testimony.status != "rejected")
            .group_by(Speaker.hearing_id)
        ).all()
    )
    themes: dict[int, list[Count]] = {}
    for hid, name, n in db.session.execute(
        select(Passage.source_id, Theme.name, func.count(distinct(Passage.id)))
        .select_from(Coding)
        .join(Passage, Passage.id == Coding.passage_id)
        .join(Theme, Theme.id == Coding.theme_id)
        .where(
            _coding_filter(consultation_id, include_suggestions),
            Passage.source_kind == SourceKind.HEARING,
            Passage.source_id.in_(ids),
        )
        .group_by(Passage.source_id, Theme.name)
    ):
        themes.setdefault(hid, []).append(Count(name, n))
    out = []
    for h in hearings:
        n, spoke, written = speakers.get(h.id, (0, 0, 0))
        tally = positions.get(h.id, {})
        out.append(
            HearingSummary(
                hearing_id=h.id,
                title=h.title,
                subject=h.subject or "",
                when=_when(h.starts_at, h.timezone),
                place=h.place or ("Online" if h.remote_link else ""),
                speakers=n,
                spoke=spoke,
                written=written,
                testimonies=testimonies.get(h.id, 0),
                positions=[
                    Count(label, tally.get(k, 0), n) for k, label in POSITION_LABELS.items()
                ],
                key_themes=sorted(themes.get(h.id, []), key=lambda c: (-c.value, c.label))[:6],
            )
        )
    return out
