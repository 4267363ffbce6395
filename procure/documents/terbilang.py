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
    reader = _Reader(words)
    for word in tokens:
        reader.read(word)
    return reader.total + reader.group + (reader.pending or 0)


class _Reader:
    """The state of ``words_to_number`` while it reads one word after the other."""

    def __init__(self, words: str) -> None:
        self.words = words
        self.total = 0
        self.group = 0
        self.stage = _START
        self.pending: int | None = None  # a digit word waiting for "ratus", "puluh", "belas"...
        self.last_scale = UPPER_LIMIT

    def fail(self, word: str) -> ValueError:
        return ValueError(f"kata bilangan tidak dapat dibaca: {word!r} dalam {self.words!r}")

    def read(self, word: str) -> None:
        if word in _UNIT_WORDS:
            if self.pending is not None or self.stage >= _UNITS:
                raise self.fail(word)
            self.pending = _UNIT_WORDS[word]
        elif word in ("ratus", "puluh", "belas"):
            self._multiplied(word)
        elif word in _SE_WORDS:
            self._add(*_SE_WORDS[word], word)
        elif word == "seribu":
            if self.pending is not None or self.stage != _START:
                raise self.fail(word)
            self.pending = 1
            self._close_group(1000, word)
        elif word in _SCALE_WORDS:
            if word == "ribu" and self.group == 0 and self.pending == 1:
                raise self.fail(word)
            self._close_group(_SCALE_WORDS[word], word)
        else:
            raise self.fail(word)

    def _multiplied(self, word: str) -> None:
        """A digit word followed by "ratus", "puluh" or "belas" ("satu" never is)."""
        if self.pending is None:
            raise self.fail(word)
        digit, self.pending = self.pending, None
        if digit == 1:
            raise self.fail(word)
        if word == "ratus":
            self._add(digit * 100, _HUNDREDS, word)
        elif word == "puluh":
            self._add(digit * 10, _TENS, word)
        else:
            self._add(10 + digit, _UNITS, word)

    def _close_group(self, scale: int, word: str) -> None:
        value = self.group + (self.pending or 0)
        if value == 0 or scale >= self.last_scale:
            raise self.fail(word)
        self.total += value * scale
        self.group, self.stage, self.pending, self.last_scale = 0, _START, None, scale

    def _add(self, value: int, new_stage: int, word: str) -> None:
        if self.pending is not None or self.stage >= new_stage:
            raise self.fail(word)
        self.group += value
        self.stage = new_stage


# "se-" words of one group: their value and the stage they take.
_SE_WORDS = {"seratus": (100, _HUNDREDS), "sepuluh": (10, _UNITS), "sebelas": (11, _UNITS)}


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
