"""The SQL of the allocation figures: one SELECT derives a UMKM's rows from the raw rows.

``figures_select`` computes, for the UMKM a condition selects (or all), one row per category
they have a product in, from ``omzet_report``, ``purchase_order``, ``umkm`` and ``product``.
``figures.py`` writes its rows (rebuild, refresh); ``ranking_walk.py`` reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    null,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

from procure.clock import midnight
from procure.db import UTCDateTime
from procure.omzet.latest import latest_omzet_revisions
from procure.omzet.rules import Period
from procure.procurement.models import LIVE_ORDER_STATUSES, AllocationFigure, PurchaseOrder
from procure.umkm.models import Product, Umkm

FIGURE_COLUMNS = (
    "umkm_id",
    "kind_id",
    "category_id",
    "verified_at",
    "omzet_1",
    "omzet_2",
    "omzet_3",
    "months_reported",
    "reported_sum",
    "floored_months",
    "latest_month",
    "awards_since",
    "need6",
    "tier",
    "latest_award_at",
    "round_365",
    "awards_unreported",
    "need6_v2",
)
KEY_COLUMNS = ("umkm_id", "kind_id")


def at(moment: dt.datetime) -> Any:
    """A moment written into the statement itself, not sent as a parameter: the driver
    prepares a statement it runs five times, and PostgreSQL may then plan a time range once
    for any value, as if it held a third of the rows, and scan the whole table."""
    return bindparam(None, moment, type_=UTCDateTime(), literal_execute=True)


def window_key(window: Sequence[Period]) -> str:
    return str(window[0])


def window_of(key: str) -> tuple[Period, Period, Period]:
    first = Period.parse(key)
    return (first, first.shift(1), first.shift(2))


def figures_select(window: Sequence[Period], where: Any, day: dt.date) -> Select[Any]:
    """The rows for the UMKM that ``where(umkm_id column)`` selects (None: all of them), one
    per product kind the UMKM has a product of, in ``FIGURE_COLUMNS`` order; the v2 figures
    (round, awards of unreported months) as of ``day`` (W is ``day``'s window)."""

    def scoped(column: Any) -> Any:
        return where(column) if where is not None else literal(True)

    periods = [str(p) for p in window]
    bounds = [midnight(p.first_day) for p in window] + [midnight(window[-1].shift(1).first_day)]
    latest = latest_omzet_revisions(umkms=where, periods=window, name="figure_omzet")
    reports = (
        select(
            latest.c.umkm_id,
            *(
                func.max(case((latest.c.period == p, latest.c.amount))).label(f"r{i}")
                for i, p in enumerate(periods, start=1)
            ),
        )
        .group_by(latest.c.umkm_id)
        .subquery()
    )
    issued, value = PurchaseOrder.issued_at, PurchaseOrder.value
    # a1..a3: live awards issued in each month of W (the floors); a4: from the month of t on;
    # a5: from the month of t through ``day`` (v2); rounds: issued ``day`` - 364 .. ``day``.
    round_start, day_end = jakarta_bounds(day)
    awards = (
        select(
            PurchaseOrder.umkm_id,
            *(
                func.sum(case((and_(issued >= lo, issued < hi), value), else_=0)).label(f"a{i}")
                for i, (lo, hi) in enumerate(zip(bounds, bounds[1:], strict=False), start=1)
            ),
            func.sum(case((issued >= bounds[3], value), else_=0)).label("a4"),
            func.sum(case((and_(issued >= bounds[3], issued < day_end), value), else_=0)).label(
                "a5"
            ),
            func.sum(case((and_(issued >= round_start, issued < day_end), 1), else_=0)).label(
                "rounds"
            ),
            func.max(issued).label("latest_award_at"),
        )
        .where(PurchaseOrder.status.in_(LIVE_ORDER_STATUSES), scoped(PurchaseOrder.umkm_id))
        .group_by(PurchaseOrder.umkm_id)
        .subquery()
    )
    offered = (
        select(Product.umkm_id, Product.kind_id, Product.category_id)
        .where(scoped(Product.umkm_id))
        .distinct()
        .subquery()
    )
    a = [func.coalesce(awards.c[f"a{i}"], 0) for i in range(1, 6)]
    r = [reports.c[f"r{i}"] for i in range(1, 4)]
    has = [column.is_not(None) for column in r]
    months = list(zip(has, a[:3], r, strict=True))
    used = [case((~h, 0), (fl > rep, fl), else_=rep) for h, fl, rep in months]
    step = (
        select(
            Umkm.id.label("umkm_id"),
            Umkm.verified_at,
            *(column.label(f"omzet_{i}") for i, column in enumerate(r, start=1)),
            sum((case((h, 1), else_=0) for h in has), literal(0)).label("months"),
            (used[0] + used[1] + used[2]).label("total"),
            sum((case((and_(h, fl > rep), 1), else_=0) for h, fl, rep in months), literal(0)).label(
                "floored"
            ),
            case(
                (has[2], periods[2]), (has[1], periods[1]), (has[0], periods[0]), else_=null()
            ).label("latest"),
            # Awards since the first day after the latest reported month of W (none: W's first).
            case(
                (has[2], a[3]),
                (has[1], a[2] + a[3]),
                (has[0], a[1] + a[2] + a[3]),
                else_=a[0] + a[1] + a[2] + a[3],
            ).label("since"),
            awards.c.latest_award_at,
            func.coalesce(awards.c.rounds, 0).label("rounds"),
            # v2: awards from W's first day through ``day`` in a month of W not reported, or
            # in the month of t.
            (
                case((has[0], 0), else_=a[0])
                + case((has[1], 0), else_=a[1])
                + case((has[2], 0), else_=a[2])
                + a[4]
            ).label("unreported"),
        )
        .select_from(Umkm)
        .outerjoin(reports, reports.c.umkm_id == Umkm.id)
        .outerjoin(awards, awards.c.umkm_id == Umkm.id)
        .where(scoped(Umkm.id))
        .subquery()
    )
    # 6 x (mean of n months + awards since): 6/n is 6, 3 or 2, so no division is needed.
    mean6 = case(
        (step.c.months == 3, 2 * step.c.total),
        (step.c.months == 2, 3 * step.c.total),
        (step.c.months == 1, 6 * step.c.total),
        else_=0,
    )
    return (
        select(
            step.c.umkm_id,
            offered.c.kind_id,
            offered.c.category_id,
            step.c.verified_at,
            step.c.omzet_1,
            step.c.omzet_2,
            step.c.omzet_3,
            step.c.months,
            step.c.total,
            step.c.floored,
            step.c.latest,
            step.c.since,
            mean6 + 6 * step.c.since,
            case((step.c.months > 0, 0), else_=1),
            step.c.latest_award_at,
            step.c.rounds,
            step.c.unreported,
            mean6 + 6 * step.c.unreported,
        )
        .join(offered, offered.c.umkm_id == step.c.umkm_id)
        .where(literal(True))  # SQLite's INSERT … SELECT … ON CONFLICT needs a WHERE
    )


def upsert_statement(dialect: str, window: Sequence[Period], where: Any, day: dt.date) -> Any:
    insert_into = (postgresql if dialect == "postgresql" else sqlite).insert
    # The table, not the class: parameters given with it are binds, not rows to insert.
    stmt = insert_into(AllocationFigure.__table__).from_select(
        list(FIGURE_COLUMNS), figures_select(window, where, day)
    )
    return stmt.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={name: stmt.excluded[name] for name in FIGURE_COLUMNS[2:]},
    )


def jakarta_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first instant of ``day`` - 364, first instant of ``day`` + 1): the 365 days up to t."""
    return midnight(day - dt.timedelta(days=364)), midnight(day + dt.timedelta(days=1))


def order_count_clause(start: dt.datetime, end: dt.datetime) -> ColumnElement[bool]:
    """Live orders issued in [start, end): the policy's count_365 in SQL."""
    return and_(
        PurchaseOrder.status.in_(LIVE_ORDER_STATUSES),
        PurchaseOrder.issued_at >= at(start),
        PurchaseOrder.issued_at < at(end),
    )
