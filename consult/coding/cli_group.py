"""The `flask coding ...` command group; commands attach from cli_manual and cli_machine."""

import click


@click.group("coding", help="Codebook, passages, automatic coding and exports.")
def coding():
    pass
