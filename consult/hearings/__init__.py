"""Hearings: public sign-up and written testimony, the facilitator console, moderation, summaries."""

from flask import Blueprint

bp = Blueprint("hearings", __name__, url_prefix="/hearings")


def init_app(app) -> None:
    """Template filters and dashboard registrations."""
    from consult.hearings import dashboard, display

    app.add_template_filter(display.local_time, "hearing_time")
    app.add_template_filter(display.staff_label, "hearing_label")
    dashboard.register()


from consult.hearings import (  # noqa: E402,F401  - register routes on bp
    views_day,
    views_moderation,
    views_public,
    views_staff,
)
