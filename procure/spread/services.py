"""The one place the pemerataan figures are computed: ``build_report``.

Every output (the dashboard, the public page ``/transparansi``, the exports, the PDF report and
``procure report fairness``) reads the ``SpreadReport`` built here, so they cannot disagree.
Aggregation runs in the database: the period's live orders are read ONCE, summed per (UMKM,
OPD, product kind, category, month) by one GROUP BY (``_cells``), and every breakdown, OPD row,
HHI and monthly Gini is summed from those arrays with numpy; never order rows or ORM objects.
Everything is exact: whole Rupiah (int64 sums; squares and rank-weighted sums as Python ints)
and ``Fraction``s. Pages read the report through ``procure.spread.store`` (stored, refreshed
in the background); ``build_report`` itself always builds afresh.

The shared definitions (docs/pemerataan.md):

- spend: ``PurchaseOrder.value`` of orders in a live status (issued .. paid), counted in the
  period whose Jakarta calendar days include the order's ``issued_at``;
- population: UMKM verified (status "verified", ``verified_at`` by the period's last day) plus
  any UMKM with spend in the period; zeros included;
- micro and small: ``Umkm.declared_scale`` mikro or kecil.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from procure import clock
from procure.catalog.models import Category, Kecamatan, ProductKind
from procure.clock_sql import jakarta_day, jakarta_month
from procure.input_rules import RuleError
from procure.omzet.models import OmzetReport
from procure.omzet.rules import Period
from procure.opd.models import Opd, OpdBudget
from procure.procurement.models import (
    LIVE_ORDER_STATUSES,
    AllocationRun,
    OrderEvent,
    PurchaseOrder,
    PurchaseRequest,
)
from procure.spread import metrics
from procure.spread import sizes as sizes_module
from procure.spread.periods import ReportPeriod
from procure.spread.report import MonthRow, OpdRow, SpendRow, Spread, SpreadReport, TargetRow
from procure.umkm.models import BusinessScale, Umkm, UmkmReview, UmkmStatus

#: "Micro and small", the 40 % measure's businesses (Perpres 12/2021 art. 65).
SMALL_SCALES = (BusinessScale.MIKRO.value, BusinessScale.KECIL.value)
#: A UMKM verified longer ago than this without a single order is "never ordered".
NEVER_ORDERED_DAYS = 90

_LIVE = sorted(LIVE_ORDER_STATUSES)


def _int(value: Any) -> int:
    """A SQL sum or count (None, int or PostgreSQL's Decimal) as an int."""
    return int(value or 0)


def _share(part: int, whole: int) -> Fraction:
    return Fraction(part, whole) if whole else Fraction(0)


@dataclass(frozen=True)
class _Bounds:
    """[start, end) of the period's Jakarta days, and the OPD the spend is limited to."""

    start: dt.datetime
    end: dt.datetime
    opd_id: int | None

    def live(self, *columns: Any, umkm: bool = False, request: bool = False) -> Select[Any]:
        """``columns`` over the live orders issued in the bounds (of the OPD, if any); joins
        the request and the UMKM when asked (the OPD scope always needs the request)."""
        query = select(*columns).select_from(PurchaseOrder)
        if request or self.opd_id is not None:
            query = query.join(PurchaseRequest, PurchaseRequest.id == PurchaseOrder.request_id)
        if umkm:
            query = query.join(Umkm, Umkm.id == PurchaseOrder.umkm_id)
        query = query.where(
            PurchaseOrder.status.in_(_LIVE),
            PurchaseOrder.issued_at >= self.start,
            PurchaseOrder.issued_at < self.end,
        )
        if self.opd_id is not None:
            query = query.where(PurchaseRequest.opd_id == self.opd_id)
        return query


def _verified_by(end: dt.datetime) -> ColumnElement[bool]:
    return and_(Umkm.status == UmkmStatus.VERIFIED.value, Umkm.verified_at < end)


def build_report(
    session: Session,
    period: ReportPeriod,
    *,
    today: dt.date,
    opd_id: int | None = None,
    lorenz_points: int = 100,
) -> SpreadReport:
    """The figures of ``period`` for the whole Pemda, or with ``opd_id`` for that OPD (its
    spread, breakdowns, OPD rows and trend) beside the Pemda's spread. The 40 % targets are
    every active OPD's either way: they are public. ``today`` (a Jakarta date) gives the
    months left in the year and the 90 days of "never ordered".

    Always built afresh; pages read it through ``procure.spread.store`` (the stored reports,
    refreshed when ``fingerprint`` changes).
    """
    period.check_started(today)
    return _build(session, period, today, opd_id, lorenz_points)


def fingerprint(session: Session) -> tuple[Any, ...]:
    """What changes whenever the services change a figure's data, in one round trip of
    primary-key lookups: the newest order, order event (every status change writes one),
    allocation run, verification decision, UMKM and omzet row, and the OPD budgets (count and
    latest change). Edits outside these (an OPD renamed, a UMKM's profile) show when a kept
    report expires."""
    newest = [
        select(func.max(column)).scalar_subquery()
        for column in (
            PurchaseOrder.id,
            OrderEvent.id,
            AllocationRun.id,
            UmkmReview.id,
            Umkm.id,
            OmzetReport.id,
            OpdBudget.set_at,
        )
    ]
    budgets = select(func.count()).select_from(OpdBudget).scalar_subquery()
    return tuple(session.execute(select(*newest, budgets)).one())


def _build(
    session: Session,
    period: ReportPeriod,
    today: dt.date,
    opd_id: int | None,
    lorenz_points: int,
) -> SpreadReport:
    if session.get_bind().dialect.name == "postgresql":
        # A year's per-UMKM groups outgrow the default 4 MB and spill to disk; compiling these
        # short queries (JIT) costs more than it saves. For this transaction only.
        session.execute(text("SET LOCAL work_mem = '64MB'"))
        session.execute(text("SET LOCAL jit = off"))
    start, end = clock.day_bounds(period.start, period.end)
    computed_at = clock.now()
    sizes = sizes_module.ranking(session, Period.of(period.end))
    computed_at = min(computed_at, sizes.current_at)
    pemda_bounds = _Bounds(start, end, None)
    cells = _cells(session, pemda_bounds)
    unverified = _unverified(session, end)
    pemda = _spread(session, pemda_bounds, cells, unverified, lorenz_points, sizes)
    opd_name: str | None = None
    if opd_id is None:
        bounds, scope, scope_cells = pemda_bounds, pemda, cells
    else:
        opd_name = session.scalar(select(Opd.name).where(Opd.id == opd_id))
        if opd_name is None:
            raise RuleError("OPD tidak ditemukan.")
        bounds = _Bounds(start, end, opd_id)
        scope_cells = cells.where(cells.opd == opd_id)
        scope = _spread(session, bounds, scope_cells, unverified, lorenz_points, sizes)
    decisions = _decisions(session, bounds)
    opd_rows, by_opd = _opds(session, period, bounds, scope.spend, scope_cells, decisions)
    return SpreadReport(
        period=period,
        computed_at=computed_at,
        pemda=pemda,
        opd_id=opd_id,
        opd_name=opd_name,
        scope=scope,
        by_opd=by_opd,
        by_category=_breakdown(
            session,
            scope_cells,
            scope_cells.category,
            scope.spend,
            select(Category.id, Category.name),
        ),
        by_kind=_breakdown(
            session,
            scope_cells,
            scope_cells.kind,
            scope.spend,
            select(ProductKind.id, Category.name + literal(" · ") + ProductKind.name).join(
                Category, Category.id == ProductKind.category_id
            ),
        ),
        by_kecamatan=_breakdown(
            session,
            scope_cells,
            scope_cells.kecamatan,
            scope.spend,
            select(Kecamatan.id, Kecamatan.name),
        ),
        by_scale=_by_scale(scope_cells, scope.spend),
        opds=opd_rows,
        targets=_targets(session, period, today, cells),
        months=_months(session, period, bounds, scope_cells, decisions),
        never_ordered=_never_ordered(session, period, today),
    )


# --- the period's orders, read once ------------------------------------------------------------

_SCALES = [scale.value for scale in BusinessScale]
_SMALL_CODES = [_SCALES.index(scale) for scale in SMALL_SCALES]


@dataclass(frozen=True)
class _Cells:
    """The live orders of one UMKM for one request's OPD, kind and category in one month,
    summed, as parallel int64 arrays: the UMKM's kecamatan, scale (index in ``_SCALES``) and
    month of verification (YYYYMM; 0 when not verified by the period's end) beside them.
    Every figure is summed from these exactly (int64 sums; squares and rank-weighted sums in
    Python ints)."""

    umkm: Any
    opd: Any
    kind: Any
    category: Any
    month: Any
    kecamatan: Any
    scale: Any
    verified_month: Any
    spend: Any
    count: Any

    def where(self, mask: Any) -> _Cells:
        return _Cells(*(getattr(self, f.name)[mask] for f in fields(self)))

    def __len__(self) -> int:
        return len(self.umkm)


def _sum_by(keys: Any, *values: Any) -> tuple[Any, ...]:
    """(the distinct keys, ascending; each ``values`` array summed per key)."""
    import numpy as np

    found, at = np.unique(keys, return_inverse=True)
    sums = []
    for value in values:
        total = np.zeros(len(found), dtype=np.int64)
        np.add.at(total, at, value)
        sums.append(total)
    return (found, *sums)


def _pair(high: Any, low: Any) -> Any:
    """One int64 key of two non-negative int32 columns."""
    import numpy as np

    return (high.astype(np.int64) << 32) | low.astype(np.int64)


def _cells(session: Session, bounds: _Bounds) -> _Cells:
    """The live orders of the period (every OPD) summed per (UMKM, OPD, product kind,
    category, month), with the UMKM's kecamatan, scale and month of verification: one scan
    of the orders; every breakdown is summed from it. The groups are bounded by the UMKM ×
    OPDs × kinds × months that had orders; no order row reaches Python."""
    import numpy as np

    month = jakarta_month(PurchaseOrder.issued_at, session)
    verified_month = case(
        (_verified_by(bounds.end), jakarta_month(Umkm.verified_at, session)), else_=0
    )
    scale = case(
        *((Umkm.declared_scale == value, code) for code, value in enumerate(_SCALES)), else_=-1
    )
    groups = (
        PurchaseOrder.umkm_id,
        PurchaseRequest.opd_id,
        PurchaseRequest.kind_id,
        PurchaseRequest.category_id,
        month,
        Umkm.kecamatan_id,
        scale,
        verified_month,
    )
    query = bounds.live(
        *groups,
        cast(func.sum(PurchaseOrder.value), BigInteger),
        func.count(),
        request=True,
        umkm=True,
    ).group_by(*groups)
    rows = [tuple(row) for row in session.connection().execute(query)]  # plain tuples: fast
    table = np.array(rows, dtype=np.int64).reshape(len(rows), 10)
    columns = (table[:, i].copy() for i in range(10))
    return _Cells(*columns)


def _unverified(session: Session, end: dt.datetime) -> set[int]:
    """UMKM not verified by ``end`` (any spend of theirs still counts)."""
    return set(
        session.scalars(
            select(Umkm.id).where(
                or_(
                    Umkm.status != UmkmStatus.VERIFIED.value,
                    Umkm.verified_at.is_(None),
                    Umkm.verified_at >= end,
                )
            )
        )
    )


# --- the spread ------------------------------------------------------------------------------


def _spread(
    session: Session,
    bounds: _Bounds,
    cells: _Cells,
    unverified: set[int],
    points: int,
    sizes: sizes_module.Ranking,
) -> Spread:
    umkm_ids, sums, counts = _sum_by(cells.umkm, cells.spend, cells.count)
    positives = sorted(sums.tolist())
    spend = dict(zip(umkm_ids.tolist(), sums.tolist(), strict=True))
    orders = int(counts.sum())
    # The population: UMKM verified by the period's end (a COUNT) and the spenders that are not.
    verified = _int(
        session.scalar(select(func.count()).select_from(Umkm).where(_verified_by(bounds.end)))
    )
    population = verified + len(unverified.intersection(spend))
    zeros = population - len(positives)
    total = sum(positives)
    with_orders = sum(1 for v in positives if v > 0)
    sized, smaller = _smaller_half(spend, unverified.difference(spend), sizes)
    return Spread(
        umkm_count=population,
        umkm_with_orders=with_orders,
        share_with_orders=_share(with_orders, population),
        spend=total,
        order_count=orders,
        gini=metrics.gini_of_sorted(positives, zeros),
        top10_share=metrics.top_share_of_sorted(positives, zeros),
        smaller_half_share=smaller,
        sized_count=sized,
        lorenz=tuple(metrics.lorenz_of_sorted(positives, zeros, points)),
    )


def _smaller_half(
    spend: dict[int, int], outside: set[int], sizes: sizes_module.Ranking
) -> tuple[int, Fraction | None]:
    """(UMKM of the population that reported omzet in the 12 months up to the period's last
    month, the share of their spend that went to the smaller half by mean reported month).

    The reporting UMKM come ranked from ``procure.spread.sizes``; those ``outside`` the
    population (not verified by the period's end and without spend in it) are left out.
    """
    sized = [u for u in sizes.umkm_ids if u not in outside] if outside else sizes.umkm_ids
    if len(sized) < 2:
        return len(sized), None
    total = sum(spend.get(u, 0) for u in sized)
    smaller = sum(spend.get(u, 0) for u in sized[: len(sized) // 2])
    return len(sized), _share(smaller, total)


# --- breakdowns ------------------------------------------------------------------------------


def _rows(
    found: Iterable[tuple[str, str, int, int, int]], scope_spend: int, *, by_label: bool = True
) -> tuple[SpendRow, ...]:
    """Largest spend first; equal spend by label (or in the order given)."""
    rows = [
        SpendRow(key, label, spend, orders, umkm, _share(spend, scope_spend))
        for key, label, spend, orders, umkm in found
    ]
    if by_label:
        rows.sort(key=lambda r: (r.label, r.key))
    return tuple(sorted(rows, key=lambda r: -r.spend))


def _grouped(cells: _Cells, key: Any) -> dict[Any, tuple[int, int, int]]:
    """(spend, orders, distinct UMKM) of the cells under each value of ``key`` (one of their
    columns)."""
    import numpy as np

    if not len(cells):
        return {}
    found, spend, orders = _sum_by(key, cells.spend, cells.count)
    pairs = np.unique(_pair(key, cells.umkm)) >> 32
    keys, umkm = np.unique(pairs, return_counts=True)
    assert (keys == found).all()  # noqa: S101 - the same keys, both sorted
    return {
        k: (s, c, u)
        for k, s, c, u in zip(
            found.tolist(), spend.tolist(), orders.tolist(), umkm.tolist(), strict=True
        )
    }


def _breakdown(
    session: Session, cells: _Cells, key: Any, scope_spend: int, labels: Select[Any]
) -> tuple[SpendRow, ...]:
    """Spend, orders and distinct UMKM of the scope under each value of ``key`` (a column of
    the cells), named by ``labels`` (id, name) of the keys found."""
    found = _grouped(cells, key)
    if not found:
        return ()
    id_column = labels.selected_columns[0]
    names = dict(session.execute(labels.where(id_column.in_(sorted(found)))).tuples().all())
    return _rows(
        ((str(k), str(names.get(k, k)), *figures) for k, figures in found.items()),
        scope_spend,
    )


def _by_scale(cells: _Cells, scope_spend: int) -> tuple[SpendRow, ...]:
    """Every business scale, with spend or not: Rp 0 to micro businesses is the point."""
    found = _grouped(cells, cells.scale)
    return _rows(
        (
            (scale.value, scale.label, *found.get(code, (0, 0, 0)))
            for code, scale in enumerate(BusinessScale)
        ),
        scope_spend,
        by_label=False,
    )


# --- OPDs ------------------------------------------------------------------------------------


def _days_between(later: Any, earlier: Any, session: Session) -> ColumnElement[Any]:
    """Whole days from the date ``earlier`` to the date ``later``."""
    if session.get_bind().dialect.name == "postgresql":
        difference: ColumnElement[Any] = later - earlier
        return difference
    return cast(func.julianday(later) - func.julianday(earlier), Integer)


def _decisions(session: Session, bounds: _Bounds) -> dict[tuple[int, int], tuple[int, int]]:
    """Allocation decisions in the bounds (of the OPD, if any) per (OPD, month): (decided,
    of them overrides). One scan for the OPD rows and the trend's overrides."""
    decided_month = jakarta_month(AllocationRun.decided_at, session)
    query = (
        select(
            PurchaseRequest.opd_id,
            decided_month,
            func.count(),
            func.sum(case((AllocationRun.is_override.is_(True), 1), else_=0)),
        )
        .select_from(AllocationRun)
        .join(PurchaseRequest, PurchaseRequest.id == AllocationRun.request_id)
        .where(AllocationRun.decided_at >= bounds.start, AllocationRun.decided_at < bounds.end)
        .group_by(PurchaseRequest.opd_id, decided_month)
    )
    if bounds.opd_id is not None:
        query = query.where(PurchaseRequest.opd_id == bounds.opd_id)
    return {(int(o), int(m)): (_int(n), _int(v)) for o, m, n, v in session.execute(query)}


def _opds(
    session: Session,
    period: ReportPeriod,
    bounds: _Bounds,
    scope_spend: int,
    cells: _Cells,
    decisions: dict[tuple[int, int], tuple[int, int]],
) -> tuple[tuple[OpdRow, ...], tuple[SpendRow, ...]]:
    """Each OPD's buying (every active OPD, and any other with figures in the period; the one
    OPD of an OPD scope), and the scope's spend by OPD."""
    buying: dict[int, tuple[int, int, int, int]] = {}
    if len(cells):
        opd_ids, counts = _sum_by(cells.opd, cells.count)
        pairs, pair_spend = _sum_by(_pair(cells.opd, cells.umkm), cells.spend)
        figures: dict[int, list[int]] = {}
        for pair, spend in zip((pairs >> 32).tolist(), pair_spend.tolist(), strict=True):
            found = figures.setdefault(pair, [0, 0, 0])
            found[0] += spend
            found[1] += 1
            found[2] += spend * spend  # Python ints: a square of Rupiah passes 2^63
        for opd, count in zip(opd_ids.tolist(), counts.tolist(), strict=True):
            s_, u, sq = figures[opd]
            buying[opd] = (s_, count, u, sq)
    runs: dict[int, tuple[int, int]] = {}
    for (opd, _), (n, o) in decisions.items():
        had = runs.get(opd, (0, 0))
        runs[opd] = (had[0] + n, had[1] + o)
    paid = (
        select(
            PurchaseRequest.opd_id,
            func.count(),
            func.sum(
                _days_between(
                    PurchaseOrder.paid_on,
                    # The serah terima date chosen; before it was asked, the day recorded.
                    func.coalesce(
                        PurchaseOrder.handover_date,
                        jakarta_day(PurchaseOrder.handed_over_at, session),
                    ),
                    session,
                )
            ),
            func.count(PurchaseOrder.payment_due_date),
            func.sum(case((PurchaseOrder.paid_on <= PurchaseOrder.payment_due_date, 1), else_=0)),
        )
        .select_from(PurchaseOrder)
        .join(PurchaseRequest, PurchaseRequest.id == PurchaseOrder.request_id)
        .where(
            PurchaseOrder.paid_on >= period.start,
            PurchaseOrder.paid_on <= period.end,
            PurchaseOrder.handed_over_at.is_not(None),
        )
        .group_by(PurchaseRequest.opd_id)
    )
    if bounds.opd_id is not None:
        paid = paid.where(PurchaseRequest.opd_id == bounds.opd_id)
    payments = {
        opd: (_int(n), _int(d), _int(due), _int(on_time))
        for opd, n, d, due, on_time in session.execute(paid)
    }
    shown = select(Opd.id, Opd.name)
    if bounds.opd_id is not None:
        shown = shown.where(Opd.id == bounds.opd_id)
    else:
        shown = shown.where(
            or_(Opd.is_active.is_(True), Opd.id.in_(set(buying) | set(runs) | set(payments)))
        )
    rows, spend_rows = [], []
    for opd_id, name in session.execute(shown.order_by(Opd.name, Opd.id)):
        spend, orders, umkm, squares = buying.get(opd_id, (0, 0, 0, 0))
        run_count, overrides = runs.get(opd_id, (0, 0))
        paid_count, days, with_due, on_time = payments.get(opd_id, (0, 0, 0, 0))
        rows.append(
            OpdRow(
                opd_id=opd_id,
                name=name,
                spend=spend,
                orders=orders,
                umkm=umkm,
                hhi=Fraction(squares, spend * spend) if spend else Fraction(0),
                runs_decided=run_count,
                overrides=overrides,
                paid_orders=paid_count,
                days_to_payment=Fraction(days, paid_count) if paid_count else None,
                paid_with_due=with_due,
                paid_on_time=on_time,
            )
        )
        if spend:
            spend_rows.append((str(opd_id), name, spend, orders, umkm))
    return tuple(rows), _rows(spend_rows, scope_spend)


# --- the 40 % measure ------------------------------------------------------------------------


def _targets(
    session: Session, period: ReportPeriod, today: dt.date, cells: _Cells
) -> tuple[TargetRow, ...]:
    """Every active OPD's spend on micro and small businesses from 1 January of the period's
    last year to its last day, against 40 % of its budget for that year (from the period's
    orders, every OPD's, when the period begins on 1 January)."""
    import numpy as np

    year = period.end.year
    year_bounds = _Bounds(
        clock.midnight(dt.date(year, 1, 1)), clock.day_bounds(period.end, period.end)[1], None
    )
    small: dict[int, Any] = {}
    if period.start == dt.date(year, 1, 1):
        to_small = cells.where(np.isin(cells.scale, _SMALL_CODES))
        if len(to_small):
            opd_ids, sums = _sum_by(to_small.opd, to_small.spend)
            small = dict(zip(opd_ids.tolist(), sums.tolist(), strict=True))
    else:
        small = dict(
            session.execute(  # type: ignore[arg-type]
                year_bounds.live(
                    PurchaseRequest.opd_id, func.sum(PurchaseOrder.value), request=True, umkm=True
                )
                .where(Umkm.declared_scale.in_(SMALL_SCALES))
                .group_by(PurchaseRequest.opd_id)
            ).all()
        )
    budgets: dict[int, int] = {
        opd_id: amount
        for opd_id, amount in session.execute(
            select(OpdBudget.opd_id, OpdBudget.amount).where(OpdBudget.year == year)
        )
    }
    left = metrics.months_left(year, today.year, today.month)
    rows = []
    for opd_id, name in session.execute(
        select(Opd.id, Opd.name).where(Opd.is_active.is_(True)).order_by(Opd.name, Opd.id)
    ):
        spent = _int(small.get(opd_id))
        budget = budgets.get(opd_id)
        if budget is None:
            rows.append(TargetRow(opd_id, name, year, None, spent, None, None, left, None))
            continue
        done = metrics.progress(int(budget), spent, left)
        rows.append(
            TargetRow(
                opd_id,
                name,
                year,
                done.budget,
                spent,
                done.target,
                done.ratio,
                left,
                done.needed_per_month,
            )
        )
    return tuple(rows)


# --- the trend -------------------------------------------------------------------------------


def _months(
    session: Session,
    period: ReportPeriod,
    bounds: _Bounds,
    cells: _Cells,
    decisions: dict[tuple[int, int], tuple[int, int]],
) -> tuple[MonthRow, ...]:
    """Each month of the period (the part inside it): spend, to micro and small, orders, UMKM
    with orders, overrides, and the Gini across the population verified by the month's end
    (or the period's, if earlier) plus that month's spenders."""
    import numpy as np

    found: dict[int, tuple[int, int, int, int, int, int]] = {}
    if len(cells):
        # Per (month, UMKM): spend and orders, with the UMKM's scale and verification month.
        pairs, first, at = np.unique(
            _pair(cells.month, cells.umkm), return_index=True, return_inverse=True
        )
        spend = np.zeros(len(pairs), dtype=np.int64)
        orders = np.zeros(len(pairs), dtype=np.int64)
        np.add.at(spend, at, cells.spend)
        np.add.at(orders, at, cells.count)
        months, umkm = pairs >> 32, pairs & 0xFFFFFFFF
        small = np.isin(cells.scale[first], _SMALL_CODES)
        verified = cells.verified_month[first]
        counted = (verified > 0) & (verified <= months)
        # Ranked within each month by (spend, UMKM), from 1: the sorted form of the Gini.
        order = np.lexsort((umkm, spend, months))
        months_sorted = months[order]
        starts = np.searchsorted(months_sorted, months_sorted, side="left")
        ranks = (np.arange(len(order)) - starts + 1).tolist()
        spend_sorted = spend[order].tolist()
        weighted: dict[int, int] = {}
        for month, rank, value in zip(months_sorted.tolist(), ranks, spend_sorted, strict=True):
            weighted[month] = weighted.get(month, 0) + rank * value  # Python ints: exact
        keys, k, total, count, small_spend, counted_k = _sum_by(
            months, np.ones(len(pairs), dtype=np.int64), spend, orders, spend * small, counted
        )
        for key, *figures in zip(
            keys.tolist(),
            k.tolist(),
            total.tolist(),
            count.tolist(),
            small_spend.tolist(),
            counted_k.tolist(),
            strict=True,
        ):
            n, t, c, sm, ck = figures
            found[key] = (n, t, c, sm, weighted[key], ck)
    # UMKM verified by each month's end (or the period's): one pass, a sum per month.
    month_ends = [min(clock.midnight(p.shift(1).first_day), bounds.end) for p in period.months]
    verified = session.execute(
        select(*(func.sum(case((_verified_by(e), 1), else_=0)) for e in month_ends))
    ).one()
    overrides: dict[int, int] = {}
    for (_, month), (_, o) in decisions.items():
        overrides[month] = overrides.get(month, 0) + o
    rows = []
    for p, verified_by_end in zip(period.months, verified, strict=True):
        key = p.year * 100 + p.month
        verified_by = _int(verified_by_end)
        k, spend, orders, small_spend, weighted, counted_k = found.get(key, (0, 0, 0, 0, 0, 0))
        n = verified_by + k - counted_k
        zeros = n - k
        rows.append(
            MonthRow(
                period=p,
                spend=spend,
                small_spend=small_spend,
                orders=orders,
                umkm_with_orders=k,
                gini=metrics.gini_from_sums(n, spend, weighted + zeros * spend),
                overrides=overrides.get(key, 0),
            )
        )
    return tuple(rows)


# --- never ordered ---------------------------------------------------------------------------


def _never_ordered(session: Session, period: ReportPeriod, today: dt.date) -> int:
    """UMKM verified more than 90 days before the period's last day (or today, if earlier)
    that never had an order in a live status, in any period, from any OPD."""
    day = min(period.end, today) - dt.timedelta(days=NEVER_ORDERED_DAYS)
    any_order = exists().where(PurchaseOrder.umkm_id == Umkm.id, PurchaseOrder.status.in_(_LIVE))
    return _int(
        session.scalar(
            select(func.count())
            .select_from(Umkm)
            .where(_verified_by(clock.midnight(day)), ~any_order)
        )
    )
