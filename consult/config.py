"""Configuration defaults, overridden by instance/config.py and environment variables."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

DEFAULT_SECRET = "change-me"  # noqa: S105 - the value production refuses to start with


class Defaults:
    """Settings that work on a fresh machine with SQLite in the instance folder."""

    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None  # filled in from the instance path
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    UPLOAD_FOLDER = None  # instance/uploads
    MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024  # a form with a 10 MB file and its fields
    DOCX_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
    DOCX_MAX_ENTRIES = 500
    UPLOAD_EXTRACT_SECONDS = 10  # text extraction of one sign-up's files, in a child process
    UPLOAD_EXTRACT_MEMORY_MB = 512
    REDIS_URL = None
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    PUBLIC_FORM_RATE_LIMIT = "20 per minute;200 per hour"
    MAIL_SERVER = None
    MAIL_PORT = 587
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_USE_TLS = True
    MAIL_SENDER = "Consult <no-reply@consult.invalid>"
    PREFERRED_URL_SCHEME = "http"
    SERVER_BASE_URL = None  # absolute URL used in e-mailed links, e.g. https://consult.example.org
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "consult_session"
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=60)  # idle timeout, refreshed each request
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
    PASSWORD_MIN_LENGTH = 12
    INVITATION_TTL = timedelta(days=14)
    PASSWORD_RESET_TTL = timedelta(hours=2)
    REQUIRE_TOTP_FOR_STAFF = False
    WTF_CSRF_TIME_LIMIT = None  # tied to the session, which already expires
    BABEL_DEFAULT_LOCALE = "en"
    LANGUAGES = {"en": "English", "es": "Español"}
    JOBS_INLINE_SYNC = False  # run jobs in the request (tests); else a thread or RQ worker
    REPORT_RENDER_TIMEOUT = 300
    REPORT_RENDER_MEMORY_MB = 2048
    PRODUCTION = False
    TESTING = False


def _env_overrides() -> dict:
    """Read the documented environment variables."""
    out: dict = {}
    mapping = {
        "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
        "SECRET_KEY": "SECRET_KEY",
        "UPLOAD_FOLDER": "UPLOAD_FOLDER",
        "REDIS_URL": "REDIS_URL",
        "MAIL_SERVER": "MAIL_SERVER",
        "MAIL_USERNAME": "MAIL_USERNAME",
        "MAIL_PASSWORD": "MAIL_PASSWORD",
        "MAIL_SENDER": "MAIL_SENDER",
        "SERVER_BASE_URL": "SERVER_BASE_URL",
    }
    for env, key in mapping.items():
        if os.environ.get(env):
            out[key] = os.environ[env]
    if os.environ.get("MAIL_PORT"):
        out["MAIL_PORT"] = int(os.environ["MAIL_PORT"])
    for env, cast in (("UPLOAD_EXTRACT_SECONDS", float), ("UPLOAD_EXTRACT_MEMORY_MB", int)):
        if os.environ.get(env):
            out[env] = cast(os.environ[env])
    if os.environ.get("MAIL_USE_TLS"):
        out["MAIL_USE_TLS"] = os.environ["MAIL_USE_TLS"].lower() in {"1", "true", "yes"}
    if os.environ.get("CONSULT_ENV", "").lower() == "production":
        out["PRODUCTION"] = True
    if os.environ.get("CONSULT_REQUIRE_TOTP", "").lower() in {"1", "true", "yes"}:
        out["REQUIRE_TOTP_FOR_STAFF"] = True
    return out


def normalise_database_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def instance_secret_key(instance_path: str) -> str:
    """Return the instance's generated secret key, creating it (mode 600) on first run."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


class ConfigError(RuntimeError):
    """The configuration cannot run safely."""


def finalise(app) -> None:
    """Apply env overrides, fill instance-relative defaults, and refuse unsafe production settings."""
    app.config.update(_env_overrides())
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        db_path = Path(app.instance_path) / "consult.db"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")
    Path(app.config["UPLOAD_FOLDER"]).mkdir(parents=True, exist_ok=True)
    key = app.config.get("SECRET_KEY")
    if app.config["PRODUCTION"]:
        if not key or key == DEFAULT_SECRET or len(key) < 32:
            raise ConfigError(
                "Production mode needs SECRET_KEY set to a random value of at least 32 characters."
            )
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
    elif not key:
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        opts = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        opts.pop("pool_pre_ping", None)
        opts.setdefault("connect_args", {"timeout": 30})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = opts
