"""Plain rows for the request pages, built from a request and its orders.

Pure: no Flask, no SQLAlchemy. Templates get these frozen dataclasses, never ORM objects. The
stored run's rows (ranking, proposal, decision) are built by ``procure.ranking.run_rows``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

REQUEST_STATUS_LABELS = {
    "draft": "Belum diputuskan",
    "ordered": "Surat Pesanan terbit",
    "cancelled": "Dibatalkan",
}


@dataclass(frozen=True)
class RequestCard:
    id: int
    title: str
    opd_name: str
    category_name: str
    specification: str
    quantity: int
    unit: str
    hps_unit_price: int
    value: int
    needed_by: dt.date
    delivery_address: str
    budget_code: str
    fiscal_year: int
    notes: str | None
    event_name: str | None
    event_date: dt.date | None
    invitation_number: str | None
    expected_attendees: int | None
    excess_reason: str | None
    is_excess_portions: bool
    is_split_suspect: bool
    split_note: str | None
    status: str
    status_label: str
    created_at: dt.datetime
    created_by_name: str

    @property
    def has_event(self) -> bool:
        return bool(self.event_name or self.event_date or self.expected_attendees)


def request_card(request: Any) -> RequestCard:
    """A purchase request (any object with its attributes) as plain data."""
    return RequestCard(
        id=request.id,
        title=request.title,
        opd_name=request.opd.name,
        category_name=request.category.name,
        specification=request.specification,
        quantity=request.quantity,
        unit=request.unit,
        hps_unit_price=request.hps_unit_price,
        value=request.quantity * request.hps_unit_price,
        needed_by=request.needed_by,
        delivery_address=request.delivery_address,
        budget_code=request.budget_code,
        fiscal_year=request.fiscal_year,
        notes=request.notes,
        event_name=request.event_name,
        event_date=request.event_date,
        invitation_number=request.invitation_number,
        expected_attendees=request.expected_attendees,
        excess_reason=request.excess_reason,
        is_excess_portions=request.is_excess_portions,
        is_split_suspect=request.is_split_suspect,
        split_note=request.split_note,
        status=request.status,
        status_label=REQUEST_STATUS_LABELS.get(request.status, request.status),
        created_at=request.created_at,
        created_by_name=request.created_by.full_name,
    )


@dataclass(frozen=True)
class RequestRow:
    """One line of the request list."""

    id: int
    title: str
    opd_name: str
    category_name: str
    quantity: int
    unit: str
    value: int
    needed_by: dt.date
    status_label: str
    is_excess_portions: bool
    is_split_suspect: bool
    created_at: dt.datetime


def request_row(request: Any) -> RequestRow:
    return RequestRow(
        id=request.id,
        title=request.title,
        opd_name=request.opd.name,
        category_name=request.category.name,
        quantity=request.quantity,
        unit=request.unit,
        value=request.quantity * request.hps_unit_price,
        needed_by=request.needed_by,
        status_label=REQUEST_STATUS_LABELS.get(request.status, request.status),
        is_excess_portions=request.is_excess_portions,
        is_split_suspect=request.is_split_suspect,
        created_at=request.created_at,
    )


@dataclass(frozen=True)
class OrderRow:
    """An order created from the request's decision."""

    id: int
    umkm_name: str
    quantity: int
    value: int
    status_label: str
    response_deadline: dt.date


def order_row(order: Any, status_label: str) -> OrderRow:
    return OrderRow(
        order.id,
        order.umkm.business_name,
        order.quantity,
        order.value,
        status_label,
        order.response_deadline,
    )


@dataclass(frozen=True)
class OlderRun:
    """A run superseded by a later one (before the decision)."""

    id: int
    created_at: dt.datetime
    created_by_name: str
