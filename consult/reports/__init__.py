"""Reports: recommendations with evidence, the summary report (HTML preview = PDF), report runs."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
