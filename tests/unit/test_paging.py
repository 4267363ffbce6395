"""``PageNav`` gives the pagination macro what Flask-SQLAlchemy's ``Pagination`` gave it."""

from __future__ import annotations

from typing import Any

import pytest
from flask_sqlalchemy.pagination import Pagination

from procure.paging import PageNav


class _Counted(Pagination):
    """A Flask-SQLAlchemy pagination over nothing but a count, to compare with."""

    def __init__(self, page: int, per_page: int, total: int) -> None:
        self._total = total
        super().__init__(page=page, per_page=per_page, error_out=False)

    def _query_items(self) -> list[Any]:
        return []

    def _query_count(self) -> int:
        return self._total


@pytest.mark.parametrize("total", [0, 1, 25, 26, 250, 1_000])
@pytest.mark.parametrize("page", [1, 2, 5, 10, 40, 41])
def test_page_nav_matches_flask_sqlalchemy(page: int, total: int) -> None:
    theirs = _Counted(page, 25, total)
    ours = PageNav.of(theirs)
    for name in ("page", "pages", "total", "has_prev", "prev_num", "has_next", "next_num"):
        assert getattr(ours, name) == getattr(theirs, name), name
    widths = {"left_edge": 1, "right_edge": 1, "left_current": 2, "right_current": 2}
    assert list(ours.iter_pages(**widths)) == list(theirs.iter_pages(**widths))
    assert list(ours.iter_pages()) == list(theirs.iter_pages())
