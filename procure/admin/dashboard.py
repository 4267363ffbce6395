"""Read-only figures for the admin dashboard.

The register's figures (UMKM by status, listed products, verified UMKM per kecamatan, UMKM not
filing last month's omzet) each read the whole ``umkm`` or ``product`` table: at 100,000 UMKM
and 200,000 products they take ~260 ms together even on index-only scans, so no index makes the
home answer in 150 ms. They are kept instead, per worker, for ``KEEP_SECONDS`` once the
register holds ``KEEP_FROM_UMKM`` UMKM or more (a small register, the demo and the tests, is
counted on every view), and the page says at what time they were counted. The freshness rule
is a time, not a fingerprint: a fingerprint of two whole tables would cost what the counts do.
They are overview figures; the work itself (the verification queue, the non-filers list) is
always read live on its own page, and the queue's count on the home is live too.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from procure.admin.list_rows import AuditRow, audit_rows
from procure.admin.presenters import BarChart, bar_chart
from procure.audit.models import AuditLog
from procure.auth.models import Role, User
from procure.catalog.models import Kecamatan
from procure.clock import now, to_jakarta, today_in_jakarta
from procure.omzet import compliance
from procure.omzet.compliance_rules import reporting_month
from procure.omzet.rules import Period
from procure.opd.models import Opd
from procure.umkm.models import Product, Umkm, UmkmStatus


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int


KEEP_SECONDS = 300
KEEP_FROM_UMKM = 10_000


@dataclass(frozen=True)
class Register:
    """The figures read from the whole register, and when they were counted (UTC)."""

    umkm_by_status: list[Count]
    active_products: int
    verified_by_kecamatan: list[tuple[str, int]]
    non_filers: int
    counted_at: dt.datetime
    kept: bool  # counted on an earlier view (a large register), not on this one


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
    non_filers: int
    counted_note: str  # "" when counted on this view


def count_register(session: Session, period: Period) -> Register:
    """The whole-register figures, counted now (``period``: the omzet month owed)."""
    by_status = dict(
        session.execute(select(Umkm.status, func.count()).group_by(Umkm.status)).tuples().all()
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
    # What the catalog lists: active, of a verified UMKM, in an active category.
    active_products = session.scalar(
        select(func.count()).select_from(Product).where(Product.is_listed.is_(True))
    )
    non_filers = session.scalar(
        select(func.count()).select_from(
            compliance.non_filer_ids(period, compliance.ComplianceFilter())
            .order_by(None)
            .subquery()
        )
    )
    return Register(
        umkm_by_status=[Count(s.value, s.label, by_status.get(s.value, 0)) for s in UmkmStatus],
        active_products=active_products or 0,
        verified_by_kecamatan=per_kecamatan,
        non_filers=int(non_filers or 0),
        counted_at=now(),
        kept=False,
    )


_kept: dict[tuple[str, str], Register] = {}
_kept_lock = threading.Lock()


def register(session: Session, period: Period) -> Register:
    """The register's figures: counted now, or kept from a view less than ``KEEP_SECONDS`` ago
    when the register is large (see the module's docstring)."""
    key = (str(session.get_bind().url), str(period))
    with _kept_lock:
        found = _kept.get(key)
    if found is not None and (now() - found.counted_at).total_seconds() < KEEP_SECONDS:
        return replace(found, kept=True)
    counted = count_register(session, period)
    if sum(c.count for c in counted.umkm_by_status) >= KEEP_FROM_UMKM:
        with _kept_lock:
            _kept[key] = counted
    return counted


def dashboard(session: Session, period: Period | None = None) -> Dashboard:
    """The admin's overview figures: the register's (see ``register``) and the small ones.
    ``period``: the omzet month owed (by default the one owed today)."""
    figures = register(session, period or reporting_month(today_in_jakarta()))
    by_role = dict(
        session.execute(
            select(User.role, func.count()).where(User.is_enabled.is_(True)).group_by(User.role)
        )
        .tuples()
        .all()
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
        umkm_by_status=figures.umkm_by_status,
        active_products=figures.active_products,
        active_opds=active_opds or 0,
        all_opds=session.scalar(select(func.count()).select_from(Opd)) or 0,
        accounts_by_role=[Count(r.value, r.label, by_role.get(r.value, 0)) for r in Role],
        verified_by_kecamatan=figures.verified_by_kecamatan,
        chart=bar_chart(figures.verified_by_kecamatan),
        latest_audit=audit_rows(latest),
        non_filers=figures.non_filers,
        counted_note=(
            f"Angka UMKM, produk dan omzet dihitung pukul "
            f"{to_jakarta(figures.counted_at):%H.%M} WIB; dihitung ulang paling lama "
            f"{seconds_text(KEEP_SECONDS)} sekali."
            if figures.kept
            else ""
        ),
    )


def seconds_text(seconds: int) -> str:
    return f"{seconds // 60} menit" if seconds % 60 == 0 else f"{seconds} detik"
