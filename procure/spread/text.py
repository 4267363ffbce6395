"""A SpreadReport as plain aligned text: what ``procure report fairness`` prints. Pure.

The rows are ``tables.tables(report)``, the one flattening the exports, the PDF and the public
CSV read, so the terminal shows the same figures rounded the same way; only the look differs:
Rupiah as ``Rp 1.250.000`` (procure/formatting.py), shares as ``12,3 %``, the Gini index as
``0,42``. The Lorenz curve's hundred points are left to the charts and files.
"""

from __future__ import annotations

from collections.abc import Sequence

from procure.formatting import rupiah
from procure.spread import tables
from procure.spread.report import SpreadReport

GAP = "  "
INDENT = "  "
# Units the cells carry themselves: a header need not repeat them.
_UNITS = (" (Rp)", " (%)")


def cell(value: tables.Cell, kind: str) -> str:
    """One value as the terminal shows it."""
    if value is None:
        return "-"
    if kind == tables.RUPIAH and isinstance(value, int):
        return rupiah(value)
    if kind == tables.PERCENT:
        return f"{tables.shown(value)} %"
    return tables.shown(value, kind)


def _header(text: str) -> str:
    for unit in _UNITS:
        if text.endswith(unit):
            return text[: -len(unit)]
    return text


def _right(kind: str) -> bool:
    return kind not in (tables.TEXT, tables.MIXED)


def aligned(
    headers: Sequence[str], kinds: Sequence[str], rows: Sequence[Sequence[str]]
) -> list[str]:
    """Columns padded to their widest cell: text to the left, numbers to the right."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str], header: bool = False) -> str:
        parts = [
            c.rjust(w) if _right(k) and not (header and i == 0) else c.ljust(w)
            for i, (c, w, k) in enumerate(zip(cells, widths, kinds, strict=True))
        ]
        return (INDENT + GAP.join(parts)).rstrip()

    return [line(headers, header=True), *(line(r) for r in rows)]


def _summary(report: SpreadReport) -> list[str]:
    pemda = tables.summary_rows(report.pemda)
    if report.opd_id is None:
        headers = ["Ukuran", "Seluruh Pemda"]
        rows = [[label, cell(value, kind)] for label, kind, value in pemda]
        rows.append([tables.NEVER_ORDERED_LABEL, cell(report.never_ordered, tables.COUNT)])
    else:
        headers = ["Ukuran", report.opd_name or "OPD", "Seluruh Pemda"]
        scope = tables.summary_rows(report.scope)
        rows = [
            [label, cell(mine, kind), cell(theirs, kind)]
            for (label, kind, mine), (_, _, theirs) in zip(scope, pemda, strict=True)
        ]
        rows.append([tables.NEVER_ORDERED_LABEL, "", cell(report.never_ordered, tables.COUNT)])
    # "Belanja (Rp)" needs no unit beside "Rp 6.100.000"; the share of UMKM keeps its "(%)",
    # it tells it from their count.
    rows = [[label.removesuffix(" (Rp)"), *values] for label, *values in rows]
    kinds = [tables.TEXT] + [tables.COUNT] * (len(headers) - 1)
    return aligned(headers, kinds, rows)


def render(report: SpreadReport) -> str:
    """The whole report as text, one section per table."""
    scope = (
        "seluruh Pemda"
        if report.opd_id is None
        else f"{report.opd_name} (di samping seluruh Pemda)"
    )
    lines = [
        f"Pemerataan belanja katalog: {report.period.label} ({report.period})",
        f"Cakupan: {scope}",
        f"Data per {tables.data_time(report.computed_at)}",
        "",
        "Ringkasan",
        *_summary(report),
    ]
    for table in tables.tables(report):
        if table.name in (tables.SUMMARY, tables.LORENZ):
            continue
        keep = [i for i, h in enumerate(table.headers) if h != "Kode"]
        headers = [_header(table.headers[i]) for i in keep]
        kinds = [table.kinds[i] for i in keep]
        rows = [[cell(row[i], table.kinds[i]) for i in keep] for row in table.rows]
        lines += ["", table.title]
        lines += aligned(headers, kinds, rows) if rows else [f"{INDENT}(tidak ada)"]
    return "\n".join(lines) + "\n"
