"""Read-only figures for the admin dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from procure.admin.list_rows import AuditRow, audit_rows
from procure.admin.presenters import BarChart, bar_chart
from procure.audit.models import AuditLog
from procure.auth.models import Role, User
from procure.catalog.models import Kecamatan
from procure.opd.models import Opd
from procure.umkm.models import Product, Umkm, UmkmStatus


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Dashboard:
    umkm_by_status: list[Count]
    active_products: int
    active_opds: int
    all_opds: int
    accounts_by_role: list[Count]
    verified_by_kecamatan: list[tuple[str, int]]
    chart: BarChart
    latest_audit: list[AuditRow]


def dashboard(session: Session) -> Dashboard:
    """The admin's overview figures, each from one grouped query."""
    by_status = dict(
        session.execute(select(Umkm.status, func.count()).group_by(Umkm.status)).tuples().all()
    )
    by_role = dict(
        session.execute(
            select(User.role, func.count()).where(User.is_enabled.is_(True)).group_by(User.role)
        )
        .tuples()
        .all()
    )
    per_kecamatan = [
        (name, count)
        for name, count in session.execute(
            select(Kecamatan.name, func.count(Umkm.id))
            .outerjoin(
                Umkm,
                (Umkm.kecamatan_id == Kecamatan.id) & (Umkm.status == UmkmStatus.VERIFIED.value),
            )
            .group_by(Kecamatan.id, Kecamatan.name)
            .order_by(Kecamatan.name)
        ).tuples()
    ]
    active_products = session.scalar(
        select(func.count())
        .select_from(Product)
        .join(Umkm, Product.umkm_id == Umkm.id)
        .where(Product.is_active.is_(True), Umkm.status == UmkmStatus.VERIFIED.value)
    )
    active_opds = session.scalar(
        select(func.count()).select_from(Opd).where(Opd.is_active.is_(True))
    )
    latest = session.scalars(
        select(AuditLog)
        .options(selectinload(AuditLog.actor))
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(10)
    )
    return Dashboard(
        umkm_by_status=[Count(s.value, s.label, by_status.get(s.value, 0)) for s in UmkmStatus],
        active_products=active_products or 0,
        active_opds=active_opds or 0,
        all_opds=session.scalar(select(func.count()).select_from(Opd)) or 0,
        accounts_by_role=[Count(r.value, r.label, by_role.get(r.value, 0)) for r in Role],
        verified_by_kecamatan=per_kecamatan,
        chart=bar_chart(per_kecamatan),
        latest_audit=audit_rows(latest),
    )
