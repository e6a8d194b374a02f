"""JSON API at /api/v1 over the same services as the web views, with personal API tokens.

`bp` is the plain blueprint for token management and the HTML reference page; the JSON
resources are flask-smorest blueprints registered by `init_app` under /api/v1.
"""

import importlib

from flask import Blueprint

bp = Blueprint("api", __name__)

from consult.api import views  # noqa: E402,F401  - token pages and the reference page

PREFIX = "/api/v1"
# Resource modules, each with a flask-smorest blueprint `blp`; modules for features that have
# not landed yet are skipped when they cannot be imported.
RESOURCES = [
    "consultations",
    "organizations",
    "passages",
    "themes",
    "codings",
    "surveys",
    "responses",
    "hearings",
    "recommendations",
    "reports",
]


def init_app(app) -> None:
    from werkzeug.exceptions import MethodNotAllowed

    from consult.api.core import ConsultApi, method_not_allowed

    app.config.setdefault("API_TITLE", "Consult API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_RATE_LIMIT", "300 per minute")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {
                "description": (
                    "Consultations, surveys and responses, hearings, passages, themes, codings, "
                    "recommendations and reports. Authenticate with a personal token from your "
                    "account page: `Authorization: Bearer <token>`. Without a token only public "
                    "data is returned. Errors are problem details (application/problem+json)."
                )
            },
            "servers": [{"url": "/"}],
            "security": [{"bearerAuth": []}, {}],
        },
    )
    api = ConsultApi(app)
    api.spec.components.security_scheme(
        "bearerAuth",
        {"type": "http", "scheme": "bearer", "description": "A personal API token (cst_...)."},
    )
    for name in RESOURCES:
        try:
            module = importlib.import_module(f"consult.api.resources.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"consult.api.resources.{name}":
                raise
            continue
        api.register_blueprint(module.blp, url_prefix=PREFIX)
    app.extensions["consult-api"] = api
    app.register_error_handler(MethodNotAllowed, method_not_allowed)
    app.jinja_env.globals["api_token_panel"] = _token_panel


def _token_panel():
    """Template global for the account page: (form, tokens) of the signed-in user."""
    from flask_login import current_user

    from consult.api.forms import TokenForm
    from consult.api.tokens import tokens_of

    return TokenForm(formdata=None), tokens_of(current_user.id)
