"""Coding views for machine help: suggestions review, theme discovery, duplicates."""

from consult.coding import bp  # noqa: F401
