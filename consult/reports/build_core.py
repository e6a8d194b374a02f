"""Report builders: who was consulted (method), participating organizations, codebook."""

from datetime import UTC

from sqlalchemy import and_, case, distinct, func, select, union

from consult.coding.models import Coding, CodingOrigin, CodingStatus, Theme, ThemeStatus
from consult.extensions import db
from consult.hearings.models import Hearing, Mode, Speaker, SpeakerStatus
from consult.orgs.models import KIND_LABELS, Organization, OrganizationKind
from consult.passages.models import OriginKind, Passage
from consult.reports.data import (
    CodebookEntry,
    Count,
    Method,
    OrganizationRow,
    SurveyResponseRate,
)
from consult.surveys.models import Response, ResponseStatus, Survey, SurveyInvitation

SOURCE_LABELS = {
    OriginKind.SURVEY_ANSWER: "Survey answers",
    OriginKind.TESTIMONY: "Written testimony",
    OriginKind.TRANSCRIPT: "Oral testimony (transcripts)",
    OriginKind.ATTACHMENT: "Attached documents",
    OriginKind.IMPORT: "Imported submissions",
}


def kind_label(kind) -> str:
    """Human label of an organization kind value (or 'Individual / unknown')."""
    if not kind:
        return "Individual or not stated"
    try:
        return KIND_LABELS[OrganizationKind(kind)]
    except ValueError:
        return str(kind)


def coding_statuses(include_suggestions: bool) -> list[CodingStatus]:
    if include_suggestions:
        return [CodingStatus.ACCEPTED, CodingStatus.SUGGESTED]
    return [CodingStatus.ACCEPTED]


def live_passages(consultation_id: int):
    """Condition for the consultation's passages that still count (not withdrawn)."""
    return and_(Passage.consultation_id == consultation_id, Passage.withdrawn.is_(False))


def consulted_organization_ids(consultation_id: int):
    """Subquery of organizations invited, responding or contributing a passage."""
    invited = (
        select(SurveyInvitation.organization_id.label("oid"))
        .join(Survey, Survey.id == SurveyInvitation.survey_id)
        .where(Survey.consultation_id == consultation_id, SurveyInvitation.revoked.is_(False))
    )
    responded = (
        select(Response.organization_id.label("oid"))
        .join(Survey, Survey.id == Response.survey_id)
        .where(
            Survey.consultation_id == consultation_id,
            Response.status == ResponseStatus.SUBMITTED,
            Response.is_test.is_(False),
            Response.organization_id.is_not(None),
        )
    )
    passages = select(Passage.organization_id.label("oid")).where(
        live_passages(consultation_id), Passage.organization_id.is_not(None)
    )
    speakers = (
        select(Speaker.organization_id.label("oid"))
        .join(Hearing, Hearing.id == Speaker.hearing_id)
        .where(Hearing.consultation_id == consultation_id, Speaker.organization_id.is_not(None))
    )
    return union(invited, responded, passages, speakers).subquery()


def response_rates(consultation_id: int) -> list[SurveyResponseRate]:
    """Organizations invited vs organizations that submitted, per survey and by kind."""
    surveys = db.session.execute(
        select(Survey.id, Survey.title, Survey.languages)
        .where(Survey.consultation_id == consultation_id)
        .order_by(Survey.id)
    ).all()
    invited = db.session.execute(
        select(SurveyInvitation.survey_id, Organization.kind, func.count(distinct(Organization.id)))
        .join(Organization, Organization.id == SurveyInvitation.organization_id)
        .join(Survey, Survey.id == SurveyInvitation.survey_id)
        .where(Survey.consultation_id == consultation_id, SurveyInvitation.revoked.is_(False))
        .group_by(SurveyInvitation.survey_id, Organization.kind)
    ).all()
    submitted = (
        Response.status == ResponseStatus.SUBMITTED,
        Response.is_test.is_(False),
        Survey.consultation_id == consultation_id,
    )
    responded = db.session.execute(
        select(Response.survey_id, Organization.kind, func.count(distinct(Organization.id)))
        .join(Organization, Organization.id == Response.organization_id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(*submitted)
        .group_by(Response.survey_id, Organization.kind)
    ).all()
    totals = dict(
        db.session.execute(
            select(Response.survey_id, func.count(Response.id))
            .join(Survey, Survey.id == Response.survey_id)
            .where(*submitted)
            .group_by(Response.survey_id)
        ).all()
    )
    out = []
    for sid, title, languages in surveys:
        inv = {k: n for s, k, n in invited if s == sid}
        res = {k: n for s, k, n in responded if s == sid}
        kinds = sorted(set(inv) | set(res), key=lambda k: kind_label(k))
        lang = (languages or ["en"])[0]
        out.append(
            SurveyResponseRate(
                survey=(title or {}).get(lang) or next(iter((title or {}).values()), "Survey"),
                invited=sum(inv.values()),
                responded=sum(res.values()),
                responses=totals.get(sid, 0),
                by_kind=[(kind_label(k), inv.get(k, 0), res.get(k, 0)) for k in kinds],
            )
        )
    return out


def build_method(consultation, include_suggestions: bool, agreement: list) -> Method:
    cid = consultation.id
    orgs = consulted_organization_ids(cid)
    kinds: dict = {}
    regions: dict[str, int] = {}
    for kind, region, n in db.session.execute(
        select(Organization.kind, Organization.region, func.count(Organization.id))
        .where(Organization.id.in_(select(orgs.c.oid)))
        .group_by(Organization.kind, Organization.region)
    ):
        kinds[kind] = kinds.get(kind, 0) + n
        key = region or "Not stated"  # None and "" both mean not stated
        regions[key] = regions.get(key, 0) + n
    by_kind = list(kinds.items())
    by_region = list(regions.items())
    total = sum(n for _, n in by_kind)
    hearings = db.session.execute(
        select(
            func.count(distinct(Hearing.id)),
            func.count(distinct(Speaker.id)),
            func.count(
                distinct(
                    case(
                        (
                            and_(
                                Speaker.status == SpeakerStatus.SPOKE, Speaker.mode != Mode.WRITTEN
                            ),
                            Speaker.id,
                        )
                    )
                )
            ),
        )
        .select_from(Hearing)
        .outerjoin(Speaker, and_(Speaker.hearing_id == Hearing.id, Speaker.status != "withdrawn"))
        .where(Hearing.consultation_id == cid)
    ).one()
    by_origin = dict(
        db.session.execute(
            select(Passage.origin_kind, func.count(Passage.id))
            .where(live_passages(cid))
            .group_by(Passage.origin_kind)
        ).all()
    )
    coding = db.session.execute(
        select(
            func.count(case((Coding.status == CodingStatus.ACCEPTED, 1))),
            func.count(
                case(
                    (
                        and_(
                            Coding.status == CodingStatus.ACCEPTED,
                            Coding.origin == CodingOrigin.MANUAL,
                        ),
                        1,
                    )
                )
            ),
            func.count(case((Coding.status == CodingStatus.SUGGESTED, 1))),
            func.count(distinct(Coding.coder_id)),
            select(func.count(Theme.id))  # active themes, coded or not: its own FROM
            .where(Theme.consultation_id == cid, Theme.status == ThemeStatus.ACTIVE)
            .correlate(None)
            .scalar_subquery(),
        )
        .join(Passage, Passage.id == Coding.passage_id)
        .join(Theme, Theme.id == Coding.theme_id)
        .where(live_passages(cid), Theme.status == ThemeStatus.ACTIVE)
    ).one()
    themes_active = coding[4]
    return Method(
        organizations_total=total,
        by_kind=sorted(
            [Count(kind_label(k), n, total) for k, n in by_kind], key=lambda c: (-c.value, c.label)
        ),
        by_region=sorted(
            [Count(r, n, total) for r, n in by_region], key=lambda c: (-c.value, c.label)
        ),
        response_rates=response_rates(cid),
        hearings_held=hearings[0],
        speakers=hearings[1],
        speakers_spoke=hearings[2],
        written_submissions=by_origin.get(OriginKind.TESTIMONY, 0)
        + by_origin.get(OriginKind.ATTACHMENT, 0),
        passages=sum(by_origin.values()),
        passages_by_source=[
            Count(SOURCE_LABELS[k], by_origin[k], sum(by_origin.values()))
            for k in SOURCE_LABELS
            if by_origin.get(k)
        ],
        opens_on=consultation.opens_on,
        closes_on=consultation.closes_on,
        themes_active=themes_active or 0,
        codings_accepted=coding[0],
        codings_manual=coding[1],
        codings_machine_accepted=coding[0] - coding[1],
        suggestions_pending=coding[2],
        coders=coding[3],
        agreement=agreement,
        include_suggestions=include_suggestions,
    )


def build_organizations(consultation_id: int, public: bool) -> list[OrganizationRow]:
    """Organizations consulted; the public edition lists only those who agreed to be listed."""
    orgs = consulted_organization_ids(consultation_id)
    query = select(
        Organization.name, Organization.kind, Organization.region, Organization.listed_publicly
    ).where(Organization.id.in_(select(orgs.c.oid)))
    if public:
        query = query.where(Organization.listed_publicly.is_(True))
    rows = db.session.execute(query.order_by(Organization.name)).all()
    return [
        OrganizationRow(name, kind_label(kind), region or "", listed)
        for name, kind, region, listed in rows
    ]


def build_codebook(
    consultation_id: int, include_suggestions: bool, counts: dict[int, int] | None = None
) -> list[CodebookEntry]:
    """Active themes in tree order with their coding counts.

    `counts` (theme id -> codings) may be passed in when the caller already has them for the same
    coding filter, e.g. from build_themes.theme_rows; they are queried otherwise.
    """
    if counts is None:
        counts = dict(
            db.session.execute(
                select(Coding.theme_id, func.count(Coding.id))
                .join(Passage, Passage.id == Coding.passage_id)
                .where(
                    live_passages(consultation_id),
                    Coding.status.in_(coding_statuses(include_suggestions)),
                )
                .group_by(Coding.theme_id)
            ).all()
        )
    themes = db.session.execute(
        select(
            Theme.id,
            Theme.parent_id,
            Theme.name,
            Theme.description,
            Theme.inclusion_notes,
            Theme.exclusion_notes,
            Theme.keywords,
        )
        .where(Theme.consultation_id == consultation_id, Theme.status == ThemeStatus.ACTIVE)
        .order_by(Theme.position, Theme.name, Theme.id)
    ).all()
    children: dict[int | None, list] = {}
    ids = {t.id for t in themes}
    for t in themes:
        children.setdefault(t.parent_id if t.parent_id in ids else None, []).append(t)
    out: list[CodebookEntry] = []

    def walk(parent_id, depth):
        for t in children.get(parent_id, []):
            out.append(
                CodebookEntry(
                    depth=depth,
                    name=t.name,
                    description=t.description or "",
                    inclusion=t.inclusion_notes or "",
                    exclusion=t.exclusion_notes or "",
                    keywords=[str(k) for k in (t.keywords or [])][:12],
                    codings=counts.get(t.id, 0),
                )
            )
            if depth < 6:
                walk(t.id, depth + 1)

    walk(None, 0)
    return out


def data_as_of(consultation_id: int):
    """The latest change to anything the report reads (not the time of the run)."""
    from consult.reports.models import Evidence, Recommendation

    cid = consultation_id
    candidates = [
        select(func.max(Passage.updated_at)).where(Passage.consultation_id == cid),
        select(func.max(Coding.updated_at))
        .join(Passage, Passage.id == Coding.passage_id)
        .where(Passage.consultation_id == cid),
        select(func.max(Theme.updated_at)).where(Theme.consultation_id == cid),
        select(func.max(Response.updated_at))
        .join(Survey, Survey.id == Response.survey_id)
        .where(Survey.consultation_id == cid),
        select(func.max(Recommendation.updated_at)).where(Recommendation.consultation_id == cid),
        select(func.max(Evidence.added_at))
        .join(Recommendation, Recommendation.id == Evidence.recommendation_id)
        .where(Recommendation.consultation_id == cid),
        select(func.max(Speaker.updated_at))
        .join(Hearing, Hearing.id == Speaker.hearing_id)
        .where(Hearing.consultation_id == cid),
    ]
    values = list(db.session.execute(select(*(q.scalar_subquery() for q in candidates))).one())
    values = [v if v.tzinfo else v.replace(tzinfo=UTC) for v in values if v is not None]
    return max(values) if values else None
