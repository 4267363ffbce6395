"""The audit log: who did what to which record, and when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procure.auth.models import User
from procure.db import Str50, Str100, utcnow
from procure.extensions import db


class AuditLog(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    action: Mapped[Str50] = mapped_column(index=True)
    entity_type: Mapped[Str50]
    entity_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[Str100 | None]

    actor: Mapped[User | None] = relationship()
