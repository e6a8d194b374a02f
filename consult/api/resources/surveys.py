"""Surveys: definitions (read; create from a JSON definition), with sections and questions."""

from marshmallow import Schema, fields, validate
from sqlalchemy import select

from consult.api.core import (
    ID,
    api_user,
    can,
    make_blueprint,
    not_found,
    paginate,
    requires,
    unprocessable,
)
from consult.api.fields import Int, PageArgs, page_of
from consult.api.resources.consultations import visible_consultation
from consult.extensions import db
from consult.surveys.definition_io import (
    FORMAT,
    VERSION,
    DefinitionError,
    export_definition,
    import_definition,
)
from consult.surveys.models import Survey, SurveyStatus
from consult.surveys.services import availability

blp = make_blueprint("surveys", "Survey definitions: read them, or create one from JSON.")

STATUSES = [s.value for s in SurveyStatus]
TEXTS = fields.Dict(keys=fields.String(), values=fields.String())


class SurveySummarySchema(Schema):
    id = fields.Integer(required=True)
    consultation_id = fields.Integer(required=True)
    title = fields.Dict(
        keys=fields.String(), values=fields.String(), required=True,
        metadata={"description": "Per language: {\"en\": \"...\", \"es\": \"...\"}"},
    )  # fmt: skip
    languages = fields.List(fields.String(), required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    availability = fields.String(
        required=True, validate=validate.OneOf(["open", "not_yet_open", "closed"])
    )
    opens_at = fields.DateTime(allow_none=True)
    closes_at = fields.DateTime(allow_none=True)
    one_response_per_organization = fields.Boolean(allow_none=True)
    version = fields.Integer(required=True)


class SurveySchema(SurveySummarySchema):
    definition = fields.Dict(
        required=True,
        metadata={
            "description": f"The whole definition in the {FORMAT!r} format (version {VERSION}): "
            "sections, questions with their codes, types, texts per language, choices, "
            "validation and conditions. The same format POST accepts."
        },
    )


class SurveyFilter(PageArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))


class DefinitionSchema(Schema):
    format = fields.String(required=True, validate=validate.OneOf([FORMAT]))
    version = Int(required=True, validate=validate.OneOf([VERSION]))
    survey = fields.Dict(
        required=True,
        metadata={
            "description": "title, languages, settings and sections (see GET /surveys/{id})."
        },
    )


def _stmt():
    """Surveys the caller may read: builders and analysts all; other users non-drafts."""
    stmt = select(Survey)
    if not (can("build_surveys") or can("view_results")):
        stmt = stmt.where(Survey.status != SurveyStatus.DRAFT)
    return stmt


def visible_survey(survey_id: int) -> Survey:
    survey = db.session.scalar(_stmt().where(Survey.id == survey_id))
    if survey is None:
        not_found("There is no such survey.")
    visible_consultation(survey.consultation_id)
    return survey


def _summary(survey: Survey) -> Survey:
    survey.availability = availability(survey)
    return survey


@blp.route(f"/consultations/<{ID}:consultation_id>/surveys")
@requires()
@blp.arguments(SurveyFilter, location="query")
@blp.response(200, page_of(SurveySummarySchema, "SurveyPage"))
def list_surveys(args, consultation_id):
    """A consultation's surveys (drafts only for survey builders and analysts)."""
    c = visible_consultation(consultation_id)
    stmt = _stmt().where(Survey.consultation_id == c.id)
    if args.get("status"):
        stmt = stmt.where(Survey.status == SurveyStatus(args["status"]))
    return paginate(stmt.order_by(Survey.id), args, lambda items: [_summary(s) for s in items])


@blp.route(f"/surveys/<{ID}:survey_id>")
@requires()
@blp.response(200, SurveySchema)
def get(survey_id):
    """A survey with its whole definition."""
    survey = _summary(visible_survey(survey_id))
    survey.definition = export_definition(survey)
    return survey


@blp.route(f"/consultations/<{ID}:consultation_id>/surveys", methods=["POST"])
@requires("build_surveys")
@blp.arguments(DefinitionSchema)
@blp.response(201, SurveySchema)
def create(data, consultation_id):
    """Create a draft survey from a JSON definition (as exported by GET /surveys/{id})."""
    c = visible_consultation(consultation_id)
    try:
        survey = import_definition(data, c.id, actor_id=api_user().id)
    except DefinitionError as exc:
        db.session.rollback()
        unprocessable(str(exc))
    survey = _summary(survey)
    survey.definition = export_definition(survey)
    return survey
