"""The outbox: every message the platform sends, written in the same transaction as its cause.

A message is written as ``pending`` when the step that causes it commits (a new order, a
payment...), and sent afterwards by the job queue, with retries; the admin sees each one with
its status. ``dedupe_key`` is unique, so the same message is never queued (or sent) twice.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from procure.db import Str20, Str50, Str200, Str255, utcnow
from procure.extensions import db


class Channel(enum.StrEnum):
    EMAIL = "email"
    WHATSAPP = "whatsapp"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting to be sent (again, after a failure, at next_attempt_at)
    SENDING = "sending"  # claimed by a worker
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry
    SKIPPED = "skipped"  # the channel is not configured, or the recipient has no address


class OutboxMessage(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Str20]
    recipient: Mapped[Str255]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    topic: Mapped[Str50]  # what it is about: "order.new", "password.reset", ...
    subject: Mapped[Str255 | None]
    body: Mapped[str]
    dedupe_key: Mapped[Str200] = mapped_column(unique=True)
    status: Mapped[Str20] = mapped_column(default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None]
    provider_id: Mapped[Str200 | None]  # the provider's message id, once accepted
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]
