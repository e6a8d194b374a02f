"""Organizations and their members."""

from flask import Blueprint

bp = Blueprint("orgs", __name__, url_prefix="/organizations")

from consult.orgs import views  # noqa: E402,F401
