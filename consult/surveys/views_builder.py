"""Survey views_builder views (authoring and respondent flow)."""

from consult.surveys import bp  # noqa: F401
