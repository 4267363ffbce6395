"""``procure notify send`` and ``procure notify daily``: the outbox from cron."""

from __future__ import annotations

import datetime as dt

import click
from flask import current_app
from flask.cli import with_appcontext

from procure.clock import today_in_jakarta
from procure.edge import commit_or_rollback
from procure.extensions import db


@click.group("notify")
def notify_group() -> None:
    """Notifikasi: kirim isi outbox, antrekan pengingat harian."""


@notify_group.command("send")
@click.option("--limit", type=int, default=None, help="Paling banyak sekian pesan sekali jalan")
@with_appcontext
def send_command(limit: int | None) -> None:
    """Send every due message (pending, or a retry whose time has come)."""
    from procure.notify.dispatch import send_pending

    report = send_pending(db.session, current_app.config, limit=limit)
    click.echo(f"Outbox: {report}.")


@notify_group.command("daily")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Tanggal hari ini (YYYY-MM-DD; bawaan: hari ini di Asia/Jakarta)",
)
@click.option("--no-send", is_flag=True, help="Hanya antrekan; kirim nanti dengan 'notify send'")
@with_appcontext
def daily_command(today: dt.datetime | None, no_send: bool) -> None:
    """Queue the daily reminders (deadline tomorrow, omzet due), once each, then send."""
    from procure.notify.daily import run_daily
    from procure.notify.dispatch import send_pending

    day = today.date() if today else today_in_jakarta()
    report = commit_or_rollback(lambda: run_daily(db.session, day, current_app.config))
    click.echo(f"Diantrekan untuk {day.isoformat()}: {report}.")
    if not no_send:
        click.echo(f"Outbox: {send_pending(db.session, current_app.config)}.")
