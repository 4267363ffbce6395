"""Indonesian number words (terbilang), the BAST date in words and Roman month numbers.

Our own tables on purpose: common libraries print "satu ribu" for 1.000, and the documents
are evidence, so every trap listed in DOMAIN.md is covered by tests.
"""

from __future__ import annotations

import datetime as dt

UPPER_LIMIT = 10**15

_DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
# Largest first; each group of three digits is spoken with its scale word.
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"))

_DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_MONTH_NAMES = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _below_hundred(n: int) -> list[str]:
    if n == 0:
        return []
    if n < 10:
        return [_DIGITS[n]]
    if n == 10:
        return ["sepuluh"]
    if n == 11:
        return ["sebelas"]
    if n < 20:
        return [_DIGITS[n - 10], "belas"]
    tens, units = divmod(n, 10)
    return [_DIGITS[tens], "puluh", *_below_hundred(units)]


def _below_thousand(n: int) -> list[str]:
    hundreds, rest = divmod(n, 100)
    if hundreds == 0:
        head: list[str] = []
    elif hundreds == 1:
        head = ["seratus"]
    else:
        head = [_DIGITS[hundreds], "ratus"]
    return head + _below_hundred(rest)


def terbilang(n: int) -> str:
    """Number in Indonesian words, lower case: ``1001000`` -> ``satu juta seribu``."""
    if not 0 <= n < UPPER_LIMIT:
        raise ValueError(f"terbilang hanya untuk 0 sampai {UPPER_LIMIT - 1}, bukan {n}")
    if n == 0:
        return "nol"
    words: list[str] = []
    rest = n
    for scale, name in _SCALES:
        group, rest = divmod(rest, scale)
        if group == 0:
            continue
        # Only the thousands take the "se-" prefix: seribu, but satu juta / satu miliar.
        if group == 1 and scale == 1000:
            words.append("seribu")
        else:
            words.extend([*_below_thousand(group), name])
    words.extend(_below_thousand(rest))
    return " ".join(words)


def terbilang_rupiah(n: int) -> str:
    """Amount in words as printed on documents: ``Satu Juta Dua Ratus Lima Puluh Ribu Rupiah``."""
    return " ".join(word.capitalize() for word in terbilang(n).split()) + " Rupiah"


_UNIT_WORDS = {word: value for value, word in enumerate(_DIGITS) if value > 0}
_SCALE_WORDS = {name: scale for scale, name in _SCALES}
# Stages inside one group of three digits, so that "dua ratus tiga ratus" is refused.
_START, _HUNDREDS, _TENS, _UNITS = range(4)


def words_to_number(words: str) -> int:
    """Parse canonical Indonesian number words back to the number (any case, optional "Rupiah")."""
    # Strict on purpose: "satu ratus", "satu puluh", "satu belas" and a lone "satu ribu" are
    # refused, so a round trip through terbilang() also proves its output is canonical.
    tokens = words.lower().split()
    if tokens and tokens[-1] == "rupiah":
        tokens = tokens[:-1]
    if not tokens:
        raise ValueError("tidak ada kata bilangan")
    if tokens == ["nol"]:
        return 0
    total = 0
    group = 0
    stage = _START
    pending: int | None = None  # a digit word waiting for "ratus", "puluh", "belas" or a scale
    last_scale = UPPER_LIMIT

    def fail(word: str) -> ValueError:
        return ValueError(f"kata bilangan tidak dapat dibaca: {word!r} dalam {words!r}")

    def close_group(scale: int, word: str) -> None:
        nonlocal total, group, stage, pending, last_scale
        value = group + (pending or 0)
        if value == 0 or scale >= last_scale:
            raise fail(word)
        total += value * scale
        group, stage, pending, last_scale = 0, _START, None, scale

    def add(value: int, new_stage: int, word: str) -> None:
        nonlocal group, stage, pending
        if pending is not None or stage >= new_stage:
            raise fail(word)
        group += value
        stage = new_stage

    for word in tokens:
        if word in _UNIT_WORDS:
            if pending is not None or stage >= _UNITS:
                raise fail(word)
            pending = _UNIT_WORDS[word]
        elif word in ("ratus", "puluh", "belas"):
            if pending is None:
                raise fail(word)
            digit, pending = pending, None
            if digit == 1:
                raise fail(word)
            if word == "ratus":
                add(digit * 100, _HUNDREDS, word)
            elif word == "puluh":
                add(digit * 10, _TENS, word)
            else:
                add(10 + digit, _UNITS, word)
        elif word == "seratus":
            add(100, _HUNDREDS, word)
        elif word == "sepuluh":
            add(10, _UNITS, word)
        elif word == "sebelas":
            add(11, _UNITS, word)
        elif word == "seribu":
            if pending is not None or stage != _START:
                raise fail(word)
            pending = 1
            close_group(1000, word)
        elif word in _SCALE_WORDS:
            if word == "ribu" and group == 0 and pending == 1:
                raise fail(word)
            close_group(_SCALE_WORDS[word], word)
        else:
            raise fail(word)
    return total + group + (pending or 0)


def tanggal_terbilang(d: dt.date) -> str:
    """The BAST opening: ``Pada hari ini Senin tanggal dua puluh tiga bulan November tahun ...``."""
    return (
        f"Pada hari ini {_DAY_NAMES[d.weekday()]} tanggal {terbilang(d.day)} "
        f"bulan {_MONTH_NAMES[d.month - 1]} tahun {terbilang(d.year)}"
    )


def nama_hari(d: dt.date) -> str:
    """Indonesian day name: Senin ... Minggu."""
    return _DAY_NAMES[d.weekday()]


def nama_bulan(month: int) -> str:
    """Indonesian month name: 1 -> Januari."""
    if not 1 <= month <= 12:
        raise ValueError(f"bulan harus 1 sampai 12, bukan {month}")
    return _MONTH_NAMES[month - 1]


def bulan_romawi(month: int) -> str:
    """Month in Roman numerals for document numbers: 11 -> ``XI``."""
    if not 1 <= month <= 12:
        raise ValueError(f"bulan harus 1 sampai 12, bukan {month}")
    return _ROMAN_MONTHS[month - 1]
