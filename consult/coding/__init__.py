"""coding feature package."""
