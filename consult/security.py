"""Security headers, session timeouts and safe redirects."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import current_app, redirect, request, session, url_for
from flask_login import current_user, logout_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def is_safe_next(target: str | None) -> bool:
    """Only same-site relative paths are followed after login."""
    if not target:
        return False
    parts = urlsplit(target)
    return (
        not parts.scheme
        and not parts.netloc
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
    )


def set_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config.get("PRODUCTION"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if current_user and getattr(current_user, "is_authenticated", False):
        # pages with personal or confidential data are never kept in shared caches
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def enforce_absolute_timeout():
    """Sign out a session older than SESSION_ABSOLUTE_LIFETIME, whatever its activity."""
    if not getattr(current_user, "is_authenticated", False):
        return None
    started = session.get("login_at")
    limit = current_app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()
    if started is None or datetime.now(UTC).timestamp() - started > limit:
        logout_user()
        session.clear()
        if request.path.startswith("/api/"):
            return None
        return redirect(
            url_for("auth.login", next=request.full_path if request.method == "GET" else None)
        )
    return None


# pages a staff member without two-factor may still open when REQUIRE_TOTP_FOR_STAFF is set
TOTP_EXEMPT = {"auth.two_factor", "auth.logout", "auth.login", "static", "main.healthz"}


def enforce_totp_enrolment():
    """With REQUIRE_TOTP_FOR_STAFF, staff and admins must turn on two-factor before working."""
    from consult.auth.totp import must_enrol

    if request.endpoint in TOTP_EXEMPT or not must_enrol(current_user, current_app.config):
        return None
    if request.path.startswith("/api/"):
        from flask import abort

        abort(403)
    from flask import flash
    from flask_babel import gettext

    flash(gettext("Turn on two-factor authentication to use staff pages."), "info")
    return redirect(url_for("auth.two_factor"))


def init_app(app) -> None:
    app.after_request(set_security_headers)
    app.before_request(enforce_absolute_timeout)
    app.before_request(enforce_totp_enrolment)
