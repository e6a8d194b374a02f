"""Reports: recommendations with evidence, the summary report (HTML preview = PDF), report runs."""

from flask import Blueprint, g, url_for

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _dashboard_links(consultation, user) -> list[tuple[str, str]]:
    if not user.can("write_reports"):
        return []
    return [
        ("Recommendations", url_for("reports.recommendations", slug=consultation.slug)),
        ("Summary report", url_for("reports.summary", slug=consultation.slug)),
    ]


def recommendation_choices_for(consultation_id: int) -> dict:
    """Jinja global for the evidence button: {"slug", "choices"}, queried once per request."""
    from consult.consultations.models import Consultation
    from consult.extensions import db
    from consult.reports.services import recommendation_choices

    cache = g.setdefault("_recommendation_choices", {})
    if consultation_id not in cache:
        c = db.session.get(Consultation, consultation_id)
        cache[consultation_id] = {
            "slug": c.slug if c else "",
            "choices": recommendation_choices(consultation_id) if c else [],
        }
    return cache[consultation_id]


def init_app(app) -> None:
    from consult.consultations.services import DASHBOARD_LINKS

    if _dashboard_links not in DASHBOARD_LINKS:
        DASHBOARD_LINKS.append(_dashboard_links)
    app.jinja_env.globals["recommendation_choices_for"] = recommendation_choices_for


from consult.reports import runs, views, views_runs  # noqa: E402,F401  - register routes and the job
