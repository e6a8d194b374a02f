"""api feature package."""
