"""Survey views_results views (distribution, results and exports)."""

from consult.surveys import bp  # noqa: F401
