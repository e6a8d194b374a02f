"""`flask coding` commands for automatic coding and discovery."""

from consult.coding.cli_group import coding  # noqa: F401
