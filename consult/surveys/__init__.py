"""surveys feature package."""
