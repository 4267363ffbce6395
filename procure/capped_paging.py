"""One page of a long list with a capped count: the page's rows, ``PageNav`` and whether
there were more matches than were counted.

Counting an OPD's year of orders (tens of thousands) or every UMKM on each page view costs
more than reading the page; a list counts at most ``cap`` (``COUNT_CAP``) + 1 matches, shows
``cap`` as its total and says "more than" (``is_capped``), and links the pages within the cap.
The page's rows come from LIMIT/OFFSET on the caller's ordered statement; an out-of-range page
is empty, not a 404 (as Flask-SQLAlchemy's ``paginate(error_out=False)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from procure.paging import PageNav

COUNT_CAP = 2000


@dataclass(frozen=True)
class CappedPage:
    items: list[Any]
    nav: PageNav
    is_capped: bool  # more matches than ``nav.total``: the total is a lower bound


def capped_page(
    session: Session,
    stmt: Select[Any],
    key: Any,
    *,
    page: int,
    per_page: int,
    cap: int | None = None,
) -> CappedPage:
    """Rows ``page`` of the ordered ``stmt``; ``key`` (the listed entity's id column) is what
    the count selects, so the count reads no other column and no eager-loaded relation."""
    cap = COUNT_CAP if cap is None else cap
    page = max(page, 1)
    counted = stmt.order_by(None).with_only_columns(key).limit(cap + 1).subquery()
    total = session.scalar(select(func.count()).select_from(counted)) or 0
    is_capped = total > cap
    total = min(total, cap)
    items: list[Any] = []
    if (page - 1) * per_page < total:
        found = session.scalars(stmt.limit(per_page).offset((page - 1) * per_page))
        items = list(found.unique())
    return CappedPage(items, PageNav(page=page, per_page=per_page, total=total), is_capped)
