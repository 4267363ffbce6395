"""Purchase requests, allocation runs, orders and their event history."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

# Live orders book capacity and count as awards: the policy's definition, read here too.
from procure.allocation.policy import LIVE_ORDER_STATUSES as LIVE_ORDER_STATUSES
from procure.db import Money, Str20, Str50, Str100, Str200, Str255, utcnow
from procure.extensions import db
from procure.umkm.models import Umkm

if TYPE_CHECKING:
    from procure.auth.models import User
    from procure.catalog.models import Category, ProductKind
    from procure.opd.models import Opd
    from procure.umkm.models import Product


class RequestStatus(enum.StrEnum):
    DRAFT = "draft"  # created, not yet decided
    ORDERED = "ordered"  # orders issued from a decided run
    CANCELLED = "cancelled"


class OrderStatus(enum.StrEnum):
    ISSUED = "issued"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    DELIVERED = "delivered"
    RECEIVED = "received"
    PAID = "paid"
    CANCELLED = "cancelled"


class PurchaseRequest(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "purchase_request"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("hps_unit_price > 0", name="hps_positive"),
        Index("ix_purchase_request_opd_category_created", "opd_id", "category_id", "created_at"),
        # The officer's to-do list: an OPD's requests newest first, and those still to decide.
        Index("ix_purchase_request_opd_id_id", "opd_id", "id"),
        # The request lists, newest first: an OPD's own, or every OPD's (migration 0017).
        Index("ix_purchase_request_opd_created_id", "opd_id", "created_at", "id"),
        Index("ix_purchase_request_created_id", "created_at", "id"),
        Index(
            "ix_purchase_request_opd_draft_needed",
            "opd_id",
            "needed_by",
            postgresql_where=text("status = 'draft'"),
            sqlite_where=text("status = 'draft'"),
        ),
        # The kind belongs to the request's category (migration 0010).
        ForeignKeyConstraint(
            ["kind_id", "category_id"],
            ["product_kind.id", "product_kind.category_id"],
            name="fk_purchase_request_kind_category",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    title: Mapped[Str200]
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    kind_id: Mapped[int] = mapped_column(index=True)
    specification: Mapped[str]
    quantity: Mapped[int]
    unit: Mapped[Str20]
    hps_unit_price: Mapped[Money]
    needed_by: Mapped[dt.date] = mapped_column(Date)
    delivery_address: Mapped[Str255]
    budget_code: Mapped[Str100]
    fiscal_year: Mapped[int]
    notes: Mapped[str | None]
    # Konsumsi (meals): the event the portions are for, the evidence auditors ask for.
    event_name: Mapped[Str200 | None]
    event_date: Mapped[dt.date | None] = mapped_column(Date)
    invitation_number: Mapped[Str100 | None]
    expected_attendees: Mapped[int | None]
    excess_reason: Mapped[str | None]
    is_excess_portions: Mapped[bool] = mapped_column(default=False)
    is_split_suspect: Mapped[bool] = mapped_column(default=False)
    split_note: Mapped[str | None]
    status: Mapped[Str20] = mapped_column(default=RequestStatus.DRAFT.value)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    opd: Mapped[Opd] = relationship()
    category: Mapped[Category] = relationship()
    kind: Mapped[ProductKind] = relationship(viewonly=True)
    created_by: Mapped[User] = relationship()
    runs: Mapped[list[AllocationRun]] = relationship(
        back_populates="request", order_by="AllocationRun.id"
    )
    orders: Mapped[list[PurchaseOrder]] = relationship(
        back_populates="request", order_by="PurchaseOrder.id"
    )

    @property
    def value(self) -> int:
        return self.quantity * self.hps_unit_price


class AllocationRun(db.Model):  # type: ignore[name-defined,misc]
    """One run of the policy for a request, stored exactly (ALLOCATION.md, "Decision")."""

    __tablename__ = "allocation_run"
    __table_args__ = (
        # A request is decided once, ever: at most one decided run per request, whatever the
        # timing of two submits (services.decide also locks the request row first).
        Index(
            "uq_allocation_run_one_decision",
            "request_id",
            unique=True,
            postgresql_where=text("decided_at IS NOT NULL"),
            sqlite_where=text("decided_at IS NOT NULL"),
        ),
        # The inspector's red flags read every overriding decision (a few % of all runs).
        Index(
            "ix_allocation_run_override",
            "id",
            postgresql_where=text("is_override IS TRUE"),
            sqlite_where=text("is_override IS TRUE"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("purchase_request.id"), index=True)
    policy: Mapped[Str50]
    policy_version: Mapped[int]
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)  # the policy's Result.to_dict()
    shortfall: Mapped[int]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The decision: the final parts, override flag and reason, who and when.
    final_choice: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    is_override: Mapped[bool | None]
    override_reason: Mapped[str | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[dt.datetime | None]
    # A form's one-time key: a double-clicked "issue" decides once (unique).
    decision_key: Mapped[Str100 | None] = mapped_column(unique=True)

    request: Mapped[PurchaseRequest] = relationship(back_populates="runs")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class PurchaseOrder(db.Model):  # type: ignore[name-defined,misc]
    """One Surat Pesanan: the part of a request given to one UMKM."""

    __tablename__ = "purchase_order"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_purchase_order_product_status_due", "product_id", "status", "due_date"),
        Index("ix_purchase_order_umkm_status_issued", "umkm_id", "status", "issued_at"),
        # The officer's to-do list: orders still waiting on someone (answer, delivery, handover).
        Index(
            "ix_purchase_order_request_open",
            "request_id",
            postgresql_where=text("status IN ('issued', 'delivered', 'received')"),
            sqlite_where=text("status IN ('issued', 'delivered', 'received')"),
        ),
        # The red flag "same UMKM again and again" reads the orders of the overriding runs.
        Index("ix_purchase_order_run_id", "run_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("purchase_request.id"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("allocation_run.id"))
    umkm_id: Mapped[int] = mapped_column(ForeignKey("umkm.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    quantity: Mapped[int]
    unit_price: Mapped[Money]
    value: Mapped[Money]
    due_date: Mapped[dt.date] = mapped_column(Date)
    rank: Mapped[int | None]  # the UMKM's place in the stored ranking
    passed_from_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_order.id"))
    status: Mapped[Str20] = mapped_column(default=OrderStatus.ISSUED.value)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    response_deadline: Mapped[dt.date] = mapped_column(Date)
    responded_at: Mapped[dt.datetime | None]
    decline_reason: Mapped[str | None]
    delivered_at: Mapped[dt.datetime | None]
    inspected_at: Mapped[dt.datetime | None]
    received_quantity: Mapped[int | None]
    condition: Mapped[Str20 | None]  # "baik" or "kurang baik"
    inspection_notes: Mapped[str | None]
    handed_over_at: Mapped[dt.datetime | None]
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    payment_reference: Mapped[Str100 | None]
    payment_amount: Mapped[Money | None]
    cancelled_at: Mapped[dt.datetime | None]
    cancel_reason: Mapped[str | None]
    # The delivery as the UMKM reports it (a note, and a photo in ``delivery_photo``).
    delivery_note: Mapped[str | None]
    # The inspection team (Tim Pemeriksa) named on the BAP: [{"name": ..., "nip": ...}, ...].
    inspection_team: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    # The handover date the officer chose (Jakarta date; handed_over_at is when it was recorded).
    handover_date: Mapped[dt.date | None] = mapped_column(Date)
    # Payment: gross (the order's amount due), the taxes withheld from it, and payment_amount,
    # the net actually transferred (= gross - withheld).
    payment_gross: Mapped[Money | None]
    payment_withheld: Mapped[Money | None]
    # The payment clock: the day the order must be paid by, set at handover (BAST date plus
    # the payment term, in working or calendar days; procure/payments/calendar.py).
    payment_due_date: Mapped[dt.date | None] = mapped_column(Date)

    request: Mapped[PurchaseRequest] = relationship(back_populates="orders")
    run: Mapped[AllocationRun] = relationship()
    umkm: Mapped[Umkm] = relationship()
    product: Mapped[Product] = relationship()
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", order_by="OrderEvent.id"
    )


class OrderEvent(db.Model):  # type: ignore[name-defined,misc]
    """Every transition of an order: who, when, from and to, and why."""

    __tablename__ = "order_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_order.id"), index=True)
    from_status: Mapped[Str20 | None]
    to_status: Mapped[Str20]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None]
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    order: Mapped[PurchaseOrder] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class AllocationFigure(db.Model):  # type: ignore[name-defined,misc]
    """One UMKM's ranking figures, in one product kind it offers (and so one category), for
    the window W and the day named by ``AllocationFigureState``.

    Derived data, never typed in: ``procure/ranking/figures.py`` recomputes a UMKM's rows from
    the omzet, order, product and UMKM rows whenever those change, every row when W moves to a
    new month, and the rows of UMKM whose orders aged past 365 days when the day moves. One row
    per (UMKM, kind) so the ranking of a kind (pemerataan-v2) walks only its own UMKM, in
    ranking order, from one index; pemerataan-v1 walks a category's rows (a UMKM with products
    of several kinds of the category is read once) (docs/decisions/0008, 0013).
    """

    __tablename__ = "umkm_allocation_figure"
    __table_args__ = (
        # pemerataan-v1: (tier, need, ...) within a category.
        Index("ix_umkm_allocation_figure_rank", "category_id", "tier", "need6", "umkm_id"),
        # UMKM in their grace period, with what their key needs, without touching the table.
        Index(
            "ix_umkm_allocation_figure_grace",
            "category_id",
            "verified_at",
            postgresql_include=["umkm_id", "awards_since", "latest_award_at"],
        ),
        # pemerataan-v2: (tier, round, need, ...) within a kind.
        Index(
            "ix_umkm_allocation_figure_rank_v2",
            "kind_id",
            "tier",
            "round_365",
            "need6_v2",
            "umkm_id",
        ),
        Index(
            "ix_umkm_allocation_figure_grace_v2",
            "kind_id",
            "verified_at",
            postgresql_include=["umkm_id", "tier", "round_365", "need6_v2"],
        ),
    )

    umkm_id: Mapped[int] = mapped_column(ForeignKey("umkm.id"), primary_key=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("product_kind.id"), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))  # the kind's category
    verified_at: Mapped[dt.datetime | None]  # umkm.verified_at: the grace period starts there
    # The latest revision of each month of W (None: not reported), so the ranking needs no
    # omzet rows for the UMKM it reads.
    omzet_1: Mapped[Money | None]
    omzet_2: Mapped[Money | None]
    omzet_3: Mapped[Money | None]
    months_reported: Mapped[int]  # months of W with a report (0-3)
    reported_sum: Mapped[Money]  # their sum, each raised to the platform floor where lower
    floored_months: Mapped[int]  # how many of them were raised
    latest_month: Mapped[Str20 | None]  # latest reported month of W, "YYYY-MM"
    awards_since: Mapped[Money]  # v1: live awards issued since the month after it
    # 6 x need outside the grace period: a mean of 1, 2 or 3 months times 6 is a whole number,
    # so ordering by this integer is exactly ordering by the policy's Fraction.
    need6: Mapped[Money]
    tier: Mapped[int]  # outside the grace period: 0 reported in W, 1 not (v1 and v2 alike)
    latest_award_at: Mapped[dt.datetime | None]  # older than 365 days: no order counts
    # pemerataan-v2, as of the state's rounds_day d: live orders issued d-364 .. d (the
    # round), live orders issued from W's first day through d in a month not reported
    # (awards_unreported), and 6 x (reported mean + awards_unreported).
    round_365: Mapped[int] = mapped_column(default=0)
    awards_unreported: Mapped[Money] = mapped_column(default=0)
    need6_v2: Mapped[Money] = mapped_column(default=0)


class AllocationFigureState(db.Model):  # type: ignore[name-defined,misc]
    """Which window and day the figures hold, and how far they have seen products and
    verifications."""

    __tablename__ = "allocation_figure_state"

    id: Mapped[int] = mapped_column(primary_key=True)  # one row
    window_start: Mapped[Str20]  # first month of W, "YYYY-MM"
    covered_product_id: Mapped[int]  # every product up to this id has its UMKM's row
    # Verifications from this time on are compared with the copies on every ranking (the
    # newest seen, minus an hour for transactions that committed out of order).
    verified_since: Mapped[dt.datetime | None]
    rebuilt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The Jakarta day d the v2 figures (round_365, awards_unreported) are counted for.
    rounds_day: Mapped[dt.date | None] = mapped_column(Date)


# The figures notice a verification by its time (figures.ensure_current).
Index("ix_umkm_verified_at", Umkm.verified_at)


class DeliveryPhoto(db.Model):  # type: ignore[name-defined,misc]
    """The UMKM's photo of a delivery, re-encoded on upload and kept in the database
    (several app servers share it with no shared disk), like product photos."""

    __tablename__ = "delivery_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_order.id"), unique=True)
    content_type: Mapped[Str50]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[Str100]
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
