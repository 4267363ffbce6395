"""Load what the allocation policy needs from the database, as its frozen inputs."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Integer, bindparam, func, select, update
from sqlalchemy.dialects import postgresql
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
from procure.procurement.models import LIVE_ORDER_STATUSES, PurchaseOrder, PurchaseRequest
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


def policy_request(request: PurchaseRequest) -> Request:
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
    first, following = _month_bounds(needed_by)
    booked_query = select(
        PurchaseOrder.product_id, func.sum(PurchaseOrder.quantity).label("booked")
    ).where(
        PurchaseOrder.status.in_(LIVE_ORDER_STATUSES),
        PurchaseOrder.due_date >= first,
        PurchaseOrder.due_date < following,
    )
    scope = []
    if umkm_ids is not None:
        booked_query = booked_query.where(among(session, PurchaseOrder.umkm_id, umkm_ids))
        scope.append(among(session, Product.umkm_id, umkm_ids))
    if product_ids is not None:
        booked_query = booked_query.where(among(session, PurchaseOrder.product_id, product_ids))
        scope.append(among(session, Product.id, product_ids))
    booked = booked_query.group_by(PurchaseOrder.product_id).subquery()
    # "+ 0": a few UMKM or products are found by their own index; SQLite (no statistics)
    # would otherwise walk the whole category's index.
    if kind_id is not None:
        # The kind's products by ix_product_kind_active; a few UMKM by their own index.
        in_category = (Product.kind_id + 0 if scope else Product.kind_id) == kind_id
    else:
        in_category = (Product.category_id + 0 if scope else Product.category_id) == category_id
    query = (
        select(
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
            func.coalesce(booked.c.booked, 0),
            Product.min_order,
        )
        .join(Umkm, Umkm.id == Product.umkm_id)
        .outerjoin(booked, booked.c.product_id == Product.id)
        .where(in_category, *scope)
    )
    return [
        Offer(*row[:-1], kind_id=row[-1])
        for row in session.execute(query.add_columns(Product.kind_id))
    ]


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
