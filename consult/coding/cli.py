"""Registers the `flask coding` group with the commands of both coding modules."""

from consult.coding import cli_machine, cli_manual  # noqa: F401  - attach commands
from consult.coding.cli_group import coding

COMMANDS = [coding]
