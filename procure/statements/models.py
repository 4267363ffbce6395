"""Statements a bank verifies (Surat Keterangan Riwayat Pesanan Pemerintah) and each check.

A ``Statement`` is asked for by a UMKM for a period; once issued it names its ``Document``
(kind SKR: numbered, stored as a PDF with its SHA-256, never changed), keeps the figures as
issued (``figures``, the plain data the statement query returned) and the hash of the access
code the UMKM was shown once. Every attempt to open it on the verification page or over JSON
is a ``StatementCheck`` row: the UMKM sees who verified its statement and when, and wrong
codes are counted from these rows.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procure.db import Str20, Str50, Str100, Str200, Str255, utcnow
from procure.extensions import db

if TYPE_CHECKING:
    from procure.auth.models import User
    from procure.documents.models import Document
    from procure.umkm.models import Umkm


class StatementStatus(enum.StrEnum):
    REQUESTED = "requested"  # waiting for the admin's approval (when approval is switched on)
    ISSUED = "issued"
    REJECTED = "rejected"


class Statement(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "statement"
    __table_args__ = (
        CheckConstraint("period_start <= period_end", name="period_in_order"),
        Index("ix_statement_umkm_id_id", "umkm_id", "id"),
        Index("ix_statement_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    umkm_id: Mapped[int] = mapped_column(ForeignKey("umkm.id"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    purpose: Mapped[Str200 | None]  # e.g. "Pengajuan kredit modal kerja ke Bank Jateng"
    status: Mapped[Str20] = mapped_column(default=StatementStatus.REQUESTED.value)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[dt.datetime | None]
    reject_reason: Mapped[str | None]
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), unique=True)
    # The document's number, repeated here so the verification address finds it in one lookup.
    number: Mapped[Str100 | None] = mapped_column(unique=True)
    access_code_hash: Mapped[Str255 | None]
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # as issued

    umkm: Mapped[Umkm] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    document: Mapped[Document | None] = relationship()
    checks: Mapped[list[StatementCheck]] = relationship(
        back_populates="statement", order_by="StatementCheck.id"
    )


class StatementCheck(db.Model):  # type: ignore[name-defined,misc]
    """One attempt to open a statement with its access code, on the page or over JSON."""

    __tablename__ = "statement_check"
    __table_args__ = (
        Index("ix_statement_check_statement_at", "statement_id", "at"),
        Index("ix_statement_check_number_at", "number", "at"),
        Index("ix_statement_check_client_at", "client", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None when no issued statement has the number typed (counted by ``number`` instead).
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statement.id"))
    number: Mapped[Str100 | None]  # the number as typed (migration 0020)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    via: Mapped[Str20]  # "web" or "json"
    succeeded: Mapped[bool]
    checker: Mapped[Str200 | None]  # who the checker says they are (bank, branch, officer)
    client: Mapped[Str50 | None]  # the client address, as the throttle counts it

    statement: Mapped[Statement | None] = relationship(back_populates="checks")
