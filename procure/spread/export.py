"""The dashboard's tables as CSV and XLSX bytes (``tables.tables``: the one flattening).

CSV: UTF-8 with a BOM, ``;`` between fields, a decimal comma, CRLF line ends. Excel opens a
CSV by double-click with the list separator and decimal symbol of the computer's regional
settings; for Indonesian (id-ID) those are ``;`` and ``,``, so this is what splits into columns
and reads ``12,5`` as a number there. The BOM makes Excel read UTF-8 (without it, Windows-1252).
A ``sep=;`` first line would force the separator in other locales too, but Excel then ignores
the BOM, so it is not written; an English-locale Excel user opens the XLSX instead, and
programs read the CSV with ``sep=";", decimal=","``. Whole numbers carry no grouping dots.

Several tables in one CSV: one file with a section per table (its title on a line of its own,
then the header line and the rows, then an empty line), after a few lines saying what the file
is (the Pemda, the period, when the figures were computed, the licence of public data). A
spreadsheet shows it as one readable sheet; one table alone (``tabel=``) is a plain CSV of just
the header line and the rows, for programs. XLSX: one sheet per table, then ``Keterangan``.

Every text cell goes through ``spreadsheet_text``: a category named ``=HYPERLINK(...)`` is shown
as text, never run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from procure.formatting import spreadsheet_text
from procure.spread.tables import (
    COUNT,
    DAYS,
    INDEX,
    PERCENT,
    POINTS,
    RUPIAH,
    TEXT,
    Cell,
    Table,
)

DELIMITER = ";"
BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
NOTES_SHEET = "Keterangan"
LICENCE = "CC BY 4.0 (Creative Commons Atribusi 4.0 Internasional)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.id"


@dataclass(frozen=True)
class About:
    """What a file says about itself: its lines before the tables (CSV) or its notes sheet."""

    title: str  # ``Laporan pemerataan belanja``
    pemda: str
    period_label: str  # ``Tahun 2026``
    period: str  # ``2026``
    data_time: str  # ``2026-12-03 13:30 WIB``
    opd: str | None = None  # the OPD a scoped report is limited to
    licence: bool = False  # open data: state the licence

    def lines(self) -> list[tuple[str, str]]:
        rows = [
            (self.title, self.pemda),
            ("Periode", f"{self.period_label} ({self.period})"),
            ("Data per", self.data_time),
        ]
        if self.opd:
            rows.append(("OPD", self.opd))
        if self.licence:
            rows.append(("Lisensi", f"{LICENCE}, {LICENCE_URL}"))
            rows.append(("Sumber", f"Procure, e-katalog lokal {self.pemda}"))
        return rows


def csv_cell(value: Cell) -> str:
    """A cell as the Indonesian Excel reads it: ``12,5``, ``1250000``, text guarded."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return str(spreadsheet_text(value))


def _write_table(out: io.StringIO, table: Table) -> None:
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in table.headers])
    writer.writerows([csv_cell(v) for v in row] for row in table.rows)


def csv_bytes(tables: Sequence[Table], about: About | None) -> bytes:
    """One CSV: ``about``'s lines and a section per table; with ``about`` None and one table,
    just that table (header line and rows)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    if about is not None:
        writer.writerows([csv_cell(a), csv_cell(b)] for a, b in about.lines())
        writer.writerow([])
    for position, table in enumerate(tables):
        if about is not None or len(tables) > 1:
            writer.writerow([csv_cell(table.title)])
        _write_table(out, table)
        if position < len(tables) - 1:
            writer.writerow([])
    return out.getvalue().encode("utf-8")


# Excel number formats by column kind; the cell holds the number itself (12.5 for 12,5 %).
NUMBER_FORMATS = {
    RUPIAH: "#,##0",
    COUNT: "#,##0",
    POINTS: "#,##0",
    PERCENT: "0.0",
    INDEX: "0.00",
    DAYS: "0.0",
    TEXT: "0",  # a year in a text column stays 2026, not 2.026
}


def _format_of(kind: str, value: Cell) -> str | None:
    if isinstance(value, Decimal):
        places = -int(value.as_tuple().exponent)
        return "0." + "0" * places if places > 0 else "0"
    if isinstance(value, int):
        return NUMBER_FORMATS.get(kind, "#,##0")
    return None


def _sheet_cell(value: Cell) -> object:
    return spreadsheet_text(value) if isinstance(value, str) else value


def xlsx_bytes(tables: Sequence[Table], about: About) -> bytes:
    """One sheet per table (bold, frozen header row; readable widths), then the notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(table.title)
        sheet.append([_sheet_cell(h) for h in table.headers])
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([_sheet_cell(v) for v in row])
            for cell, kind, value in zip(sheet[sheet.max_row], table.kinds, row, strict=True):
                number_format = _format_of(kind, value)
                if number_format:
                    cell.number_format = number_format
        sheet.freeze_panes = "A2"
        for position, header in enumerate(table.headers, start=1):
            longest = max(
                [len(header) // 2 + 2]
                + [len(str(row[position - 1] or "")) + 2 for row in table.rows[:200]]
            )
            sheet.column_dimensions[get_column_letter(position)].width = min(max(longest, 10), 48)
    notes = book.create_sheet(NOTES_SHEET)
    for label, value in about.lines():
        notes.append([_sheet_cell(label), _sheet_cell(value)])
        notes.cell(notes.max_row, 1).font = bold
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 70
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
