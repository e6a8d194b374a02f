"""Recommendations and the evidence (coded quotes) behind them; report writers only."""

from marshmallow import Schema, fields, validate
from sqlalchemy import select

from consult.api.core import (
    ID,
    api_user,
    conflict,
    make_blueprint,
    not_found,
    paginate,
    requires,
    unprocessable,
)
from consult.api.fields import Int, PageArgs, StrictBoolean, Text, page_of
from consult.api.resources.consultations import visible_consultation
from consult.extensions import db
from consult.reports import services
from consult.reports.models import (
    Evidence,
    Recommendation,
    RecommendationArea,
    RecommendationStatus,
)

blp = make_blueprint("recommendations", "Recommendations and their evidence (report writers).")

AREAS = [a.value for a in RecommendationArea]
STATUSES = [s.value for s in RecommendationStatus]


class EvidenceSchema(Schema):
    id = fields.Integer(required=True)
    recommendation_id = fields.Integer(required=True)
    coding_id = fields.Integer(required=True)
    note = fields.String(allow_none=True)
    added_by_id = fields.Integer(allow_none=True)
    added_at = fields.DateTime(required=True)
    snippet = fields.String(attribute="coding.snippet", metadata={"description": "The quote."})


class RecommendationSchema(Schema):
    id = fields.Integer(required=True)
    consultation_id = fields.Integer(required=True)
    title = fields.String(required=True)
    text = fields.String(required=True)
    area = fields.String(required=True, validate=validate.OneOf(AREAS))
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    position = fields.Integer(required=True)
    evidence = fields.List(fields.Nested(EvidenceSchema), required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class RecommendationFilter(PageArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))
    area = fields.String(validate=validate.OneOf(AREAS))


class RecommendationUpdate(Schema):
    title = Text(min_length=1, max_length=300)
    text = Text(max_length=50000)
    area = fields.String(validate=validate.OneOf(AREAS))
    status = fields.String(validate=validate.OneOf(STATUSES))
    confirm = StrictBoolean(
        load_default=False,
        metadata={"description": "Finalise even though no evidence is linked yet."},
    )


class RecommendationCreate(Schema):
    title = Text(min_length=1, max_length=300, required=True)
    text = Text(max_length=50000, load_default="")
    area = fields.String(validate=validate.OneOf(AREAS), load_default="other")


class EvidenceCreate(Schema):
    coding_id = Int(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    note = Text(max_length=2000, allow_none=True)


def visible_recommendation(recommendation_id: int) -> Recommendation:
    rec = db.session.get(Recommendation, recommendation_id)
    if rec is None:
        not_found("There is no such recommendation.")
    visible_consultation(rec.consultation_id)
    return rec


@blp.route(f"/consultations/<{ID}:consultation_id>/recommendations")
@requires("write_reports")
@blp.arguments(RecommendationFilter, location="query")
@blp.response(200, page_of(RecommendationSchema, "RecommendationPage"))
def list_recommendations(args, consultation_id):
    """A consultation's recommendations in their order, with evidence."""
    c = visible_consultation(consultation_id)
    stmt = select(Recommendation).where(Recommendation.consultation_id == c.id)
    if args.get("status"):
        stmt = stmt.where(Recommendation.status == RecommendationStatus(args["status"]))
    if args.get("area"):
        stmt = stmt.where(Recommendation.area == RecommendationArea(args["area"]))
    return paginate(stmt.order_by(Recommendation.position, Recommendation.id), args)


@blp.route(f"/consultations/<{ID}:consultation_id>/recommendations", methods=["POST"])
@requires("write_reports")
@blp.arguments(RecommendationCreate)
@blp.response(201, RecommendationSchema)
def create(data, consultation_id):
    """Add a draft recommendation at the end of the list."""
    c = visible_consultation(consultation_id)
    try:
        return services.create_recommendation(c.id, **data, actor_id=api_user().id)
    except services.RecommendationError as exc:
        db.session.rollback()
        unprocessable(str(exc))


@blp.route(f"/recommendations/<{ID}:recommendation_id>")
@requires("write_reports")
@blp.response(200, RecommendationSchema)
def get(recommendation_id):
    """One recommendation with its evidence."""
    return visible_recommendation(recommendation_id)


@blp.route(f"/recommendations/<{ID}:recommendation_id>", methods=["PATCH"])
@requires("write_reports")
@blp.arguments(RecommendationUpdate)
@blp.response(200, RecommendationSchema)
def update(data, recommendation_id):
    """Change the text, area or status; finalising without evidence needs confirm=true."""
    rec = visible_recommendation(recommendation_id)
    actor = api_user().id
    try:
        if {"title", "text", "area"} & data.keys():
            services.update_recommendation(
                rec.consultation_id, rec.id, title=data.get("title", rec.title),
                text=data.get("text", rec.text), area=data.get("area", rec.area.value),
                actor_id=actor,
            )  # fmt: skip
        if "status" in data:
            services.set_status(
                rec.consultation_id, rec.id, data["status"], actor_id=actor,
                confirmed=data["confirm"],
            )  # fmt: skip
    except services.NeedsConfirmation as exc:
        db.session.rollback()
        conflict(f"{exc} Send confirm=true to finalise it anyway.")
    except services.RecommendationError as exc:
        db.session.rollback()
        unprocessable(str(exc))
    return db.session.get(Recommendation, recommendation_id)


@blp.route(f"/recommendations/<{ID}:recommendation_id>/evidence", methods=["POST"])
@requires("write_reports")
@blp.arguments(EvidenceCreate)
@blp.response(201, EvidenceSchema)
def add_evidence(data, recommendation_id):
    """Link a coded quote of the same consultation as evidence."""
    rec = visible_recommendation(recommendation_id)
    try:
        return services.add_evidence(
            rec.consultation_id, rec.id, data["coding_id"], actor_id=api_user().id,
            note=data.get("note"),
        )  # fmt: skip
    except services.RecommendationError as exc:
        db.session.rollback()
        unprocessable(str(exc))


@blp.route(f"/evidence/<{ID}:evidence_id>", methods=["DELETE"])
@requires("write_reports")
@blp.response(204)
def remove_evidence(evidence_id):
    """Unlink a piece of evidence."""
    ev = db.session.get(Evidence, evidence_id)
    if ev is None:
        not_found("There is no such evidence.")
    rec = visible_recommendation(ev.recommendation_id)
    services.remove_evidence(rec.consultation_id, ev.id, actor_id=api_user().id)
