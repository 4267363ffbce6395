"""Recording audit entries. Services call ``record``; it only adds to the session."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy.orm import Session

from procure.audit.models import AuditLog


def record(
    session: Session,
    actor_id: int | None,
    action: str,
    entity: Any,
    summary: str,
    data: dict[str, Any] | None = None,
) -> AuditLog:
    """Add one audit entry about ``entity`` (a model instance, flushed so it has an id)."""
    session.flush()
    entry = AuditLog(
        actor_id=actor_id,
        action=action,
        entity_type=entity.__tablename__,
        entity_id=entity.id,
        summary=summary,
        data=data or {},
        ip=request.remote_addr if has_request_context() else None,
    )
    session.add(entry)
    return entry


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields that differ, as ``{field: [old, new]}``, for an audit entry's data."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}
