"""The audit log as the admin reads it: the filter, the query and the entity types on file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from procure.audit.models import AuditLog
from procure.auth.models import User
from procure.clock import midnight_utc


@dataclass(frozen=True)
class AuditFilter:
    action_prefix: str | None = None
    entity_type: str | None = None
    actor_email: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_query(filters: AuditFilter) -> Select[tuple[AuditLog]]:
    """Audit entries matching the filters, newest first."""
    stmt = select(AuditLog).options(selectinload(AuditLog.actor))
    if filters.action_prefix:
        stmt = stmt.where(AuditLog.action.startswith(filters.action_prefix, autoescape=True))
    if filters.entity_type:
        stmt = stmt.where(AuditLog.entity_type == filters.entity_type)
    if filters.actor_email:
        stmt = stmt.where(
            AuditLog.actor_id.in_(
                select(User.id).where(
                    func.lower(User.email).contains(filters.actor_email.lower(), autoescape=True)
                )
            )
        )
    if filters.date_from:
        stmt = stmt.where(AuditLog.at >= midnight_utc(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(AuditLog.at < midnight_utc(filters.date_to + dt.timedelta(days=1)))
    return stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc())


def entity_types(session: Session) -> list[str]:
    """The kinds of record the audit log mentions, for the filter's choices."""
    return list(
        session.scalars(select(AuditLog.entity_type).distinct().order_by(AuditLog.entity_type))
    )
