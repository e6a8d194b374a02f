"""Consultations: public fields for everyone, drafts and counts for staff and facilitators."""

from flask import current_app
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
from consult.api.fields import PageArgs, Text, page_of
from consult.config import Defaults
from consult.consultations.models import Consultation, Stage
from consult.consultations.services import (
    SLUG_RE,
    ConsultationError,
    counts_for,
    create_consultation,
    update_consultation,
)
from consult.extensions import db

blp = make_blueprint("consultations", "Consultations: the container of everything else.")

STAGES = [s.value for s in Stage]
# Documented as the default languages; checked against the instance's LANGUAGES when loaded.
LANGUAGE_FIELD = fields.String(
    validate=validate.Length(max=10), metadata={"enum": list(Defaults.LANGUAGES)}
)


class ConsultationSchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    title = fields.String(required=True)
    body = fields.String(allow_none=True, metadata={"description": "The body running it."})
    purpose = fields.String(allow_none=True)
    stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    opens_on = fields.Date(allow_none=True)
    closes_on = fields.Date(allow_none=True)
    languages = fields.List(fields.String(), required=True)
    wave_of_id = fields.Integer(allow_none=True)
    executive_summary = fields.String(allow_none=True)
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Dashboard counts (staff and facilitators only)."},
    )
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ConsultationFilter(PageArgs):
    stage = fields.String(validate=validate.OneOf(STAGES))


class ConsultationUpdate(Schema):
    title = Text(max_length=200, min_length=1)
    body = Text(max_length=200, allow_none=True)
    purpose = Text(max_length=20000, allow_none=True)
    stage = fields.String(validate=validate.OneOf(STAGES))
    opens_on = fields.Date(allow_none=True)
    closes_on = fields.Date(allow_none=True)
    retention_until = fields.Date(allow_none=True)
    languages = fields.List(LANGUAGE_FIELD, validate=validate.Length(min=1, max=10))
    executive_summary = Text(max_length=50000, allow_none=True)


class ConsultationCreate(ConsultationUpdate):
    title = Text(max_length=200, min_length=1, required=True)
    slug = Text(
        max_length=80,
        min_length=1,
        required=True,
        validate=validate.Regexp(SLUG_RE),
        metadata={"example": "2026-review", "pattern": SLUG_RE.pattern},
    )
    wave_of_slug = Text(max_length=80, allow_none=True, metadata={"pattern": SLUG_RE.pattern})


PUBLIC_FIELDS = (
    "id",
    "slug",
    "title",
    "body",
    "purpose",
    "stage",
    "opens_on",
    "closes_on",
    "languages",
    "wave_of_id",
)


def _staff_view() -> bool:
    return can("view_consultation_dashboard")


def visible_consultation(consultation_id: int) -> Consultation:
    """The consultation if the caller may see it (drafts are for dashboard viewers only)."""
    c = db.session.get(Consultation, consultation_id)
    if c is None or (c.stage is Stage.DRAFT and not _staff_view()):
        not_found("There is no such consultation.")
    return c


def _present(items: list[Consultation]) -> list:
    if not _staff_view():
        return [{f: getattr(c, f) for f in PUBLIC_FIELDS} for c in items]
    counts = counts_for([c.id for c in items])
    for c in items:
        c.counts = counts.get(c.id, {})
    return items


def _check_languages(data: dict) -> None:
    unknown = [
        code for code in data.get("languages") or [] if code not in current_app.config["LANGUAGES"]
    ]
    if unknown:
        unprocessable(
            "Unsupported language: "
            + ", ".join(unknown)
            + "; use "
            + ", ".join(current_app.config["LANGUAGES"])
        )


@blp.route("/consultations")
@blp.arguments(ConsultationFilter, location="query")
@blp.response(200, page_of(ConsultationSchema, "ConsultationPage"))
def list_consultations(args):
    """List consultations (drafts only for staff and facilitators)."""
    stmt = select(Consultation).order_by(Consultation.created_at.desc(), Consultation.id.desc())
    if not _staff_view():
        stmt = stmt.where(Consultation.stage != Stage.DRAFT)
    if args.get("stage"):
        stmt = stmt.where(Consultation.stage == Stage(args["stage"]))
    return paginate(stmt, args, _present)


@blp.route("/consultations", methods=["POST"])
@requires("manage_consultations")
@blp.arguments(ConsultationCreate)
@blp.response(201, ConsultationSchema)
def create(data):
    """Create a consultation (staff)."""
    user = api_user()
    _check_languages(data)
    try:
        c = create_consultation(
            title=data.pop("title"), slug=data.pop("slug"), actor_id=user.id, **data
        )
    except ConsultationError as exc:
        unprocessable(str(exc))
    return _present([c])[0]


@blp.route(f"/consultations/<{ID}:consultation_id>")
@blp.response(200, ConsultationSchema)
def get(consultation_id):
    """One consultation."""
    return _present([visible_consultation(consultation_id)])[0]


@blp.route(f"/consultations/<{ID}:consultation_id>", methods=["PATCH"])
@requires("manage_consultations")
@blp.arguments(ConsultationUpdate)
@blp.response(200, ConsultationSchema)
def update(data, consultation_id):
    """Change a consultation (staff); only the fields sent change."""
    user = api_user()
    c = visible_consultation(consultation_id)
    _check_languages(data)
    try:
        update_consultation(c, actor_id=user.id, **data)
    except ConsultationError as exc:
        db.session.rollback()
        unprocessable(str(exc))
    return _present([c])[0]
