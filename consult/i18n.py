"""Language selection for pages: an explicit choice, then the browser's, then English."""

from flask import current_app, g, has_request_context, request, session


def select_locale() -> str:
    supported = list(current_app.config["LANGUAGES"])
    if not has_request_context():  # commands and jobs: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    forced = getattr(g, "force_language", None)
    if forced in supported:
        return forced
    chosen = request.args.get("lang")
    if chosen in supported:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in supported:
        return session["lang"]
    return (
        request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def translation_directories() -> str:
    """consult/translations plus every feature package's own translations folder."""
    from pathlib import Path

    root = Path(__file__).parent
    dirs = [root / "translations"] + sorted(p for p in root.glob("*/translations") if p.is_dir())
    return ";".join(str(d) for d in dirs)
