"""Hostile values: what a probe, a broken client or a careless paste sends.

``variants`` gives the deterministic sweep for one field (chosen by what its valid value looks
like); ``values()`` is the wider hypothesis strategy.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

NUL = "\x00"
C0 = "\x01\x07\x08\x0b\x0c\x1b[31m\x1f"
C1_DEL = "\x7f\x85\x9b"
BIDI = "\u202e\u2066gnp.exe\u2069\u200b\ufeff"
HTML = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>{{7*7}}"
LONG = "A" * 10_000
INT32_OVER = "2147483648"
INT64_OVER = "9223372036854775808"
RUPIAH_OVER = "9.223.372.036.854.775.808"
DIGITS_400 = "1" + "0" * 400
DIGITS_5000 = "9" * 5000  # past Python's int() limit of 4,300 digits
NUMBERS = [INT32_OVER, RUPIAH_OVER, DIGITS_400, DIGITS_5000, "-1"]
DATES = ["0001-01-01", "9999-12-31", "31/12/9999", "2026-02-30"]

_NUMBER = re.compile(r"^-?[0-9][0-9.]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _inside(value: str, bad: str) -> str:
    """The valid value with ``bad`` in the middle: it passes length and format checks that
    only look at the ends, as a real attack would."""
    middle = len(value) // 2
    return value[:middle] + bad + value[middle:] if value else f"a{bad}b"


def variants(value: str) -> tuple[list[str], list[str]]:
    """The sweep's values for a field whose valid value is ``value``: those that must be
    refused, and those a field may well accept (tried last, as they can use up the target)."""
    if _DATE.match(value):
        return ["0001-01-01", "9999-12-31", "2026-02-30", _inside(value, NUL)], []
    if _NUMBER.match(value):
        return [_inside(value, NUL), *NUMBERS], []
    hidden = _inside(value, C0) + C1_DEL + BIDI + "\r\nX-Sisipan: 1"
    return [_inside(value, NUL), hidden, LONG], [DIGITS_400, HTML]


HOSTILE = [
    NUL,
    C0,
    C1_DEL,
    BIDI,
    HTML,
    LONG,
    *NUMBERS,
    *DATES,
    "",
    " ",
    "../../../etc/passwd",
    "%00",
    "' OR '1'='1",
    "1e309",
    "NaN",
    "0x10",
    "١٢٣",  # Arabic-Indic digits: isdigit() but not ASCII
]


def values() -> st.SearchStrategy[str]:
    """Hostile strings, unicode text, and integers far outside every column."""
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.text(max_size=40),
        st.integers(min_value=-(2**80), max_value=2**80).map(str),
        st.integers(min_value=2**31 - 2, max_value=2**31 + 2).map(str),
    )
