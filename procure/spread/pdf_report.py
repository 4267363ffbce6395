"""The pemerataan report as a PDF for the head of Dinas: the documents' house style.

Rendered by ``procure.documents.pdf`` (its Jinja environment, WeasyPrint, ``documents.css`` and
the print fetcher that serves only the print assets and fonts), with ``spread.css`` for what a
report has that a PBJP document has not: the headline figures, the charts, wide tables. The
charts are ``procure.spread.charts``' SVG (the dashboard's own drawings, without links); the
tables are ``procure.spread.tables``, the same rows as the CSV and XLSX.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from procure.omzet.rules import MONTHS_ID_SHORT, Period
from procure.spread import charts, tables
from procure.spread.report import SpendRow, SpreadReport

if TYPE_CHECKING:
    from procure.documents.pdf import PrintAssetFetcher

TEMPLATE = "spread/print/report.html"
BARS_SHOWN = 6  # bars per chart (the rest as one "Lainnya"); the tables list every row
# Long tables print every row; the Lorenz points are in the chart and the files.
LEFT_OUT = (tables.LORENZ,)


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    note: str = ""


def headlines(report: SpreadReport) -> list[Headline]:
    """The figures printed large at the top, of the report's scope."""
    s = report.scope
    return [
        Headline(
            "Belanja", "Rp " + tables.shown(s.spend), f"{tables.shown(s.order_count)} pesanan"
        ),
        Headline(
            "Indeks Gini",
            tables.shown(tables.index(s.gini)),
            "0 merata, 1 semua ke satu UMKM",
        ),
        Headline(
            "UMKM yang mendapat pesanan",
            tables.shown(tables.percent(s.share_with_orders)) + " %",
            f"{tables.shown(s.umkm_with_orders)} dari {tables.shown(s.umkm_count)} UMKM",
        ),
        Headline(
            "Porsi 10 % UMKM teratas",
            tables.shown(tables.percent(s.top10_share)) + " %",
            "dari seluruh belanja",
        ),
        Headline(
            "Porsi separuh UMKM beromzet terkecil",
            (
                tables.shown(tables.percent(s.smaller_half_share)) + " %"
                if s.smaller_half_share is not None
                else "-"
            ),
            f"{tables.shown(s.sized_count)} UMKM melapor omzet",
        ),
        Headline(
            "Terverifikasi > 90 hari tanpa pesanan",
            tables.shown(report.never_ordered),
            "UMKM di seluruh Pemda",
        ),
    ]


def _bars(rows: tuple[SpendRow, ...]) -> list[charts.Bar]:
    bars = [charts.Bar(r.label, r.spend, None, charts.percent(r.share)) for r in rows]
    return charts.folded(bars, BARS_SHOWN)


BAR_TITLES = {
    "opd": "Belanja per OPD",
    "kecamatan": "Belanja per kecamatan",
    "category": "Belanja per kategori",
    "scale": "Belanja per skala usaha",
}


def month_label(period: Period, one_year: bool) -> str:
    """``Okt`` within one year, ``Okt 26`` across years: the trend's slot is narrow."""
    return MONTHS_ID_SHORT[period.month - 1] if one_year else period.short_label


def report_charts(report: SpreadReport) -> dict[str, Markup]:
    """The charts, escaped SVG (``charts`` escapes every text), keyed by what they show."""
    one_year = len({m.period.year for m in report.months}) <= 1
    drawn = {
        "lorenz": charts.lorenz_chart(
            report.scope.lorenz, title="Kurva Lorenz", chart_id="lorenz", gini=report.scope.gini
        ),
        "trend": charts.trend_chart(
            [
                charts.MonthPoint(
                    month_label(m.period, one_year),
                    m.spend,
                    Fraction(m.small_spend, m.spend) if m.spend else None,
                )
                for m in report.months
            ],
            title="Belanja per bulan",
            line_label="porsi ke usaha mikro dan kecil",
            chart_id="tren",
        ),
    }
    for key, rows in (
        ("opd", report.by_opd),
        ("kecamatan", report.by_kecamatan),
        ("category", report.by_category),
        ("scale", report.by_scale),
    ):
        if key == "opd" and report.opd_id is not None:
            continue  # an officer's report: their OPD alone is no chart
        drawn[key] = charts.bar_chart(_bars(rows), title=BAR_TITLES[key], chart_id=f"batang-{key}")
    return {key: Markup(svg) for key, svg in drawn.items()}  # noqa: S704 - escaped by charts


def render_html(report: SpreadReport, *, pemda: str) -> str:
    from procure.documents.pdf import environment

    every = [t for t in tables.tables(report) if t.name not in LEFT_OUT]
    context: dict[str, Any] = {
        "report": report,
        "pemda": pemda,
        "headlines": headlines(report),
        "charts": report_charts(report),
        "chart_titles": BAR_TITLES,
        "tables": every,
        "data_time": tables.data_time(report.computed_at),
        "numeric": (tables.RUPIAH, tables.COUNT, tables.PERCENT, tables.INDEX, tables.POINTS,
                    tables.DAYS),
    }  # fmt: skip
    env = environment()
    env.filters.setdefault("cell", tables.shown)
    return env.get_template(TEMPLATE).render(**context)


def render_report(
    report: SpreadReport, *, pemda: str, fetcher: PrintAssetFetcher | None = None
) -> bytes:
    """The report's PDF bytes (``fetcher``: the print fetcher, to see what it served)."""
    from procure.documents.pdf import render_pdf

    return render_pdf(render_html(report, pemda=pemda), fetcher=fetcher)
