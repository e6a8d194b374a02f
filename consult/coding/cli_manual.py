"""`flask coding` commands for the codebook, passages and exports."""

from consult.coding.cli_group import coding  # noqa: F401
