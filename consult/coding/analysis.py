"""Analysis of codings, all aggregated in SQL: frequency, cross-tabs, co-occurrence, sentiment."""

from dataclasses import dataclass

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import aliased, contains_eager

from consult.coding.manual import machine_attr
from consult.coding.models import Coding, CodingStatus, Theme, ThemeStatus
from consult.extensions import db
from consult.passages.models import Confidentiality, Passage


def statuses(include_suggested: bool) -> list[CodingStatus]:
    """Only accepted codings count, unless the view says plainly it includes suggestions."""
    if include_suggested:
        return [CodingStatus.ACCEPTED, CodingStatus.SUGGESTED]
    return [CodingStatus.ACCEPTED]


def _where(consultation_id: int, include_suggested: bool):
    return and_(
        Passage.consultation_id == consultation_id,
        Passage.withdrawn.is_(False),
        Coding.status.in_(statuses(include_suggested)),
        Theme.status != ThemeStatus.MERGED,
    )


def _base(*cols):
    return (
        select(*cols)
        .select_from(Coding)
        .join(Passage, Passage.id == Coding.passage_id)
        .join(Theme, Theme.id == Coding.theme_id)
    )


def group_member_model():
    """Part B's near-duplicate membership model (passage_id, group_id), if present."""
    return machine_attr("PassageGroupMember")


def has_campaigns(consultation_id: int) -> bool:
    member = group_member_model()
    if member is None:
        return False
    return bool(
        db.session.scalar(
            select(member.id)
            .join(Passage, Passage.id == member.passage_id)
            .where(Passage.consultation_id == consultation_id)
            .limit(1)
        )
    )


def _counted(stmt, campaign_once: bool):
    """(statement, unit expression): a passage, or a whole near-duplicate group counted once."""
    member = group_member_model() if campaign_once else None
    if member is None:
        return stmt, Passage.id
    stmt = stmt.outerjoin(member, member.passage_id == Passage.id)
    # negative group ids never clash with (positive) passage ids
    return stmt, case((member.group_id.is_not(None), -member.group_id), else_=Passage.id)


@dataclass
class FrequencyRow:
    theme_id: int
    name: str
    parent: str | None
    colour: str
    passages: int
    organizations: int
    codings: int


def frequency(
    consultation_id: int, include_suggested: bool = False, campaign_once: bool = False
) -> list[FrequencyRow]:
    """Passages (or campaigns counted once), distinct organizations and codings per theme."""
    parent = aliased(Theme)
    stmt, unit = _counted(_base(), campaign_once)
    rows = db.session.execute(
        stmt.add_columns(
            Theme.id,
            Theme.name,
            parent.name,
            Theme.colour,
            func.count(distinct(unit)),
            func.count(distinct(Passage.organization_id)),
            func.count(Coding.id),
        )
        .outerjoin(parent, parent.id == Theme.parent_id)
        .where(_where(consultation_id, include_suggested))
        .group_by(Theme.id, Theme.name, parent.name, Theme.colour)
    ).all()
    out = [FrequencyRow(*r) for r in rows]
    return sorted(out, key=lambda r: (-r.passages, r.name))


def crosstab(
    consultation_id: int, column, include_suggested: bool = False, campaign_once: bool = False
) -> dict:
    """Distinct passages (or campaigns) per (theme, value of a passage column)."""
    stmt, unit = _counted(_base(), campaign_once)
    rows = db.session.execute(
        stmt.add_columns(Theme.id, column, func.count(distinct(unit)))
        .where(_where(consultation_id, include_suggested))
        .group_by(Theme.id, column)
    ).all()
    table: dict[int, dict] = {}
    values = set()
    for tid, value, n in rows:
        key = value.value if hasattr(value, "value") else value
        table.setdefault(tid, {})[key] = n
        values.add(key)
    return {"table": table, "values": sorted(values, key=lambda v: (v is None, str(v)))}


def by_organization_kind(
    consultation_id: int, include_suggested=False, campaign_once=False
) -> dict:
    return crosstab(consultation_id, Passage.organization_kind, include_suggested, campaign_once)


def by_source(consultation_id: int, include_suggested=False, campaign_once=False) -> dict:
    return crosstab(consultation_id, Passage.source_kind, include_suggested, campaign_once)


def by_stance(consultation_id: int, include_suggested=False, campaign_once=False) -> dict:
    """Theme x position (support/oppose/neutral/information) where the position is known."""
    result = crosstab(consultation_id, Passage.position, include_suggested, campaign_once)
    result["values"] = [v for v in result["values"] if v]
    return result


def cooccurrence(consultation_id: int, include_suggested: bool = False) -> dict:
    """Passages coded with both themes, for every pair of themes that co-occur."""
    pairs = (
        _base(Coding.passage_id.label("pid"), Coding.theme_id.label("tid"))
        .where(_where(consultation_id, include_suggested))
        .distinct()
        .subquery()
    )
    a, b = aliased(pairs), aliased(pairs)
    rows = db.session.execute(
        select(a.c.tid, b.c.tid, func.count())
        .select_from(a)
        .join(b, and_(a.c.pid == b.c.pid, a.c.tid <= b.c.tid))
        .group_by(a.c.tid, b.c.tid)
    ).all()
    matrix: dict[tuple[int, int], int] = {}
    for t1, t2, n in rows:
        matrix[(t1, t2)] = matrix[(t2, t1)] = n
    return matrix


@dataclass
class SentimentRow:
    theme_id: int
    spans: int
    mean_polarity: float | None
    positive: int
    negative: int
    neutral: int
    passage_polarity: float | None


def sentiment_by_theme(
    consultation_id: int, include_suggested: bool = False
) -> dict[int, SentimentRow]:
    """Mean polarity of coded spans (and of whole passages when analysed) per theme."""
    pol = Coding.polarity
    rows = db.session.execute(
        _base(
            Theme.id,
            func.count(pol),
            func.avg(pol),
            func.count(case((pol > 0.1, 1))),
            func.count(case((pol < -0.1, 1))),
            func.count(case((pol.between(-0.1, 0.1), 1))),
        )
        .where(_where(consultation_id, include_suggested))
        .group_by(Theme.id)
    ).all()
    out = {r[0]: SentimentRow(*r, None) for r in rows}
    analysis = machine_attr("PassageAnalysis")
    if analysis is not None and hasattr(analysis, "polarity"):
        per_passage = (
            _base(Coding.theme_id.label("tid"), Passage.id.label("pid"))
            .where(_where(consultation_id, include_suggested))
            .distinct()
            .subquery()
        )
        for tid, mean in db.session.execute(
            select(per_passage.c.tid, func.avg(analysis.polarity))
            .join(analysis, analysis.passage_id == per_passage.c.pid)
            .group_by(per_passage.c.tid)
        ):
            if tid in out:
                out[tid].passage_polarity = mean
    return out


def quotes(
    consultation_id: int, theme_id: int, user, *, page: int = 1, include_suggested: bool = False
):
    """Coded spans of one theme with their passages; confidential ones only for those allowed."""
    stmt = (
        _base(Coding)
        .options(contains_eager(Coding.passage), contains_eager(Coding.theme))
        .where(_where(consultation_id, include_suggested), Coding.theme_id == theme_id)
        .order_by(Passage.id, Coding.start)
    )
    if not user.can("read_confidential"):
        stmt = stmt.where(Passage.confidentiality != Confidentiality.CONFIDENTIAL)
    return db.paginate(stmt, page=page, per_page=30, error_out=False)
