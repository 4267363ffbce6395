"""Load what the allocation policy needs from the database, as its frozen inputs."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Date, Integer, and_, bindparam, func, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from procure.allocation.policy import (
    DEFAULT_POLICY,
    POLICIES,
    Award,
    Offer,
    Request,
    Settings,
    SupplierFacts,
    window_for,
)
from procure.clock import jakarta_date
from procure.omzet.latest import latest_omzet_revisions
from procure.omzet.rules import Period
from procure.procurement.models import (
    LIVE_ORDER_STATUSES,
    AllocationFigure,
    PurchaseOrder,
    PurchaseRequest,
)
from procure.umkm.models import Product, Umkm

V1 = "pemerataan-v1"


def policy_name(config: Mapping[str, Any]) -> str:
    """The policy the Pemda chose (``ALLOCATION_POLICY``), checked."""
    name = str(config.get("ALLOCATION_POLICY") or DEFAULT_POLICY)
    if name not in POLICIES:
        raise ValueError(f"ALLOCATION_POLICY tidak dikenal: {name!r} (pilih {', '.join(POLICIES)})")
    return name


def by_kind(policy: str) -> bool:
    """pemerataan-v2 matches offers by product kind; v1 by category."""
    return policy != V1


def policy_settings(config: Mapping[str, Any]) -> Settings:
    cap = int(config["ANNUAL_AWARD_CAP"])
    return Settings(
        max_suppliers=int(config["ALLOCATION_MAX_SUPPLIERS"]),
        annual_award_cap=cap or None,
        new_supplier_grace_days=int(config["NEW_SUPPLIER_GRACE_DAYS"]),
        split_mode=config["SPLIT_MODE"],
        min_lot=int(config["MIN_LOT"]),
    )


def policy_request(request: PurchaseRequest | Row[Any]) -> Request:
    """The policy's frozen request of a purchase request, or of a row of the same columns."""
    return Request(
        id=request.id,
        opd_id=request.opd_id,
        category_id=request.category_id,
        kind_id=request.kind_id,
        quantity=request.quantity,
        unit=request.unit,
        hps_unit_price=request.hps_unit_price,
        needed_by=request.needed_by,
        created_at=request.created_at,
    )


def among(session: Session, column: Any, ids: Sequence[int]) -> Any:
    """``column IN ids``; on PostgreSQL one array parameter (``= ANY``): a short statement the
    driver keeps parsed, instead of one placeholder per id."""
    if session.get_bind().dialect.name == "postgresql":
        return column == func.any(bindparam(None, list(ids), type_=postgresql.ARRAY(Integer)))
    return column.in_(list(ids))


def _month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = Period.of(first).shift(1).first_day
    return first, following


def load_offers(
    session: Session,
    category_id: int,
    needed_by: dt.date,
    *,
    kind_id: int | None = None,
    umkm_ids: Sequence[int] | None = None,
    product_ids: Sequence[int] | None = None,
) -> list[Offer]:
    """Every product of the kind (pemerataan-v2; None: of the category, v1), or only of these
    UMKM, or these products, with what live orders book in the due month."""
    scope = []
    if umkm_ids is not None:
        scope.append(among(session, Product.umkm_id, umkm_ids))
    if product_ids is not None:
        scope.append(among(session, Product.id, product_ids))
    if not scope:
        # The whole kind (category): every live order due that month, summed once.
        first, following = _month_bounds(needed_by)
        booked = (
            select(PurchaseOrder.product_id, func.sum(PurchaseOrder.quantity).label("booked"))
            .where(
                PurchaseOrder.status.in_(LIVE_ORDER_STATUSES),
                PurchaseOrder.due_date >= first,
                PurchaseOrder.due_date < following,
            )
            .group_by(PurchaseOrder.product_id)
            .subquery()
        )
        query = select(*_offer_columns(func.coalesce(booked.c.booked, 0))).outerjoin(
            booked, booked.c.product_id == Product.id
        )
    else:
        query = select(*_offer_columns(booked_in_month(needed_by)))
    # "+ 0": a few UMKM or products are found by their own index; SQLite (no statistics)
    # would otherwise walk the whole category's index.
    if kind_id is not None:
        # The kind's products by ix_product_kind_active; a few UMKM by their own index.
        in_category = (Product.kind_id + 0 if scope else Product.kind_id) == kind_id
    else:
        in_category = (Product.category_id + 0 if scope else Product.category_id) == category_id
    query = query.join(Umkm, Umkm.id == Product.umkm_id).where(in_category, *scope)
    return [_offer(row) for row in session.execute(query)]


def booked_in_month(needed_by: dt.date) -> Any:
    """What live orders book of the outer query's product in the calendar month of
    ``needed_by``: a correlated subquery, one probe of the index on (product_id, status,
    due_date) per product. For a few products: the grouped sum over the UMKM's orders it
    replaced filtered every order by an id array once per product (``= ANY`` of a parameter
    is a linear search on PostgreSQL), ~8 ms for 64 UMKM."""
    return booked_between(*_month_bounds(needed_by))


def booked_between(first: Any, following: Any) -> Any:
    """What live orders due from ``first`` up to ``following`` (dates or bound parameters)
    book of the outer query's product (``booked_in_month``)."""
    return (
        select(func.coalesce(func.sum(PurchaseOrder.quantity), 0))
        .where(
            PurchaseOrder.product_id == Product.id,
            PurchaseOrder.status.in_(LIVE_ORDER_STATUSES),
            PurchaseOrder.due_date >= first,
            PurchaseOrder.due_date < following,
        )
        .scalar_subquery()
    )


def _offer_columns(booked: Any) -> tuple[Any, ...]:
    """The columns of an ``Offer``, in its field order (``_offer``)."""
    return (
        Product.id,
        Product.umkm_id,
        Umkm.business_name,
        Product.name,
        Product.category_id,
        Product.is_active,
        Umkm.status,
        Product.unit_price,
        Product.lead_time_days,
        Product.monthly_capacity,
        booked,
        Product.min_order,
        Product.kind_id,
    )


OFFER_WIDTH = 13  # len(_offer_columns(...))


def _offer(row: Sequence[Any]) -> Offer:
    return Offer(*row[:OFFER_WIDTH])


def load_chunk(
    session: Session,
    request: Request,
    window: Sequence[Period],
    umkm_ids: Sequence[int],
    *,
    kind: bool,
) -> tuple[list[Offer], list[SupplierFacts]]:
    """The offers of these UMKM for the request (``kind``: of its product kind, else of its
    category) and their facts, in one statement: each product row carries its UMKM's figure
    row (verification time and the omzet of each month of W, kept equal to the omzet rows by
    ``figures``; no omzet row is read). Live orders are read only for the UMKM whose figure
    row has a latest award: a UMKM without one has no live order. The figures must hold
    ``window`` (``figures.ensure_current``)."""
    first, following = _month_bounds(request.needed_by)
    query = _chunk_query(session.get_bind().dialect.name, kind)
    values = {
        "scope_id": request.kind_id if kind else request.category_id,
        "umkm_ids": list(umkm_ids),
        "first": first,
        "following": following,
    }
    offers: list[Offer] = []
    figure_rows: dict[int, tuple[Any, ...]] = {}
    missing: set[int] = set()
    # Core rows, no ORM loading step (``evaluate_top`` flushes the session first).
    for row in session.connection().execute(query, values):
        offer = _offer(row)
        offers.append(offer)
        figure = tuple(row[OFFER_WIDTH:])
        if figure[0] is None:
            missing.add(offer.umkm_id)
        else:
            figure_rows.setdefault(offer.umkm_id, figure)
    with_awards = [u for u, figure in figure_rows.items() if figure[-1] is not None]
    awards = load_awards(session, with_awards) if with_awards else {}
    supplier = [
        SupplierFacts(
            umkm_id=umkm_id,
            verified_at=verified_at,
            omzet_by_month={
                p: amount
                for p, amount in zip(window, (o1, o2, o3), strict=True)
                if amount is not None
            },
            awards=awards.get(umkm_id, ()),
        )
        for umkm_id, (_, verified_at, o1, o2, o3, _) in figure_rows.items()
        if umkm_id not in missing
    ]
    if missing:  # no figure row yet (a product added a moment ago): from the raw rows
        t = jakarta_date(request.created_at)
        supplier += load_facts(session, request.category_id, t, umkm_ids=sorted(missing))
    return offers, supplier


@functools.lru_cache(maxsize=4)
def _chunk_query(dialect: str, kind: bool) -> Any:
    """``load_chunk``'s statement, built once: its values are parameters (``scope_id``,
    ``umkm_ids``, ``first`` and ``following`` day of the due month), so a request does not
    build and key it again."""
    F = AllocationFigure
    if dialect == "postgresql":
        ids = bindparam("umkm_ids", type_=postgresql.ARRAY(Integer))
        in_chunk = Product.umkm_id == func.any(ids)
    else:
        in_chunk = Product.umkm_id.in_(bindparam("umkm_ids", expanding=True))
    scope_id = bindparam("scope_id", type_=Integer)
    # "+ 0": a few UMKM are found by their own index (see ``load_offers``).
    scope = (Product.kind_id if kind else Product.category_id) + 0 == scope_id
    booked = booked_between(bindparam("first", type_=Date), bindparam("following", type_=Date))
    return (
        select(
            *_offer_columns(booked),
            F.umkm_id,
            F.verified_at,
            F.omzet_1,
            F.omzet_2,
            F.omzet_3,
            F.latest_award_at,
        )
        .join(Umkm, Umkm.id == Product.umkm_id)
        # Every product has the row of its (UMKM, kind); a UMKM's omzet columns are the same
        # in each of its rows.
        .outerjoin(F, and_(F.umkm_id == Product.umkm_id, F.kind_id == Product.kind_id))
        .where(scope, in_chunk)
    )


def load_facts(
    session: Session,
    category_id: int,
    request_day: dt.date,
    *,
    kind_id: int | None = None,
    umkm_ids: Sequence[int] | None = None,
) -> list[SupplierFacts]:
    """Verification time, latest omzet of the window and every live order, for each UMKM
    with a product of the kind (None: of the category; a subquery, not an id list: it scales
    to 100k UMKM), or for these UMKM only."""
    if umkm_ids is None:
        offered = (
            Product.kind_id == kind_id
            if kind_id is not None
            else Product.category_id == category_id
        )
        ids = select(Product.umkm_id).where(offered).distinct()

        def scoped(column: Any) -> Any:
            return column.in_(ids)
    else:

        def scoped(column: Any) -> Any:
            return among(session, column, umkm_ids)

    window = window_for(request_day)
    latest = latest_omzet_revisions(umkms=scoped, periods=window, name="facts_omzet")
    omzet: dict[int, dict[Period, int]] = defaultdict(dict)
    for umkm_id, period, amount in session.execute(
        select(latest.c.umkm_id, latest.c.period, latest.c.amount)
    ):
        omzet[umkm_id][Period.parse(period)] = amount
    awards = _awards(session, scoped(PurchaseOrder.umkm_id))
    return [
        SupplierFacts(
            umkm_id=umkm_id,
            verified_at=verified_at,
            omzet_by_month=omzet.get(umkm_id, {}),
            awards=awards.get(umkm_id, ()),
        )
        for umkm_id, verified_at in session.execute(
            select(Umkm.id, Umkm.verified_at).where(scoped(Umkm.id)).order_by(Umkm.id)
        )
    ]


def _awards(session: Session, scope: Any) -> dict[int, tuple[Award, ...]]:
    awards: dict[int, list[Award]] = defaultdict(list)
    for umkm_id, issued_at, value in session.execute(
        select(PurchaseOrder.umkm_id, PurchaseOrder.issued_at, PurchaseOrder.value).where(
            scope, PurchaseOrder.status.in_(LIVE_ORDER_STATUSES)
        )
    ):
        awards[umkm_id].append(Award(jakarta_date(issued_at), value))
    return {umkm_id: tuple(found) for umkm_id, found in awards.items()}


def load_awards(session: Session, umkm_ids: Sequence[int]) -> dict[int, tuple[Award, ...]]:
    """Every live order of these UMKM, as the policy's awards (by Jakarta issue date)."""
    return _awards(session, among(session, PurchaseOrder.umkm_id, umkm_ids))


def lock_products(session: Session, product_ids: Sequence[int]) -> None:
    """Serialise allocators on these products until the transaction ends.

    PostgreSQL: row locks (``FOR UPDATE``, in id order so two allocators cannot deadlock).
    SQLite: a no-op write takes the database write lock before anything is read.
    """
    ids = sorted(set(product_ids))
    if not ids:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            select(Product.id).where(Product.id.in_(ids)).order_by(Product.id).with_for_update()
        )
    else:
        session.execute(update(Product).where(Product.id.in_(ids)).values(id=Product.id))
