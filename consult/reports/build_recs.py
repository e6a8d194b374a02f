"""Report builders: recommendations with their evidence counts and quotes, and the trace appendix."""

from sqlalchemy import case, distinct, func, select

from consult.coding.models import Coding
from consult.extensions import db
from consult.passages.models import Confidentiality, Passage, SourceKind
from consult.reports.build_core import kind_label
from consult.reports.data import Count, RecommendationItem, TraceRow
from consult.reports.models import Evidence, Recommendation
from consult.reports.quotes import QuoteRow, make_quote, quote_query, source_label


def recommendation_counts(recommendation_ids: list[int]) -> dict[int, dict]:
    """Supporting counts per recommendation, in two grouped queries (withdrawn passages skipped)."""
    out = {
        rid: {
            "passages": 0,
            "organizations": 0,
            "hearings": 0,
            "survey_questions": 0,
            "evidence": 0,
            "by_kind": [],
        }
        for rid in recommendation_ids
    }
    if not recommendation_ids:
        return out
    base = (
        select()
        .select_from(Evidence)
        .join(Coding, Coding.id == Evidence.coding_id)
        .join(Passage, Passage.id == Coding.passage_id)
        .where(Evidence.recommendation_id.in_(recommendation_ids), Passage.withdrawn.is_(False))
    )
    hearing = case((Passage.source_kind == SourceKind.HEARING, Passage.source_id))
    question = case((Passage.source_kind == SourceKind.SURVEY, Passage.source_id))
    for rid, passages, orgs, hearings, questions, evidence in db.session.execute(
        base.add_columns(
            Evidence.recommendation_id,
            func.count(distinct(Passage.id)),
            func.count(distinct(Passage.organization_id)),
            func.count(distinct(hearing)),
            func.count(distinct(question)),
            func.count(Evidence.id),
        ).group_by(Evidence.recommendation_id)
    ):
        out[rid].update(
            passages=passages,
            organizations=orgs,
            hearings=hearings,
            survey_questions=questions,
            evidence=evidence,
        )
    for rid, kind, n in db.session.execute(
        base.add_columns(
            Evidence.recommendation_id,
            Passage.organization_kind,
            func.count(distinct(Passage.organization_id)),
        )
        .where(Passage.organization_id.is_not(None))
        .group_by(Evidence.recommendation_id, Passage.organization_kind)
    ):
        out[rid]["by_kind"].append(Count(kind_label(kind), n))
    for values in out.values():
        values["by_kind"].sort(key=lambda c: (-c.value, c.label))
    return out


def build_recommendations(consultation_id: int, public: bool):
    """Recommendations in order with counts and quotes, and one trace row per evidence link."""
    recs = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.consultation_id == consultation_id)
        .order_by(Recommendation.position, Recommendation.id)
    ).all()
    counts = recommendation_counts([r.id for r in recs])
    # every evidence link in order, with the quote columns of its coding (one query; a link whose
    # coding, passage or theme is gone drops out of the inner joins)
    links = db.session.execute(
        quote_query(Evidence.recommendation_id)
        .join(Evidence, Evidence.coding_id == Coding.id)
        .join(Recommendation, Recommendation.id == Evidence.recommendation_id)
        .where(Recommendation.consultation_id == consultation_id)
        .order_by(Evidence.recommendation_id, Evidence.id)
    ).all()
    number = {r.id: i for i, r in enumerate(recs, start=1)}
    quotes: dict[int, list] = {r.id: [] for r in recs}
    trace: list[TraceRow] = []
    for rid, *columns in links:
        row = QuoteRow(*columns)
        quote = None if row.withdrawn else make_quote(row, public)
        if quote is not None:
            quotes[rid].append(quote)
        trace.append(
            TraceRow(
                recommendation=number[rid],
                coding_id=row.coding_id,
                passage_id=row.passage_id,
                source=source_label(row),
                kind=kind_label(row.organization_kind),
                theme=row.theme,
                confidentiality="withdrawn" if row.withdrawn else _conf_label(row.confidentiality),
                quoted=quote is not None and not quote.withheld,
            )
        )
    items = [
        RecommendationItem(
            id=r.id,
            number=number[r.id],
            title=r.title,
            text=r.text or "",
            area=r.area.label,
            status=r.status.value,
            passages=counts[r.id]["passages"],
            organizations=counts[r.id]["organizations"],
            organizations_by_kind=counts[r.id]["by_kind"],
            hearings=counts[r.id]["hearings"],
            survey_questions=counts[r.id]["survey_questions"],
            evidence_total=counts[r.id]["evidence"],
            quotes=quotes[r.id],
        )
        for r in recs
    ]
    return items, trace


def _conf_label(conf: Confidentiality) -> str:
    return {
        Confidentiality.PUBLIC: "public",
        Confidentiality.NAME_WITHHELD: "name withheld",
        Confidentiality.CONFIDENTIAL: "confidential",
    }[conf]
