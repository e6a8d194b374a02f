"""Passages: the one table where surveys and hearings meet coding."""
