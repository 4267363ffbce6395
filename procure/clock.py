"""The one clock: Asia/Jakarta calendar dates, midnights and month starts.

Times are stored in UTC and shown, bucketed and compared by calendar date in Asia/Jakarta
(UTC+7 all year: no daylight saving since 1964). Every module that needs a Jakarta date or
the first instant of a Jakarta day takes it from here; ``procure.clock_sql`` holds the same
conversions as SQL expressions for bulk reads. Pure: no framework.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


def now() -> dt.datetime:
    """The current moment, timezone-aware in UTC (how moments are stored)."""
    return dt.datetime.now(dt.UTC)


def today_in_jakarta() -> dt.date:
    """Today's calendar date in Asia/Jakarta (months and deadlines are counted there)."""
    return dt.datetime.now(JAKARTA).date()


def to_jakarta(moment: dt.datetime) -> dt.datetime:
    """The same moment, on Jakarta's wall clock."""
    return moment.astimezone(JAKARTA)


def jakarta_date(moment: dt.datetime) -> dt.date:
    """The calendar date of an aware moment in Asia/Jakarta."""
    return moment.astimezone(JAKARTA).date()


def jakarta_date_or_none(moment: dt.datetime | None) -> dt.date | None:
    """``jakarta_date`` of a moment that may be missing (not yet delivered, not yet paid)."""
    return moment.astimezone(JAKARTA).date() if moment else None


def midnight(day: dt.date) -> dt.datetime:
    """The first instant of ``day`` in Asia/Jakarta (aware; compares with stored UTC times)."""
    return dt.datetime.combine(day, dt.time(), JAKARTA)


def midnight_utc(day: dt.date) -> dt.datetime:
    """``midnight(day)`` expressed in UTC, for drivers and files that want UTC values."""
    return midnight(day).astimezone(dt.UTC)


def month_start(day: dt.date) -> dt.date:
    """The first calendar day of ``day``'s month."""
    return day.replace(day=1)


def year_start(day: dt.date) -> dt.date:
    """1 January of ``day``'s year."""
    return dt.date(day.year, 1, 1)


def day_bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the Asia/Jakarta calendar days ``date_from`` to ``date_to``, inclusive."""
    return midnight(date_from), midnight(date_to + dt.timedelta(days=1))
