"""Pure parsing of the open-data query parameters: the ``from``/``to`` date range.

No Flask: the view passes the raw strings and today's Asia/Jakarta date; errors are
``RuleError`` with an Indonesian message that says how to fix the request.
"""

from __future__ import annotations

import datetime as dt
import re

from procure.input_rules import RuleError, check_date

DEFAULT_RANGE_DAYS = 30
MAX_RANGE_DAYS = 366
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_day(text: str, name: str) -> dt.date:
    if not _DATE.match(text):
        raise RuleError(
            f"Parameter {name} harus berformat TTTT-BB-HH, misalnya 2026-03-31 "
            f"(bukan {text[:40]!r})."
        )
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise RuleError(
            f"Tanggal {name}={text} tidak ada di kalender; periksa bulan dan hari."
        ) from None
    # Year 1 or 9999 would overflow once turned into a UTC moment: refused with a message.
    return check_date(day, f"Tanggal {name}={text}")


def parse_date_range(
    date_from: str | None, date_to: str | None, today: dt.date
) -> tuple[dt.date, dt.date]:
    """The ``from``/``to`` query parameters (default: the last 30 days up to ``to``)."""
    end = _parse_day(date_to.strip(), "to") if date_to else today
    start = (
        _parse_day(date_from.strip(), "from")
        if date_from
        else end - dt.timedelta(days=DEFAULT_RANGE_DAYS - 1)
    )
    if start > end:
        raise RuleError(
            f"Tanggal from ({start.isoformat()}) tidak boleh setelah tanggal to "
            f"({end.isoformat()}). Tukar keduanya."
        )
    days = (end - start).days + 1
    if days > MAX_RANGE_DAYS:
        raise RuleError(
            f"Rentang tanggal paling panjang {MAX_RANGE_DAYS} hari (diminta {days} hari). "
            "Bagi menjadi beberapa permintaan."
        )
    return start, end
