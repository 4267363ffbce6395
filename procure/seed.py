"""``procure seed``: synthetic data at scale for benchmarks."""

import click


@click.command("seed")
def seed_command() -> None:
    """Build synthetic data at scale (see benchmarks/)."""
    raise click.ClickException("belum tersedia")
