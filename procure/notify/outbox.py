"""Queue a message in the outbox, once: the caller's transaction commits it with its cause."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from procure.db import utcnow
from procure.notify.models import Channel, OutboxMessage

# Set on the session by ``enqueue``: once it commits, ``procure.notify.jobs`` starts sending.
QUEUED = "procure.notify.queued"


def enqueue(
    session: Session,
    *,
    channel: Channel | str,
    recipient: str,
    topic: str,
    body: str,
    dedupe_key: str,
    subject: str | None = None,
    user_id: int | None = None,
    now: dt.datetime | None = None,
) -> OutboxMessage | None:
    """Add a pending message; None when a message with this ``dedupe_key`` already exists."""
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)):
        return None
    message = OutboxMessage(
        channel=str(Channel(channel)),
        recipient=recipient,
        topic=topic,
        subject=subject,
        body=body,
        dedupe_key=dedupe_key,
        user_id=user_id,
        next_attempt_at=now or utcnow(),
        created_at=now or utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:  # the same key queued by a concurrent transaction
        return None
    session.info[QUEUED] = True
    return message
