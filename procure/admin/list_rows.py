"""What the admin lists show, as plain rows: templates never touch an ORM object.

Each ``*_rows`` reads the loaded objects once, in the view (relationships eager-loaded by the
queries), and hands the template frozen rows; nothing is lazy-loaded while a page renders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from procure.audit.models import AuditLog
from procure.auth.models import User
from procure.catalog.models import Kecamatan
from procure.opd.models import Opd
from procure.umkm.models import Umkm


@dataclass(frozen=True)
class UmkmRow:
    id: int
    business_name: str
    owner_name: str
    nib: str
    kecamatan: str
    categories: str
    status: str
    status_label: str
    submitted_at: dt.datetime


@dataclass(frozen=True)
class UserRow:
    id: int
    full_name: str
    jabatan: str | None
    nip: str | None
    email: str
    role_label: str
    belongs_to: str
    is_enabled: bool
    last_login_at: dt.datetime | None


@dataclass(frozen=True)
class OpdRow:
    id: int
    code: str
    name: str
    head_name: str
    is_active: bool


@dataclass(frozen=True)
class OpdDetail:
    id: int
    code: str
    name: str
    address: str
    head_name: str
    head_nip: str | None
    treasurer_name: str | None
    treasurer_nip: str | None
    treasurer_email: str | None
    treasurer_phone: str | None
    is_active: bool
    created_at: dt.datetime
    phone: str | None = None  # the office's, printed in the kop
    email: str | None = None


@dataclass(frozen=True)
class UmkmProductLine:
    name: str
    category: str
    unit_price: int
    unit: str
    monthly_capacity: int
    is_active: bool


@dataclass(frozen=True)
class UmkmReviewLine:
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    reason: str | None
    actor_email: str


@dataclass(frozen=True)
class UmkmDetail:
    """One UMKM as its verification page shows it: registration data, products, decisions."""

    id: int
    business_name: str
    status: str
    status_label: str
    status_reason: str | None
    owner_name: str
    nik: str
    nib: str
    npwp: str
    address: str
    kelurahan: str
    kecamatan: str
    phone: str
    bank_name: str
    bank_account_number: str
    bank_account_name: str
    scale_label: str
    is_own_production: bool
    is_pkp: bool
    has_pp55_certificate: bool
    categories: str
    description: str | None
    owner_email: str | None
    submitted_at: dt.datetime
    verified_at: dt.datetime | None
    products: tuple[UmkmProductLine, ...]
    reviews: tuple[UmkmReviewLine, ...]


@dataclass(frozen=True)
class RegionRow:
    """A kecamatan and the names of its kelurahan, in their stored order."""

    id: int
    name: str
    kelurahan: tuple[str, ...]


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    actor: str
    action: str
    summary: str
    data: dict[str, Any] | None


def umkm_rows(items: Iterable[Umkm], with_categories: bool = True) -> list[UmkmRow]:
    """UMKM rows; the verification queue shows (and its query loads) no categories."""
    return [
        UmkmRow(
            id=u.id,
            business_name=u.business_name,
            owner_name=u.owner_name,
            nib=u.nib,
            kecamatan=u.kecamatan.name,
            categories=", ".join(c.name for c in u.categories) if with_categories else "",
            status=u.status,
            status_label=u.status_label,
            submitted_at=u.submitted_at,
        )
        for u in items
    ]


def umkm_page(u: Umkm) -> UmkmDetail:
    """The UMKM page's data, read in the view (products by name, newest decision first)."""
    return UmkmDetail(
        id=u.id,
        business_name=u.business_name,
        status=u.status,
        status_label=u.status_label,
        status_reason=u.status_reason,
        owner_name=u.owner_name,
        nik=u.nik,
        nib=u.nib,
        npwp=u.npwp,
        address=u.address,
        kelurahan=u.kelurahan.name,
        kecamatan=u.kecamatan.name,
        phone=u.phone,
        bank_name=u.bank_name,
        bank_account_number=u.bank_account_number,
        bank_account_name=u.bank_account_name,
        scale_label=u.scale_label,
        is_own_production=u.is_own_production,
        is_pkp=u.is_pkp,
        has_pp55_certificate=u.has_pp55_certificate,
        categories=", ".join(c.name for c in u.categories),
        description=u.description,
        owner_email=u.owner.email if u.owner else None,
        submitted_at=u.submitted_at,
        verified_at=u.verified_at,
        products=tuple(
            UmkmProductLine(
                name=p.name,
                category=p.category.name,
                unit_price=p.unit_price,
                unit=p.unit,
                monthly_capacity=p.monthly_capacity,
                is_active=p.is_active,
            )
            for p in u.products
        ),
        reviews=tuple(
            UmkmReviewLine(
                at=r.at,
                action=r.action,
                from_status=r.from_status,
                to_status=r.to_status,
                reason=r.reason,
                actor_email=r.actor.email,
            )
            for r in u.reviews
        ),
    )


def user_rows(items: Iterable[User]) -> list[UserRow]:
    return [
        UserRow(
            id=u.id,
            full_name=u.full_name,
            jabatan=u.jabatan,
            nip=u.nip,
            email=u.email,
            role_label=u.role_label,
            belongs_to=u.opd.name if u.opd else (u.umkm.business_name if u.umkm else "-"),
            is_enabled=u.is_enabled,
            last_login_at=u.last_login_at,
        )
        for u in items
    ]


def opd_rows(items: Iterable[Opd]) -> list[OpdRow]:
    return [OpdRow(o.id, o.code, o.name, o.head_name, o.is_active) for o in items]


def opd_with_officers(opd: Opd) -> tuple[OpdDetail, list[UserRow]]:
    """One OPD and its procurement officers, the enabled first, by name."""
    officers = sorted(opd.officers, key=lambda u: (not u.is_enabled, u.full_name))
    detail = OpdDetail(
        id=opd.id,
        code=opd.code,
        name=opd.name,
        address=opd.address,
        head_name=opd.head_name,
        head_nip=opd.head_nip,
        treasurer_name=opd.treasurer_name,
        treasurer_nip=opd.treasurer_nip,
        treasurer_email=opd.treasurer_email,
        treasurer_phone=opd.treasurer_phone,
        is_active=opd.is_active,
        created_at=opd.created_at,
        phone=opd.phone,
        email=opd.email,
    )
    return detail, user_rows(officers)


def region_rows(items: Iterable[Kecamatan]) -> list[RegionRow]:
    return [RegionRow(k.id, k.name, tuple(kel.name for kel in k.kelurahan)) for k in items]


def audit_rows(items: Iterable[AuditLog]) -> list[AuditRow]:
    """Audit entries; the actor's e-mail, or "Sistem" for what no one did by hand."""
    return [
        AuditRow(
            at=e.at,
            actor=e.actor.email if e.actor else "Sistem",
            action=e.action,
            summary=e.summary,
            data=e.data,
        )
        for e in items
    ]
