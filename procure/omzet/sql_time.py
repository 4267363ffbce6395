"""SQL expressions for months in Asia/Jakarta, computed by the database (for bulk reads)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Integer, cast, func
from sqlalchemy.orm import Session

from procure.formatting import JAKARTA


def jakarta_month(column: Any, session: Session) -> ColumnElement[int]:
    """The month of a stored UTC time in Asia/Jakarta, as the integer YYYYMM.

    Computed by the database because 100,000 datetime objects cost more in Python than the
    whole query that reads them.
    """
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.to_char(func.timezone(str(JAKARTA), column), "YYYYMM"), Integer)
    # SQLite keeps UTC text; Jakarta is UTC+7 all year (no daylight saving since 1964).
    return cast(func.strftime("%Y%m", column, "+7 hours"), Integer)
