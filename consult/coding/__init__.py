"""Theme coding: codebook, manual coding, automatic suggestions, discovery, agreement."""

from flask import Blueprint

bp = Blueprint("coding", __name__, url_prefix="/coding")

from consult.coding import views_machine, views_manual  # noqa: E402,F401  - register routes
