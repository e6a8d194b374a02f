"""Accounts: login, invitations, password reset, roles and permission checks."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from consult.auth import views, views_people, views_totp  # noqa: E402,F401  - registers routes on bp
