"""Themes: the codebook of a consultation (coders read it, codebook managers change it)."""

from marshmallow import Schema, fields, validate
from sqlalchemy import select

from consult.api.core import (
    ID,
    api_user,
    make_blueprint,
    not_found,
    paginate,
    requires,
    unprocessable,
)
from consult.api.fields import Int, PageArgs, Text, page_of
from consult.api.resources.consultations import visible_consultation
from consult.coding.codebook import CodebookError, create_theme, update_theme
from consult.coding.models import Stance, Theme, ThemeStatus
from consult.extensions import db

blp = make_blueprint("themes", "Themes: the codebook (coders read, codebook managers write).")

STATUSES = [s.value for s in ThemeStatus]
COLOUR = r"^#[0-9a-fA-F]{6}$"


class ThemeSchema(Schema):
    id = fields.Integer(required=True)
    consultation_id = fields.Integer(required=True)
    parent_id = fields.Integer(allow_none=True)
    name = fields.String(required=True)
    description = fields.String(allow_none=True)
    inclusion_notes = fields.String(allow_none=True)
    exclusion_notes = fields.String(allow_none=True)
    examples = fields.List(fields.String(), required=True)
    keywords = fields.List(fields.String(), required=True)
    stance = fields.String(allow_none=True, validate=validate.OneOf([s.value for s in Stance]))
    colour = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    merged_into_id = fields.Integer(allow_none=True)
    position = fields.Integer(required=True)


class ThemeFilter(PageArgs):
    include_inactive = fields.Boolean(
        load_default=False, metadata={"description": "Also merged and retired themes."}
    )


class ThemeUpdate(Schema):
    name = Text(max_length=300, min_length=1)
    description = Text(max_length=20000, allow_none=True)
    inclusion_notes = Text(max_length=20000, allow_none=True)
    exclusion_notes = Text(max_length=20000, allow_none=True)
    examples = fields.List(Text(max_length=5000), validate=validate.Length(max=100))
    keywords = fields.List(Text(max_length=200), validate=validate.Length(max=500))
    stance = fields.String(allow_none=True, validate=validate.OneOf([s.value for s in Stance]))
    colour = fields.String(validate=validate.Regexp(COLOUR), metadata={"pattern": COLOUR})
    parent_id = Int(allow_none=True, validate=validate.Range(min=1, max=2**31 - 1))


class ThemeCreate(ThemeUpdate):
    name = Text(max_length=300, min_length=1, required=True)


def visible_theme(theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        not_found("There is no such theme.")
    visible_consultation(theme.consultation_id)
    return theme


@blp.route(f"/consultations/<{ID}:consultation_id>/themes")
@requires("code")
@blp.arguments(ThemeFilter, location="query")
@blp.response(200, page_of(ThemeSchema, "ThemePage"))
def list_themes(args, consultation_id):
    """A consultation's codebook, in codebook order."""
    c = visible_consultation(consultation_id)
    stmt = select(Theme).where(Theme.consultation_id == c.id)
    if not args["include_inactive"]:
        stmt = stmt.where(Theme.status == ThemeStatus.ACTIVE)
    return paginate(stmt.order_by(Theme.position, Theme.name, Theme.id), args)


@blp.route(f"/consultations/<{ID}:consultation_id>/themes", methods=["POST"])
@requires("manage_codebook")
@blp.arguments(ThemeCreate)
@blp.response(201, ThemeSchema)
def create(data, consultation_id):
    """Add a theme to the codebook."""
    c = visible_consultation(consultation_id)
    try:
        return create_theme(c.id, data, actor_id=api_user().id)
    except CodebookError as exc:
        db.session.rollback()
        unprocessable(str(exc))


@blp.route(f"/themes/<{ID}:theme_id>")
@requires("code")
@blp.response(200, ThemeSchema)
def get(theme_id):
    """One theme."""
    return visible_theme(theme_id)


@blp.route(f"/themes/<{ID}:theme_id>", methods=["PATCH"])
@requires("manage_codebook")
@blp.arguments(ThemeUpdate)
@blp.response(200, ThemeSchema)
def update(data, theme_id):
    """Change a theme; only the fields sent change."""
    theme = visible_theme(theme_id)
    try:
        return update_theme(theme, data, actor_id=api_user().id)
    except CodebookError as exc:
        db.session.rollback()
        unprocessable(str(exc))
