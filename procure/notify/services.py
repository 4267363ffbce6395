"""What the admin does with the outbox: read it (filtered, counted) and send a message again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from procure.audit.services import record
from procure.db import utcnow
from procure.input_rules import RuleError
from procure.notify.dispatch import retry_now
from procure.notify.models import OutboxMessage, OutboxStatus
from procure.notify.outbox import QUEUED
from procure.notify.rules import STATUS_LABELS, mask


@dataclass(frozen=True)
class OutboxFilter:
    status: str | None = None
    channel: str | None = None
    topic: str | None = None


def outbox_query(filters: OutboxFilter) -> Select[tuple[OutboxMessage]]:
    """The outbox, newest first, in the filters."""
    stmt = select(OutboxMessage)
    if filters.status:
        stmt = stmt.where(OutboxMessage.status == filters.status)
    if filters.channel:
        stmt = stmt.where(OutboxMessage.channel == filters.channel)
    if filters.topic:
        stmt = stmt.where(OutboxMessage.topic == filters.topic)
    return stmt.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())


def status_counts(session: Session) -> dict[str, int]:
    """Messages per status (every status listed, zero included)."""
    counts = dict.fromkeys((s.value for s in OutboxStatus), 0)
    for status, count in session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ):
        counts[status] = count
    return counts


def topics(session: Session) -> list[str]:
    return list(
        session.scalars(select(OutboxMessage.topic).distinct().order_by(OutboxMessage.topic))
    )


RETRYABLE = (OutboxStatus.FAILED.value, OutboxStatus.SKIPPED.value)


def retry_message(
    session: Session, message_id: int, actor_id: int, now: dt.datetime | None = None
) -> OutboxMessage:
    """Queue a failed (or skipped) message again, due now; audited."""
    message = session.get(OutboxMessage, message_id, with_for_update=True)
    if message is None:
        raise RuleError("Pesan tidak ditemukan.")
    if message.status not in RETRYABLE:
        raise RuleError(
            "Hanya pesan yang gagal atau dilewati yang bisa dikirim ulang; pesan ini berstatus "
            f"\u201c{STATUS_LABELS.get(message.status, message.status)}\u201d."
        )
    before = message.status
    retry_now(message, now or utcnow())
    session.info[QUEUED] = True  # sent after the commit, as a new message would be
    record(
        session,
        actor_id,
        "notify.retry",
        message,
        f"Pesan #{message.id} ({message.topic}, {mask(message.channel, message.recipient)}) "
        "dikirim ulang",
        {"from": before, "attempts": message.attempts, "last_error": message.last_error},
    )
    session.flush()
    return message
