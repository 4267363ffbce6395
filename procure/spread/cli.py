"""``procure report fairness --period 2026-10``: the dashboard's figures in the terminal."""

from __future__ import annotations

import click

report_group = click.Group("report", help="Laporan dari data katalog.")
