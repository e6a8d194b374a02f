"""Quotes for reports: attribution by organization kind and confidentiality.

Hearing redactions are already applied to passage text by the hearings feature
(consult.hearings.publishing.sync_passages stores the redacted text), so quotes, which are spans
of passage text, never contain redacted words.
"""

from dataclasses import dataclass

from sqlalchemy import select

from consult.coding.models import Coding, CodingStatus, Theme
from consult.extensions import db
from consult.orgs.models import Organization, OrganizationKind
from consult.passages.models import Confidentiality, Passage, SourceKind
from consult.reports.build_core import kind_label
from consult.reports.data import Quote

WITHHELD = "Confidential: counted, not quoted in the public edition."


@dataclass
class QuoteRow:
    """The few columns a quote needs from a coding, its passage, theme and organization."""

    coding_id: int
    snippet: str
    status: CodingStatus
    passage_id: int
    withdrawn: bool
    confidentiality: Confidentiality
    organization_kind: str | None  # as stored on the passage
    source_kind: SourceKind
    source_label: str
    theme: str
    org_id: int | None  # None: no organization
    org_name: str | None
    org_kind: OrganizationKind | None
    org_listed: bool | None


QUOTE_COLUMNS = (
    Coding.id,
    Coding.snippet,
    Coding.status,
    Passage.id,
    Passage.withdrawn,
    Passage.confidentiality,
    Passage.organization_kind,
    Passage.source_kind,
    Passage.source_label,
    Theme.name,
    Organization.id,
    Organization.name,
    Organization.kind,
    Organization.listed_publicly,
)


def quote_query(*extra):
    """Select `extra` columns and then the QUOTE_COLUMNS of codings with their passage, theme and
    organization (outer join); rows become QuoteRow(*row[len(extra):])."""
    return (
        select(*extra, *QUOTE_COLUMNS)
        .select_from(Coding)
        .join(Passage, Passage.id == Coding.passage_id)
        .join(Theme, Theme.id == Coding.theme_id)
        .outerjoin(Organization, Organization.id == Passage.organization_id)
    )


def load_quote_rows(coding_ids: list[int]) -> dict[int, QuoteRow]:
    """Codings with their passage, theme and organization columns, in one query."""
    if not coding_ids:
        return {}
    rows = db.session.execute(quote_query().where(Coding.id.in_(coding_ids))).all()
    return {r[0]: QuoteRow(*r) for r in rows}


def source_label(row: QuoteRow) -> str:
    kind = {"survey": "Survey", "hearing": "Hearing", "import": "Imported"}.get(
        row.source_kind.value, row.source_kind.value
    )
    return f"{kind}: {row.source_label}" if row.source_label else kind


def attribution(row: QuoteRow, public: bool) -> str:
    """Organization kind; the name too when the organization is listed and the text is public."""
    has_org = row.org_id is not None
    kind = kind_label(row.organization_kind or (row.org_kind.value if has_org else None))
    if not has_org:
        return kind
    if not public or (row.org_listed and row.confidentiality is Confidentiality.PUBLIC):
        return f"{kind}, {row.org_name}"
    return kind


def make_quote(row: QuoteRow, public: bool) -> Quote:
    """A quote for the report; confidential passages in a public edition are withheld."""
    confidential = row.confidentiality is Confidentiality.CONFIDENTIAL
    withheld = public and confidential
    return Quote(
        coding_id=row.coding_id,
        passage_id=row.passage_id,
        text="" if withheld else row.snippet,
        attribution=kind_label(row.organization_kind) if withheld else attribution(row, public),
        source=source_label(row),
        theme=row.theme,
        confidential=confidential,
        withheld=withheld,
        suggested=row.status is CodingStatus.SUGGESTED,
    )
