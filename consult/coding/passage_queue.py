"""The coding queue: filtered, paginated passages with their themes and assignments (no N+1)."""

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select

from consult.auth.models import User
from consult.coding.manual import machine_attr
from consult.coding.models import Coding, CodingStatus, PassageAssignment, Theme
from consult.extensions import db
from consult.passages.models import Confidentiality, Passage, SourceKind

FILTER_KEYS = (
    "source",
    "org_kind",
    "language",
    "coded",
    "theme",
    "coder",
    "assigned",
    "sentiment",
    "pending",
    "q",
    "sort",
)
SORTS = {
    "oldest": (Passage.id,),
    "newest": (Passage.id.desc(),),
    "source": (Passage.source_kind, Passage.source_label, Passage.id),
    "kind": (Passage.organization_kind, Passage.id),
    "language": (Passage.language, Passage.id),
    "length": (func.length(Passage.text).desc(), Passage.id),
}


@dataclass
class QueueRow:
    passage: Passage
    themes: list  # (name, colour) of accepted codings
    assignees: list  # (name, done)
    pending: int


def scoped_passages(consultation_id: int, user):
    """Passages of a consultation this user may see (confidential ones need the permission)."""
    stmt = select(Passage).where(
        Passage.consultation_id == consultation_id, Passage.withdrawn.is_(False)
    )
    if not user.can("read_confidential"):
        stmt = stmt.where(Passage.confidentiality != Confidentiality.CONFIDENTIAL)
    return stmt


def _has_coding(*conds):
    return exists().where(Coding.passage_id == Passage.id, *conds)


def apply_filters(stmt, filters: dict, user_id: int):
    """Add the queue's filters to a passage query."""
    source = filters.get("source") or ""
    if source:
        kind, _, sid = source.partition(":")
        if kind in {k.value for k in SourceKind}:
            stmt = stmt.where(Passage.source_kind == SourceKind(kind))
            if sid.isdigit():
                stmt = stmt.where(Passage.source_id == int(sid))
    if filters.get("org_kind"):
        stmt = stmt.where(Passage.organization_kind == filters["org_kind"])
    if filters.get("language"):
        stmt = stmt.where(Passage.language == filters["language"])
    accepted = Coding.status == CodingStatus.ACCEPTED
    if filters.get("coded") == "coded":
        stmt = stmt.where(_has_coding(accepted))
    elif filters.get("coded") == "uncoded":
        stmt = stmt.where(~_has_coding(accepted))
    if str(filters.get("theme") or "").isdigit():
        stmt = stmt.where(_has_coding(accepted, Coding.theme_id == int(filters["theme"])))
    coder = str(filters.get("coder") or "")
    if coder == "machine":
        stmt = stmt.where(_has_coding(Coding.coder_id.is_(None)))
    elif coder.isdigit():
        stmt = stmt.where(_has_coding(Coding.coder_id == int(coder)))
    assigned = str(filters.get("assigned") or "")
    if assigned == "me":
        assigned = str(user_id)
    if assigned.isdigit():
        stmt = stmt.where(
            exists().where(
                PassageAssignment.passage_id == Passage.id,
                PassageAssignment.coder_id == int(assigned),
            )
        )
    if filters.get("pending") == "1":
        stmt = stmt.where(_has_coding(Coding.status == CodingStatus.SUGGESTED))
    analysis = machine_attr("PassageAnalysis")
    sentiment = filters.get("sentiment")
    if analysis is not None and sentiment in ("positive", "negative", "neutral"):
        pol = analysis.polarity
        cond = {"positive": pol > 0.1, "negative": pol < -0.1, "neutral": pol.between(-0.1, 0.1)}
        stmt = stmt.where(exists().where(analysis.passage_id == Passage.id, cond[sentiment]))
    if filters.get("q"):
        stmt = stmt.where(Passage.text.icontains(filters["q"].strip(), autoescape=True))
    return stmt


def queue_page(
    consultation_id: int, user, filters: dict, page: int = 1, per_page: int = 25, blind=False
):
    """One page of the queue plus rows with themes, assignees and pending suggestions.

    In blind mode the themes column shows only the user's own codings and no suggestions.
    """
    stmt = apply_filters(scoped_passages(consultation_id, user), filters, user.id)
    order = SORTS.get(filters.get("sort") or "", SORTS["oldest"])
    pagination = db.paginate(stmt.order_by(*order), page=page, per_page=per_page, error_out=False)
    ids = [p.id for p in pagination.items]
    themes: dict[int, list] = {i: [] for i in ids}
    assignees: dict[int, list] = {i: [] for i in ids}
    pending: dict[int, int] = dict.fromkeys(ids, 0)
    if ids:
        for pid, name, colour in db.session.execute(
            select(Coding.passage_id, Theme.name, Theme.colour)
            .join(Theme, Theme.id == Coding.theme_id)
            .where(
                Coding.passage_id.in_(ids),
                Coding.status == CodingStatus.ACCEPTED,
                Coding.coder_id == user.id if blind else Coding.id.is_not(None),
            )
            .distinct()
            .order_by(Theme.name)
        ):
            themes[pid].append((name, colour))
        for pid, name, done in db.session.execute(
            select(PassageAssignment.passage_id, User.name, PassageAssignment.done_at)
            .join(User, User.id == PassageAssignment.coder_id)
            .where(PassageAssignment.passage_id.in_(ids))
            .order_by(User.name)
        ):
            assignees[pid].append((name, done is not None))
        for pid, n in db.session.execute(
            select(Coding.passage_id, func.count(Coding.id))
            .where(Coding.passage_id.in_(ids), Coding.status == CodingStatus.SUGGESTED)
            .group_by(Coding.passage_id)
        ):
            pending[pid] = 0 if blind else n
    rows = [QueueRow(p, themes[p.id], assignees[p.id], pending[p.id]) for p in pagination.items]
    return pagination, rows


def queue_counts(consultation_id: int, user) -> dict[str, int]:
    """Totals for the queue heading: all, coded, uncoded, pending suggestions."""
    base = scoped_passages(consultation_id, user).subquery()
    coded = exists().where(Coding.passage_id == base.c.id, Coding.status == CodingStatus.ACCEPTED)
    pending = exists().where(
        Coding.passage_id == base.c.id, Coding.status == CodingStatus.SUGGESTED
    )
    total, n_coded, n_pending = db.session.execute(
        select(
            func.count(base.c.id),
            func.count(base.c.id).filter(coded),
            func.count(base.c.id).filter(pending),
        )
    ).one()
    return {"total": total, "coded": n_coded, "uncoded": total - n_coded, "pending": n_pending}


def filter_options(consultation_id: int) -> dict:
    """Choices for the queue's filter selects, from the data present."""
    sources = db.session.execute(
        select(Passage.source_kind, Passage.source_id, func.max(Passage.source_label))
        .where(Passage.consultation_id == consultation_id, Passage.withdrawn.is_(False))
        .group_by(Passage.source_kind, Passage.source_id)
        .order_by(Passage.source_kind, Passage.source_id)
    ).all()
    kinds = db.session.scalars(
        select(Passage.organization_kind)
        .where(Passage.consultation_id == consultation_id, Passage.organization_kind.is_not(None))
        .distinct()
    ).all()
    languages = db.session.scalars(
        select(Passage.language).where(Passage.consultation_id == consultation_id).distinct()
    ).all()
    coders = db.session.execute(
        select(User.id, User.name)
        .where(
            exists().where(
                and_(
                    Coding.coder_id == User.id,
                    Coding.passage_id == Passage.id,
                    Passage.consultation_id == consultation_id,
                )
            )
            | exists().where(
                PassageAssignment.coder_id == User.id,
                PassageAssignment.consultation_id == consultation_id,
            )
        )
        .order_by(User.name)
    ).all()
    return {
        "sources": sources,
        "org_kinds": sorted(kinds),
        "languages": sorted(languages),
        "coders": coders,
        "has_sentiment": machine_attr("PassageAnalysis") is not None,
    }


def coders_available() -> list[User]:
    """People who may code (for assignment selects)."""
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
    return [u for u in users if u.can("code")]


def next_passage_id(consultation_id: int, user, after_id: int) -> int | None:
    """The next passage to code: assigned to me and not done first, else the next by id."""
    base = scoped_passages(consultation_id, user).with_only_columns(Passage.id)
    mine = db.session.scalar(
        base.where(
            Passage.id != after_id,
            exists().where(
                PassageAssignment.passage_id == Passage.id,
                PassageAssignment.coder_id == user.id,
                PassageAssignment.done_at.is_(None),
            ),
        )
        .order_by((Passage.id > after_id).desc(), Passage.id)
        .limit(1)
    )
    if mine is not None:
        return mine
    return db.session.scalar(base.where(Passage.id > after_id).order_by(Passage.id).limit(1))
