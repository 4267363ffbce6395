"""Pure rules of the omzet bulk import: file sniffing, column names, period spellings, errors.

No Flask, no SQLAlchemy, no pandas: the importer applies these to whole columns, once per
distinct value, so a 100,000-row file costs a few thousand calls here, not 100,000.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from procure.formatting import number, spreadsheet_text
from procure.omzet.rules import MONTHS_ID, MONTHS_ID_SHORT, Period, check_filing_period
from procure.umkm.rules import RuleError

# Canonical column -> the header spellings accepted (compared without case, spaces, _ or -).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "nib": ("nib",),
    "period": ("periode", "period", "bulan"),
    "amount": ("omzet", "omset", "jumlah", "nilai", "amount"),
}
# How a column is named to the user (in messages and in the errors file).
COLUMN_LABELS = {"nib": "NIB", "period": "periode", "amount": "omzet"}
TEMPLATE_HEADER = ("NIB", "periode", "omzet")

ERRORS_SHOWN = 1_000  # the page lists this many; the downloadable file has them all
HEADER_SEARCH_ROWS = 10  # a title above the header row is looked past, this far down


@dataclass(frozen=True, order=True)
class RowError:
    """One problem, placed as the user sees it: header is row 1, the first data row is 2."""

    row: int  # 0 when it concerns the whole file
    column: str  # "" when it concerns a whole row or the file
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        where = f"baris {self.row}" + (f", kolom {self.column}" if self.column else "")
        return f"{where}: {self.message}"


def file_error(message: str) -> RowError:
    return RowError(0, "", message)


def normalise_header(text: object) -> str:
    return re.sub(r"[\s_\-.]+", "", str(text).replace("\ufeff", "")).lower()


def map_columns(headers: Iterable[object]) -> dict[str, int] | None:
    """Canonical name -> position of its column, when every required column is present.

    A second column with an accepted name (``omzet`` and ``jumlah``) is ignored: the first wins.
    """
    found: dict[str, int] = {}
    for position, header in enumerate(headers):
        key = normalise_header(header)
        for canonical, aliases in COLUMN_ALIASES.items():
            if key in aliases and canonical not in found:
                found[canonical] = position
    return found if len(found) == len(COLUMN_ALIASES) else None


def missing_columns_message(headers: Iterable[object]) -> str:
    present = [str(h) for h in headers if str(h).strip() and not str(h).startswith("Unnamed:")]
    found = {
        canonical
        for h in present
        for canonical, aliases in COLUMN_ALIASES.items()
        if normalise_header(h) in aliases
    }
    missing = [COLUMN_LABELS[c] for c in COLUMN_ALIASES if c not in found]
    listed = ", ".join(present) if present else "(tidak ada)"
    return (
        f"Kolom wajib tidak ada: {', '.join(missing)}. Kolom yang ada: {listed}. "
        f"Baris pertama harus berisi judul kolom {'; '.join(TEMPLATE_HEADER)} "
        "(unduh templat bila ragu)."
    )


# -- file format --------------------------------------------------------------------------


def sniff_format(data: bytes) -> str:
    """``"xlsx"`` or ``"csv"`` from the content (a file name says little), or RuleError."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RuleError(
            "Berkas .xls (Excel 97-2003) tidak didukung. Simpan ulang sebagai .xlsx atau CSV."
        )
    if data.startswith(b"%PDF"):
        raise RuleError("Berkas PDF tidak bisa diimpor. Unggah CSV atau XLSX.")
    if b"\x00" in data[:4096]:
        raise RuleError("Berkas bukan CSV atau XLSX. Unggah CSV (dipisah ; atau ,) atau XLSX.")
    return "csv"


def decode_text(data: bytes) -> str:
    """UTF-8 (a BOM is dropped); failing that, Windows-1252 as old Excel writes it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise RuleError(
            "Berkas CSV tidak terbaca sebagai teks (UTF-8 atau Windows-1252). "
            "Simpan ulang sebagai CSV UTF-8."
        ) from exc


def pick_separator(text: str) -> str:
    """``;`` (Indonesian Excel), ``,`` or tab: whichever the header line holds most of."""
    first = text.split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


# -- values ---------------------------------------------------------------------------------

NIB_PATTERN = r"[0-9]{13}"
NIB_SEPARATORS = r"[\s.\-]"

# The two spellings of ``parse_rupiah`` that nearly every file uses (12500000 and 12.500.000,
# at most 15 digits) as one pattern a whole column is matched against at once; the amount is
# then the digits. Anything else (Rp, ,00, typos) goes through ``parse_rupiah`` itself, once
# per distinct value. A unit test holds the two to the same answers.
PLAIN_RUPIAH = r"[0-9]{1,15}|[0-9]{1,3}(?:\.[0-9]{3}){1,4}"


def clean_nib(value: str) -> str:
    """A NIB without the spaces, dots and dashes people type in it."""
    return re.sub(NIB_SEPARATORS, "", value.strip())


_MONTH_NAMES = {name.lower(): i + 1 for i, name in enumerate(MONTHS_ID)} | {
    name.lower(): i + 1 for i, name in enumerate(MONTHS_ID_SHORT)
}
_PERIOD_FORMS = (
    # 2026-10, 2026/10, 2026-10-01 and Excel date cells read as text (2026-10-01 00:00:00)
    re.compile(
        r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})(?:[-/.]\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?)?"
    ),
    re.compile(r"(?P<m>\d{1,2})[-/.](?P<y>\d{4})"),  # 10/2026, 10-2026
    re.compile(r"(?P<name>[A-Za-z]+)\.?[\s\-]+(?P<y>\d{4})"),  # Oktober 2026, Okt-2026
)


def normalise_period(text: str) -> str:
    """A month as people write it -> ``YYYY-MM``; RuleError otherwise."""
    value = text.strip()
    for form in _PERIOD_FORMS:
        match = form.fullmatch(value)
        if not match:
            continue
        parts = match.groupdict()
        month = _MONTH_NAMES.get(parts["name"].lower(), 0) if parts.get("name") else int(parts["m"])
        if 1 <= month <= 12:
            return str(Period(int(parts["y"]), month))
    if not value:
        raise RuleError("Periode wajib diisi, misalnya 2026-10.")
    raise RuleError(
        f'"{value}" bukan periode. Tulis bulan sebagai TTTT-BB, misalnya 2026-10 '
        "(10/2026 dan Oktober 2026 juga diterima)."
    )


def period_refusal(period: str, registered_month: int, today: dt.date) -> str:
    """Why a row may not name ``period`` (``YYYY-MM``) for a UMKM registered in
    ``registered_month`` (``YYYYMM``), or "" when it may: the same months as the filing form,
    the twelve completed months before the registration month and every completed one since."""
    registered_on = dt.date(registered_month // 100, registered_month % 100, 1)
    try:
        check_filing_period(Period.parse(period), today, registered_on)
    except RuleError as exc:
        return str(exc)
    return ""


def nib_message(raw: str) -> str:
    value = raw.strip()
    if not value:
        return "NIB wajib diisi (13 digit angka)."
    if re.fullmatch(r"[0-9.,]+[eE][+-]?[0-9]+", value):
        return (
            f"NIB {value} tertulis sebagai angka ilmiah: Excel mengubahnya. Format kolom NIB "
            "sebagai Teks lalu ketik ulang NIB-nya."
        )
    digits = re.sub(NIB_SEPARATORS, "", value)
    if digits.isdigit() and len(digits) < 13:
        return (
            f"NIB {value} hanya {len(digits)} digit; NIB harus 13 digit. Bila nol di depan "
            "hilang, format kolom NIB sebagai Teks."
        )
    return f"NIB {value} tidak valid: NIB harus 13 digit angka."


def amount_message(raw: str, reason: str) -> str:
    value = raw.strip()
    if not value:
        return "Omzet wajib diisi (angka rupiah, 0 bila tidak ada penjualan)."
    return f'"{value}" bukan angka rupiah. {reason}'


DUPLICATE_ROWS_LISTED = 5  # a message names this many rows of a repeated NIB and month


def duplicate_message(nib: str, period: str, rows: Sequence[int]) -> str:
    """One message for every row of a repeated (NIB, month); built once per group, and short:
    listing all 20,000 rows of a repeated row in each of its 20,000 errors was quadratic."""
    listed = ", ".join(str(r) for r in rows[:DUPLICATE_ROWS_LISTED])
    more = len(rows) - DUPLICATE_ROWS_LISTED
    if more > 0:
        listed += f" dan {number(more)} baris lain; {number(len(rows))} kali"
    return (
        f"NIB {nib} periode {period} muncul lebih dari sekali (baris {listed}). "
        "Sisakan satu baris per NIB per bulan."
    )


def too_long_message(column: str, length: int, limit: int) -> str:
    """A cell longer than any NIB, month or amount: refused before it is parsed."""
    what = {
        "nib": "NIB terlalu panjang",
        "period": "Periode terlalu panjang",
        "amount": "Omzet terlalu panjang, bukan angka rupiah",
    }[column]
    return (
        f"{what} ({number(length)} karakter; paling banyak {number(limit)}). "
        + {
            "nib": "NIB adalah 13 digit angka.",
            "period": "Tulis bulan sebagai TTTT-BB, misalnya 2026-10.",
            "amount": "Tulis omzet sebulan dalam rupiah, misalnya 12.500.000.",
        }[column]
    )


AMOUNT_MAX_DIGITS = 18  # far above any monthly omzet; int() of 4,301 digits raises ValueError


def check_amount_length(value: str) -> None:
    """Refuse an amount with more digits than any real figure, before ``int`` sees it."""
    digits = sum(ch.isdigit() for ch in value)
    if digits > AMOUNT_MAX_DIGITS:
        raise RuleError(
            f"Omzet terlalu panjang ({number(digits)} digit), bukan angka rupiah yang wajar. "
            "Tulis omzet sebulan dalam rupiah, misalnya 12.500.000."
        )


def size_message(size: int, limit: int) -> str:
    mb = 1024 * 1024
    actual = f"{size / mb:.1f}".replace(".", ",").removesuffix(",0")
    return (
        f"Berkas melebihi {limit / mb:g} MB (ukurannya {actual} MB). "
        "Bagi menjadi beberapa berkas, misalnya per bulan."
    )


def errors_csv(errors: Iterable[RowError]) -> bytes:
    """The errors as a CSV that Indonesian Excel opens directly (``;`` and a UTF-8 BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["baris", "kolom", "kesalahan"])
    for error in errors:
        writer.writerow([error.row or "", error.column, spreadsheet_text(error.message)])
    return out.getvalue().encode("utf-8-sig")


def template_csv(example_nib: str, example_period: Period) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow([example_nib, str(example_period), "12.500.000"])
    return out.getvalue().encode("utf-8-sig")
