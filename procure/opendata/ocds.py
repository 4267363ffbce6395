"""Load the facts of the purchase requests made in a date range and build the OCDS package.

Four queries whatever the number of requests and orders (requests, decisions, orders with
their UMKM, the latest event per order): no query per row, so a year of a city's orders
exports in seconds. The shape of the package is decided in ``ocds_rules``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from procure.catalog.models import Category, Kecamatan
from procure.clock import day_bounds
from procure.opd.models import Opd
from procure.opendata.ocds_rules import (
    OrderFacts,
    PartyFacts,
    PaymentFacts,
    RequestFacts,
    build_release_package,
    release_date,
)
from procure.procurement.models import (
    AllocationRun,
    OrderEvent,
    OrderStatus,
    PurchaseOrder,
    PurchaseRequest,
)
from procure.umkm.models import Umkm

# A placeholder in the right format (``ocds-`` and six characters): each Pemda registers its
# own prefix with the Open Contracting Partnership and sets PROCURE_OCDS_OCID_PREFIX.
DEFAULT_OCID_PREFIX = "ocds-procur"
# The OSS business number; a local label, as org-id.guide lists no register for it.
NIB_SCHEME = "ID-NIB"


def _request_ids(date_from: dt.date, date_to: dt.date) -> Select[tuple[int]]:
    start, end = day_bounds(date_from, date_to)
    return select(PurchaseRequest.id).where(
        PurchaseRequest.created_at >= start, PurchaseRequest.created_at < end
    )


def _orders(session: Session, request_ids: Select[tuple[int]]) -> dict[int, list[OrderFacts]]:
    """Every order of these requests with its UMKM, grouped by request, in id order."""
    last_change = dict(
        session.execute(
            select(OrderEvent.order_id, func.max(OrderEvent.at))
            .join(PurchaseOrder, PurchaseOrder.id == OrderEvent.order_id)
            .where(PurchaseOrder.request_id.in_(request_ids))
            .group_by(OrderEvent.order_id)
        ).all()
    )
    suppliers: dict[int, PartyFacts] = {}
    orders: dict[int, list[OrderFacts]] = {}
    for row in session.execute(_order_rows(request_ids)):
        supplier = suppliers.get(row.umkm_id)
        if supplier is None:
            supplier = suppliers[row.umkm_id] = _supplier(row)
        paid = (
            row.status == OrderStatus.PAID.value
            and row.paid_on is not None
            and row.payment_amount is not None
        )
        orders.setdefault(row.request_id, []).append(
            OrderFacts(
                id=row.id,
                supplier=supplier,
                quantity=row.quantity,
                unit_price=row.unit_price,
                value=row.value,
                status=row.status,
                issued_at=row.issued_at,
                due_date=row.due_date,
                responded_at=row.responded_at,
                last_change_at=last_change.get(row.id),
                payment=PaymentFacts(row.paid_on, row.payment_amount) if paid else None,
            )
        )
    return orders


def _order_rows(request_ids: Select[tuple[int]]) -> Select[Any]:
    return (
        select(
            PurchaseOrder.id,
            PurchaseOrder.request_id,
            PurchaseOrder.quantity,
            PurchaseOrder.unit_price,
            PurchaseOrder.value,
            PurchaseOrder.status,
            PurchaseOrder.issued_at,
            PurchaseOrder.due_date,
            PurchaseOrder.responded_at,
            PurchaseOrder.paid_on,
            # What was spent: the gross (net transferred + PPh withheld); orders paid before
            # the gross was recorded kept it in payment_amount.
            func.coalesce(PurchaseOrder.payment_gross, PurchaseOrder.payment_amount).label(
                "payment_amount"
            ),
            Umkm.id.label("umkm_id"),
            Umkm.business_name,
            Umkm.nib,
            Umkm.declared_scale,
            Kecamatan.name.label("kecamatan"),
        )
        .join(Umkm, Umkm.id == PurchaseOrder.umkm_id)
        .join(Kecamatan, Kecamatan.id == Umkm.kecamatan_id)
        .where(PurchaseOrder.request_id.in_(request_ids))
        .order_by(PurchaseOrder.id)
    )


def _supplier(row: Any) -> PartyFacts:
    # Only what the catalog shows of a business: no owner, NIK, phone or bank account.
    return PartyFacts(
        id=f"umkm-{row.umkm_id}",
        name=row.business_name,
        identifier_scheme=NIB_SCHEME,
        identifier_id=row.nib,
        locality=f"Kecamatan {row.kecamatan}",
        declared_scale=row.declared_scale,
    )


def load_facts(session: Session, date_from: dt.date, date_to: dt.date) -> list[RequestFacts]:
    """The requests created on these Asia/Jakarta days, with their decision and orders."""
    request_ids = _request_ids(date_from, date_to)
    decisions = {
        request_id: (decided_at, bool(is_override))
        for request_id, decided_at, is_override in session.execute(
            select(AllocationRun.request_id, AllocationRun.decided_at, AllocationRun.is_override)
            .where(AllocationRun.request_id.in_(request_ids), AllocationRun.decided_at.is_not(None))
            .order_by(AllocationRun.id)
        )
    }
    orders = _orders(session, request_ids)
    rows = session.execute(
        select(
            PurchaseRequest.id,
            PurchaseRequest.title,
            PurchaseRequest.specification,
            PurchaseRequest.quantity,
            PurchaseRequest.unit,
            PurchaseRequest.hps_unit_price,
            PurchaseRequest.status,
            PurchaseRequest.created_at,
            Category.slug.label("category_slug"),
            Opd.id.label("opd_id"),
            Opd.name.label("opd_name"),
            Opd.address.label("opd_address"),
        )
        .join(Opd, Opd.id == PurchaseRequest.opd_id)
        .join(Category, Category.id == PurchaseRequest.category_id)
        .where(PurchaseRequest.id.in_(request_ids))
        .order_by(PurchaseRequest.id)
    )
    buyers: dict[int, PartyFacts] = {}
    facts = []
    for row in rows:
        buyer = buyers.get(row.opd_id)
        if buyer is None:
            buyer = buyers[row.opd_id] = PartyFacts(
                id=f"opd-{row.opd_id}", name=row.opd_name, street_address=row.opd_address
            )
        decided_at, is_override = decisions.get(row.id, (None, False))
        facts.append(
            RequestFacts(
                id=row.id,
                title=row.title,
                specification=row.specification,
                category_slug=row.category_slug,
                quantity=row.quantity,
                unit=row.unit,
                hps_unit_price=row.hps_unit_price,
                status=row.status,
                created_at=row.created_at,
                buyer=buyer,
                decided_at=decided_at,
                is_override=is_override,
                orders=tuple(orders.get(row.id, ())),
            )
        )
    return facts


def export_package(
    session: Session,
    date_from: dt.date,
    date_to: dt.date,
    *,
    publisher_name: str,
    uri: str,
    ocid_prefix: str = DEFAULT_OCID_PREFIX,
    published_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """The OCDS release package of the requests created from ``date_from`` to ``date_to``."""
    facts = load_facts(session, date_from, date_to)
    if published_at is None:
        # OCDS: a package made on demand is dated by the last change of what it holds.
        published_at = max(map(release_date, facts), default=dt.datetime.now(dt.UTC))
    return build_release_package(
        facts,
        publisher_name=publisher_name,
        ocid_prefix=ocid_prefix,
        published_at=published_at,
        uri=uri,
    )
