"""Survey views_respond views (authoring and respondent flow)."""

from consult.surveys import bp  # noqa: F401
