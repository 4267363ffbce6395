"""``procure expire-orders [--today YYYY-MM-DD]``: expire unanswered orders and pass them on.

Meant for cron (daily); running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

import click
from flask import current_app
from flask.cli import with_appcontext

from procure.clock import today_in_jakarta
from procure.documents import jobs as document_jobs
from procure.edge import commit_or_rollback
from procure.extensions import db
from procure.orders.services import expire_overdue_orders


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
    done = commit_or_rollback(lambda: expire_overdue_orders(db.session, day, current_app.config))
    document_jobs.dispatch()  # the pass-on Surat Pesanan: render or queue them
    if not done:
        click.echo(f"{day.isoformat()}: tidak ada pesanan yang melewati batas jawab.")
        return
    for order, passed in done:
        target = ", ".join(f"SP #{o.id} ({o.quantity})" for o in passed) or "tidak ada"
        click.echo(f"SP #{order.id} kedaluwarsa; dialihkan ke: {target}.")
    click.echo(f"{len(done)} pesanan kedaluwarsa.")
