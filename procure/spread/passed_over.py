"""UMKM verified more than 90 days ago without a single live order, and why (the query).

The list is one indexed query over ``umkm`` (status, ``verified_at``) with NOT EXISTS on
``purchase_order`` (``ix_purchase_order_umkm_status_issued``); it is counted and cut to a page in
the database. The reasons are gathered for the UMKM of that page only (``facts_for``), in a few
bounded queries keyed by their ids: their active products, the latest ``SAMPLE`` decided
requests of each of their kinds in the last 12 months (``latest_requests``), their stored
ranking figures and their orders that did not go on. Each product is checked against its kind's
sampled requests by the eligibility rules as numpy matrices (products × requests), reduced per
UMKM. Nothing re-runs an allocation. ``passed_over_rules`` words the reasons. No Flask.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from procure.catalog.models import Category, Kecamatan, ProductKind
from procure.clock import jakarta_date, midnight
from procure.clock_sql import jakarta_day
from procure.procurement.models import (
    LIVE_ORDER_STATUSES,
    AllocationFigure,
    PurchaseOrder,
    PurchaseRequest,
    RequestStatus,
)
from procure.ranking.facts import among
from procure.spread import passed_over_rules as rules
from procure.spread.passed_over_rules import KindFacts, Reason, UmkmFacts
from procure.umkm.models import Product, Umkm, UmkmStatus, umkm_category

if TYPE_CHECKING:
    import numpy as np

PAGE_SIZE = 50
# The latest decided requests of a kind its products are checked against (all of them when a
# kind had fewer in the last 12 months).
SAMPLE = 200
# The newest decided requests read first, of every kind, to find each kind's latest ones.
RECENT = 20_000
EXPORT_CHUNK = 2_000  # UMKM whose reasons are gathered per round trip of the CSV


@dataclass(frozen=True)
class Filters:
    category_id: int | None = None
    kind_id: int | None = None
    kecamatan_id: int | None = None


@dataclass(frozen=True)
class PassedOverRow:
    umkm_id: int
    business_name: str
    nib: str
    categories: str
    kinds: str  # kinds of its active products, "-" without any
    kecamatan: str
    verified_on: dt.date
    days_waiting: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class PassedOverPage:
    rows: tuple[PassedOverRow, ...]
    total: int  # UMKM on the whole list (with the filters)
    reason_counts: tuple[tuple[str, str, int], ...]  # (code, label, UMKM) of this page


def cutoff(today: dt.date) -> dt.datetime:
    """Verified before this moment: more than ``WAITING_DAYS`` Jakarta days before today."""
    return midnight(today - dt.timedelta(days=rules.WAITING_DAYS))


def _live_order_of_umkm() -> Any:
    return exists().where(
        PurchaseOrder.umkm_id == Umkm.id, PurchaseOrder.status.in_(LIVE_ORDER_STATUSES)
    )


def _active_product(**where: Any) -> Any:
    conditions = [Product.umkm_id == Umkm.id, Product.is_active.is_(True)]
    conditions += [getattr(Product, name) == value for name, value in where.items()]
    return exists().where(*conditions)


def list_query(today: dt.date, filters: Filters) -> Any:
    """The list's UMKM ids, longest waiting first."""
    query = select(Umkm.id).where(
        Umkm.status == UmkmStatus.VERIFIED.value,
        Umkm.verified_at.is_not(None),
        Umkm.verified_at < cutoff(today),
        ~_live_order_of_umkm(),
    )
    if filters.kecamatan_id is not None:
        query = query.where(Umkm.kecamatan_id == filters.kecamatan_id)
    if filters.category_id is not None:
        registered = exists().where(
            umkm_category.c.umkm_id == Umkm.id,
            umkm_category.c.category_id == filters.category_id,
        )
        query = query.where(or_(registered, _active_product(category_id=filters.category_id)))
    if filters.kind_id is not None:
        query = query.where(_active_product(kind_id=filters.kind_id))
    return query.order_by(Umkm.verified_at, Umkm.id)


def count(session: Session, today: dt.date, filters: Filters) -> int:
    inner = list_query(today, filters).order_by(None).subquery()
    return int(session.scalar(select(func.count()).select_from(inner)) or 0)


def page(session: Session, today: dt.date, filters: Filters, number: int) -> PassedOverPage:
    """One page of ``PAGE_SIZE`` UMKM with their reasons, the list's total and the reasons'
    counts on this page (counting them for the whole list would mean gathering every UMKM's
    facts: at 100,000 UMKM, too slow for a page)."""
    total = count(session, today, filters)
    ids = list(
        session.scalars(
            list_query(today, filters).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
        )
    )
    rows = tuple(rows_for(session, ids, today))
    counts = tuple(rules.count_by_reason(r.reasons for r in rows))
    return PassedOverPage(rows, total, counts)


def export_chunks(
    session: Session, today: dt.date, filters: Filters
) -> Iterator[list[PassedOverRow]]:
    """The whole list in chunks of ``EXPORT_CHUNK`` UMKM, their reasons gathered per chunk
    (keyset on (verified_at, id): no growing OFFSET)."""
    after: tuple[dt.datetime, int] | None = None
    checked = checked_requests(session, list(session.scalars(select(ProductKind.id))), today)
    while True:
        query = list_query(today, filters).add_columns(Umkm.verified_at)
        if after is not None:
            query = query.where(
                or_(
                    Umkm.verified_at > after[0],
                    and_(Umkm.verified_at == after[0], Umkm.id > after[1]),
                )
            )
        found = session.execute(query.limit(EXPORT_CHUNK)).all()
        if not found:
            return
        yield rows_for(session, [row[0] for row in found], today, checked)
        after = (found[-1][1], found[-1][0])
        if len(found) < EXPORT_CHUNK:
            return


# -- the facts of a page's UMKM ----------------------------------------------------------------


def rows_for(
    session: Session, ids: Sequence[int], today: dt.date, checked: Checked | None = None
) -> list[PassedOverRow]:
    """The rows of these UMKM, in the order given."""
    if not ids:
        return []
    basics = {
        row.id: row
        for row in session.execute(
            select(
                Umkm.id,
                Umkm.business_name,
                Umkm.nib,
                Umkm.verified_at,
                Kecamatan.name.label("kecamatan"),
            )
            .join(Kecamatan, Kecamatan.id == Umkm.kecamatan_id)
            .where(among(session, Umkm.id, ids))
        )
    }
    categories: dict[int, list[str]] = defaultdict(list)
    for umkm_id, name in session.execute(
        select(umkm_category.c.umkm_id, Category.name)
        .join(Category, Category.id == umkm_category.c.category_id)
        .where(among(session, umkm_category.c.umkm_id, ids))
        .order_by(Category.sort_order, Category.name)
    ):
        categories[umkm_id].append(name)
    facts = facts_for(session, ids, today, checked)
    rows = []
    for umkm_id in ids:
        basic = basics[umkm_id]
        verified_on = jakarta_date(basic.verified_at)
        found = facts[umkm_id]
        rows.append(
            PassedOverRow(
                umkm_id=umkm_id,
                business_name=basic.business_name,
                nib=basic.nib,
                categories=", ".join(categories[umkm_id]) or "-",
                kinds=", ".join(k.kind_name for k in found.kinds) or "-",
                kecamatan=basic.kecamatan,
                verified_on=verified_on,
                days_waiting=(today - verified_on).days,
                reasons=rules.reasons(found),
            )
        )
    return rows


def _days_to_spare(session: Session) -> Any:
    """Whole days from the request's Jakarta day to its needed-by date."""
    created = jakarta_day(PurchaseRequest.created_at, session)
    if session.get_bind().dialect.name == "postgresql":
        return PurchaseRequest.needed_by - created
    return func.julianday(PurchaseRequest.needed_by) - func.julianday(created)


@dataclass(frozen=True)
class Sample:
    ids: list[int]  # the requests the products are checked against
    busy: frozenset[int]  # kinds with more than ``SAMPLE`` requests in the 12 months


def _latest_of_each(session: Session, query: Any, rows: Any, kind_ids: Sequence[int]) -> Any:
    """(id, kind) of the newest ``SAMPLE`` + 1 rows of each kind among ``rows``, newest first
    (one more than the sample tells whether the kind had more)."""
    place = func.row_number().over(partition_by=rows.c.kind_id, order_by=rows.c.id.desc())
    ranked = (
        query.add_columns(place.label("place"))
        .where(among(session, rows.c.kind_id, kind_ids))
        .subquery()
    )
    return (
        session.connection()
        .execute(
            select(ranked.c.id, ranked.c.kind_id)
            .where(ranked.c.place <= SAMPLE + 1)
            .order_by(ranked.c.kind_id, ranked.c.id.desc())
        )
        .all()
    )


def latest_requests(session: Session, kind_ids: Sequence[int], today: dt.date) -> Sample:
    """The latest ``SAMPLE`` decided requests of each kind in the last 12 months, newest id
    first. There is no index on (kind, time): this reads the newest ``RECENT`` requests of all
    kinds backwards along the primary key and ranks them per kind (a sort of ``RECENT`` small
    rows), then the older requests of the kinds not yet full (rare kinds: few rows); a busy
    kind is full after the first read. Sorting a year of requests (130,000 at 100,000 UMKM)
    per page took half a second."""
    if not kind_ids:
        return Sample([], frozenset())
    since = midnight(today - dt.timedelta(days=rules.LOOKBACK_DAYS))
    wanted = set(kind_ids)
    found: dict[int, list[int]] = defaultdict(list)
    decided = (
        PurchaseRequest.status == RequestStatus.ORDERED.value,
        PurchaseRequest.created_at >= since,
    )
    newest = (
        select(PurchaseRequest.id, PurchaseRequest.kind_id)
        .where(*decided)
        .order_by(PurchaseRequest.id.desc())
        .limit(RECENT)
        .subquery()
    )
    first = _latest_of_each(session, select(newest.c.id, newest.c.kind_id), newest, kind_ids)
    last_read, count_read = session.execute(select(func.min(newest.c.id), func.count())).one()
    for request_id, kind_id in first:
        found[kind_id].append(request_id)
    short = sorted(k for k in wanted if len(found[k]) <= SAMPLE)
    if short and count_read == RECENT and last_read is not None:
        older = (
            select(PurchaseRequest.id, PurchaseRequest.kind_id)
            .where(*decided, PurchaseRequest.id < last_read)
            .subquery()
        )
        for request_id, kind_id in _latest_of_each(
            session, select(older.c.id, older.c.kind_id), older, short
        ):
            if len(found[kind_id]) <= SAMPLE:
                found[kind_id].append(request_id)
    busy = frozenset(k for k, got in found.items() if len(got) > SAMPLE)
    return Sample([i for got in found.values() for i in got[:SAMPLE]], busy)


@dataclass(frozen=True)
class _Requests:
    """The sampled requests of one kind, as columns: what the rules compare a product with."""

    created: np.ndarray  # POSIX seconds
    hps: np.ndarray
    spare: np.ndarray  # whole days from the request's day to its needed-by date
    quantity: np.ndarray


@dataclass(frozen=True)
class Checked:
    """The requests products are checked against, per kind (``latest_requests``' sample)."""

    by_kind: dict[int, _Requests]
    busy: frozenset[int]


def checked_requests(session: Session, kind_ids: Sequence[int], today: dt.date) -> Checked:
    """The sample of these kinds with the columns the rules read (one query by id)."""
    import numpy as np

    sample = latest_requests(session, kind_ids, today)
    columns: dict[int, list[tuple[float, int, int, int]]] = defaultdict(list)
    if sample.ids:
        for kind_id, created, hps, spare, quantity in (
            session.connection()
            .execute(
                select(
                    PurchaseRequest.kind_id,
                    PurchaseRequest.created_at,
                    PurchaseRequest.hps_unit_price,
                    _days_to_spare(session),
                    PurchaseRequest.quantity,
                ).where(among(session, PurchaseRequest.id, sample.ids))
            )
            .all()
        ):
            columns[kind_id].append((_seconds(created), hps, round(spare), quantity))
    by_kind = {}
    for kind_id, rows in columns.items():
        created, hps, spare, quantity = zip(*rows, strict=True)
        by_kind[kind_id] = _Requests(
            np.array(created, dtype=np.float64),
            np.array(hps, dtype=np.int64),
            np.array(spare, dtype=np.int64),
            np.array(quantity, dtype=np.int64),
        )
    return Checked(by_kind, sample.busy)


def _seconds(moment: Any) -> float:
    """POSIX seconds of a stored time (SQLite hands back a naive UTC time through Core)."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return float(moment.timestamp())


_COUNTS = ("requests", "eligible", "price", "lead_time", "capacity", "min_order")


def _counts(products: Sequence[Any], requests: _Requests | None) -> list[dict[str, int]]:
    """For each UMKM's products of one kind (``products`` sorted by UMKM): how many sampled
    requests it could have been offered (made since it was verified and the product existed),
    met every rule on with at least one product, and how many each rule blocked (no product
    passed it). One matrix of products × requests per rule, reduced per UMKM."""
    import numpy as np

    umkm_ids = [p.umkm_id for p in products]
    starts = [i for i, u in enumerate(umkm_ids) if i == 0 or umkm_ids[i - 1] != u]
    if requests is None or not len(requests.hps):
        return [dict.fromkeys(_COUNTS, 0) for _ in starts]
    start = np.array([max(_seconds(p.verified_at), _seconds(p.created_at)) for p in products])[
        :, None
    ]
    price = np.array([p.unit_price for p in products], dtype=np.int64)[:, None]
    lead = np.array([p.lead_time_days for p in products], dtype=np.int64)[:, None]
    minimum = np.array([p.min_order for p in products], dtype=np.int64)[:, None]
    capacity = np.array([p.monthly_capacity for p in products], dtype=np.int64)[:, None]
    valid = requests.created[None, :] >= start
    passes = {
        "price": price <= requests.hps[None, :],
        "lead_time": requests.spare[None, :] >= lead,
        "capacity": np.broadcast_to(capacity >= minimum, valid.shape),
        "min_order": requests.quantity[None, :] >= minimum,
    }

    def per_umkm(matrix: np.ndarray) -> np.ndarray:
        return np.logical_or.reduceat(matrix, starts, axis=0)

    offered = per_umkm(valid)
    every = valid.copy()
    counts: dict[str, np.ndarray] = {"requests": offered.sum(axis=1)}
    for rule, ok in passes.items():
        every &= ok
        counts[rule] = (offered & ~per_umkm(valid & ok)).sum(axis=1)
    counts["eligible"] = per_umkm(every).sum(axis=1)
    return [{name: int(counts[name][i]) for name in _COUNTS} for i in range(len(starts))]


def facts_for(
    session: Session, ids: Sequence[int], today: dt.date, checked: Checked | None = None
) -> dict[int, UmkmFacts]:
    """What the reasons need for these UMKM, in bounded queries keyed by their ids.
    ``checked``: the requests to check against (the export reads them once for every chunk)."""
    products = (
        session.connection()
        .execute(
            select(
                Product.umkm_id,
                Product.kind_id,
                ProductKind.name,
                Product.created_at,
                Product.unit_price,
                Product.lead_time_days,
                Product.min_order,
                Product.monthly_capacity,
                Umkm.verified_at,
            )
            .join(ProductKind, ProductKind.id == Product.kind_id)
            .join(Umkm, Umkm.id == Product.umkm_id)
            .where(among(session, Product.umkm_id, ids), Product.is_active.is_(True))
            .order_by(Product.kind_id, Product.umkm_id)
        )
        .all()
    )
    if checked is None:
        checked = checked_requests(session, sorted({p.kind_id for p in products}), today)
    kinds: dict[int, list[tuple[int, str]]] = defaultdict(list)
    counted: dict[tuple[int, int], dict[str, Any]] = {}
    by_kind: dict[int, list[Any]] = defaultdict(list)
    for product in products:
        by_kind[product.kind_id].append(product)
    for kind_id, of_kind in by_kind.items():
        owners = list(dict.fromkeys(p.umkm_id for p in of_kind))
        for umkm_id, numbers in zip(
            owners, _counts(of_kind, checked.by_kind.get(kind_id)), strict=True
        ):
            kinds[umkm_id].append((kind_id, of_kind[0].name))
            counted[(umkm_id, kind_id)] = numbers | {"latest_only": kind_id in checked.busy}
    for found_kinds in kinds.values():
        found_kinds.sort(key=lambda kind: kind[1])

    figures = {
        (row.umkm_id, row.kind_id): row
        for row in session.execute(
            select(
                AllocationFigure.umkm_id,
                AllocationFigure.kind_id,
                AllocationFigure.tier,
                AllocationFigure.months_reported,
                AllocationFigure.reported_sum,
            ).where(among(session, AllocationFigure.umkm_id, ids))
        )
    }
    not_continued = dict(
        session.execute(
            select(PurchaseOrder.umkm_id, func.count())
            .where(
                among(session, PurchaseOrder.umkm_id, ids),
                PurchaseOrder.status.not_in(LIVE_ORDER_STATUSES),
            )
            .group_by(PurchaseOrder.umkm_id)
        ).all()
    )

    found = {}
    for umkm_id in ids:
        of_umkm = []
        for kind_id, name in kinds.get(umkm_id, ()):
            figure = figures.get((umkm_id, kind_id))
            average = (
                figure.reported_sum // figure.months_reported
                if figure is not None and figure.months_reported
                else None
            )
            of_umkm.append(
                KindFacts(
                    kind_name=name,
                    **counted.get((umkm_id, kind_id), {}),
                    tier=figure.tier if figure is not None else None,
                    reported_average=average,
                )
            )
        found[umkm_id] = UmkmFacts(tuple(of_umkm), int(not_continued.get(umkm_id, 0)))
    return found


__all__ = [
    "EXPORT_CHUNK",
    "PAGE_SIZE",
    "Filters",
    "PassedOverPage",
    "PassedOverRow",
    "count",
    "cutoff",
    "export_chunks",
    "facts_for",
    "list_query",
    "page",
    "rows_for",
]
