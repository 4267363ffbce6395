"""Where a list page is, as plain data for the pagination links (no rows, no query).

A view reads its rows from Flask-SQLAlchemy's ``Pagination`` and hands the template the rows
and ``PageNav.of(pagination)``; the pagination itself carries ORM rows and stays in the view.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol


class _Paged(Protocol):
    @property
    def page(self) -> int: ...
    @property
    def per_page(self) -> int: ...
    @property
    def total(self) -> int | None: ...


def page_numbers(
    page: int,
    pages: int,
    *,
    left_edge: int = 2,
    left_current: int = 2,
    right_current: int = 4,
    right_edge: int = 2,
) -> Iterator[int | None]:
    """Page numbers to link, ``None`` for a gap (Flask-SQLAlchemy's ``iter_pages`` contract)."""
    pages_end = pages + 1
    if pages_end == 1:
        return
    left_end = min(1 + left_edge, pages_end)
    yield from range(1, left_end)
    if left_end == pages_end:
        return
    mid_start = max(left_end, page - left_current)
    mid_end = min(page + right_current + 1, pages_end)
    if mid_start - left_end > 0:
        yield None
    yield from range(mid_start, mid_end)
    if mid_end == pages_end:
        return
    right_start = max(mid_end, pages_end - right_edge)
    if right_start - mid_end > 0:
        yield None
    yield from range(right_start, pages_end)


@dataclass(frozen=True)
class PageNav:
    """One page of a list: quacks like ``Pagination`` for the pagination macro, without items."""

    page: int
    per_page: int
    total: int

    @classmethod
    def of(cls, pagination: _Paged) -> PageNav:
        return cls(page=pagination.page, per_page=pagination.per_page, total=pagination.total or 0)

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.per_page) if self.total and self.per_page else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(
        self,
        *,
        left_edge: int = 2,
        left_current: int = 2,
        right_current: int = 4,
        right_edge: int = 2,
    ) -> Iterator[int | None]:
        return page_numbers(
            self.page,
            self.pages,
            left_edge=left_edge,
            left_current=left_current,
            right_current=right_current,
            right_edge=right_edge,
        )
