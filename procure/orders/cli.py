"""``procure expire-orders [--today YYYY-MM-DD]``: expire unanswered orders and pass them on;
``procure refresh-figures``: rebuild the allocation's per-UMKM figures.

Both are meant for cron (daily; on the 1st of the month); running them twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

import click
from flask import current_app
from flask.cli import with_appcontext

from procure.allocation.policy import window_for
from procure.documents import jobs as document_jobs
from procure.extensions import db
from procure.formatting import number
from procure.procurement import figures
from procure.procurement.orders import expire_overdue_orders
from procure.procurement.services import today_in_jakarta


@click.command("expire-orders")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Tanggal acuan (YYYY-MM-DD); bawaan: hari ini (WIB).",
)
@with_appcontext
def expire_orders_command(today: dt.datetime | None) -> None:
    """Expire issued orders past their response deadline and offer them to the next UMKM."""
    day = today.date() if today else today_in_jakarta()
    done = expire_overdue_orders(db.session, day, current_app.config)
    db.session.commit()
    document_jobs.dispatch()  # the pass-on Surat Pesanan: render or queue them
    if not done:
        click.echo(f"{day.isoformat()}: tidak ada pesanan yang melewati batas jawab.")
        return
    for order, passed in done:
        target = ", ".join(f"SP #{o.id} ({o.quantity})" for o in passed) or "tidak ada"
        click.echo(f"SP #{order.id} kedaluwarsa; dialihkan ke: {target}.")
    click.echo(f"{len(done)} pesanan kedaluwarsa.")


@click.command("refresh-figures")
@with_appcontext
def refresh_figures_command() -> None:
    """Rebuild the allocation's per-UMKM figures for this month's window (W)."""
    window = window_for(today_in_jakarta())
    rows = figures.rebuild(db.session, window)
    db.session.commit()
    click.echo(
        f"Angka peringkat {number(rows)} UMKM dihitung ulang untuk omzet "
        f"{window[0].label} – {window[-1].label}."
    )
