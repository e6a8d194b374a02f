"""Consult: run a public consultation end to end."""

import importlib
import logging
import os

from flask import Flask

from consult import config as config_module
from consult.extensions import babel, csrf, db, limiter, login_manager, migrate

# Feature packages, each with a blueprint `bp` in its __init__ and optionally `cli.commands`.
FEATURES = [
    "main",
    "auth",
    "orgs",
    "consultations",
    "surveys",
    "hearings",
    "coding",
    "reports",
    "api",
    "demo",
    "maintenance",
]


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory: config -> extensions -> blueprints -> errors -> cli."""
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get(
        "CONSULT_INSTANCE_PATH"
    )
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    app.config.from_object(config_module.Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.update(test_config)
    config_module.finalise(app)
    configure_logging(app)
    if app.testing:
        _fresh_g_per_request(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def _fresh_g_per_request(app: Flask) -> None:
    """Tests hold an app context around requests, which Flask then reuses, sharing `g`.

    In production every request has its own app context; give tests the same by clearing `g`
    (cached user, locale, CSRF token) when a request starts.
    """
    from flask import g

    def clear_g():
        for key in list(vars(g)):
            delattr(g, key)

    app.before_request_funcs.setdefault(None, []).insert(0, clear_g)


def configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        app.logger.setLevel(logging.INFO)


def register_extensions(app: Flask) -> None:
    from consult import i18n, security
    from consult.models import import_all_models

    import_all_models()
    db.init_app(app)
    _configure_database(app)
    migrate.init_app(
        app, db, directory=str(_migrations_dir()), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Sign in to see this page.")
    login_manager.localize_callback = _gettext
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", i18n.translation_directories())
    babel.init_app(app, locale_selector=i18n.select_locale)
    if app.config.get("REDIS_URL") and not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    security.init_app(app)

    @login_manager.user_loader
    def load_user(user_id: str):
        from consult.auth.models import User

        ident, _, nonce = (user_id or "").partition(":")
        if not ident.isdigit():
            return None
        user = db.session.get(User, int(ident))
        if user is None or not user.active or user.session_nonce != nonce:
            return None
        return user

    @app.context_processor
    def inject_globals():
        from flask_babel import get_locale

        from consult.auth.roles import Role

        return {
            "Role": Role,
            "current_locale": str(get_locale()),
            "LANGUAGES": app.config["LANGUAGES"],
        }

    def url_with(**changes) -> str:
        """The current page's URL with some query arguments changed (pagination, language)."""
        from flask import request, url_for

        if request.endpoint is None:
            return "?" + "&".join(f"{k}={v}" for k, v in changes.items())
        args = {**request.args.to_dict(), **(request.view_args or {}), **changes}
        return url_for(request.endpoint, **args)

    app.jinja_env.globals["url_with"] = url_with


def N_(text: str) -> str:  # noqa: N802 - the conventional name pybabel extracts
    """Mark a string for translation where it is defined; translate it where it is shown."""
    return text


def _gettext(text: str) -> str:
    from flask_babel import gettext

    return gettext(text)


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def _configure_database(app: Flask) -> None:
    """SQLite: WAL, busy timeout and foreign keys on every connection."""
    from sqlalchemy import event

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()


def register_blueprints(app: Flask) -> None:
    for name in FEATURES:
        module = importlib.import_module(f"consult.{name}")
        bp = getattr(module, "bp", None)
        if bp is not None:
            app.register_blueprint(bp)
        init = getattr(module, "init_app", None)
        if init is not None:
            init(app)


def register_errorhandlers(app: Flask) -> None:
    from consult import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    for name in FEATURES:
        try:
            module = importlib.import_module(f"consult.{name}.cli")
        except ModuleNotFoundError as exc:
            if exc.name != f"consult.{name}.cli":
                raise
            continue
        for command in getattr(module, "COMMANDS", []):
            app.cli.add_command(command)
