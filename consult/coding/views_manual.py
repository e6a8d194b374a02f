"""Coding views for people: codebook, queue, passage coding, agreement, analysis."""

from consult.coding import bp  # noqa: F401
