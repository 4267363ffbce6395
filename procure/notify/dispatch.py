"""Send what waits in the outbox: claim one message at a time, send it, record the outcome.

A claim moves a due message from ``pending`` to ``sending`` in its own short transaction
(PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so workers pass each other by; both backends: an
UPDATE conditional on the status and attempt count read, so of two workers reading the same
row only one claims it). While ``sending``, ``next_attempt_at`` is the claim's expiry: a
worker that crashed mid-send leaves a message that another worker takes back after
``NOTIFY_STUCK_MINUTES``. A message marked ``sent`` is never claimed again.

A transient failure (timeout, 5xx, rate limit) waits by ``rules.BACKOFF`` and is tried again
up to ``NOTIFY_MAX_ATTEMPTS`` times; a permanent one (address refused, wrong token) is
``failed`` at once, for the admin to retry ("Kirim ulang") once the cause is fixed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from procure.db import utcnow
from procure.notify.models import OutboxMessage, OutboxStatus
from procure.notify.rules import next_attempt
from procure.notify.senders import ChannelOff, Sender, SendError, sender_for

log = logging.getLogger(__name__)
S = OutboxStatus


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    ids: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"terkirim {self.sent}, dicoba lagi nanti {self.retrying}, gagal {self.failed}, "
            f"dilewati {self.skipped}"
        )


def _due(now: dt.datetime) -> Any:
    return or_(
        (OutboxMessage.status == S.PENDING.value) & (OutboxMessage.next_attempt_at <= now),
        # a claim that expired: its worker died between the claim and the outcome
        (OutboxMessage.status == S.SENDING.value) & (OutboxMessage.next_attempt_at <= now),
    )


def claim_one(
    session: Session, now: dt.datetime, lease: dt.timedelta, skip: set[int]
) -> tuple[int, int] | None:
    """Claim the next due message: (id, attempts after this claim), committed; None: none due."""
    while True:
        stmt = (
            select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.attempts)
            .where(_due(now))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(1)
        )
        if skip:
            stmt = stmt.where(OutboxMessage.id.not_in(skip))
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        row = session.execute(stmt).first()
        if row is None:
            session.rollback()
            return None
        message_id, status, attempts = row
        done = session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == status,
                OutboxMessage.attempts == attempts,
            )
            .values(status=S.SENDING.value, attempts=attempts + 1, next_attempt_at=now + lease)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        if done.rowcount == 1:  # type: ignore[attr-defined]
            return message_id, attempts + 1
        skip.add(message_id)  # another worker took it between our read and our update


def _finish(session: Session, message_id: int, attempts: int, **values: Any) -> bool:
    """Record the outcome, unless the claim was lost meanwhile (then the other worker's)."""
    done = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == S.SENDING.value,
            OutboxMessage.attempts == attempts,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def send_one(
    session: Session,
    message_id: int,
    attempts: int,
    config: Mapping[str, Any],
    now: dt.datetime,
    report: SendReport,
    senders: dict[str, Sender | ChannelOff],
) -> None:
    message = session.get(OutboxMessage, message_id, populate_existing=True)
    if message is None:
        return
    channel, max_attempts = message.channel, int(config.get("NOTIFY_MAX_ATTEMPTS") or 6)
    if channel not in senders:
        try:
            senders[channel] = sender_for(channel, config)
        except ChannelOff as off:
            senders[channel] = off
    sender = senders[channel]
    report.ids.append(message_id)
    if isinstance(sender, ChannelOff):
        _finish(session, message_id, attempts, status=S.SKIPPED.value, last_error=str(sender))
        report.skipped += 1
        return
    try:
        provider_id = sender.send(message)
    except SendError as exc:
        error, transient = str(exc), exc.transient
    except Exception as exc:  # noqa: BLE001 - a bug in an adapter: logged, tried again later
        log.exception("Pesan #%s: pengiriman gagal tak terduga.", message_id)
        error, transient = f"Kesalahan tak terduga: {exc}", True
    else:
        _finish(
            session,
            message_id,
            attempts,
            status=S.SENT.value,
            sent_at=utcnow(),
            provider_id=provider_id[:200],
            last_error=None,
        )
        report.sent += 1
        return
    retry_at = next_attempt(attempts, max_attempts, now) if transient else None
    if retry_at is None:
        _finish(session, message_id, attempts, status=S.FAILED.value, last_error=error)
        report.failed += 1
        log.warning("Pesan #%s gagal (percobaan %s): %s", message_id, attempts, error)
    else:
        _finish(
            session,
            message_id,
            attempts,
            status=S.PENDING.value,
            next_attempt_at=retry_at,
            last_error=error,
        )
        report.retrying += 1


def send_pending(
    session: Session,
    config: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
    limit: int | None = None,
) -> SendReport:
    """Send up to ``limit`` due messages; each claim and outcome is committed on its own."""
    now = now or utcnow()
    limit = int(limit or config.get("NOTIFY_BATCH") or 100)
    lease = dt.timedelta(minutes=int(config.get("NOTIFY_STUCK_MINUTES") or 15))
    report = SendReport()
    senders: dict[str, Sender | ChannelOff] = {}
    skip: set[int] = set()
    session.commit()  # nothing of the caller's is left half-done in the claims' transactions
    for _ in range(limit):
        claimed = claim_one(session, now, lease, skip)
        if claimed is None:
            break
        skip.add(claimed[0])
        send_one(session, claimed[0], claimed[1], config, now, report, senders)
    return report


def retry_now(message: OutboxMessage, now: dt.datetime | None = None) -> None:
    """The admin's "Kirim ulang": a failed or skipped message waits again, due now."""
    message.status = S.PENDING.value
    message.next_attempt_at = now or utcnow()
