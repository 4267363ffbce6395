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
import functools
from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    LargeBinary,
    String,
    bindparam,
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
from procure.db import UTCDateTime
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


# (tier, round, 6 x need) of pemerataan-v2, the tie (sha256 bytes), the UMKM
RankedV2 = tuple[tuple[int, int, int], bytes, int]


class WalkV2:
    """The UMKM of the request's product kind in pemerataan-v2's order, read lazily.

    The key is (tier, round, need, sha256 tie); the figures (``figures.py``) hold the round
    and 6 x need as of the request's own day (``figures.ensure_current``), so the index on
    (kind_id, tier, round_365, need6_v2, umkm_id) gives every UMKM's key in order but the tie.
    Two sources, as for v1:
    - the index, a page at a time: tier 0 (reported a month of W) and tier 1 outside the grace
      period, only UMKM with an offer that can pass the plain rules;
    - UMKM in their grace period without a report (tier 0 only while in grace, so stored as
      tier 1): the index on (kind_id, verified_at); on PostgreSQL the database orders them by
      (round, need, tie) a page at a time, SQLite here. A UMKM in grace that reported is in the
      first source: v2 ranks it by its mean like everyone else.
    UMKM of one (tier, round, need) are put in tie order here.
    """

    def __init__(self, session: Session, request: Request, settings: Settings) -> None:
        self.session = session
        self.request = request
        # (tier, round, 6 x need) of each UMKM yielded: the prefix reads a tie group whole.
        self.key_of: dict[int, tuple[int, int, int]] = {}
        t = jakarta_date(request.created_at)
        grace = settings.new_supplier_grace_days
        self.grace_from = figures.midnight(t - dt.timedelta(days=grace - 1)) if grace else None
        self.on_postgresql = session.get_bind().dialect.name == "postgresql"
        # The statements are built once (``_grace_query_v2``, ``_figures_query_v2``); these
        # are their values.
        self.values: dict[str, Any] = {
            "kind_id": request.kind_id,
            "grace_from": self.grace_from,
            "tie_prefix": f"{request.id}:",
            "hps": request.hps_unit_price,
            "lead_limit": (request.needed_by - t).days,
            "quantity": request.quantity,
        }

    def _rows(self, query: Any, after: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        values = self.values if after is None else {**self.values, **after}
        # Core rows, no ORM loading step (``evaluate_top`` flushes the session first).
        return [tuple(row) for row in self.session.connection().execute(query, values)]

    def _tie(self, umkm_id: int) -> bytes:
        return bytes.fromhex(tie_for(self.request.id, umkm_id))

    def _in_grace(self) -> Iterator[RankedV2]:
        """UMKM of the kind in their grace period with no report in W, in (round, need, tie)
        order, at tier 0."""
        if self.grace_from is None:
            return
        if not self.on_postgresql:
            rows = self._rows(_grace_query_v2(False, False, 0))
            ranked = sorted(((0, r, n), self._tie(u), u) for r, n, u in rows)
            yield from ranked
            return
        after: dict[str, Any] | None = None
        size = FIRST_GRACE_PAGE
        while True:
            rows = self._rows(_grace_query_v2(True, after is not None, size), after)
            yield from (((0, r, n), bytes(t), u) for r, n, t, u in rows)
            if len(rows) < size:
                return
            r, n, t, _ = rows[-1]
            after = {"after_round": r, "after_need": n, "after_tie": bytes(t)}
            size = min(size * 2, LAST_PAGE)

    def _by_figures(self) -> Iterator[tuple[tuple[int, int, int], int]]:
        """UMKM of the kind but those in grace without a report, in (tier, round, need6, id)
        order, with an offer that can pass the plain rules: ((tier, round, need6), id)."""
        grace = self.grace_from is not None
        after: dict[str, Any] | None = None
        size = max(1, FIRST_PAGE // 4)
        while True:
            rows = self._rows(_figures_query_v2(grace, after is not None, size), after)
            yield from (((tier, r, n), u) for tier, r, n, u, ok in rows if ok)
            if len(rows) < size:
                return
            tier, r, n, u, _ = rows[-1]
            after = {"after_tier": tier, "after_round": r, "after_need": n, "after_umkm": u}
            # The first page is small (often only its first key is needed, for the merge);
            # once the source is read on, a chunk of ``evaluate.CHUNK`` comes in one more page.
            size = min(size * 4, LAST_PAGE)

    def __iter__(self) -> Iterator[int]:
        for umkm_id, key in self._keyed():
            self.key_of[umkm_id] = key
            yield umkm_id

    def _keyed(self) -> Iterator[tuple[int, tuple[int, int, int]]]:
        grace, ordered = _Peek(self._in_grace()), _Peek(self._by_figures())
        while grace.head is not None or ordered.head is not None:
            key = min(s.head[0] for s in (grace, ordered) if s.head is not None)
            members = []
            while ordered.head is not None and ordered.head[0] == key:
                members.append(ordered.pop()[1])
            if not members:  # only UMKM in grace: already in order, and read as needed
                while grace.head is not None and grace.head[0] == key:
                    yield grace.pop()[2], key
                continue
            # Both sources may hold this key: merge them by tie, still reading the UMKM in
            # grace only as far as needed.
            ranked = iter(sorted((self._tie(u), u) for u in members))
            mine = next(ranked, None)
            while grace.head is not None and grace.head[0] == key:
                _, tie, umkm_id = grace.head
                while mine is not None and mine < (tie, umkm_id):
                    yield mine[1], key
                    mine = next(ranked, None)
                yield grace.pop()[2], key
            while mine is not None:
                yield mine[1], key
                mine = next(ranked, None)


def _grace_from() -> Any:
    """The first moment of the grace period, written into the statement (``figures.at``)."""
    return bindparam("grace_from", type_=UTCDateTime(), literal_execute=True)


@functools.lru_cache(maxsize=32)
def _grace_query_v2(on_postgresql: bool, after: bool, size: int) -> Any:
    """``WalkV2``'s UMKM in grace with no report, built once per page size: on PostgreSQL
    ordered by (round, need, sha256 tie) after the ``after_*`` values, else unordered."""
    F = AllocationFigure
    where = (
        F.kind_id == bindparam("kind_id", type_=Integer),
        F.verified_at >= _grace_from(),
        F.tier == 1,
    )
    if not on_postgresql:
        return select(F.round_365, F.need6_v2, F.umkm_id).where(*where)
    text = bindparam("tie_prefix", type_=String) + cast(F.umkm_id, String)
    # sha256 of "<request id>:<umkm id>", as bytes: they sort as policy.tie_for's hex does.
    tie = func.sha256(func.convert_to(text, "UTF8"))
    query = select(F.round_365, F.need6_v2, tie, F.umkm_id).where(*where)
    if after:
        last = (
            bindparam("after_round", type_=Integer),
            bindparam("after_need", type_=BigInteger),
            bindparam("after_tie", type_=LargeBinary),
        )
        query = query.where(tuple_(F.round_365, F.need6_v2, tie) > tuple_(*last))
    return query.order_by(F.round_365, F.need6_v2, tie).limit(_written(size))


@functools.lru_cache(maxsize=64)
def _figures_query_v2(grace: bool, after: bool, size: int) -> Any:
    """``WalkV2``'s UMKM by the rank index, built once per page size, with the offer check
    as a column (a condition would be misjudged by PostgreSQL, which would then sort the whole
    kind instead of reading the index in order)."""
    F = AllocationFigure
    kind_id = bindparam("kind_id", type_=Integer)
    # True, or NULL when the UMKM has no such offer. A scalar subquery with LIMIT 1, not
    # EXISTS: PostgreSQL may turn an EXISTS into one scan of every product, hashed.
    offered = (
        select(literal(True))
        .where(
            Product.umkm_id == F.umkm_id,
            Product.kind_id + 0 == kind_id,  # BY_UMKM
            Product.is_active,
            Product.unit_price <= bindparam("hps", type_=BigInteger),
            Product.lead_time_days <= bindparam("lead_limit", type_=Integer),
            Product.min_order <= bindparam("quantity", type_=Integer),
        )
        .limit(1)
        .scalar_subquery()
    )
    conditions = [F.kind_id == kind_id]
    if grace:
        early = F.verified_at < _grace_from()
        conditions.append(or_(F.tier == 0, F.verified_at.is_(None), early))
    order = (F.tier, F.round_365, F.need6_v2, F.umkm_id)
    query = select(*order, offered).where(*conditions)
    if after:
        last = (
            bindparam("after_tier", type_=Integer),
            bindparam("after_round", type_=Integer),
            bindparam("after_need", type_=BigInteger),
            bindparam("after_umkm", type_=Integer),
        )
        query = query.where(tuple_(*order) > tuple_(*last))
    return query.order_by(*order).limit(_written(size))


def walk_for(session: Session, request: Request, settings: Settings, policy: str) -> Any:
    """The walk of ``policy``: v2 by product kind, v1 by category."""
    if policy == "pemerataan-v1":
        return Walk(session, request, settings)
    return WalkV2(session, request, settings)
