"""Pure rules for UMKM identifiers and amounts. No Flask, no SQLAlchemy.

Each ``check_*`` returns the normalised value or raises ``RuleError`` with a message in
Indonesian that says what is wrong and how to fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Defined with the other input rules; every package imports it from here.
from procure.input_rules import INT32_MAX, MAX_RUPIAH, bounded_int, one_repeated_digit
from procure.input_rules import RuleError as RuleError
from procure.input_rules import check_phone as check_phone

_SEPARATORS = re.compile(r"[\s.\-/]")


def _digits(value: str, label: str, lengths: tuple[int, ...]) -> str:
    cleaned = _SEPARATORS.sub("", value or "")
    wanted = " atau ".join(str(n) for n in lengths)
    if not cleaned:
        raise RuleError(f"{label} wajib diisi ({wanted} digit angka).")
    if not cleaned.isdigit() or not cleaned.isascii():
        raise RuleError(f"{label} hanya boleh berisi angka ({wanted} digit).")
    if len(cleaned) not in lengths:
        raise RuleError(f"{label} harus {wanted} digit angka; yang diisi {len(cleaned)} digit.")
    return cleaned


def _not_made_up(digits: str, label: str) -> str:
    if one_repeated_digit(digits):
        raise RuleError(
            f"{label} ini tidak mungkin nomor sungguhan (angkanya sama semua). "
            f"Salin {label} dari dokumen aslinya."
        )
    return digits


def check_nib(value: str) -> str:
    """NIB (Nomor Induk Berusaha from OSS): 13 digits, not one digit repeated."""
    return _not_made_up(_digits(value, "NIB", (13,)), "NIB")


def check_npwp(value: str) -> str:
    """NPWP: 15 digits, or 16 since the NIK-based reform (an owner's NIK, or ``0`` and the
    15-digit NPWP of a business). Dots and dashes are accepted."""
    npwp = _not_made_up(_digits(value, "NPWP", (15, 16)), "NPWP")
    if len(npwp) == 16 and not npwp.startswith("0"):
        try:
            _nik_parts(npwp)
        except RuleError as exc:
            raise RuleError(
                "NPWP 16 digit adalah NIK pemiliknya, tetapi angka ini bukan NIK yang sah "
                f"({exc}). Periksa lagi, atau tulis NPWP 15 digit."
            ) from exc
        return npwp
    serial = npwp[-13:-6]  # the 15-digit form: 2 (kind) + 6 (serial) + 1 (check) + 6 (office)
    if int(serial) == 0:
        raise RuleError("NPWP tidak valid: nomor urut (digit ke-3 sampai ke-9) tidak boleh nol.")
    return npwp


_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _nik_parts(nik: str) -> None:
    """Raise ``RuleError`` (a short reason) when a 16-digit NIK cannot be real.

    Digits 1-2 province (11-94), 3-4 regency/city, 5-6 district, 7-8 birth day (+40 for women),
    9-10 birth month, 11-12 birth year, 13-16 serial."""
    if one_repeated_digit(nik):
        raise RuleError("angkanya sama semua")
    if not 11 <= int(nik[0:2]) <= 94:
        raise RuleError("kode provinsi (digit ke-1 dan ke-2) harus 11 sampai 94")
    if nik[2:4] == "00" or nik[4:6] == "00":
        raise RuleError("kode kabupaten/kota dan kecamatan (digit ke-3 sampai ke-6) tidak boleh 00")
    day, month = int(nik[6:8]), int(nik[8:10])
    if not 1 <= month <= 12:
        raise RuleError("bulan lahir (digit ke-9 dan ke-10) harus 01 sampai 12")
    if day > 40:
        day -= 40  # women: the day plus 40
    if not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
        raise RuleError("tanggal lahir (digit ke-7 dan ke-8) tidak mungkin")


def check_nik(value: str) -> str:
    """NIK (KTP number): 16 digits with a plausible province, birth date and serial."""
    nik = _digits(value, "NIK", (16,))
    try:
        _nik_parts(nik)
    except RuleError as exc:
        raise RuleError(f"NIK tidak valid: {exc}. Salin NIK dari KTP pemilik.") from exc
    return nik


def check_nip(value: str) -> str:
    """NIP of a civil servant: 18 digits."""
    return _digits(value, "NIP", (18,))


_RUPIAH = re.compile(r"^(?:rp\.?)?\s*([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,0{1,2})?$", re.I)


def parse_rupiah(value: str | int) -> int:
    """Whole Rupiah from what people type: ``12.500.000``, ``Rp 12.500.000``, ``12500000``."""
    if isinstance(value, int):
        return value
    text = (value or "").strip().replace("\u00a0", " ")
    if text.startswith("-"):
        raise RuleError("Jumlah rupiah tidak boleh negatif.")
    match = _RUPIAH.match(text)
    if not match:
        raise RuleError("Tulis jumlah rupiah dalam angka bulat, misalnya 12.500.000 (tanpa sen).")
    # Bounded before int(): the column is a BIGINT and int() refuses 4,300 digits.
    return bounded_int(match.group(1).replace(".", ""), "Jumlah rupiah", MAX_RUPIAH)


@dataclass(frozen=True)
class Limits:
    """Sanity ceilings for product figures (from settings)."""

    max_unit_price: int
    max_monthly_capacity: int
    max_lead_time_days: int


def check_product_figures(
    unit_price: int, monthly_capacity: int, lead_time_days: int, min_order: int, limits: Limits
) -> dict[str, str]:
    """Errors by field name for a product's figures; empty when all are sensible."""
    errors: dict[str, str] = {}
    if unit_price <= 0:
        errors["unit_price"] = "Harga satuan harus lebih dari Rp 0."
    elif unit_price > limits.max_unit_price:
        errors["unit_price"] = (
            "Harga satuan terlalu besar; periksa jumlah nol (batas "
            f"Rp {limits.max_unit_price:,}).".replace(",", ".")
        )
    if monthly_capacity <= 0:
        errors["monthly_capacity"] = "Kapasitas per bulan harus minimal 1."
    elif monthly_capacity > limits.max_monthly_capacity:
        ceiling = f"{limits.max_monthly_capacity:,}".replace(",", ".")
        errors["monthly_capacity"] = f"Kapasitas per bulan tidak masuk akal (batas {ceiling})."
    if lead_time_days < 0:
        errors["lead_time_days"] = "Waktu pengerjaan tidak boleh negatif."
    elif lead_time_days > limits.max_lead_time_days:
        errors["lead_time_days"] = f"Waktu pengerjaan paling lama {limits.max_lead_time_days} hari."
    if min_order < 1:
        errors["min_order"] = "Pesanan minimum paling sedikit 1."
    elif monthly_capacity > 0 and min_order > monthly_capacity:
        errors["min_order"] = "Pesanan minimum tidak boleh melebihi kapasitas per bulan."
    return errors


# Units a product is sold by; a select rather than free text so the catalog compares like
# with like ("porsi" never becomes "prs" or "Porsi ").
UNITS: tuple[str, ...] = (
    "porsi",
    "potong",
    "pasang",
    "paket",
    "buah",
    "lembar",
    "rim",
    "kotak",
    "set",
    "lusin",
    "kodi",
    "meter",
)

# Deliberately loose: the real test of an address is the mail reaching it.
_EMAIL = re.compile(r"^[^@\s<>\"]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")


def check_email(value: str) -> str:
    """An e-mail address, trimmed and lower-cased."""
    email = (value or "").strip().lower()
    if not email:
        raise RuleError("E-mail wajib diisi.")
    if len(email) > 255 or not _EMAIL.match(email):
        raise RuleError("Alamat e-mail tidak valid. Contoh: nama@contoh.com.")
    return email


def check_bank_account(value: str) -> str:
    """A bank account number: 6 to 20 digits; spaces, dots and dashes are dropped."""
    cleaned = _SEPARATORS.sub("", value or "")
    if not cleaned:
        raise RuleError("Nomor rekening wajib diisi.")
    if not cleaned.isdigit() or not cleaned.isascii():
        raise RuleError("Nomor rekening hanya boleh berisi angka.")
    if not 6 <= len(cleaned) <= 20:
        raise RuleError("Nomor rekening harus 6 sampai 20 digit angka.")
    return cleaned


_COUNT = re.compile(r"^(-?)([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)$")


def parse_count(value: str | int, label: str) -> int:
    """A whole number as people type it (``1.000`` or ``1000``); a minus sign is kept.

    Negative numbers are returned, not refused, so that ``check_product_figures`` gives the
    message that fits the field. Either way it fits an INTEGER column.
    """
    if isinstance(value, int):
        return value
    text = (value or "").strip().replace(" ", "")
    if not text:
        raise RuleError(f"{label} wajib diisi.")
    match = _COUNT.match(text)
    if not match:
        raise RuleError(f"{label} harus berupa angka bulat, misalnya 100.")
    number = bounded_int(match.group(2).replace(".", ""), label, INT32_MAX)
    return -number if match.group(1) else number
