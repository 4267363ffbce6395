"""Rupiah and Indonesian dates, through Babel's ``id_ID`` locale."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from procure.clock import to_jakarta

LOCALE = "id_ID"


def rupiah(amount: int | None) -> str:
    """``1250000`` -> ``Rp 1.250.000`` (whole Rupiah, Indonesian grouping)."""
    if amount is None:
        return "-"
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {format_decimal(abs(amount), format='#,##0', locale=LOCALE)}"


def number(value: int | None) -> str:
    """``12500`` -> ``12.500``."""
    if value is None:
        return "-"
    return format_decimal(value, format="#,##0", locale=LOCALE)


# A spreadsheet takes a text cell starting with one of these for a formula: a business name
# like ``=HYPERLINK("http://…")`` in an export would run when an inspector opens the file.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: object) -> object:
    """Text for a CSV/XLSX cell that a spreadsheet will never read as a formula (a leading
    apostrophe, as spreadsheets themselves do); other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def tanggal(value: dt.date | dt.datetime | None) -> str:
    """A date in Indonesian: ``23 November 2026`` (a datetime is shown in Asia/Jakarta)."""
    if value is None:
        return "-"
    if isinstance(value, dt.datetime):
        value = to_jakarta(value).date()
    return format_date(value, format="d MMMM y", locale=LOCALE)


def waktu(value: dt.datetime | None) -> str:
    """A moment in Indonesian, Asia/Jakarta: ``23 November 2026 11.30 WIB``."""
    if value is None:
        return "-"
    return format_datetime(to_jakarta(value), format="d MMMM y HH.mm", locale=LOCALE) + " WIB"
