"""Friendly error pages; JSON problem details under /api."""

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: (
        "Something in the request was not right",
        "Go back, check what you entered and try again.",
    ),
    403: (
        "You do not have access to this page",
        "If you think you should, ask a task force administrator.",
    ),
    404: (
        "Page not found",
        "The address may be mistyped, or the page may have moved or been removed.",
    ),
    405: ("That action is not allowed here", "Go back and use the buttons on the page."),
    413: (
        "The file is too large",
        "Files can be up to {limit}. Make the file smaller, or split it, and try again.",
    ),
    429: ("Too many attempts", "Wait a minute and try again."),
    500: (
        "Sorry, something went wrong on our side",
        "Nothing you did caused this. Try again in a few minutes; what you saved is kept.",
    ),
}


def _limit_text() -> str:
    from flask import current_app

    return f"{current_app.config['MAX_UPLOAD_BYTES'] // (1024 * 1024)} MB"


def handle_http_error(exc: HTTPException):
    code = exc.code or 500
    title, detail = MESSAGES.get(code, (exc.name, exc.description or ""))
    if code == 413:
        detail = detail.format(limit=_limit_text())
    if code == 400 and exc.description and "CSRF" in exc.description:
        title, detail = (
            "Your form expired",
            "For your security the form timed out. Go back, reload the page and submit again.",
        )
    if request.path.startswith("/api/"):
        body = {
            "type": "about:blank",
            "title": title,
            "status": code,
            "detail": getattr(exc, "description", None) or detail,
        }
        resp = jsonify(body)
        resp.status_code = code
        resp.mimetype = "application/problem+json"
        return resp
    return render_template("errors/error.html", code=code, title=title, detail=detail), code


def handle_unexpected(exc: Exception):
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s", request.path)
    from werkzeug.exceptions import InternalServerError

    return handle_http_error(InternalServerError())


def init_app(app) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
