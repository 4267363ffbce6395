"""The UMKM of a category in the order of pemerataan-v1's ranking key, read lazily.

The key is (tier, need, live orders in the 365 days up to t, sha256 tie). Two sources of the
figures (``figures.py``) give (tier, 6 x need) in order:
- UMKM outside their grace period: the index on (category_id, tier, need6, umkm_id), a page
  at a time, only UMKM with an offer that can pass the plain rules (active, price ≤ HPS, lead
  time, minimum order; capacity and the annual cap are left to the policy);
- UMKM in their grace period (key (0, 6 x awards since)): the index on (category_id,
  verified_at). Newly verified UMKM often all tie at need 0, a group of hundreds, so on
  PostgreSQL the database itself orders them by (orders in 365 days, sha256 tie) and hands
  them over a page at a time; SQLite orders them here.
UMKM of one (tier, need) from the first source are put in (orders, tie) order here. Each UMKM
comes out once, in exactly the policy's order (tests/integration/test_allocation_at_scale.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    String,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session

from procure.allocation.policy import Request, Settings, tie_for
from procure.clock import jakarta_date
from procure.procurement.models import AllocationFigure, PurchaseOrder
from procure.ranking import figures
from procure.umkm.models import Product

FIRST_PAGE = 64  # rows per page, doubling while a source goes on
LAST_PAGE = 4_096
# BY_UMKM: "category_id + 0" keeps the lookup of a UMKM's products on their umkm_id index;
# SQLite, without statistics, would walk the category's index instead.
# UMKM in grace come sorted by the database, which hashes all of them for every page: the
# first page holds two chunks of ``evaluate.CHUNK``, usually all that is read.
FIRST_GRACE_PAGE = 128

# (tier, 6 x need), the orders counted in 365 days, the tie (sha256 bytes), the UMKM
Ranked = tuple[tuple[int, int], int, bytes, int]


def _written(size: int) -> Any:
    """A LIMIT written into the statement: prepared with a parameter, PostgreSQL may plan it
    once for any limit, as a tenth of the rows, and sort the whole category (figures.at)."""
    return literal_column(str(int(size)))


class _Peek:
    """An iterator whose next item can be looked at first."""

    def __init__(self, items: Iterator[Any]) -> None:
        self._items = items
        self.head: Any = next(items, None)

    def pop(self) -> Any:
        item, self.head = self.head, next(self._items, None)
        return item


class Walk:
    """Iterate to get the UMKM ids of the category in ranking order."""

    def __init__(self, session: Session, request: Request, settings: Settings) -> None:
        self.session = session
        self.request = request
        t = jakarta_date(request.created_at)
        grace = settings.new_supplier_grace_days
        # In grace: verified fewer than `grace` days before t, i.e. on t - grace + 1 or later.
        self.grace_from = figures.midnight(t - dt.timedelta(days=grace - 1)) if grace else None
        self.count_bounds = figures.jakarta_bounds(t)
        self.on_postgresql = session.get_bind().dialect.name == "postgresql"
        lead_limit = (request.needed_by - t).days
        # True, or NULL when the UMKM has no such offer. A scalar subquery with LIMIT 1, not
        # EXISTS: PostgreSQL may turn an EXISTS into one scan of every product, hashed.
        self.has_offer = lambda umkm_id: (
            select(literal(True))
            .where(
                Product.umkm_id == umkm_id,
                Product.category_id + 0 == request.category_id,  # BY_UMKM
                Product.is_active,
                Product.unit_price <= request.hps_unit_price,
                Product.lead_time_days <= lead_limit,
                Product.min_order <= request.quantity,
            )
            .limit(1)
            .scalar_subquery()
        )

    def _rows(self, query: Any) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.session.execute(query)]

    def _counts(self, umkm_ids: list[int]) -> dict[int, int]:
        """Orders in the 365 days up to t, of these UMKM (those with none are left out)."""
        if not umkm_ids:
            return {}
        start, end = self.count_bounds
        query = (
            select(PurchaseOrder.umkm_id, func.count())
            .where(PurchaseOrder.umkm_id.in_(umkm_ids), figures.order_count_clause(start, end))
            .group_by(PurchaseOrder.umkm_id)
        )
        return {umkm_id: count for umkm_id, count in self._rows(query)}

    def _ranked(self, members: list[tuple[int, Any]]) -> list[tuple[int, bytes, int]]:
        """(orders, tie, id) of (id, latest award) members; only those with a live order since
        t - 364 can count one, so only they are counted."""
        start = self.count_bounds[0]
        recent = [u for u, latest in members if latest is not None and latest >= start]
        counts = self._counts(recent)
        rid = self.request.id
        return sorted((counts.get(u, 0), bytes.fromhex(tie_for(rid, u)), u) for u, _ in members)

    def _in_grace(self) -> Iterator[Ranked]:
        """UMKM of the category in their grace period, in (need, orders, tie) order."""
        if self.grace_from is None:
            return
        F = AllocationFigure
        where = (
            F.category_id == self.request.category_id,
            F.verified_at >= figures.at(self.grace_from),
        )
        if not self.on_postgresql:
            rows = self._rows(select(F.umkm_id, F.awards_since, F.latest_award_at).where(*where))
            by_id = {u: 6 * since for u, since, _ in rows}
            ranked = self._ranked([(u, latest) for u, _, latest in rows])
            yield from sorted(((0, by_id[u]), count, tie, u) for count, tie, u in ranked)
            return
        start, end = self.count_bounds
        counted = (
            select(func.count())
            .where(PurchaseOrder.umkm_id == F.umkm_id, figures.order_count_clause(start, end))
            .scalar_subquery()
        )
        count = case((F.latest_award_at >= figures.at(start), counted), else_=0)
        text = literal(f"{self.request.id}:") + cast(F.umkm_id, String)
        # sha256 of "<request id>:<umkm id>", as bytes: they sort as policy.tie_for's hex does.
        tie = func.sha256(func.convert_to(text, "UTF8"))
        need6 = 6 * F.awards_since
        after: tuple[int, int, bytes] | None = None
        size = FIRST_GRACE_PAGE
        while True:
            query = select(need6, count, tie, F.umkm_id).where(*where)
            if after is not None:
                query = query.where(tuple_(need6, count, tie) > tuple_(*after))
            rows = self._rows(query.order_by(need6, count, tie).limit(_written(size)))
            yield from (((0, n), c, t, u) for n, c, t, u in rows)
            if len(rows) < size:
                return
            after = rows[-1][:3]  # type: ignore[assignment]
            size = min(size * 2, LAST_PAGE)

    def _by_figures(self) -> Iterator[tuple[tuple[int, int], int, Any]]:
        """UMKM of the category outside their grace period, in (tier, need6, id) order, with an
        offer that can pass the plain rules: ((tier, need6), id, latest award)."""
        F = AllocationFigure
        conditions = [F.category_id == self.request.category_id]
        if self.grace_from is not None:
            early = F.verified_at < figures.at(self.grace_from)
            conditions.append(or_(F.verified_at.is_(None), early))
        # The offer check is a column, not a condition: as a condition PostgreSQL misjudges how
        # many rows pass and sorts the whole category instead of reading the index in order.
        offered = self.has_offer(F.umkm_id)
        after: tuple[int, int, int] | None = None
        size = max(1, FIRST_PAGE // 4)  # often only its first key is needed, for the merge
        while True:
            query = select(F.tier, F.need6, F.umkm_id, F.latest_award_at, offered)
            query = query.where(*conditions)
            if after is not None:
                query = query.where(tuple_(F.tier, F.need6, F.umkm_id) > tuple_(*after))
            rows = self._rows(query.order_by(F.tier, F.need6, F.umkm_id).limit(_written(size)))
            yield from (((tier, n), u, latest) for tier, n, u, latest, ok in rows if ok)
            if len(rows) < size:
                return
            after = rows[-1][:3]  # type: ignore[assignment]
            size = min(size * 2, LAST_PAGE)

    def __iter__(self) -> Iterator[int]:
        grace, ordered = _Peek(self._in_grace()), _Peek(self._by_figures())
        while grace.head is not None or ordered.head is not None:
            key = min(s.head[0] for s in (grace, ordered) if s.head is not None)
            members = []
            while ordered.head is not None and ordered.head[0] == key:
                _, umkm_id, latest = ordered.pop()
                members.append((umkm_id, latest))
            if not members:  # only UMKM in grace: already in order, and read as needed
                while grace.head is not None and grace.head[0] == key:
                    yield grace.pop()[3]
                continue
            # Both sources hold this (tier, need): merge them by (orders, tie), still reading
            # the UMKM in grace only as far as needed.
            ranked = iter(self._ranked(members))
            mine = next(ranked, None)
            while grace.head is not None and grace.head[0] == key:
                _, count, tie, umkm_id = grace.head
                while mine is not None and mine < (count, tie, umkm_id):
                    yield mine[2]
                    mine = next(ranked, None)
                yield grace.pop()[3]
            while mine is not None:
                yield mine[2]
                mine = next(ranked, None)
