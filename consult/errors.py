"""Friendly error pages; JSON problem details under /api."""

from flask import jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: (
        _l("Something in the request was not right"),
        _l("Go back, check what you entered and try again."),
    ),
    403: (
        _l("You do not have access to this page"),
        _l("If you think you should, ask a task force administrator."),
    ),
    404: (
        _l("Page not found"),
        _l("The address may be mistyped, or the page may have moved or been removed."),
    ),
    405: (
        _l("That action is not allowed here"),
        _l("Go back and use the buttons on the page."),
    ),
    413: (
        _l("The file is too large"),
        _l("Files can be up to {limit}. Make the file smaller, or split it, and try again."),
    ),
    429: (_l("Too many attempts"), _l("Wait a minute and try again.")),
    500: (
        _l("Sorry, something went wrong on our side"),
        _l("Nothing you did caused this. Try again in a few minutes; what you saved is kept."),
    ),
}


def _limit_text() -> str:
    from flask import current_app

    return f"{current_app.config['MAX_UPLOAD_BYTES'] // (1024 * 1024)} MB"


def handle_http_error(exc: HTTPException):
    code = exc.code or 500
    title, detail = MESSAGES.get(code, (exc.name, exc.description or ""))
    title, detail = str(title), str(detail)
    if code == 413:
        detail = detail.format(limit=_limit_text())
    if code == 400 and exc.description and "CSRF" in exc.description:
        title, detail = (
            str(_l("Your form expired")),
            str(
                _l(
                    "For your security the form timed out. "
                    "Go back, reload the page and submit again."
                )
            ),
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
