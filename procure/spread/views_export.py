"""The dashboard's downloads: ``GET /pemerataan/unduh/<fmt>``, fmt ``csv``, ``xlsx`` or ``pdf``.

The same arguments as the dashboard (``periode=`` in ``ReportPeriod``'s written form, ``opd=``)
and the same access: the admin and the inspector the whole Pemda or any OPD; an OPD officer
their own OPD only (beside the Pemda's totals), another OPD is refused. All three files come
from one ``build_report`` and ``tables.tables``: they show the dashboard's figures.

CSV: one file with a section per table (``export`` says why); ``tabel=<name>`` gives that
table alone as a plain CSV for programs.
"""

from __future__ import annotations

from flask import Response, abort, current_app, request
from flask_login import current_user

from procure.auth.models import Role
from procure.clock import today_in_jakarta
from procure.edge import attempt
from procure.extensions import db
from procure.input_rules import INT32_MAX
from procure.spread import export, pdf_report, store, tables
from procure.spread.blueprint import bp
from procure.spread.periods import ReportPeriod
from procure.spread.report import SpreadReport
from procure.umkm.rules import RuleError
from procure.web import render_error, roles_required

FORMATS = ("csv", "xlsx", "pdf")
PDF_TYPE = "application/pdf"


def default_period() -> ReportPeriod:
    """This year (so far): what a file downloaded without ``periode=`` covers."""
    return ReportPeriod.year(today_in_jakarta().year)


def requested_scope() -> tuple[ReportPeriod, int | None]:
    """``periode=`` and ``opd=`` as the dashboard reads them, checked against the user.

    Raises ``RuleError`` for a period that cannot be read; aborts 403 when an officer asks for
    another OPD, 404 for an ``opd=`` that is no id.
    """
    text = (request.args.get("periode") or "").strip()
    period = ReportPeriod.parse(text) if text else default_period()
    today = today_in_jakarta()
    period = period.clipped(today)  # as the dashboard: a period under way, up to today
    asked = (request.args.get("opd") or "").strip()
    # An id an INTEGER column can hold (checked before int() of a long string), else no OPD.
    if asked and not (asked.isascii() and asked.isdigit() and len(asked) <= len(str(INT32_MAX))):
        abort(404)
    if asked and int(asked) > INT32_MAX:
        abort(404)
    opd_id = int(asked) if asked else None
    if current_user.role == Role.OPD:
        own = current_user.opd_id
        if own is None or (opd_id is not None and opd_id != own):
            abort(403)
        opd_id = own
    return period, opd_id


def about(report: SpreadReport, *, licence: bool = False) -> export.About:
    return export.About(
        title="Laporan pemerataan belanja",
        pemda=str(current_app.config["PEMDA_NAME"]),
        period_label=report.period.label,
        period=str(report.period),
        data_time=tables.data_time(report.computed_at),
        opd=report.opd_name,
        licence=licence,
    )


def file_name(report: SpreadReport, extension: str, table: str | None = None) -> str:
    """``pemerataan-2026-T3.xlsx``, ``pemerataan-2026-10-opd-4-target-40-persen.csv``."""
    period = str(report.period).replace("..", "_")
    parts = ["pemerataan", period]
    if report.opd_id is not None:
        parts.append(f"opd-{report.opd_id}")
    if table:
        parts.append(table)
    return "-".join(parts) + "." + extension


def download(body: bytes, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    # Figures of one user's scope: kept by their browser a short while, by no shared cache.
    response.headers["Cache-Control"] = "private, max-age=60"
    return response


@bp.get("/unduh/<fmt>", endpoint="export")
@roles_required(Role.ADMIN, Role.INSPECTOR, Role.OPD)
def export_file(fmt: str) -> Response | tuple[str, int]:
    if fmt not in FORMATS:
        abort(404)
    try:
        period, opd_id = requested_scope()
    except RuleError as exc:
        return render_error(400, str(exc))
    today = today_in_jakarta()
    outcome = attempt(lambda: store.report(db.session, period, today=today, opd_id=opd_id))
    if outcome.value is None:
        return render_error(400, outcome.error)
    report = outcome.value
    if fmt == "pdf":
        pemda = str(current_app.config["PEMDA_NAME"])
        return download(
            pdf_report.render_report(report, pemda=pemda), PDF_TYPE, file_name(report, "pdf")
        )
    every = tables.tables(report)
    if fmt == "xlsx":
        return download(
            export.xlsx_bytes(every, about(report)), export.XLSX_TYPE, file_name(report, "xlsx")
        )
    name = (request.args.get("tabel") or "").strip()
    if name:
        one = tables.table(report, name)
        if one is None:
            abort(404)
        body = export.csv_bytes([one], None)
        return download(body, export.CSV_TYPE, file_name(report, "csv", one.name))
    return download(
        export.csv_bytes(every, about(report)), export.CSV_TYPE, file_name(report, "csv")
    )
