"""Quote picker: accepted codings of a consultation by theme, filtered, for adding as evidence."""

from dataclasses import dataclass

from sqlalchemy import func, select

from consult.coding.models import Coding, CodingStatus, Theme, ThemeStatus
from consult.extensions import db
from consult.orgs.models import Organization
from consult.passages.models import Passage, SourceKind
from consult.reports.models import Evidence


@dataclass
class PickerFilters:
    theme_id: int | None = None
    kind: str | None = None
    source: str | None = None
    text: str = ""

    @classmethod
    def from_args(cls, args) -> "PickerFilters":
        theme = args.get("theme", "")
        source = args.get("source") or None
        return cls(
            theme_id=int(theme) if theme.isdigit() else None,
            kind=args.get("kind") or None,
            source=source if source in {s.value for s in SourceKind} else None,
            text=(args.get("q") or "").strip()[:200],
        )


def picker_query(consultation_id: int, recommendation_id: int, filters: PickerFilters):
    """Accepted codings not yet linked to this recommendation, newest passages first."""
    linked = select(Evidence.coding_id).where(Evidence.recommendation_id == recommendation_id)
    query = (
        select(Coding, Passage, Theme, Organization)
        .join(Passage, Passage.id == Coding.passage_id)
        .join(Theme, Theme.id == Coding.theme_id)
        .outerjoin(Organization, Organization.id == Passage.organization_id)
        .where(
            Passage.consultation_id == consultation_id,
            Passage.withdrawn.is_(False),
            Coding.status == CodingStatus.ACCEPTED,
            Theme.status == ThemeStatus.ACTIVE,
            Coding.id.not_in(linked),
        )
    )
    if filters.theme_id:
        query = query.where(Coding.theme_id == filters.theme_id)
    if filters.kind:
        query = query.where(Passage.organization_kind == filters.kind)
    if filters.source:
        query = query.where(Passage.source_kind == filters.source)
    if filters.text:
        escaped = filters.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(func.lower(Coding.snippet).like(f"%{escaped.lower()}%", escape="\\"))
    return query.order_by(Theme.name, Coding.id)


def theme_options(consultation_id: int) -> list[tuple[int, str, int]]:
    """Active themes with their accepted-coding counts (for the filter)."""
    return [
        tuple(r)
        for r in db.session.execute(
            select(Theme.id, Theme.name, func.count(Coding.id))
            .outerjoin(
                Coding, (Coding.theme_id == Theme.id) & (Coding.status == CodingStatus.ACCEPTED)
            )
            .where(Theme.consultation_id == consultation_id, Theme.status == ThemeStatus.ACTIVE)
            .group_by(Theme.id, Theme.name)
            .order_by(Theme.name)
        )
    ]


def evidence_rows(recommendation_id: int):
    """A recommendation's evidence with coding, passage, theme and organization (one query)."""
    return db.session.execute(
        select(Evidence, Coding, Passage, Theme, Organization)
        .join(Coding, Coding.id == Evidence.coding_id)
        .join(Passage, Passage.id == Coding.passage_id)
        .join(Theme, Theme.id == Coding.theme_id)
        .outerjoin(Organization, Organization.id == Passage.organization_id)
        .where(Evidence.recommendation_id == recommendation_id)
        .order_by(Evidence.id)
    ).all()


@dataclass
class RowPage:
    """A page of result rows (db.paginate only pages single entities), for the pagination macro."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate_rows(query, page: int, per_page: int = 25) -> RowPage:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = max(1, page)
    items = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return RowPage(items, page, per_page, total)
