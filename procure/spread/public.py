"""The public page ``/transparansi``: the Pemda's spread figures for citizens, no login.

Only aggregates of the whole Pemda (``tables.tables(report, public=True)`` and the charts of
the same report): spend by kecamatan, category and business scale, the 40 % measure per OPD,
the monthly trend. No UMKM is named; nothing of a person (NIK, phone, bank account, NIP,
e-mail) or a business's reported omzet is shown. The CSV ``/transparansi/data.csv`` holds the
page's tables, licensed CC BY 4.0.

Freshness: the page reads the stored report of the period (``procure.spread.store``: built
once, shared by every process, refreshed in the background when the data changed), and says
"data per <time>" (when its figures were read). Browsers and shared caches may keep an
anonymous visitor's copy ``TRANSPARENCY_CACHE_SECONDS`` (``Cache-Control: public``); a
logged-in user's page (it carries their name in the menu) is ``private``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from flask_login import current_user

from procure.clock import today_in_jakarta
from procure.edge import attempt
from procure.extensions import db
from procure.omzet.rules import Period
from procure.spread import export, store, tables
from procure.spread.kept import kept
from procure.spread.periods import ReportPeriod
from procure.spread.report import SpreadReport
from procure.umkm.rules import RuleError

bp = Blueprint("transparency", __name__, url_prefix="/transparansi")

CACHE_SECONDS_DEFAULT = 300
YEARS_SHOWN = 3  # the selector offers this year and the two before


# --- the period ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str  # ``periode=``
    label: str


@dataclass(frozen=True)
class ChoiceGroup:
    label: str
    choices: tuple[Choice, ...]


def period_choices(today: dt.date) -> list[ChoiceGroup]:
    """Each year (newest first) with its quarters and months that have begun."""
    groups = []
    for year in range(today.year, today.year - YEARS_SHOWN, -1):
        periods = [ReportPeriod.year(year)]
        periods += [ReportPeriod.quarter(year, q) for q in range(4, 0, -1)]
        periods += [ReportPeriod.month(Period(year, m)) for m in range(12, 0, -1)]
        started = tuple(Choice(str(p), p.label) for p in periods if p.start <= today)
        groups.append(ChoiceGroup(str(year), started))
    return groups


def requested_period(today: dt.date) -> ReportPeriod:
    """``periode=`` (any written form ``ReportPeriod`` reads), this year without it; as the
    dashboard does, the part up to today of a period under way."""
    text = (request.args.get("periode") or "").strip()
    period = ReportPeriod.parse(text) if text else ReportPeriod.year(today.year)
    return period.clipped(today)


# --- the report, kept a few minutes ---------------------------------------------------------


def cache_seconds() -> int:
    return max(int(current_app.config.get("TRANSPARENCY_CACHE_SECONDS", CACHE_SECONDS_DEFAULT)), 0)


def public_report(period: ReportPeriod, today: dt.date) -> SpreadReport:
    """The whole Pemda's report of ``period``, from the stored reports (``store.report``).
    Raises ``RuleError`` (a period not begun)."""
    outcome = attempt(lambda: store.report(db.session, period, today=today))
    if outcome.value is None:
        raise RuleError(outcome.error or "Laporan tidak dapat dibuat.")
    return outcome.value


@kept
def _public_tables(report: SpreadReport) -> tuple[tables.Table, ...]:
    """The page's tables, made once per stored report in this process."""
    return tables.tables(report, public=True)


def cache_headers(response: Response) -> Response:
    if current_user.is_authenticated:
        response.headers["Cache-Control"] = "private, no-cache"
    else:
        response.headers["Cache-Control"] = f"public, max-age={cache_seconds()}"
    response.vary.add("Cookie")
    return response


# --- routes ----------------------------------------------------------------------------------


def _page(context: dict[str, Any], status: int) -> Response:
    response = current_app.make_response((render_template("spread/public.html", **context), status))
    return cache_headers(response)


@bp.get("/")
def index() -> Response:
    today = today_in_jakarta()
    choices = period_choices(today)
    context: dict[str, Any] = {
        "choices": choices,
        "error": None,
        "report": None,
        "cache_minutes": max(1, cache_seconds() // 60),
    }
    try:
        period = requested_period(today)
        report = public_report(period, today)
    except RuleError as exc:
        context["error"] = str(exc)
        context["chosen"] = (request.args.get("periode") or "").strip()
        return _page(context, 400)
    context |= {
        "chosen": str(report.period),
        "report": report,
        "downloads": _public_tables(report),
        "licence": export.LICENCE,
        "licence_url": export.LICENCE_URL,
    }
    return _page(context, 200)


@bp.get("/data.csv", endpoint="csv")
def data_csv() -> Response:
    """The page's tables as one CSV (a section per table), or ``tabel=<name>`` alone."""
    today = today_in_jakarta()
    try:
        report = public_report(requested_period(today), today)
    except RuleError as exc:
        response = Response(str(exc) + "\n", status=400, mimetype="text/plain")
        return cache_headers(response)
    name = (request.args.get("tabel") or "").strip()
    base = f"transparansi-pemerataan-{str(report.period).replace('..', '_')}"
    if name:
        one = tables.table(report, name, public=True)
        if one is None:
            response = Response("Tabel itu tidak ada.\n", status=404, mimetype="text/plain")
            return cache_headers(response)
        body, file_name = export.csv_bytes([one], None), f"{base}-{one.name}.csv"
    else:
        about = export.About(
            title="Pemerataan belanja ke UMKM",
            pemda=str(current_app.config["PEMDA_NAME"]),
            period_label=report.period.label,
            period=str(report.period),
            data_time=tables.data_time(report.computed_at),
            licence=True,
        )
        body = export.csv_bytes(tables.tables(report, public=True), about)
        file_name = f"{base}.csv"
    response = Response(body, mimetype=export.CSV_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data, like /ocds
    return cache_headers(response)
