"""The generated OpenAPI document and the HTML reference page rendered from it."""

import json
import re

from schemathesis.specs.openapi.definitions import OPENAPI_30_VALIDATOR


def test_document_is_valid_openapi_and_documents_errors_and_auth(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    errors = [str(e) for e in OPENAPI_30_VALIDATOR.iter_errors(spec)]  # OpenAPI 3.0 meta-schema
    assert errors == []
    assert spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    problem = spec["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(problem) == ["application/problem+json"]
    assert set(spec["components"]["schemas"]["Problem"]["required"]) == {"type", "title", "status"}
    operations = [
        (path, method, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "patch", "delete")
    ]
    assert len(operations) > 30
    for path, method, op in operations:
        assert path.startswith("/api/v1/"), path
        assert "default" in op["responses"], (method, path)
        assert op.get("summary"), (method, path)
    pages = [
        op
        for _path, m, op in operations
        if m == "get" and re.search(r'schemas/\w+Page"', json.dumps(op["responses"]["200"]))
    ]
    assert len(pages) == 11
    for op in pages:
        assert {"page", "per_page"} <= {p["name"] for p in op["parameters"]}


def test_reference_page_lists_every_operation_without_scripts(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    resp = client.get("/api/v1/reference")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    for path, item in spec["paths"].items():
        for method in item:
            if method in ("get", "post", "patch", "delete"):
                assert f"{method.upper()}</span> <code>{path}</code>" in html, (method, path)
    for name in spec["components"]["schemas"]:
        assert f'id="schema-{name}"' in html, name
    # CSP: no inline scripts or handlers, nothing from another origin
    assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert "https://" not in re.sub(r'href="https://[^"]*"', "", html.split("<main", 1)[-1])
    assert 'href="/api/v1/openapi.json"' in html
