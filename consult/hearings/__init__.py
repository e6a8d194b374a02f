"""hearings feature package."""
