"""``procure refresh-figures``: rebuild the allocation's per-UMKM figures.

Meant for cron on the 1st of the month (the ranking also moves the figures to each new day
itself); running it twice changes nothing.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from procure.allocation.policy import window_for
from procure.clock import today_in_jakarta
from procure.edge import commit_or_rollback
from procure.extensions import db
from procure.formatting import number
from procure.ranking import figures


@click.command("refresh-figures")
@with_appcontext
def refresh_figures_command() -> None:
    """Rebuild the allocation's per-UMKM figures for this month's window (W)."""
    today = today_in_jakarta()
    window = window_for(today)
    rows = commit_or_rollback(lambda: figures.rebuild(db.session, today))
    click.echo(
        f"Angka peringkat {number(rows)} UMKM dihitung ulang untuk omzet "
        f"{window[0].label} – {window[-1].label}."
    )
