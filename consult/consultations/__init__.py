"""Consultations: the container of surveys, hearings, codebook and reports."""

from flask import Blueprint

bp = Blueprint("consultations", __name__, url_prefix="/consultations")

from consult.consultations import views  # noqa: E402,F401
