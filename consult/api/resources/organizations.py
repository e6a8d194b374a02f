"""Organizations: listed ones publicly, a member's own, and all with contacts for staff."""

from marshmallow import Schema, fields, validate
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

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
from consult.api.fields import PageArgs, StrictBoolean, Text, page_of
from consult.extensions import db
from consult.orgs.models import Organization, OrganizationKind
from consult.orgs.services import OrganizationError, save_organization

blp = make_blueprint("organizations", "Organizations taking part in consultations.")

KINDS = [k.value for k in OrganizationKind]
PUBLIC_FIELDS = ("id", "name", "kind", "region")


class OrganizationSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    region = fields.String(allow_none=True)
    contact_name = fields.String(allow_none=True, metadata={"description": "Staff only."})
    contact_email = fields.String(allow_none=True, metadata={"description": "Staff only."})
    contact_phone = fields.String(allow_none=True, metadata={"description": "Staff only."})
    notes = fields.String(allow_none=True, metadata={"description": "Staff only."})
    listed_publicly = fields.Boolean(metadata={"description": "Staff only."})


class OrganizationFilter(PageArgs):
    kind = fields.String(validate=validate.OneOf(KINDS))
    region = Text(max_length=100)


class OrganizationUpdate(Schema):
    name = Text(max_length=200, min_length=1)
    kind = fields.String(validate=validate.OneOf(KINDS))
    region = Text(max_length=100, allow_none=True)
    contact_name = Text(max_length=200, allow_none=True)
    contact_email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    contact_phone = Text(max_length=50, allow_none=True)
    notes = Text(max_length=20000, allow_none=True)
    listed_publicly = StrictBoolean()


class OrganizationCreate(OrganizationUpdate):
    name = Text(max_length=200, min_length=1, required=True)
    kind = fields.String(validate=validate.OneOf(KINDS), required=True)


def _visible_stmt():
    """Staff see every organization; others the publicly listed ones and their own."""
    stmt = select(Organization)
    if can("manage_organizations"):
        return stmt
    user = api_user()
    own = user.organization_ids if user is not None else set()
    return stmt.where(or_(Organization.listed_publicly.is_(True), Organization.id.in_(own)))


def _present(items: list[Organization]) -> list:
    if can("manage_organizations"):
        return items
    return [{f: getattr(o, f) for f in PUBLIC_FIELDS} for o in items]


def _visible(organization_id: int) -> Organization:
    org = db.session.scalar(_visible_stmt().where(Organization.id == organization_id))
    if org is None:
        not_found("There is no such organization.")
    return org


@blp.route("/organizations")
@blp.arguments(OrganizationFilter, location="query")
@blp.response(200, page_of(OrganizationSchema, "OrganizationPage"))
def list_organizations(args):
    """List organizations (contacts and notes for staff only)."""
    stmt = _visible_stmt().order_by(Organization.name, Organization.id)
    if args.get("kind"):
        stmt = stmt.where(Organization.kind == OrganizationKind(args["kind"]))
    if args.get("region"):
        stmt = stmt.where(Organization.region == args["region"])
    return paginate(stmt, args, _present)


@blp.route(f"/organizations/<{ID}:organization_id>")
@blp.response(200, OrganizationSchema)
def get(organization_id):
    """One organization."""
    return _present([_visible(organization_id)])[0]


@blp.route("/organizations", methods=["POST"])
@requires("manage_organizations")
@blp.arguments(OrganizationCreate)
@blp.response(201, OrganizationSchema)
def create(data):
    """Create an organization (staff)."""
    user = api_user()
    try:
        return save_organization(None, data, actor_id=user.id)
    except OrganizationError as exc:
        db.session.rollback()
        unprocessable(str(exc))
    except IntegrityError:  # a concurrent request took the name between check and insert
        db.session.rollback()
        conflict("An organization with that name already exists.")


@blp.route(f"/organizations/<{ID}:organization_id>", methods=["PATCH"])
@requires("manage_organizations")
@blp.arguments(OrganizationUpdate)
@blp.response(200, OrganizationSchema)
def update(data, organization_id):
    """Change an organization (staff); only the fields sent change."""
    user = api_user()
    org = _visible(organization_id)
    data.setdefault("name", org.name)
    try:
        return save_organization(org, data, actor_id=user.id)
    except OrganizationError as exc:
        db.session.rollback()
        unprocessable(str(exc))
    except IntegrityError:  # a concurrent request took the name between check and insert
        db.session.rollback()
        conflict("An organization with that name already exists.")
