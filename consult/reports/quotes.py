"""Quotes for reports: attribution by organization kind and confidentiality.

Hearing redactions are already applied to passage text by the hearings feature
(consult.hearings.publishing.sync_passages stores the redacted text), so quotes, which are spans
of passage text, never contain redacted words.
"""

from dataclasses import dataclass

from sqlalchemy import select

from consult.coding.models import Coding, CodingStatus, Theme
from consult.extensions import db
from consult.orgs.models import Organization
from consult.passages.models import Confidentiality, Passage
from consult.reports.build_core import kind_label
from consult.reports.data import Quote

WITHHELD = "Confidential: counted, not quoted in the public edition."


@dataclass
class QuoteRow:
    coding: Coding
    passage: Passage
    theme: Theme
    organization: Organization | None


def load_quote_rows(coding_ids: list[int]) -> dict[int, QuoteRow]:
    """Codings with their passage, theme and organization, in one query."""
    if not coding_ids:
        return {}
    rows = db.session.execute(
        select(Coding, Passage, Theme, Organization)
        .join(Passage, Passage.id == Coding.passage_id)
        .join(Theme, Theme.id == Coding.theme_id)
        .outerjoin(Organization, Organization.id == Passage.organization_id)
        .where(Coding.id.in_(coding_ids))
    ).all()
    return {c.id: QuoteRow(c, p, t, o) for c, p, t, o in rows}


def source_label(p: Passage) -> str:
    kind = {"survey": "Survey", "hearing": "Hearing", "import": "Imported"}.get(
        p.source_kind.value, p.source_kind.value
    )
    return f"{kind}: {p.source_label}" if p.source_label else kind


def attribution(p: Passage, org: Organization | None, public: bool) -> str:
    """Organization kind; the name too when the organization is listed and the text is public."""
    kind = kind_label(p.organization_kind or (org.kind.value if org else None))
    if org is None:
        return kind
    if not public or (org.listed_publicly and p.confidentiality is Confidentiality.PUBLIC):
        return f"{kind}, {org.name}"
    return kind


def make_quote(row: QuoteRow, public: bool) -> Quote:
    """A quote for the report; confidential passages in a public edition are withheld."""
    p, c = row.passage, row.coding
    confidential = p.confidentiality is Confidentiality.CONFIDENTIAL
    withheld = public and confidential
    text = c.snippet
    return Quote(
        coding_id=c.id,
        passage_id=p.id,
        text="" if withheld else text,
        attribution=kind_label(p.organization_kind)
        if withheld
        else attribution(p, row.organization, public),
        source=source_label(p),
        theme=row.theme.name,
        confidential=confidential,
        withheld=withheld,
        suggested=c.status is CodingStatus.SUGGESTED,
    )
