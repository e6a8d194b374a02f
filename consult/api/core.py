"""The API object, bearer authentication, problem-details errors and pagination."""

from collections.abc import Callable
from functools import wraps

from flask import after_this_request, current_app, g, jsonify, request, url_for
from flask_smorest import Api, abort
from flask_smorest import Blueprint as SmorestBlueprint
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from consult.api.fields import ProblemSchema
from consult.api.tokens import token_for_secret
from consult.extensions import csrf, db, limiter

PROBLEM_JSON = "application/problem+json"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# A path id: werkzeug would otherwise accept numbers the database cannot store.
ID = "int(min=1, max=2147483647)"


class ApiBlueprint(SmorestBlueprint):
    """A smorest blueprint named api_<tag> (web blueprints own the plain names), tagged <tag>."""

    def __init__(self, tag: str, description: str):
        super().__init__(f"api_{tag}", __name__, description=description)
        self.tag = tag

    def route(self, rule, *, parameters=None, tags=None, **options):
        return super().route(rule, parameters=parameters, tags=tags or [self.tag], **options)

    def arguments(self, schema, *, location="json", **kwargs):
        """As flask-smorest's, but a JSON body that is required must really be sent."""
        decorator = super().arguments(schema, location=location, **kwargs)
        if location != "json" or not kwargs.get("required", True):
            return decorator

        def wrap(view):
            inner = decorator(view)

            @wraps(inner)
            def checked(*args, **kw):
                if not request.get_data(cache=True) or not request.is_json:
                    abort(
                        400,
                        message="Send the fields as a JSON object, "
                        "with Content-Type: application/json.",
                    )
                return inner(*args, **kw)

            return checked

        return wrap


class ConsultApi(Api):
    """flask-smorest's Api documenting errors as problem details, handled per blueprint."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = "DEFAULT_ERROR"

    def register_blueprint(self, blp: ApiBlueprint, **options):
        """As flask-smorest does, but the spec's tag is the blueprint's tag, not its name."""
        self._app.extensions["flask-smorest"]["blp_name_to_api"][blp.name] = self
        self._app.register_blueprint(blp, **options)
        blp.register_views_in_doc(self, self._app, self.spec, name=blp.name, parameters=None)
        self.spec.tag({"name": blp.tag, "description": blp.description})

    def _register_error_handlers(self):
        """Leave the app-wide handler to consult.errors; API blueprints get `problem`."""

    def _register_responses(self):
        # Error responses are served as application/problem+json; say so in the document.
        self.DEFAULT_RESPONSE_CONTENT_TYPE = PROBLEM_JSON
        try:
            super()._register_responses()
        finally:
            self.DEFAULT_RESPONSE_CONTENT_TYPE = "application/json"


def _stringify_keys(value):
    if isinstance(value, dict):
        return {str(k): _stringify_keys(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_stringify_keys(v) for v in value]
    return value


def method_not_allowed(error: MethodNotAllowed):
    """The app's usual 405, plus the Allow header RFC 9110 requires."""
    from consult.errors import handle_http_error

    resp = current_app.make_response(handle_http_error(error))
    resp.headers["Allow"] = ", ".join(sorted(error.valid_methods or []))
    return resp


def problem(error: HTTPException):
    """Any HTTP error raised in an API view as problem details."""
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    body = {
        "type": "about:blank",
        "title": error.name,
        "status": code,
        "detail": data.get("message") or error.description or error.name,
    }
    if code == 429:
        body["detail"] = (
            f"Too many requests; wait a minute and try again (limit: {error.description})."
        )
    errors = data.get("errors") or data.get("messages")
    if errors:
        body["errors"] = _stringify_keys(errors)
        body["detail"] = data.get("message") or "Some values in the request are not valid."
    resp = jsonify(body)
    resp.status_code = code
    resp.mimetype = PROBLEM_JSON
    for key, value in (data.get("headers") or {}).items():
        resp.headers[key] = value
    return resp


def _unauthorized(message: str):
    abort(
        401,
        message=message,
        headers={"WWW-Authenticate": 'Bearer realm="consult", error="invalid_token"'},
    )


def authenticate() -> None:
    """Read the bearer token (and nothing else: the session cookie never authenticates)."""
    g.api_token = None
    g.api_user = None
    header = request.headers.get("Authorization")
    if header is None:
        return
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        _unauthorized("Send the token as: Authorization: Bearer <token>.")
    token = token_for_secret(secret.strip())
    if token is None:
        _unauthorized("The token is not valid: it may be mistyped, expired or revoked.")
    g.api_token = token
    g.api_user = token.user
    if request.method not in SAFE_METHODS and not token.can_write:
        abort(403, message="This token is read only; create a read-and-write token to change data.")


def _no_store(response):
    if g.get("api_user") is not None:
        response.headers["Cache-Control"] = "no-store"
    response.vary.add("Authorization")
    return response


def rate_limit_key() -> str:
    """One bucket per token (its hash), else per address."""
    from consult.api.tokens import hash_secret

    header = request.headers.get("Authorization") or ""
    scheme, _, secret = header.partition(" ")
    if scheme.lower() == "bearer" and secret.strip():
        return "api-token:" + hash_secret(secret.strip())[:32]
    return "api-ip:" + (request.remote_addr or "unknown")


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def make_blueprint(name: str, description: str) -> ApiBlueprint:
    """An API blueprint: bearer auth, problem errors, per-token rate limit, no CSRF."""
    blp = ApiBlueprint(name, description)
    blp.before_request(authenticate)
    blp.after_request(_no_store)
    blp.register_error_handler(HTTPException, problem)
    csrf.exempt(blp)
    limiter.shared_limit(_rate_limit, scope="api", key_func=rate_limit_key)(blp)
    return blp


# ---- who is calling --------------------------------------------------------------------------


def api_user():
    """The token's user, or None for an anonymous caller."""
    return g.get("api_user")


def require_user():
    """The token's user; 401 for an anonymous caller."""
    user = api_user()
    if user is None:
        abort(
            401,
            message="Sign this request with a token: Authorization: Bearer <token>.",
            headers={"WWW-Authenticate": 'Bearer realm="consult"'},
        )
    return user


def require(permission: str):
    """The token's user if their role grants can_<permission>(); 401 anonymous, 403 otherwise."""
    user = require_user()
    if not user.can(permission):
        abort(403, message="Your role does not allow this.")
    return user


def requires(permission: str | None = None):
    """Decorator (put right under @blp.route): 401/403 before the request body is even read."""

    def deco(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if permission is None:
                require_user()
            else:
                require(permission)
            return view(*args, **kwargs)

        return wrapped

    return deco


def can(permission: str) -> bool:
    user = api_user()
    return user is not None and user.can(permission)


def get_or_404(model, ident: int, message: str = "There is no such item."):
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404, message=message)
    return obj


def not_found(message: str = "There is no such item."):
    abort(404, message=message)


def forbidden(message: str = "Your role does not allow this."):
    abort(403, message=message)


def unprocessable(message: str):
    abort(422, message=message)


def conflict(message: str):
    abort(409, message=message)


# ---- pagination -------------------------------------------------------------------------------


def _page_url(page: int) -> str:
    args = request.args.to_dict(flat=True)
    args["page"] = page
    return url_for(request.endpoint, **(request.view_args or {}), **args, _external=True)


def _page_body(items: list, page: int, per_page: int, total: int) -> dict:
    pages = -(-total // per_page) if total else 0
    last = max(pages, 1)
    links = {
        "self": _page_url(page),
        "first": _page_url(1),
        "last": _page_url(last),
        "prev": _page_url(page - 1) if page > 1 else None,
        "next": _page_url(page + 1) if page < pages else None,
    }
    header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)

    @after_this_request
    def _link(response):
        response.headers["Link"] = header
        return response

    return {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": pages,
        "links": links,
    }


def paginate(stmt, args: dict, transform: Callable | None = None) -> dict:
    """One page of `stmt` with links in the body and an RFC 8288 Link header."""
    page = db.paginate(
        stmt, page=args["page"], per_page=args["per_page"], error_out=False, max_per_page=100
    )
    items = list(page.items)
    return _page_body(
        transform(items) if transform else items, page.page, page.per_page, page.total
    )


def paginate_list(items: list, args: dict) -> dict:
    """One page of an already built list (records assembled in Python)."""
    start = (args["page"] - 1) * args["per_page"]
    chunk = items[start : start + args["per_page"]]
    return _page_body(chunk, args["page"], args["per_page"], len(items))
