"""A payment as it happened, and its reversal.

Rows are only ever added. A payment carries its method, its reference (SP2D number and date,
QRIS RRN or approval code, transfer reference; never a card number), the day it was paid and
its amounts: ``gross`` (what it settles of the order's amount due), the taxes withheld from it
(``taxes``: [{"label": "PPh Pasal 22 (1,5%)", "amount": 225000}, ...], summed in ``withheld``)
and ``net``, what was transferred (gross = withheld + net). A mistaken payment is corrected by
a row of kind ``reversal`` that names it in ``reverses_id`` with the same amounts; what an
order has been paid is the sum of its payments minus the sum of its reversals.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procure.db import Money, Str20, Str100, utcnow
from procure.extensions import db

if TYPE_CHECKING:
    from procure.auth.models import User
    from procure.procurement.models import PurchaseOrder


class PaymentKind(enum.StrEnum):
    PAYMENT = "payment"
    REVERSAL = "reversal"


class Payment(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint("gross > 0", name="gross_positive"),
        CheckConstraint("net > 0", name="net_positive"),
        CheckConstraint("withheld >= 0", name="withheld_not_negative"),
        CheckConstraint("gross = withheld + net", name="gross_is_withheld_plus_net"),
        CheckConstraint(
            "(kind = 'reversal') = (reverses_id IS NOT NULL)", name="reversal_names_payment"
        ),
        Index("ix_payment_order_id_id", "order_id", "id"),
        Index("ix_payment_paid_on", "paid_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_order.id"))
    kind: Mapped[Str20] = mapped_column(default=PaymentKind.PAYMENT.value)
    # procure.payments.rules.METHODS; None on payments recorded before methods were asked for.
    method: Mapped[Str20 | None]
    reference: Mapped[Str100]
    reference_date: Mapped[dt.date | None] = mapped_column(Date)  # the SP2D's date
    paid_on: Mapped[dt.date] = mapped_column(Date)
    gross: Mapped[Money]
    withheld: Mapped[Money]
    net: Mapped[Money]
    taxes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # A reversal names the payment it cancels; a payment is reversed at most once.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), unique=True)
    reason: Mapped[str | None]  # why a reversal was made (required for reversals)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    order: Mapped[PurchaseOrder] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    reverses: Mapped[Payment | None] = relationship(remote_side=[id])

    @property
    def is_reversal(self) -> bool:
        return self.kind == PaymentKind.REVERSAL
