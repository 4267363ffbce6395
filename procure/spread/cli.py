"""``procure report fairness --period 2026-10``: the dashboard's figures in the terminal."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.input_rules import RuleError
from procure.opd.models import Opd
from procure.spread import text
from procure.spread.periods import ReportPeriod
from procure.spread.services import build_report

report_group = click.Group("report", help="Laporan dari data katalog.")


@report_group.command("fairness")
@click.option(
    "--period",
    "period_text",
    required=True,
    help="2026-10 (bulan), 2026-T3 (triwulan), 2026 (tahun) atau 2026-01-05..2026-02-10.",
)
@click.option("--opd", "opd_code", default=None, help="Kode OPD: angka OPD itu di samping Pemda.")
@with_appcontext
def fairness_command(period_text: str, opd_code: str | None) -> None:
    """Print the pemerataan figures of a period (the dashboard's, from the same service)."""
    try:
        period = ReportPeriod.parse(period_text)
        opd_id = None
        if opd_code is not None:
            opd_id = db.session.scalar(select(Opd.id).where(Opd.code == opd_code.strip()))
            if opd_id is None:
                raise RuleError(f"Tidak ada OPD dengan kode {opd_code!r}.")
        report = build_report(db.session, period, today=today_in_jakarta(), opd_id=opd_id)
    except RuleError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from exc
    finally:
        db.session.rollback()  # read only: nothing to keep
    click.echo(text.render(report), nl=False)


@report_group.command("refresh-spread")
@with_appcontext
def refresh_spread_command() -> None:
    """Build and store the usual pemerataan reports (this year, quarter and month, last month;
    the Pemda and every active OPD) that the pages read: for cron or the worker."""
    from procure.spread import store

    done = store.refresh_usual(db.session, today_in_jakarta())
    click.echo(f"{done} laporan pemerataan diperbarui.")
