"""UMKM verification use cases and the admin's UMKM queries."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from procure.admin import rules
from procure.admin.rules import Action, Check, TransitionError
from procure.audit.models import AuditLog
from procure.audit.services import record
from procure.catalog.listing import refresh_listing
from procure.db import utcnow
from procure.umkm.models import Umkm, UmkmReview, UmkmStatus, umkm_category
from procure.umkm.rules import RuleError, check_nib

AUDIT_ACTIONS = {
    Action.VERIFY: "umkm.verify",
    Action.REJECT: "umkm.reject",
    Action.SUSPEND: "umkm.suspend",
    Action.REINSTATE: "umkm.reinstate",
}
SUMMARIES = {
    Action.VERIFY: "diverifikasi",
    Action.REJECT: "ditolak",
    Action.SUSPEND: "dibekukan",
    Action.REINSTATE: "dipulihkan",
}


class ReviewError(RuleError):
    """A verification decision is refused; the message says what is missing."""


@dataclass(frozen=True)
class Checklist:
    automatic: list[Check]
    manual: list[Check]

    @property
    def automatic_passed(self) -> bool:
        return all(c.passed for c in self.automatic)


def _nib_used_elsewhere(session: Session, umkm: Umkm) -> bool:
    """True when another UMKM holds the same NIB (also when written with separators)."""
    candidates = {umkm.nib}
    with contextlib.suppress(RuleError):
        candidates.add(check_nib(umkm.nib))
    found = session.scalar(
        select(func.count()).select_from(Umkm).where(Umkm.nib.in_(candidates), Umkm.id != umkm.id)
    )
    return bool(found)


def checklist_for(
    session: Session, umkm: Umkm, ticked: Mapping[str, bool] | None = None
) -> Checklist:
    """The automatic checks computed now, and the manual ones as ticked by the admin."""
    application = rules.Application(
        nib=umkm.nib,
        npwp=umkm.npwp,
        nik=umkm.nik,
        nib_used_elsewhere=_nib_used_elsewhere(session, umkm),
    )
    return Checklist(rules.automatic_checks(application), rules.manual_checks(ticked or {}))


def review_umkm(
    session: Session,
    umkm: Umkm,
    action: Action,
    actor_id: int,
    reason: str | None = None,
    ticked: Mapping[str, bool] | None = None,
) -> UmkmReview:
    """Verify, reject, suspend or reinstate a UMKM; writes a review and an audit entry."""
    from_status = umkm.status
    try:
        to_status = rules.next_status(action, from_status)
        reason = rules.check_reason(action, reason)
    except TransitionError as exc:
        raise ReviewError(str(exc)) from exc
    checklist = checklist_for(session, umkm, ticked)
    if action == Action.VERIFY:
        missing = rules.missing_for_verification(checklist.automatic, checklist.manual)
        if missing:
            raise ReviewError("Belum bisa diverifikasi. Yang kurang: " + "; ".join(missing) + ".")
    now = utcnow()
    values: dict[str, object] = {"status": to_status, "status_reason": reason, "updated_at": now}
    if action == Action.VERIFY:
        values["verified_at"] = now
    # Conditional on the status read above: of two admins deciding at once, one wins and the
    # other is told, instead of both writing a review.
    result = session.execute(
        update(Umkm)
        .where(Umkm.id == umkm.id, Umkm.status == from_status)
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ReviewError("Status UMKM ini baru saja diubah orang lain. Muat ulang halaman.")
    session.refresh(umkm)
    # The conditional UPDATE above bypasses the flush that would refresh the listing.
    refresh_listing(session, umkm_ids=[umkm.id])
    # Manual ticks mean something only on a verification; other decisions keep the automatic part.
    manual = checklist.manual if action == Action.VERIFY else []
    review = UmkmReview(
        umkm_id=umkm.id,
        action=action.value,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        checklist=rules.checklist_record(checklist.automatic, manual),
        actor_id=actor_id,
        at=now,
    )
    session.add(review)
    session.flush()
    record(
        session,
        actor_id,
        AUDIT_ACTIONS[action],
        umkm,
        f"UMKM {umkm.business_name} {SUMMARIES[action]}",
        {"status": [from_status, to_status], "reason": reason, "review_id": review.id},
    )
    return review


def pending_query() -> Select[tuple[Umkm]]:
    """The verification queue: pending applications, oldest first."""
    return (
        select(Umkm)
        .options(selectinload(Umkm.kecamatan))
        .where(Umkm.status == UmkmStatus.PENDING.value)
        .order_by(Umkm.submitted_at, Umkm.id)
    )


def umkm_query(
    q: str | None = None,
    status: str | None = None,
    kecamatan_id: int | None = None,
    category_id: int | None = None,
) -> Select[tuple[Umkm]]:
    """Every UMKM, filtered; newest applications first."""
    stmt = select(Umkm).options(selectinload(Umkm.kecamatan), selectinload(Umkm.categories))
    if q:
        term = q.lower()
        stmt = stmt.where(
            or_(
                func.lower(Umkm.business_name).contains(term, autoescape=True),
                Umkm.nib.contains(term, autoescape=True),
            )
        )
    if status:
        stmt = stmt.where(Umkm.status == status)
    if kecamatan_id:
        stmt = stmt.where(Umkm.kecamatan_id == kecamatan_id)
    if category_id:
        stmt = stmt.where(
            Umkm.id.in_(
                select(umkm_category.c.umkm_id).where(umkm_category.c.category_id == category_id)
            )
        )
    return stmt.order_by(Umkm.submitted_at.desc(), Umkm.id.desc())


def audit_for(session: Session, umkm: Umkm) -> list[AuditLog]:
    """The audit entries about one UMKM, newest first."""
    return list(
        session.scalars(
            select(AuditLog)
            .where(AuditLog.entity_type == Umkm.__tablename__, AuditLog.entity_id == umkm.id)
            .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        )
    )
