"""OPDs: the government agencies that buy."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procure.db import Money, Str20, Str50, Str200, Str255, utcnow
from procure.extensions import db

if TYPE_CHECKING:
    from procure.auth.models import User


class Opd(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "opd"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[Str20] = mapped_column(unique=True)
    name: Mapped[Str200] = mapped_column(unique=True)
    address: Mapped[Str255]
    # The office's own phone (stored 62…) and e-mail, printed in the kop of its documents.
    phone: Mapped[Str20 | None]
    email: Mapped[Str200 | None]
    head_name: Mapped[Str200]
    head_nip: Mapped[Str50 | None]
    # The Bendahara Pengeluaran signs every Kuitansi.
    treasurer_name: Mapped[Str200 | None]
    treasurer_nip: Mapped[Str50 | None]
    # Where the Bendahara gets payment reminders (through the notification outbox).
    treasurer_email: Mapped[Str200 | None]
    treasurer_phone: Mapped[Str20 | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    officers: Mapped[list[User]] = relationship(back_populates="opd")


class OpdBudget(db.Model):  # type: ignore[name-defined,misc]
    """An OPD's goods/services budget (belanja barang/jasa) for one year, entered by the admin.

    The 40 % measure (Perpres 12/2021 art. 65) divides spend on micro and small businesses by
    it. One row per OPD and year; a change is audited with the old and new amount.
    """

    __tablename__ = "opd_budget"
    __table_args__ = (
        UniqueConstraint("opd_id", "year", name="uq_opd_budget_opd_year"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))
    year: Mapped[int]
    amount: Mapped[Money]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    set_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    opd: Mapped[Opd] = relationship()
