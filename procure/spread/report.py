"""The figures of one report, as plain frozen data: what every output shows. Pure.

``procure.spread.services.build_report`` fills it; the dashboard, the public page, the exports,
the PDF report and ``procure report fairness`` only read it, so they cannot disagree. Money is
whole Rupiah, shares are exact Fractions (rounded where shown); each row keeps the ids the
dashboard needs for its links to the inspector's portal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from procure.omzet.rules import Period
from procure.spread.periods import ReportPeriod


@dataclass(frozen=True)
class Spread:
    """How one scope's spend in the period spread across verified UMKM (zeros included).

    The population is every UMKM verified by the period's last day, plus any other UMKM that
    received spend in the period (one suspended since, say): spend is never dropped.
    """

    umkm_count: int
    umkm_with_orders: int
    share_with_orders: Fraction
    spend: int
    order_count: int
    gini: Fraction
    top10_share: Fraction
    # Share of spend to the smaller half of the UMKM that reported omzet in the 12 months up to
    # the period's last month, by their mean reported month; None when fewer than two reported.
    smaller_half_share: Fraction | None
    sized_count: int  # UMKM in that measure (the others reported no omzet)
    lorenz: tuple[tuple[Fraction, Fraction], ...]  # (0, 0) .. (1, 1), at most ~100 points


@dataclass(frozen=True)
class SpendRow:
    """Spend in the period under one heading (an OPD, category, kind, kecamatan or scale)."""

    key: str  # the id (or the scale's code) the portal filters by
    label: str
    spend: int
    orders: int
    umkm: int  # distinct UMKM that received it
    share: Fraction  # of the scope's spend


@dataclass(frozen=True)
class OpdRow:
    """One OPD's buying in the period."""

    opd_id: int
    name: str
    spend: int
    orders: int
    umkm: int
    hhi: Fraction  # concentration across the UMKM it bought from, 0..1 (shown × 10,000)
    runs_decided: int  # allocation decisions in the period
    overrides: int  # of them, decided against the proposal
    paid_orders: int  # orders paid in the period with a BAST date
    days_to_payment: Fraction | None  # their mean days from BAST to payment
    # The payment clock: of those paid orders, the ones with a payment due date and, of them,
    # the ones paid on or before it.
    paid_with_due: int
    paid_on_time: int


@dataclass(frozen=True)
class PaymentRow:
    """How fast one OPD (or, with ``opd_id`` None, every OPD of the scope) paid: the orders
    paid in the period, their mean days from BAST to payment and the share paid by the
    payment due date."""

    opd_id: int | None
    label: str
    paid_orders: int
    days_to_payment: Fraction | None
    paid_with_due: int
    paid_on_time: int

    @property
    def on_time_share(self) -> Fraction | None:
        return Fraction(self.paid_on_time, self.paid_with_due) if self.paid_with_due else None


TOTAL_LABEL = "Seluruh OPD"


def payment_rows(opds: tuple[OpdRow, ...]) -> tuple[PaymentRow, ...]:
    """Each OPD's payment figures, then their total (every OPD's paid orders together)."""
    rows = tuple(
        PaymentRow(
            o.opd_id, o.name, o.paid_orders, o.days_to_payment, o.paid_with_due, o.paid_on_time
        )
        for o in opds
    )
    paid = sum(r.paid_orders for r in rows)
    days = sum((r.days_to_payment * r.paid_orders for r in rows if r.days_to_payment), Fraction())
    total = PaymentRow(
        None,
        TOTAL_LABEL,
        paid,
        days / paid if paid else None,
        sum(r.paid_with_due for r in rows),
        sum(r.paid_on_time for r in rows),
    )
    return (*rows, total)


@dataclass(frozen=True)
class TargetRow:
    """The 40 % measure of one OPD for one budget year (Perpres 12/2021 art. 65)."""

    opd_id: int
    name: str
    year: int
    budget: int | None  # the goods/services budget the admin entered; None: not entered
    small_spend: int  # to micro and small businesses through the catalog, from 1 January to
    # the period's last day
    target: int | None  # 40 % of the budget
    ratio: Fraction | None  # small_spend / budget
    months_left: int
    needed_per_month: int | None  # to reach the target by 31 December


@dataclass(frozen=True)
class MonthRow:
    """One calendar month of the period (the trend)."""

    period: Period
    spend: int
    small_spend: int  # to micro and small businesses
    orders: int
    umkm_with_orders: int
    gini: Fraction  # across the population verified by that month's end
    overrides: int


@dataclass(frozen=True)
class SpreadReport:
    period: ReportPeriod
    computed_at: dt.datetime  # UTC; shown as "data per <time>"
    pemda: Spread  # the whole Pemda
    opd_id: int | None  # the OPD the scope is limited to (an officer's view), else None
    opd_name: str | None
    scope: Spread  # ``pemda`` again when no OPD is chosen
    # Breakdowns of the scope's spend, largest first.
    by_opd: tuple[SpendRow, ...]
    by_category: tuple[SpendRow, ...]
    by_kind: tuple[SpendRow, ...]
    by_kecamatan: tuple[SpendRow, ...]
    by_scale: tuple[SpendRow, ...]
    opds: tuple[OpdRow, ...]  # every OPD in the scope, by name
    targets: tuple[TargetRow, ...]  # every active OPD (public figures), by name, period's year
    months: tuple[MonthRow, ...]  # of the scope
    never_ordered: int  # UMKM verified more than 90 days before the period's end without any order

    def payments(self) -> tuple[PaymentRow, ...]:
        """Per OPD and in total: days from BAST to payment and the share paid on time."""
        return payment_rows(self.opds)
