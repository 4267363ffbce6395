"""Read-side omzet queries: a UMKM's months, revision history, derived scale and flags.

Pages get plain dataclasses, never ORM objects. Writing lives in ``services``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from procure.auth.models import Role
from procure.catalog.models import Kecamatan
from procure.clock import today_in_jakarta
from procure.clock_sql import jakarta_month
from procure.omzet.latest import latest_omzet_revisions
from procure.omzet.models import OmzetReport
from procure.omzet.rules import (
    FilingWindow,
    Flag,
    Period,
    derived_scale,
    last_months,
    omzet_flags,
)
from procure.omzet.services import filing_window, latest_reports
from procure.procurement.models import LIVE_ORDER_STATUSES, PurchaseOrder
from procure.umkm.models import BusinessScale, Umkm, UmkmStatus

FILING_CHOICES_MAX = 24  # months offered in the filing form, newest first
CHART_MONTHS = 12
FLAG_WINDOW = 15  # 12 months shown + 3 before them, the drop rule's baseline
FLAG_KINDS = {
    "below_platform_sales": "Di bawah penjualan lewat platform",
    "sharp_drop": "Turun tajam",
}
SCALE_LABELS = {s.value: s.label for s in BusinessScale} | {"besar": "Usaha Besar"}
SOURCE_LABELS = {"form": "Formulir", "import": "Impor"}


def scale_label(scale: str | None) -> str | None:
    return SCALE_LABELS.get(scale, scale) if scale else None


# -- sales seen by the platform -----------------------------------------------------------------


def platform_sales_by_month(session: Session, umkm_id: int) -> dict[Period, int]:
    """What the UMKM sold to the government through this platform, per month.

    The value of its live orders (issued, accepted, delivered, received, paid) by the month
    they were issued in Asia/Jakarta: the same floor the allocation applies (ALLOCATION.md).
    """
    return platform_sales_by_umkm(session, None, umkm_id).get(umkm_id, {})


def platform_sales_by_umkm(
    session: Session, since: Period | None, umkm_id: int | None = None
) -> dict[int, dict[Period, int]]:
    """``platform_sales_by_month`` for every UMKM at once (or one), from ``since`` on."""
    month = jakarta_month(PurchaseOrder.issued_at, session)
    query = (
        select(PurchaseOrder.umkm_id, month, func.sum(PurchaseOrder.value))
        .where(PurchaseOrder.status.in_(LIVE_ORDER_STATUSES))
        .group_by(PurchaseOrder.umkm_id, month)
    )
    if umkm_id is not None:
        query = query.where(PurchaseOrder.umkm_id == umkm_id)
    sales: dict[int, dict[Period, int]] = defaultdict(dict)
    for owner, yyyymm, total in session.execute(query):
        period = Period(int(yyyymm) // 100, int(yyyymm) % 100)
        if since is None or period >= since:
            sales[owner][period] = int(total)
    return dict(sales)


# -- one UMKM -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    """One month in the owner's table: its current figure and status."""

    period: Period
    amount: int | None
    revision: int | None
    is_late: bool

    @property
    def key(self) -> str:
        return str(self.period)

    @property
    def label(self) -> str:
        return self.period.label

    @property
    def is_filed(self) -> bool:
        return self.amount is not None

    @property
    def statuses(self) -> list[str]:
        """``dilaporkan`` / ``terlambat`` / ``belum dilaporkan``, then ``koreksi ke-N``."""
        if self.amount is None:
            return ["belum dilaporkan"]
        statuses = ["terlambat" if self.is_late else "dilaporkan"]
        if self.revision and self.revision > 1:
            statuses.append(f"koreksi ke-{self.revision - 1}")
        return statuses


@dataclass(frozen=True)
class Overview:
    """What the owner's omzet page shows below the form."""

    months: list[MonthRow]  # newest first
    chart: list[tuple[str, int | None]]  # oldest first, short labels
    missing: list[Period]  # oldest first
    choices: list[Period]  # fileable months, newest first
    older_missing: int  # fileable months left out of ``choices`` (older than the 24 shown)
    window_open: bool  # False: no month may be filed yet (not: every month is filed)
    window_sentence: str  # "Omzet dapat dilaporkan mulai ... sampai ..."
    derived_scale: str | None
    declared_scale: str | None


def filing_choices(window: FilingWindow, filed: set[Period]) -> list[Period]:
    """Months of the filing window not yet filed, newest first, at most 24."""
    return [p for p in window.months() if p not in filed][:FILING_CHOICES_MAX]


def overview(session: Session, umkm: Umkm, today: dt.date) -> Overview:
    """The owner's last 12 months, missing months, fileable months and derived scale."""
    latest = latest_reports(session, umkm.id)
    current = Period.of(today)
    window = filing_window(umkm, today)
    # Months the window does not reach only appear when a report exists.
    shown = [p for p in last_months(current, CHART_MONTHS) if p in window or p in latest]
    months = [
        MonthRow(p, r.amount, r.revision, r.is_late)
        if (r := latest.get(p))
        else MonthRow(p, None, None, False)
        for p in reversed(shown)
    ]
    choices = filing_choices(window, set(latest))
    unfiled = sum(1 for p in window.months() if p not in latest)
    amounts = {p: r.amount for p, r in latest.items()}
    return Overview(
        months=months,
        chart=[(m.period.short_label, m.amount) for m in reversed(months)],
        missing=list(reversed(choices)),
        choices=choices,
        older_missing=unfiled - len(choices),
        window_open=window.is_open,
        window_sentence=window.sentence,
        derived_scale=derived_scale(amounts, current),
        declared_scale=umkm.declared_scale,
    )


def invited_months(session: Session, umkm: Umkm, today: dt.date) -> list[Period]:
    """The months the first-login prompt asks for, oldest first: the last three before the
    registration month, while the UMKM has filed no omzet at all; else none."""
    if session.scalar(select(OmzetReport.id).where(OmzetReport.umkm_id == umkm.id).limit(1)):
        return []
    window = filing_window(umkm, today)
    return [p for p in window.invited if p in window]


def derived_scale_for(session: Session, umkm_id: int, as_of: Period) -> str | None:
    """Scale (``mikro``/``kecil``/``menengah``/``besar``) from the 12 months before ``as_of``.

    None when the UMKM reported no month in that window. For profile and admin pages.
    """
    latest = latest_omzet_revisions(umkm_id=umkm_id, first=as_of.shift(-12), last=as_of.shift(-1))
    rows = session.execute(select(latest.c.period, latest.c.amount))
    return derived_scale({Period.parse(p): amount for p, amount in rows}, as_of)


def derived_scale_text(session: Session, umkm_id: int) -> str:
    """The scale by omzet of the last 12 completed months, in words, for profile pages."""
    scale = derived_scale_for(session, umkm_id, Period.of(today_in_jakarta()))
    return scale_label(scale) or "belum ada laporan omzet 12 bulan terakhir"


def flags_for(
    session: Session,
    umkm_id: int,
    platform_sales: Callable[[Session, int], dict[Period, int]] = platform_sales_by_month,
) -> list[Flag]:
    """Inspector flags over every month the UMKM reported, oldest first."""
    amounts = {p: r.amount for p, r in latest_reports(session, umkm_id).items()}
    return omzet_flags(amounts, platform_sales(session, umkm_id))


@dataclass(frozen=True)
class RevisionRow:
    period: Period
    revision: int
    amount: int
    reason: str | None
    filed_by: str
    filed_at: dt.datetime
    source: str
    is_late: bool
    is_current: bool


def history(session: Session, umkm_id: int, period: Period | None = None) -> list[RevisionRow]:
    """Every revision, newest month first and newest revision first."""
    query = (
        select(OmzetReport)
        .where(OmzetReport.umkm_id == umkm_id)
        .options(selectinload(OmzetReport.filed_by))
        .order_by(OmzetReport.period.desc(), OmzetReport.revision.desc())
    )
    if period is not None:
        query = query.where(OmzetReport.period == str(period))
    rows: list[RevisionRow] = []
    for report in session.scalars(query):
        user = report.filed_by
        who = f"{user.full_name} ({Role(user.role).label})" if user else "Sistem (impor lewat CLI)"
        source = SOURCE_LABELS.get(report.source, report.source)
        if report.source_file:
            source = f"{source}: {report.source_file}"
        is_current = not rows or rows[-1].period != Period.parse(report.period)
        rows.append(
            RevisionRow(
                Period.parse(report.period),
                report.revision,
                report.amount,
                report.reason,
                who,
                report.filed_at,
                source,
                report.is_late,
                is_current,
            )
        )
    return rows


# -- every verified UMKM ------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagRow:
    umkm_id: int
    business_name: str
    kecamatan: str
    period: Period
    kind: str
    message: str

    @property
    def kind_label(self) -> str:
        return FLAG_KINDS.get(self.kind, self.kind)


def flagged_months(
    session: Session,
    as_of: Period,
    *,
    kind: str | None = None,
    kecamatan_id: int | None = None,
) -> list[FlagRow]:
    """Flags of the 12 months before ``as_of`` across verified UMKM, newest month first.

    One query loads the current figure of the last 15 months of every verified UMKM; the
    grouping and the rules run in Python. Fine up to a few thousand UMKM (15 rows each); at
    100k UMKM, issue 4's per-UMKM monthly aggregates replace this scan.
    """
    window = last_months(as_of, FLAG_WINDOW)
    shown_from = as_of.shift(-CHART_MONTHS)
    latest = latest_omzet_revisions(first=window[0], last=window[-1])
    query = (
        select(
            latest.c.umkm_id,
            latest.c.period,
            latest.c.amount,
            Umkm.business_name,
            Kecamatan.name,
        )
        .join(Umkm, Umkm.id == latest.c.umkm_id)
        .join(Kecamatan, Kecamatan.id == Umkm.kecamatan_id)
        .where(Umkm.status == UmkmStatus.VERIFIED.value)
    )
    if kecamatan_id is not None:
        query = query.where(Umkm.kecamatan_id == kecamatan_id)
    monthly: dict[int, dict[Period, int]] = defaultdict(dict)
    names: dict[int, tuple[str, str]] = {}
    for umkm_id, period, amount, business_name, kecamatan in session.execute(query):
        monthly[umkm_id][Period.parse(period)] = amount
        names[umkm_id] = (business_name, kecamatan)
    sales = platform_sales_by_umkm(session, window[0])
    rows = [
        FlagRow(umkm_id, *names[umkm_id], flag.period, flag.kind, flag.message)
        for umkm_id, amounts in monthly.items()
        for flag in omzet_flags(amounts, sales.get(umkm_id, {}))
        if flag.period >= shown_from and (kind is None or flag.kind == kind)
    ]
    rows.sort(key=lambda r: (r.business_name.lower(), r.umkm_id, r.kind))
    rows.sort(key=lambda r: r.period, reverse=True)
    return rows


class ListPagination(Pagination):
    """A page of a list computed in Python, shaped like ``db.paginate``'s result.

    The ``pagination`` macro takes a Flask-SQLAlchemy Pagination; flags are computed in Python,
    so this subclass slices a list instead of running a query. An out-of-range page is empty.
    """

    def __init__(self, rows: list[FlagRow], page: int | None, per_page: int) -> None:
        super().__init__(page=page, per_page=per_page, error_out=False, rows=rows)

    def _query_items(self) -> list[FlagRow]:
        rows: list[FlagRow] = self._query_args["rows"]
        return rows[self._query_offset : self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["rows"])
