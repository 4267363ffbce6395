"""Pure OCDS 1.1 rules: the plain facts of a purchase and the release package built from them.

No Flask, no SQLAlchemy. Each purchase request becomes one compiled-style release (the whole
process as it stands: tender, one award and one contract per Surat Pesanan, payments as
transactions). Amounts are whole Rupiah; times are timezone-aware and written in Asia/Jakarta
as ISO 8601 with their offset.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from procure.clock import JAKARTA, midnight

OCDS_VERSION = "1.1"
CURRENCY = "IDR"
SCALE_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_organizationScale_extension/master/extension.json"
)
METHOD_DETAILS = "E-Purchasing Katalog Lokal"
METHOD_RATIONALE = (
    "Penyedia diurutkan oleh kebijakan pemerataan-v1 dari penawaran UMKM terverifikasi "
    "di katalog lokal."
)
OVERRIDE_RATIONALE = " Pilihan akhir ditetapkan pejabat pengadaan dengan alasan tertulis."
# Catering is a service; uniforms, batik, shoes, stationery, prints and crafts are goods.
SERVICE_CATEGORIES = frozenset({"konsumsi"})
# PP 7/2021 scales to the extension's partyScale codes (small and medium are both "sme").
SCALES = {"mikro": "micro", "kecil": "sme", "menengah": "sme", "besar": "large"}
TENDER_STATUS = {"draft": "active", "ordered": "complete", "cancelled": "cancelled"}
AWARD_STATUS = dict.fromkeys(("issued", "accepted", "delivered", "received", "paid"), "active") | {
    "declined": "unsuccessful",
    "expired": "unsuccessful",
    "cancelled": "cancelled",
}


@dataclass(frozen=True)
class PartyFacts:
    """An organisation: an OPD (buyer, payer) or an UMKM (supplier, payee)."""

    id: str  # "opd-3", "umkm-12": the same in every release
    name: str
    identifier_scheme: str | None = None
    identifier_id: str | None = None
    street_address: str | None = None
    locality: str | None = None
    declared_scale: str | None = None  # an UMKM's mikro / kecil / menengah


@dataclass(frozen=True)
class PaymentFacts:
    paid_on: dt.date
    amount: int


@dataclass(frozen=True)
class OrderFacts:
    """One Surat Pesanan: the part of a request given to one UMKM."""

    id: int
    supplier: PartyFacts
    quantity: int
    unit_price: int
    value: int
    status: str
    issued_at: dt.datetime
    due_date: dt.date
    responded_at: dt.datetime | None = None
    last_change_at: dt.datetime | None = None  # the order's latest event
    payment: PaymentFacts | None = None


@dataclass(frozen=True)
class RequestFacts:
    """A purchase request with its decision and its orders."""

    id: int
    title: str
    specification: str
    category_slug: str
    quantity: int
    unit: str
    hps_unit_price: int
    status: str
    created_at: dt.datetime
    buyer: PartyFacts
    decided_at: dt.datetime | None = None
    is_override: bool = False
    orders: tuple[OrderFacts, ...] = ()


def iso(moment: dt.datetime) -> str:
    """An aware moment in Asia/Jakarta, ISO 8601 with its offset."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: OCDS dates need a timezone")
    return moment.astimezone(JAKARTA).isoformat(timespec="seconds")


def day_end(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), JAKARTA)


def supplier_scale(declared_scale: str | None) -> str | None:
    """The extension's scale code of an UMKM's declared scale (None when unknown)."""
    return SCALES.get((declared_scale or "").strip().lower())


def _money(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": CURRENCY}


def _ref(party: PartyFacts) -> dict[str, Any]:
    return {"id": party.id, "name": party.name}


def _item(description: str, quantity: int, unit: str, unit_price: int) -> dict[str, Any]:
    return {
        "id": "1",
        "description": description,
        "quantity": quantity,
        "unit": {"name": unit, "value": _money(unit_price)},
    }


def _compact(data: Mapping[str, Any]) -> dict[str, Any]:
    """Drop None and empty values: OCDS asks to omit a field rather than leave it empty."""
    return {k: v for k, v in data.items() if v is not None and v != "" and v != [] and v != {}}


def _party(party: PartyFacts, roles: Iterable[str]) -> dict[str, Any]:
    identifier = None
    if party.identifier_id:
        identifier = _compact(
            {"scheme": party.identifier_scheme, "id": party.identifier_id, "legalName": party.name}
        )
    address = _compact(
        {
            "streetAddress": party.street_address,
            "locality": party.locality,
            "countryName": "Indonesia",
        }
    )
    scale = supplier_scale(party.declared_scale)
    return _compact(
        {
            "id": party.id,
            "name": party.name,
            "identifier": identifier,
            "address": address,
            "roles": list(roles),
            "details": {"scale": scale} if scale else None,
        }
    )


def contract_status(order: OrderFacts) -> str:
    """pending until the UMKM accepts; terminated once paid or cancelled after acceptance."""
    if order.status == "issued":
        return "pending"
    if order.status in ("declined", "expired"):
        return "cancelled"
    if order.status == "cancelled":
        return "terminated" if order.responded_at else "cancelled"
    if order.status == "paid":
        return "terminated"
    return "active"


def _transaction(order: OrderFacts, buyer: PartyFacts) -> dict[str, Any] | None:
    if order.payment is None:
        return None
    return {
        "id": f"payment-{order.id}",
        "date": iso(midnight(order.payment.paid_on)),
        "value": _money(order.payment.amount),
        "payer": _ref(buyer),
        "payee": _ref(order.supplier),
    }


def _award(order: OrderFacts, request: RequestFacts) -> dict[str, Any]:
    return {
        "id": f"award-{order.id}",
        "status": AWARD_STATUS[order.status],
        "date": iso(order.issued_at),
        "value": _money(order.value),
        "suppliers": [_ref(order.supplier)],
        "items": [_item(request.title, order.quantity, request.unit, order.unit_price)],
    }


def _contract(order: OrderFacts, request: RequestFacts) -> dict[str, Any]:
    signed = order.responded_at if order.status not in ("declined", "expired") else None
    transaction = _transaction(order, request.buyer)
    return _compact(
        {
            "id": f"contract-{order.id}",
            "awardID": f"award-{order.id}",
            "title": f"Surat Pesanan #{order.id}",
            "status": contract_status(order),
            "value": _money(order.value),
            "period": {"startDate": iso(order.issued_at), "endDate": iso(day_end(order.due_date))},
            "dateSigned": iso(signed) if signed else None,
            "implementation": {"transactions": [transaction]} if transaction else None,
        }
    )


def _tags(request: RequestFacts) -> list[str]:
    tags = ["tender"]
    if request.status == "cancelled":
        tags.append("tenderCancellation")
    if request.orders:
        tags += ["award", "contract"]
    if any(o.payment for o in request.orders):
        tags.append("implementation")
    return tags


def _parties(request: RequestFacts) -> list[dict[str, Any]]:
    paid = any(o.payment for o in request.orders)
    roles: dict[str, list[str]] = {request.buyer.id: ["buyer", "procuringEntity"]}
    if paid:
        roles[request.buyer.id].append("payer")
    facts: dict[str, PartyFacts] = {request.buyer.id: request.buyer}
    for order in request.orders:
        facts.setdefault(order.supplier.id, order.supplier)
        wanted = roles.setdefault(order.supplier.id, [])
        for role in ("supplier", "payee") if order.payment else ("supplier",):
            if role not in wanted:
                wanted.append(role)
    return [_party(facts[key], roles[key]) for key in facts]


def _tender(request: RequestFacts) -> dict[str, Any]:
    category = "services" if request.category_slug in SERVICE_CATEGORIES else "goods"
    rationale = METHOD_RATIONALE + (OVERRIDE_RATIONALE if request.is_override else "")
    period = _compact(
        {
            "startDate": iso(request.created_at),
            "endDate": iso(request.decided_at) if request.decided_at else None,
        }
    )
    return _compact(
        {
            "id": f"request-{request.id}",
            "title": request.title,
            "description": request.specification.strip(),
            "status": TENDER_STATUS[request.status],
            "procuringEntity": _ref(request.buyer),
            "items": [_item(request.title, request.quantity, request.unit, request.hps_unit_price)],
            "value": _money(request.quantity * request.hps_unit_price),
            # The platform ranks the catalog offers of verified local UMKM: there is no open call.
            "procurementMethod": "limited",
            "procurementMethodDetails": METHOD_DETAILS,
            "procurementMethodRationale": rationale,
            "mainProcurementCategory": category,
            "tenderPeriod": period,
        }
    )


def release_date(request: RequestFacts) -> dt.datetime:
    """The latest moment anything in the process changed."""
    moments = [request.created_at]
    if request.decided_at:
        moments.append(request.decided_at)
    for order in request.orders:
        moments += [m for m in (order.issued_at, order.responded_at, order.last_change_at) if m]
    return max(moments)


def build_release(request: RequestFacts, ocid_prefix: str) -> dict[str, Any]:
    """One compiled-style release of the whole process of ``request``."""
    ocid = f"{ocid_prefix}-{request.id}"
    release = _compact(
        {
            "ocid": ocid,
            "date": iso(release_date(request)),
            "tag": _tags(request),
            "initiationType": "tender",
            "parties": _parties(request),
            "buyer": _ref(request.buyer),
            "tender": _tender(request),
            "awards": [_award(o, request) for o in request.orders],
            "contracts": [_contract(o, request) for o in request.orders],
            "language": "id",
        }
    )
    # The id is a digest of the content: the same facts always give the same id, and any
    # change (a new status, a payment) gives a new one, as OCDS asks of release ids. The keys
    # are in the fixed order of this module, so no sorting is needed.
    canonical = json.dumps(release, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    return {"ocid": ocid, "id": f"{ocid}-{digest}", **release}


def build_release_package(
    facts: Sequence[RequestFacts],
    *,
    publisher_name: str,
    ocid_prefix: str,
    published_at: dt.datetime,
    uri: str,
) -> dict[str, Any]:
    """An OCDS 1.1 release package: one release per request, with the scale extension."""
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": [SCALE_EXTENSION],
        "publishedDate": iso(published_at),
        "publisher": {"name": publisher_name},
        "releases": [build_release(request, ocid_prefix) for request in facts],
    }
