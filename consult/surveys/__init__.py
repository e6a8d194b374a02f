"""Surveys: builder, respondent flow, distribution, results, exports and imports."""

from flask import Blueprint

bp = Blueprint("surveys", __name__, url_prefix="/surveys")

from consult.surveys import (  # noqa: E402,F401  - register routes on bp
    views_builder,
    views_distribution,
    views_respond,
    views_results,
)
