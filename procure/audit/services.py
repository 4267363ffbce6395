"""Recording audit entries. Services call ``record``; it only adds to the session.

Who asked, from where: the web edge (``procure.edge``) writes the request's address into the
session's ``info`` under ``CLIENT`` before any view runs; a CLI command or a job has none.
Nothing here reads Flask's request.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from procure.audit.models import AuditLog

CLIENT = "procure.client"  # session.info key: (address, user agent) of the current request


def client_of(session: Session) -> tuple[str | None, str | None]:
    """The (address, user agent) the edge recorded for this session's request, if any."""
    client = session.info.get(CLIENT)
    return (client[0], client[1]) if client else (None, None)


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
        ip=client_of(session)[0],
    )
    session.add(entry)
    return entry


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields that differ, as ``{field: [old, new]}``, for an audit entry's data."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}
