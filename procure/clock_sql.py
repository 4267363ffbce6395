"""The one clock's conversions as SQL expressions, computed by the database (bulk reads).

PostgreSQL converts with ``timezone('Asia/Jakarta', …)``; SQLite keeps UTC as text and
shifts it by seven hours (Jakarta has had no daylight saving since 1964). Computed by the
database because 100,000 datetime objects cost more in Python than the query that reads them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, cast, func
from sqlalchemy.orm import Session

from procure.clock import JAKARTA


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def jakarta_day(column: Any, session: Session) -> ColumnElement[Any]:
    """The Asia/Jakarta calendar date of a stored UTC time."""
    if _is_postgresql(session):
        return cast(func.timezone(str(JAKARTA), column), Date)
    return func.date(column, "+7 hours")


def jakarta_month(column: Any, session: Session) -> ColumnElement[int]:
    """The Asia/Jakarta month of a stored UTC time, as the integer YYYYMM."""
    if _is_postgresql(session):
        return cast(func.to_char(func.timezone(str(JAKARTA), column), "YYYYMM"), Integer)
    return cast(func.strftime("%Y%m", column, "+7 hours"), Integer)
