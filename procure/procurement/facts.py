"""Load what the allocation policy needs from the database, as its frozen inputs."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from procure.allocation.policy import Award, Offer, Request, Settings, SupplierFacts, window_for
from procure.formatting import JAKARTA
from procure.omzet.models import OmzetReport
from procure.omzet.rules import Period
from procure.procurement.models import LIVE_ORDER_STATUSES, PurchaseOrder, PurchaseRequest
from procure.umkm.models import Product, Umkm


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
        quantity=request.quantity,
        unit=request.unit,
        hps_unit_price=request.hps_unit_price,
        needed_by=request.needed_by,
        created_at=request.created_at,
    )


def _month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = Period.of(first).shift(1).first_day
    return first, following


def load_offers(session: Session, category_id: int, needed_by: dt.date) -> list[Offer]:
    """Every product of the category with what live orders book in the due month."""
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
    rows = session.execute(
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
        .where(Product.category_id == category_id)
    )
    return [Offer(*row) for row in rows]


def load_facts(session: Session, category_id: int, request_day: dt.date) -> list[SupplierFacts]:
    """Verification time, latest omzet of the window and every live order, for each UMKM
    with a product in the category (a subquery, not an id list: it scales to 100k UMKM)."""
    ids = select(Product.umkm_id).where(Product.category_id == category_id).distinct()
    window = window_for(request_day)
    periods = [str(p) for p in window]
    latest = (
        select(
            OmzetReport.umkm_id,
            OmzetReport.period,
            func.max(OmzetReport.revision).label("revision"),
        )
        .where(OmzetReport.umkm_id.in_(ids), OmzetReport.period.in_(periods))
        .group_by(OmzetReport.umkm_id, OmzetReport.period)
        .subquery()
    )
    omzet: dict[int, dict[Period, int]] = defaultdict(dict)
    for umkm_id, period, amount in session.execute(
        select(OmzetReport.umkm_id, OmzetReport.period, OmzetReport.amount).join(
            latest,
            and_(
                OmzetReport.umkm_id == latest.c.umkm_id,
                OmzetReport.period == latest.c.period,
                OmzetReport.revision == latest.c.revision,
            ),
        )
    ):
        omzet[umkm_id][Period.parse(period)] = amount
    awards: dict[int, list[Award]] = defaultdict(list)
    for umkm_id, issued_at, value in session.execute(
        select(PurchaseOrder.umkm_id, PurchaseOrder.issued_at, PurchaseOrder.value).where(
            PurchaseOrder.umkm_id.in_(ids), PurchaseOrder.status.in_(LIVE_ORDER_STATUSES)
        )
    ):
        awards[umkm_id].append(Award(issued_at.astimezone(JAKARTA).date(), value))
    return [
        SupplierFacts(
            umkm_id=umkm_id,
            verified_at=verified_at,
            omzet_by_month=omzet.get(umkm_id, {}),
            awards=tuple(awards.get(umkm_id, ())),
        )
        for umkm_id, verified_at in session.execute(
            select(Umkm.id, Umkm.verified_at).where(Umkm.id.in_(ids)).order_by(Umkm.id)
        )
    ]
