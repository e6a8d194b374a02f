"""Marshmallow fields and schemas shared by every API resource."""

import re

import marshmallow as ma
from marshmallow import fields, validate

# Characters no database column accepts (PostgreSQL refuses NUL) and lone surrogates.
_FORBIDDEN = re.compile(r"[\x00\ud800-\udfff]")
NO_NUL_PATTERN = r"^[^\u0000]*$"


def _clean(value: str) -> None:
    if _FORBIDDEN.search(value):
        raise ma.ValidationError("Remove the control characters from this text.")


def Text(*, max_length: int, min_length: int = 0, **kwargs) -> fields.String:  # noqa: N802
    """A string field with a length limit that refuses NUL bytes (schema documents both)."""
    validators = [_clean, validate.Length(min=min_length, max=max_length)]
    metadata = {"pattern": NO_NUL_PATTERN, **kwargs.pop("metadata", {})}
    if kwargs.get("validate"):
        validators.append(kwargs.pop("validate"))
    return fields.String(validate=validators, metadata=metadata, **kwargs)


def Int(**kwargs) -> fields.Integer:  # noqa: N802
    """An integer in a JSON body: 3, not 3.0 or "3"."""
    return fields.Integer(strict=True, **kwargs)


class StrictBoolean(fields.Boolean):
    """A JSON boolean: true or false only (not 0, 1 or "yes")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class ProblemSchema(ma.Schema):
    """An error as RFC 9457 problem details."""

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True, metadata={"example": "Not Found"})
    status = fields.Integer(required=True, metadata={"example": 404})
    detail = fields.String(metadata={"description": "What went wrong, in words for a person."})
    errors = fields.Dict(
        metadata={"description": "Validation errors by location and field (422 only)."}
    )


class PageArgs(ma.Schema):
    """Pagination query arguments."""

    page = fields.Integer(
        load_default=1, validate=validate.Range(min=1, max=100_000), metadata={"example": 1}
    )
    per_page = fields.Integer(
        load_default=20, validate=validate.Range(min=1, max=100), metadata={"example": 20}
    )


class LinksSchema(ma.Schema):
    """Absolute links to this page and its neighbours (null when there is none)."""

    self = fields.String(required=True)
    first = fields.String(required=True)
    last = fields.String(required=True)
    prev = fields.String(required=True, allow_none=True)
    next = fields.String(required=True, allow_none=True)


class PageSchema(ma.Schema):
    """A page of items."""

    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    links = fields.Nested(LinksSchema, required=True)


def page_of(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A page schema class whose items are `item_schema`."""
    return type(
        name,
        (PageSchema,),
        {"items": fields.List(fields.Nested(item_schema), required=True)},
    )
