"""Omzet use cases: file a month, correct it, read a UMKM's history.

Services take the session and flush; the caller commits. Rows are only ever inserted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from procure.audit.services import record
from procure.clock import jakarta_date, today_in_jakarta
from procure.formatting import rupiah
from procure.omzet.latest import latest_omzet_revisions
from procure.omzet.models import OmzetReport
from procure.omzet.rules import (
    FilingWindow,
    Period,
    check_amount,
    check_filing_period,
    is_late,
)
from procure.ranking import figures
from procure.umkm.models import Umkm
from procure.umkm.rules import RuleError

MIN_REASON_LENGTH = 10


@dataclass(frozen=True)
class OmzetSettings:
    deadline_day: int
    max_monthly: int


def registered_on(umkm: Umkm) -> dt.date:
    """The day the UMKM registered (its application, in Asia/Jakarta): the filing window
    reaches twelve months before that month."""
    return jakarta_date(umkm.submitted_at)


def filing_window(umkm: Umkm, today: dt.date | None = None) -> FilingWindow:
    return FilingWindow.of(today or today_in_jakarta(), registered_on(umkm))


def latest_reports(session: Session, umkm_id: int) -> dict[Period, OmzetReport]:
    """The current (highest) revision of every month the UMKM reported."""
    latest = latest_omzet_revisions(umkm_id=umkm_id)
    rows = session.scalars(select(OmzetReport).join(latest, OmzetReport.id == latest.c.id))
    return {Period.parse(r.period): r for r in rows}


def revisions(session: Session, umkm_id: int, period: Period | None = None) -> list[OmzetReport]:
    """Every revision, newest month first and newest revision first."""
    query = select(OmzetReport).where(OmzetReport.umkm_id == umkm_id)
    if period is not None:
        query = query.where(OmzetReport.period == str(period))
    return list(
        session.scalars(query.order_by(OmzetReport.period.desc(), OmzetReport.revision.desc()))
    )


def file_omzet(
    session: Session,
    umkm: Umkm,
    period: Period,
    amount: int,
    *,
    actor_id: int,
    settings: OmzetSettings,
    today: dt.date | None = None,
) -> OmzetReport:
    """File a month for the first time. A month already filed must be corrected instead."""
    today = today or today_in_jakarta()
    check_filing_period(period, today, registered_on(umkm))
    check_amount(amount, settings.max_monthly)
    current = _current_revision(session, umkm.id, period)
    if current is not None:
        raise RuleError(
            f"Omzet {period.label} sudah dilaporkan ({rupiah(current.amount)}). "
            "Gunakan koreksi bila angkanya perlu diubah."
        )
    report = OmzetReport(
        umkm_id=umkm.id,
        period=str(period),
        revision=1,
        amount=amount,
        source="form",
        filed_by_id=actor_id,
        is_late=is_late(period, today, settings.deadline_day),
    )
    session.add(report)
    session.flush()
    figures.refresh(session, [umkm.id])  # the allocation ranks by the latest omzet of W
    late = " (terlambat)" if report.is_late else ""
    record(
        session,
        actor_id,
        "omzet.file",
        report,
        f"{umkm.business_name} melaporkan omzet {period.label} {rupiah(amount)}{late}",
        {"umkm_id": umkm.id, "period": str(period), "amount": amount, "is_late": report.is_late},
    )
    return report


def file_months(
    session: Session,
    umkm: Umkm,
    amounts: dict[Period, int],
    *,
    actor_id: int,
    settings: OmzetSettings,
    today: dt.date | None = None,
) -> list[OmzetReport]:
    """File several months at once (the first-login prompt): all or none, oldest first."""
    if not amounts:
        raise RuleError("Isi omzet setidaknya satu bulan.")
    today = today or today_in_jakarta()
    return [
        file_omzet(session, umkm, p, amounts[p], actor_id=actor_id, settings=settings, today=today)
        for p in sorted(amounts)
    ]


def correct_omzet(
    session: Session,
    umkm: Umkm,
    period: Period,
    amount: int,
    reason: str,
    *,
    actor_id: int,
    settings: OmzetSettings,
    today: dt.date | None = None,
) -> OmzetReport:
    """Add the next revision of a filed month, with the reason for the change."""
    check_filing_period(period, today or today_in_jakarta(), registered_on(umkm))
    check_amount(amount, settings.max_monthly)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise RuleError(f"Tulis alasan koreksi, minimal {MIN_REASON_LENGTH} karakter.")
    current = _current_revision(session, umkm.id, period)
    if current is None:
        raise RuleError(f"Omzet {period.label} belum pernah dilaporkan; laporkan dulu.")
    if current.amount == amount:
        raise RuleError(f"Angka koreksi sama dengan angka sekarang ({rupiah(amount)}).")
    report = OmzetReport(
        umkm_id=umkm.id,
        period=str(period),
        revision=current.revision + 1,
        amount=amount,
        reason=reason,
        source="form",
        filed_by_id=actor_id,
        is_late=current.is_late,
    )
    session.add(report)
    session.flush()
    figures.refresh(session, [umkm.id])
    record(
        session,
        actor_id,
        "omzet.correct",
        report,
        f"{umkm.business_name} mengoreksi omzet {period.label}: "
        f"{rupiah(current.amount)} → {rupiah(amount)} (revisi {report.revision})",
        {
            "umkm_id": umkm.id,
            "period": str(period),
            "amount": [current.amount, amount],
            "revision": report.revision,
            "reason": reason,
        },
    )
    return report


def _current_revision(session: Session, umkm_id: int, period: Period) -> OmzetReport | None:
    return session.scalars(
        select(OmzetReport)
        .where(OmzetReport.umkm_id == umkm_id, OmzetReport.period == str(period))
        .order_by(OmzetReport.revision.desc())
        .limit(1)
    ).first()
