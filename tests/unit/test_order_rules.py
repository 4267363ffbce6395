"""Pure order figures: penalty, days late, days to payment, pass-on shares (no database)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from procure.orders.rules import (
    check_order_reason,
    order_summary,
    pass_on_quantity,
    pass_on_refusal,
    payment_days,
)
from procure.umkm.rules import RuleError

DUE = dt.date(2026, 11, 20)


def _order(**kw: object) -> dict[str, object]:
    values: dict[str, object] = {
        "status": "delivered",
        "value": 10_000_000,
        "due_date": DUE,
        "delivered_on": None,
        "handed_over_on": None,
        "paid_on": None,
    }
    values.update(kw)
    return values


def test_three_days_late_on_ten_million_is_thirty_thousand() -> None:
    shown = order_summary(_order(delivered_on=DUE + dt.timedelta(days=3)), DUE)
    assert shown == {
        "days_late": 3,
        "penalty": 30_000,
        "amount_due": 9_970_000,
        "days_to_payment": None,
    }


def test_on_time_and_undelivered_orders() -> None:
    assert order_summary(_order(delivered_on=DUE), DUE + dt.timedelta(days=9))["penalty"] == 0
    # Not delivered yet: the penalty keeps growing until today.
    accepted = _order(status="accepted")
    assert order_summary(accepted, DUE + dt.timedelta(days=2))["penalty"] == 20_000
    # Ended without delivery: no penalty.
    for status in ("declined", "expired", "cancelled"):
        shown = order_summary(_order(status=status), DUE + dt.timedelta(days=5))
        assert (shown["days_late"], shown["penalty"]) == (0, 0)


def test_penalty_rounds_half_up_to_whole_rupiah() -> None:
    shown = order_summary(_order(value=1_500, delivered_on=DUE + dt.timedelta(days=1)), DUE)
    assert shown["penalty"] == 2  # 1.5 -> 2


def test_days_to_payment_counts_until_paid_or_today() -> None:
    handed = dt.date(2026, 12, 1)
    paid = _order(status="paid", handed_over_on=handed, paid_on=dt.date(2026, 12, 8))
    assert order_summary(paid, dt.date(2027, 1, 1))["days_to_payment"] == 7
    waiting = _order(status="received", handed_over_on=handed)
    assert order_summary(waiting, dt.date(2026, 12, 4))["days_to_payment"] == 3


def test_payment_days_sums_paid_and_counts_waiting() -> None:
    today = dt.date(2026, 12, 31)
    rows = [
        (dt.date(2026, 12, 1), dt.date(2026, 12, 3)),
        (dt.date(2026, 12, 1), dt.date(2026, 12, 6)),
        (dt.date(2026, 12, 20), None),
        (dt.date(2026, 12, 28), None),
    ]
    days = payment_days(rows, today)
    assert (days.paid_count, days.total_days, days.waiting_count, days.longest_wait) == (
        2,
        7,
        2,
        11,
    )
    assert days.average == Fraction(7, 2)
    assert payment_days([], today).average is None


@pytest.mark.parametrize(
    ("remaining", "free", "minimum", "expected"),
    [(50, 100, 1, 50), (50, 30, 1, 30), (50, 10, 20, 0), (5, 30, 10, 0), (50, 0, 1, 0)],
)
def test_pass_on_quantity(remaining: int, free: int, minimum: int, expected: int) -> None:
    assert pass_on_quantity(remaining, free, minimum) == expected


def test_pass_on_refusal_reasons() -> None:
    base = dict(
        is_product_active=True,
        umkm_status="verified",
        unit_price=100,
        hps_unit_price=100,
        lead_time_days=7,
        today=dt.date(2026, 11, 1),
        needed_by=dt.date(2026, 11, 8),
    )
    assert pass_on_refusal(**base) is None  # type: ignore[arg-type]
    assert pass_on_refusal(**(base | {"is_product_active": False})) == "produk nonaktif"  # type: ignore[arg-type]
    assert "terverifikasi" in pass_on_refusal(**(base | {"umkm_status": "suspended"}))  # type: ignore[arg-type,operator]
    assert "HPS" in pass_on_refusal(**(base | {"unit_price": 101}))  # type: ignore[arg-type,operator]
    assert "waktu" in pass_on_refusal(**(base | {"lead_time_days": 8}))  # type: ignore[arg-type,operator]


def test_order_reasons_need_ten_characters() -> None:
    assert check_order_reason("  kapasitas penuh ", "penolakan") == "kapasitas penuh"
    with pytest.raises(RuleError, match="minimal 10"):
        check_order_reason("  penuh    ", "penolakan")


def test_live_statuses_are_order_statuses_defined_once() -> None:
    from procure.allocation import policy
    from procure.procurement import models

    assert models.LIVE_ORDER_STATUSES is policy.LIVE_ORDER_STATUSES
    assert set(policy.LIVE_ORDER_STATUSES) <= {s.value for s in models.OrderStatus}
    assert "declined" not in policy.LIVE_ORDER_STATUSES
