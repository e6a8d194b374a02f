"""Passages: the codable text of a consultation (coders only; confidential ones need the right)."""

from marshmallow import Schema, fields, validate
from sqlalchemy import select

from consult.api.core import ID, can, make_blueprint, not_found, paginate, requires
from consult.api.fields import PageArgs, Text, page_of
from consult.api.resources.consultations import visible_consultation
from consult.extensions import db
from consult.passages.models import Confidentiality, OriginKind, Passage, SourceKind

blp = make_blueprint("passages", "Passages: text contributed to a consultation, ready to code.")


class PassageSchema(Schema):
    id = fields.Integer(required=True)
    consultation_id = fields.Integer(required=True)
    origin_kind = fields.String(
        required=True, validate=validate.OneOf([o.value for o in OriginKind])
    )
    origin_id = fields.String(required=True)
    source_kind = fields.String(
        required=True, validate=validate.OneOf([s.value for s in SourceKind])
    )
    source_id = fields.Integer(allow_none=True)
    source_label = fields.String(required=True)
    external_id = fields.String(allow_none=True)
    text = fields.String(required=True)
    language = fields.String(required=True)
    organization_id = fields.Integer(allow_none=True)
    organization_kind = fields.String(allow_none=True)
    position = fields.String(allow_none=True)
    confidentiality = fields.String(
        required=True, validate=validate.OneOf([c.value for c in Confidentiality])
    )
    withdrawn = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class PassageFilter(PageArgs):
    source_kind = fields.String(validate=validate.OneOf([s.value for s in SourceKind]))
    source_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    language = Text(max_length=10)
    organization_kind = Text(max_length=30)
    confidentiality = fields.String(validate=validate.OneOf([c.value for c in Confidentiality]))
    include_withdrawn = fields.Boolean(load_default=False)
    q = Text(max_length=200, metadata={"description": "Text the passage contains."})


def passage_scope(stmt):
    """Limit a passage query to what the caller may read (confidential needs the right)."""
    if not can("read_confidential"):
        stmt = stmt.where(Passage.confidentiality != Confidentiality.CONFIDENTIAL)
    return stmt


def visible_passage(passage_id: int) -> Passage:
    passage = db.session.scalar(passage_scope(select(Passage).where(Passage.id == passage_id)))
    if passage is None:
        not_found("There is no such passage.")
    return passage


@blp.route(f"/consultations/<{ID}:consultation_id>/passages")
@requires("code")
@blp.arguments(PassageFilter, location="query")
@blp.response(200, page_of(PassageSchema, "PassagePage"))
def list_passages(args, consultation_id):
    """List a consultation's passages (coders)."""
    c = visible_consultation(consultation_id)
    stmt = passage_scope(select(Passage).where(Passage.consultation_id == c.id))
    if not args["include_withdrawn"]:
        stmt = stmt.where(Passage.withdrawn.is_(False))
    for key in ("source_id", "language", "organization_kind"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Passage, key) == args[key])
    if args.get("source_kind"):
        stmt = stmt.where(Passage.source_kind == SourceKind(args["source_kind"]))
    if args.get("confidentiality"):
        stmt = stmt.where(Passage.confidentiality == Confidentiality(args["confidentiality"]))
    if args.get("q"):
        stmt = stmt.where(Passage.text.contains(args["q"], autoescape=True))
    return paginate(stmt.order_by(Passage.id), args)


@blp.route(f"/passages/<{ID}:passage_id>")
@requires("code")
@blp.response(200, PassageSchema)
def get(passage_id):
    """One passage (coders)."""
    return visible_passage(passage_id)
