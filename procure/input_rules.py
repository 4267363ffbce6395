"""Pure rules for anything a person or a client sends: text, whole numbers, pages, dates.

No Flask, no SQLAlchemy. The forms (``procure.forms_base``), the request guard
(``procure.web_inputs``) and the pure parsers of each package (``parse_rupiah``,
``parse_count``, the OCDS and portal dates) all use these, so one rule holds everywhere:

- text never carries control characters (PostgreSQL refuses NUL; the others break exports,
  documents and logs) nor bidi overrides that make a name read differently than it is stored;
  invisible zero-width spaces are dropped;
- a whole number never exceeds what its column holds (INTEGER or BIGINT) and is never parsed
  from more digits than that (Python refuses int() of more than 4,300 digits);
- a page number and a date from the query string are always in a range the database and
  ``datetime`` can take (year 1 in Jakarta is year 0 in UTC: an overflow).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping


class RuleError(ValueError):
    """A value breaks a rule; ``str(error)`` is the message for the user."""


class FieldErrors(RuleError):
    """Input refused with a message per form field: ``errors`` maps a field name ("" for the
    whole form) to its message; ``str(error)`` joins them."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)


# -- text ---------------------------------------------------------------------------------------

# C0 controls except tab, LF and CR; DEL; C1 controls. Bidi embeddings, overrides and isolates
# (and the Arabic letter mark) can make "gnp.exe" read "exe.png" in a list or a PDF.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"[\r\n]")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Invisible and meaningless in Indonesian text (copied from chats and PDFs): removed, so two
# names that look alike are stored alike. ZWJ/ZWNJ stay (emoji sequences, some scripts).
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")

CONTROL_MESSAGE = (
    "Isian ini berisi karakter tersembunyi yang tidak diizinkan ({code}). Hapus isian lalu "
    "ketik ulang (jangan menempel dari dokumen lain)."
)
LINE_BREAK_MESSAGE = "Isian ini harus satu baris; hapus ganti baris (Enter) di dalamnya."


def forbidden_character(text: str, multiline: bool = False) -> str | None:
    """The Indonesian message for the first character ``text`` may not hold; None if clean.

    Tab is allowed everywhere; line breaks only in multiline fields (text areas)."""
    found = _CONTROL.search(text) or _BIDI.search(text)
    if found:
        return CONTROL_MESSAGE.format(code=f"U+{ord(found.group()):04X}")
    if not multiline and _LINE_BREAK.search(text):
        return LINE_BREAK_MESSAGE
    return None


def clean_text(text: str, multiline: bool = False) -> str:
    """``text`` without zero-width characters; ``RuleError`` for a forbidden character."""
    message = forbidden_character(text, multiline)
    if message:
        raise RuleError(message)
    return _ZERO_WIDTH.sub("", text)


def written_reason(reason: str | None, minimum: int, message: str) -> str:
    """A reason someone writes for a step (a decline, a cancellation, a correction, a
    rejection): without surrounding blanks, ``RuleError(message)`` when shorter than
    ``minimum`` characters."""
    cleaned = (reason or "").strip()
    if len(cleaned) < minimum:
        raise RuleError(message)
    return cleaned


def has_control(text: str) -> bool:
    """True when ``text`` holds a control or bidi character (query strings, names of fields,
    file names and path segments: none of them ever needs one)."""
    return bool(_CONTROL.search(text) or _BIDI.search(text) or _LINE_BREAK.search(text))


# -- whole numbers ------------------------------------------------------------------------------

INT32_MAX = 2**31 - 1  # an INTEGER column (ids, quantities, capacities, years)
BIGINT_MAX = 2**63 - 1  # a BIGINT column (Rupiah)
# The largest Rupiah amount anyone types here: Rp 1.000 triliun, a hundred times the largest
# city budget. Far inside BIGINT, so sums of many amounts cannot overflow either.
MAX_RUPIAH = 10**15
MAX_DIGITS = 19  # more digits than BIGINT_MAX has is too large without calling int()


def number_text(value: int) -> str:
    """``1.000.000`` (Indonesian thousands separator), for messages."""
    return f"{value:,}".replace(",", ".")


def bounded_int(digits: str, label: str, maximum: int = INT32_MAX) -> int:
    """``digits`` (ASCII 0-9 only, already checked by the caller's pattern) as an int of at
    most ``maximum``; ``RuleError`` naming the limit otherwise."""
    stripped = digits.lstrip("0") or "0"
    if len(stripped) > MAX_DIGITS or int(stripped) > maximum:
        raise RuleError(
            f"{label} terlalu besar (paling banyak {number_text(maximum)}); periksa jumlah nol."
        )
    return int(stripped)


def parse_id(text: object) -> int | None:
    """A record id from a form or a query string: a positive INTEGER, else None (unknown)."""
    value = str(text or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if 1 <= number <= INT32_MAX else None


# -- pages and dates of the query string -------------------------------------------------------

MAX_PAGE = 100_000


def parse_page(value: str | None) -> int:
    """A page number from the query string; anything odd (text, 0, negative, past
    ``MAX_PAGE``) is page 1, so the offset of a list query never overflows."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_PAGE)):
        return 1
    number = int(text)
    return number if 1 <= number <= MAX_PAGE else 1


MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2099, 12, 31)
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


def check_date(day: dt.date, label: str) -> dt.date:
    """A date the app can work with (from 2000 to 2099): a later day, or a Jakarta midnight
    turned into UTC, never overflows."""
    if not MIN_DATE <= day <= MAX_DATE:
        raise RuleError(
            f"{label} di luar rentang yang bisa diproses: pilih tanggal antara "
            f"{MIN_DATE:%d-%m-%Y} dan {MAX_DATE:%d-%m-%Y}."
        )
    return day


def parse_date(text: str | None, label: str) -> dt.date | None:
    """A date typed in a filter (``2026-11-05``, ``05-11-2026`` or ``05/11/2026``), within
    ``MIN_DATE``..``MAX_DATE``; empty: None."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    for fmt in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
        return check_date(day, label)
    raise RuleError(
        f"{label} tidak dikenali (\u201c{cleaned[:20]}\u201d). Tulis tanggal seperti "
        "2026-11-05 atau 05/11/2026."
    )


# -- identifiers and phone numbers -------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
# Mobile numbers: 08 then an operator digit (0811-0819 Telkomsel/Indosat/XL, 082x, 083x Axis,
# 085x, 087x, 088x Smartfren, 089x Tri), 10 to 13 digits in all as written nationally.
_MOBILE = re.compile(r"^08[1-35789]\d{7,10}$")
# Landlines: 0, an area code that starts with 2-7 or 9 (021 Jakarta, 0274 Yogyakarta, 0361
# Denpasar, 0911 Ambon ...), then the subscriber: 9 to 11 digits in all.
_LANDLINE = re.compile(r"^0[2-79]\d{7,9}$")

PHONE_MESSAGE = "Nomor HP/WhatsApp tidak valid. Contoh: 0812 3456 7890."
CONTACT_PHONE_MESSAGE = (
    "Nomor telepon tidak valid. Tulis nomor HP (contoh: 0812 3456 7890) atau telepon kantor "
    "dengan kode wilayah (contoh: 024 358 1234)."
)
MADE_UP_PHONE_MESSAGE = (
    "Nomor telepon ini tidak mungkin nomor sungguhan (angkanya sama semua). Tulis nomor yang aktif."
)


def one_repeated_digit(digits: str) -> bool:
    """True for ``0000000000000`` or ``1111111111111``: never a real identifier."""
    return len(set(digits)) <= 1


def _national_phone(value: str) -> str:
    """The number as written in Indonesia (``0812...``): ``+62``/``62`` become ``0``."""
    cleaned = _PHONE_SEPARATORS.sub("", value or "")
    if cleaned.startswith("+62"):
        return "0" + cleaned[3:]
    if cleaned.startswith("62"):
        return "0" + cleaned[2:]
    return cleaned


def _phone_kind(national: str) -> str | None:
    """``mobile``, ``landline`` or None when the shape is neither."""
    if not national.isascii():
        return None
    if _MOBILE.match(national):
        return "mobile"
    if _LANDLINE.match(national):
        return "landline"
    return None


def _subscriber_is_made_up(national: str, kind: str) -> bool:
    # What follows the operator prefix (0812) or the shortest area code (024): all one digit.
    return one_repeated_digit(national[4:] if kind == "mobile" else national[3:])


def check_phone(value: str) -> str:
    """An Indonesian mobile/WhatsApp number, normalised to ``628…``."""
    national = _national_phone(value)
    kind = _phone_kind(national)
    if kind != "mobile":
        raise RuleError(PHONE_MESSAGE)
    if _subscriber_is_made_up(national, kind):
        raise RuleError(MADE_UP_PHONE_MESSAGE)
    return "62" + national[1:]


def check_contact_phone(value: str) -> str:
    """A mobile number or an office landline (with its area code), normalised to ``62…``."""
    national = _national_phone(value)
    kind = _phone_kind(national)
    if kind is None:
        raise RuleError(CONTACT_PHONE_MESSAGE)
    if _subscriber_is_made_up(national, kind):
        raise RuleError(MADE_UP_PHONE_MESSAGE)
    return "62" + national[1:]
