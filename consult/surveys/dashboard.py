"""Survey counts and links on the consultation dashboard (registered at import)."""

from flask import url_for
from sqlalchemy import and_, func, select

from consult.consultations import services as consultation_services
from consult.extensions import db
from consult.surveys.models import Response, ResponseStatus, Survey


def survey_counts(ids: list[int]) -> dict[int, dict[str, int]]:
    """Surveys and submitted (non-test) responses per consultation, one query each."""
    out = {cid: {"Surveys": 0, "Survey responses": 0} for cid in ids}
    surveys = db.session.execute(
        select(Survey.consultation_id, func.count(Survey.id))
        .where(Survey.consultation_id.in_(ids))
        .group_by(Survey.consultation_id)
    ).all()
    responses = db.session.execute(
        select(Survey.consultation_id, func.count(Response.id))
        .join(
            Response,
            and_(
                Response.survey_id == Survey.id,
                Response.status == ResponseStatus.SUBMITTED,
                Response.is_test.is_(False),
            ),
        )
        .where(Survey.consultation_id.in_(ids))
        .group_by(Survey.consultation_id)
    ).all()
    for cid, n in surveys:
        out[cid]["Surveys"] = n
    for cid, n in responses:
        out[cid]["Survey responses"] = n
    return out


def dashboard_links(consultation, user) -> list[tuple[str, str]]:
    if user is None or not user.can("build_surveys"):
        return []
    return [("Surveys", url_for("surveys.builder_index", slug=consultation.slug))]


consultation_services.COUNT_PROVIDERS.append(survey_counts)
consultation_services.DASHBOARD_LINKS.append(dashboard_links)
