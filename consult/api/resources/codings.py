"""Codings: themes applied to passage spans, manual or machine-suggested, and their review."""

from marshmallow import Schema, fields, validate
from sqlalchemy import or_, select

from consult.api.core import (
    ID,
    api_user,
    can,
    conflict,
    make_blueprint,
    not_found,
    paginate,
    requires,
    unprocessable,
)
from consult.api.fields import Int, PageArgs, page_of
from consult.api.resources.consultations import visible_consultation
from consult.api.resources.passages import visible_passage
from consult.coding.codebook import blind_mode
from consult.coding.manual import CodingError, add_codings
from consult.coding.models import Coding, CodingOrigin, CodingStatus
from consult.coding.suggestions import ReviewError, review_suggestions
from consult.extensions import db
from consult.passages.models import Confidentiality, Passage

blp = make_blueprint(
    "codings", "Codings of passages: manual coding and review of machine suggestions."
)

ID_RANGE = validate.Range(min=1, max=2**31 - 1)


class CodingSchema(Schema):
    id = fields.Integer(required=True)
    passage_id = fields.Integer(required=True)
    theme_id = fields.Integer(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    snippet = fields.String(required=True)
    coder_id = fields.Integer(allow_none=True, metadata={"description": "null: the machine"})
    origin = fields.String(required=True, validate=validate.OneOf([o.value for o in CodingOrigin]))
    score = fields.Float(allow_none=True)
    rule = fields.String(allow_none=True, metadata={"description": "Why the machine suggested it."})
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in CodingStatus]))
    reviewed_by_id = fields.Integer(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    polarity = fields.Float(allow_none=True)
    subjectivity = fields.Float(allow_none=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class CodingFilter(PageArgs):
    theme_id = fields.Integer(validate=ID_RANGE)
    passage_id = fields.Integer(validate=ID_RANGE)
    status = fields.String(validate=validate.OneOf([s.value for s in CodingStatus]))
    origin = fields.String(validate=validate.OneOf([o.value for o in CodingOrigin]))


class SpanSchema(Schema):
    start = Int(required=True, validate=validate.Range(min=0, max=10_000_000))
    end = Int(required=True, validate=validate.Range(min=1, max=10_000_000))


class CodingCreate(Schema):
    theme_ids = fields.List(
        Int(validate=ID_RANGE), required=True, validate=validate.Length(min=1, max=50)
    )
    spans = fields.List(
        fields.Nested(SpanSchema), required=True, validate=validate.Length(min=1, max=200)
    )


class ReviewSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf(["accept", "reject"]))
    coding_ids = fields.List(
        Int(validate=ID_RANGE), required=True, validate=validate.Length(min=1, max=500)
    )


class ReviewResult(Schema):
    reviewed = fields.Integer(required=True)


def _scoped(stmt, consultation_id: int):
    """Codings the caller may see: not on confidential passages without the right; in blind
    mode only their own and the machine's (as on the coding pages)."""
    stmt = stmt.join(Passage, Passage.id == Coding.passage_id).where(
        Passage.consultation_id == consultation_id
    )
    if not can("read_confidential"):
        stmt = stmt.where(Passage.confidentiality != Confidentiality.CONFIDENTIAL)
    if blind_mode(consultation_id):
        stmt = stmt.where(or_(Coding.coder_id == api_user().id, Coding.coder_id.is_(None)))
    return stmt


def visible_coding(coding_id: int) -> Coding:
    passage_id = db.session.scalar(select(Coding.passage_id).where(Coding.id == coding_id))
    if passage_id is None:
        not_found("There is no such coding.")
    passage = visible_passage(passage_id)
    coding = db.session.scalar(
        _scoped(select(Coding).where(Coding.id == coding_id), passage.consultation_id)
    )
    if coding is None:
        not_found("There is no such coding.")
    return coding


@blp.route(f"/consultations/<{ID}:consultation_id>/codings")
@requires("code")
@blp.arguments(CodingFilter, location="query")
@blp.response(200, page_of(CodingSchema, "CodingPage"))
def list_codings(args, consultation_id):
    """A consultation's codings (filter by theme, passage, status, origin)."""
    c = visible_consultation(consultation_id)
    stmt = _scoped(select(Coding), c.id)
    for key in ("theme_id", "passage_id"):
        if args.get(key):
            stmt = stmt.where(getattr(Coding, key) == args[key])
    if args.get("status"):
        stmt = stmt.where(Coding.status == CodingStatus(args["status"]))
    if args.get("origin"):
        stmt = stmt.where(Coding.origin == CodingOrigin(args["origin"]))
    return paginate(stmt.order_by(Coding.id), args)


@blp.route(f"/codings/<{ID}:coding_id>")
@requires("code")
@blp.response(200, CodingSchema)
def get(coding_id):
    """One coding."""
    return visible_coding(coding_id)


@blp.route(f"/passages/<{ID}:passage_id>/codings", methods=["POST"])
@requires("code")
@blp.arguments(CodingCreate)
@blp.response(201, CodingSchema(many=True))
def create(data, passage_id):
    """Code spans of a passage with one or more themes (as the token's user)."""
    passage = visible_passage(passage_id)
    spans = [(s["start"], s["end"]) for s in data["spans"]]
    try:
        return add_codings(passage, data["theme_ids"], spans, coder_id=api_user().id)
    except CodingError as exc:
        db.session.rollback()
        unprocessable(str(exc))


def _review(consultation_id: int, coding_ids: list[int], action: str) -> int:
    try:
        return review_suggestions(consultation_id, coding_ids, action, user_id=api_user().id)
    except ReviewError as exc:
        db.session.rollback()
        conflict(str(exc))


@blp.route(f"/codings/<{ID}:coding_id>/accept", methods=["POST"])
@requires("code")
@blp.response(200, CodingSchema)
def accept(coding_id):
    """Accept a machine suggestion."""
    coding = visible_coding(coding_id)
    _review(coding.passage.consultation_id, [coding.id], "accept")
    return coding


@blp.route(f"/codings/<{ID}:coding_id>/reject", methods=["POST"])
@requires("code")
@blp.response(200, CodingSchema)
def reject(coding_id):
    """Reject a machine suggestion."""
    coding = visible_coding(coding_id)
    _review(coding.passage.consultation_id, [coding.id], "reject")
    return coding


@blp.route(f"/consultations/<{ID}:consultation_id>/suggestions/review", methods=["POST"])
@requires("code")
@blp.arguments(ReviewSchema)
@blp.response(200, ReviewResult)
def review(data, consultation_id):
    """Accept or reject many machine suggestions at once (those the caller can see)."""
    c = visible_consultation(consultation_id)
    ids = list(
        db.session.scalars(
            _scoped(select(Coding.id).where(Coding.id.in_(data["coding_ids"])), c.id)
        )
    )
    if not ids:
        not_found("None of those codings exist in this consultation.")
    return {"reviewed": _review(c.id, ids, data["action"])}
