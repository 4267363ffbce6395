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
    is_active: bool
    created_at: dt.datetime


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
        is_active=opd.is_active,
        created_at=opd.created_at,
    )
    return detail, user_rows(officers)


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
