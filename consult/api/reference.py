"""The readable API reference: the OpenAPI document rendered by the app itself (no CDN, no JS)."""

import re

from flask import current_app

METHODS = ("get", "post", "put", "patch", "delete")


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def describe_type(schema: dict | None) -> dict:
    """A schema as (text, link target) for a table cell: 'array of Passage', 'string (date)'."""
    schema = schema or {}
    if "$ref" in schema:
        return {"text": ref_name(schema["$ref"]), "ref": ref_name(schema["$ref"])}
    if schema.get("type") == "array":
        inner = describe_type(schema.get("items"))
        return {"text": "array of " + inner["text"], "ref": inner.get("ref")}
    text = schema.get("type", "object")
    if schema.get("format"):
        text += f" ({schema['format']})"
    return {"text": text, "ref": None}


def constraints(schema: dict) -> list[str]:
    """Human words for a field's limits."""
    out = []
    if schema.get("enum"):
        out.append("one of: " + ", ".join(str(v) for v in schema["enum"]))
    for key, word in (
        ("minimum", "at least"),
        ("maximum", "at most"),
        ("minLength", "length at least"),
        ("maxLength", "length at most"),
    ):
        if key in schema:
            out.append(f"{word} {schema[key]}")
    if "default" in schema:
        out.append(f"default {schema['default']}")
    if schema.get("nullable"):
        out.append("may be null")
    if schema.get("readOnly"):
        out.append("read only")
    return out


def _parameters(op: dict, path_item: dict) -> list[dict]:
    params = list(path_item.get("parameters", [])) + list(op.get("parameters", []))
    return [
        {
            "name": p["name"],
            "in": p["in"],
            "required": p.get("required", False),
            "type": describe_type(p.get("schema")),
            "notes": constraints(p.get("schema") or {}),
            "description": p.get("description", ""),
        }
        for p in params
    ]


def _body(op: dict) -> dict | None:
    content = (op.get("requestBody") or {}).get("content") or {}
    for media, entry in content.items():
        return {"media": media, "type": describe_type(entry.get("schema"))}
    return None


def _responses(op: dict, components: dict) -> list[dict]:
    out = []
    for code, resp in op.get("responses", {}).items():
        if "$ref" in resp:
            resp = components.get("responses", {}).get(ref_name(resp["$ref"]), {})
        content = resp.get("content") or {}
        media, entry = next(iter(content.items()), (None, {}))
        out.append(
            {
                "code": code,
                "description": resp.get("description", ""),
                "media": media,
                "type": describe_type(entry.get("schema")) if media else None,
            }
        )
    return out


def _schemas(components: dict) -> list[dict]:
    out = []
    for name, schema in sorted(components.get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [
            {
                "name": fname,
                "type": describe_type(fschema),
                "required": fname in required,
                "notes": constraints(fschema),
                "description": fschema.get("description", ""),
            }
            for fname, fschema in schema.get("properties", {}).items()
        ]
        out.append({"name": name, "description": schema.get("description", ""), "fields": fields})
    return out


def reference_context(spec: dict | None = None) -> dict:
    """Operations grouped by tag, and schemas, ready for templates/api/reference.html."""
    if spec is None:
        spec = current_app.extensions["consult-api"].spec.to_dict()
    components = spec.get("components", {})
    groups: dict[str, list] = {t["name"]: [] for t in spec.get("tags", [])}
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            entry = {
                "id": re.sub(r"[^a-z0-9]+", "-", f"{method}{path}".lower()).strip("-"),
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "parameters": _parameters(op, item),
                "body": _body(op),
                "responses": _responses(op, components),
            }
            for tag in op.get("tags") or ["other"]:
                groups.setdefault(tag, []).append(entry)
    tags = {t["name"]: t.get("description", "") for t in spec.get("tags", [])}
    return {
        "info": spec.get("info", {}),
        "openapi_version": spec.get("openapi"),
        "groups": [(name, tags.get(name, ""), ops) for name, ops in groups.items() if ops],
        "schemas": _schemas(components),
    }
