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
    return f"{sign}Rp {_grouped(abs(amount))}"


def number(value: int | None) -> str:
    """``12500`` -> ``12.500``."""
    if value is None:
        return "-"
    return _grouped(value)


def _grouped(value: int) -> str:
    """Babel's ``#,##0`` in ``id_ID`` (full stops between groups of three), for a whole
    number without Babel: a page of 300 amounts spent 40 % of its time there. Anything but
    an ``int`` (a Decimal, a float: Babel rounds them) still goes through Babel; a test checks
    the two agree."""
    if type(value) is int:
        return f"{value:,}".replace(",", ".")
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


# --- Identifiers and names as Indonesians write them (pages and documents alike) ---------
# Each function groups the digits it is given and never drops or adds one: a value that is
# not the expected length is returned as typed (trimmed), so nothing is hidden.


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def nip(value: str | None) -> str:
    """NIP of a civil servant (18 digits: birth date, appointment month, sex, number):
    ``197001011995031001`` -> ``19700101 199503 1 001``."""
    if not value:
        return ""
    digits = _digits(value)
    if len(digits) != 18:
        return value.strip()
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def npwp(value: str | None) -> str:
    """NPWP: 15 digits as DJP prints them, ``01.234.567.8-901.000``; the 16-digit NPWP (the
    NIK for a person, since 2024) in groups of four, ``3374 0152 0485 0001``, as the digits
    of a NIK are read aloud and checked."""
    if not value:
        return ""
    d = _digits(value)
    if len(d) == 15:
        return f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"
    if len(d) == 16:
        return " ".join(d[i : i + 4] for i in range(0, 16, 4))
    return value.strip()


# Area codes of two digits after the 0 (Jakarta, Bandung, Semarang, Surabaya, Medan); all
# others have three (``0231`` Cirebon, ``0274`` Yogyakarta).
_SHORT_AREA_CODES = ("21", "22", "24", "31", "61")


def telepon(value: str | None) -> str:
    """A phone number: mobile ``0812-3456-7890`` (four digits, then the rest in two groups),
    a landline with its area code in brackets ``(024) 1234567``; a number stored as ``+62…``
    or ``62…`` (as the phone rules store mobiles and office lines alike) is written the
    domestic way, ``0812-3456-7890`` or ``(024) 3581234``. Anything else is returned as
    typed."""
    if not value:
        return ""
    text = value.strip()
    digits = _digits(text)
    if not 8 <= len(digits) <= 15 or text.strip("0123456789+-() .") != "":
        return text
    if text.startswith("+62") or digits.startswith("62"):
        # After the country code: a mobile (8…) or an area code (2-7, 9), nothing else.
        if not digits.startswith("62") or digits[2] not in "23456789":
            return text
        digits = "0" + digits[2:]
    if digits.startswith("08"):
        return "-".join([digits[:4], *_rest(digits[4:])])
    if not digits.startswith("0"):
        return text
    area = 3 if digits[1:3] in _SHORT_AREA_CODES else 4
    return f"({digits[:area]}) {digits[area:]}"


def tel_uri(value: str | None) -> str | None:
    """``tel:+62…`` for a link to call the number; None when it is unusable."""
    digits = _digits(value or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return f"tel:+{digits}" if len(digits) >= 8 else None


def _rest(digits: str) -> list[str]:
    """The subscriber digits after the prefix: up to four in one group, up to eight in two
    near-equal groups (``3456-7890``, ``345-678``), more as four and the rest."""
    if len(digits) <= 4:
        return [digits] if digits else []
    if len(digits) <= 8:
        half = (len(digits) + 1) // 2
        return [digits[:half], digits[half:]]
    return [digits[:4], digits[4:]]


def akhiri_kalimat(text: str) -> str:
    """End a sentence with a full stop, unless it ends with one already: a name with an
    academic title (``Rina Marlina, S.E.``) at the end of a sentence takes no second one."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def nama_bergelar(name: str, *titles: str) -> str:
    """A name and the academic titles after it, each once and with its own full stops:
    ``nama_bergelar("Dewi Kartika", "A.Md.")`` -> ``Dewi Kartika, A.Md.``."""
    parts = [name.strip().rstrip(",")] + [t.strip().strip(",") for t in titles if t.strip()]
    return ", ".join(p for p in parts if p)
