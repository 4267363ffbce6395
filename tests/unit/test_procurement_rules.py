"""Pure procurement rules: transitions, value cap, portions, package splitting, working days,
late penalty and payment days. No fixtures, no database. (The order figures added for the
order lifecycle, ``order_summary``, ``payment_days`` and the pass-on rules, are tested in
``test_order_rules.py``.)"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.orders.rules import (
    STATUS_LABELS,
    TRANSITIONS,
    add_working_days,
    check_transition,
    days_late,
    days_to_payment,
    late_penalty,
)
from procure.procurement.rules import (
    MIN_EXCESS_REASON,
    PriorRequest,
    check_portions,
    check_value_cap,
    split_suspects,
)
from procure.umkm.rules import RuleError

DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
FRIDAY = dt.date(2026, 11, 27)

# -- transitions ------------------------------------------------------------------------------


def test_every_status_has_a_label_and_a_row() -> None:
    assert set(TRANSITIONS) == set(STATUS_LABELS)
    for targets in TRANSITIONS.values():
        assert targets <= set(STATUS_LABELS)


@pytest.mark.parametrize("current", sorted(TRANSITIONS))
@pytest.mark.parametrize("target", sorted(TRANSITIONS))
def test_only_listed_transitions_pass(current: str, target: str) -> None:
    if target in TRANSITIONS[current]:
        check_transition(current, target)
        return
    with pytest.raises(RuleError) as refused:
        check_transition(current, target)
    message = str(refused.value)
    assert STATUS_LABELS[current] in message and STATUS_LABELS[target] in message


def test_final_states_go_nowhere_and_payment_follows_inspection() -> None:
    for final in ("declined", "expired", "cancelled"):
        assert TRANSITIONS[final] == frozenset()
    # A paid order goes back only to "received": a reversal of its payment.
    assert TRANSITIONS["paid"] == frozenset({"received"})
    assert "paid" in TRANSITIONS["received"]
    assert "paid" not in TRANSITIONS["delivered"] and "paid" not in TRANSITIONS["accepted"]
    assert "cancelled" not in TRANSITIONS["received"]  # handed over: pay it, not cancel it


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(RuleError):
        check_transition("hilang", "paid")


# -- value cap --------------------------------------------------------------------------------

CAP = 50_000_000


def test_a_value_equal_to_the_cap_is_allowed() -> None:
    check_value_cap(250, 200_000, CAP)  # exactly Rp 50 jt


def test_a_value_one_rupiah_above_the_cap_is_refused_naming_the_route() -> None:
    with pytest.raises(RuleError) as refused:
        check_value_cap(1, CAP + 1, CAP)
    message = str(refused.value)
    assert "Rp 50.000.001 melebihi batas katalog lokal Rp 50.000.000" in message
    assert "katalog nasional/sektoral" in message and "jangan memecah paket" in message


@given(st.integers(1, 10_000), st.integers(1, 10_000_000), st.integers(1, 10**9))
def test_the_cap_refuses_exactly_the_values_above_it(quantity: int, price: int, cap: int) -> None:
    try:
        check_value_cap(quantity, price, cap)
    except RuleError:
        assert quantity * price > cap
    else:
        assert quantity * price <= cap


# -- portions ---------------------------------------------------------------------------------


def test_portions_without_attendees_or_within_them_are_not_flagged() -> None:
    assert check_portions(500, None, "") is False
    assert check_portions(100, 100, "") is False
    assert check_portions(99, 100, "") is False


def test_more_portions_than_attendees_need_a_reason_of_20_characters() -> None:
    with pytest.raises(RuleError, match=r"Jumlah porsi \(101\) melebihi peserta \(100\)"):
        check_portions(101, 100, "")
    short = "x" * (MIN_EXCESS_REASON - 1)
    with pytest.raises(RuleError, match="minimal 20 karakter"):
        check_portions(101, 100, f"   {short}   ")  # spaces around do not count
    assert check_portions(101, 100, "x" * MIN_EXCESS_REASON) is True


@given(st.integers(1, 1000), st.integers(1, 1000), st.text(max_size=40))
def test_portions_flag_iff_above_attendees_with_a_reason(
    quantity: int, attendees: int, reason: str
) -> None:
    long_enough = len(reason.strip()) >= MIN_EXCESS_REASON
    try:
        flagged = check_portions(quantity, attendees, reason)
    except RuleError:
        assert quantity > attendees and not long_enough
    else:
        assert flagged == (quantity > attendees)


# -- package splitting ------------------------------------------------------------------------

TODAY = dt.date(2026, 11, 23)


def prior(request_id: int, value: int, days_ago: int) -> PriorRequest:
    return PriorRequest(request_id, value, TODAY - dt.timedelta(days=days_ago))


def test_two_requests_crossing_the_cap_within_14_days_are_suspects() -> None:
    earlier = [prior(1, 30_000_000, 3)]
    assert split_suspects(30_000_000, TODAY, earlier, CAP, 14) == earlier


def test_the_window_includes_its_first_day_and_not_the_day_before() -> None:
    assert split_suspects(30_000_000, TODAY, [prior(1, 30_000_000, 14)], CAP, 14)
    assert split_suspects(30_000_000, TODAY, [prior(1, 30_000_000, 15)], CAP, 14) == []


def test_a_sum_equal_to_the_cap_is_not_a_suspect() -> None:
    assert split_suspects(20_000_000, TODAY, [prior(1, 30_000_000, 1)], CAP, 14) == []


def test_a_single_request_is_never_a_split_and_later_requests_do_not_count() -> None:
    assert split_suspects(CAP, TODAY, [], CAP, 14) == []
    assert split_suspects(40_000_000, TODAY, [prior(1, 40_000_000, -1)], CAP, 14) == []


def test_suspects_come_sorted_by_id_and_all_near_ones_are_named() -> None:
    near = [prior(7, 20_000_000, 2), prior(3, 20_000_000, 10), prior(5, 1, 0)]
    far = prior(1, 40_000_000, 30)
    assert [p.id for p in split_suspects(20_000_000, TODAY, [*near, far], CAP, 14)] == [3, 5, 7]


@given(
    st.integers(1, 60_000_000),
    st.lists(st.tuples(st.integers(1, 40_000_000), st.integers(-3, 30)), max_size=6),
    st.integers(0, 30),
)
def test_split_flag_iff_the_window_sum_crosses_the_cap(
    value: int, earlier: list[tuple[int, int]], window: int
) -> None:
    priors = [prior(i, v, ago) for i, (v, ago) in enumerate(earlier, start=1)]
    near = [p for p in priors if 0 <= (TODAY - p.created_on).days <= window]
    found = split_suspects(value, TODAY, priors, CAP, window)
    if near and value + sum(p.value for p in near) > CAP:
        assert found == sorted(near, key=lambda p: p.id)
    else:
        assert found == []


# -- working days -----------------------------------------------------------------------------


def test_working_days_skip_the_weekend() -> None:
    assert add_working_days(FRIDAY, 1) == dt.date(2026, 11, 30)  # Monday
    assert add_working_days(FRIDAY, 3) == dt.date(2026, 12, 2)  # Wednesday
    assert add_working_days(FRIDAY + dt.timedelta(days=1), 1) == dt.date(2026, 11, 30)
    assert add_working_days(dt.date(2026, 11, 23), 3) == dt.date(2026, 11, 26)  # Mon -> Thu
    assert add_working_days(FRIDAY, 0) == FRIDAY


@given(DATES, st.integers(0, 60))
def test_working_days_land_on_a_weekday_after_exactly_n_of_them(start: dt.date, n: int) -> None:
    end = add_working_days(start, n)
    between = [start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(1 for d in between if d.weekday() < 5) == n
    if n:
        assert end.weekday() < 5
        assert (end - start).days <= n + 2 * (n // 5 + 1)
    else:
        assert end == start


@given(DATES, st.integers(0, 30), st.integers(0, 30))
def test_working_days_add_up(start: dt.date, a: int, b: int) -> None:
    assert add_working_days(add_working_days(start, a), b) == add_working_days(start, a + b)


# -- late penalty -----------------------------------------------------------------------------

DUE = dt.date(2026, 12, 10)


def test_penalty_is_one_per_mille_per_day_late() -> None:
    delivered = DUE + dt.timedelta(days=3)
    assert late_penalty(14_000_000, DUE, delivered, delivered) == 42_000
    assert days_late(DUE, delivered, delivered) == 3


def test_no_penalty_on_or_before_the_due_date() -> None:
    assert late_penalty(14_000_000, DUE, DUE, DUE + dt.timedelta(days=9)) == 0
    assert late_penalty(14_000_000, DUE, DUE - dt.timedelta(days=2), DUE) == 0
    assert days_late(DUE, DUE - dt.timedelta(days=2), DUE) == 0


def test_an_undelivered_order_keeps_counting_until_today() -> None:
    today = DUE + dt.timedelta(days=5)
    assert late_penalty(1_000_000, DUE, None, today) == 5_000
    assert days_late(DUE, None, today) == 5


def test_penalty_rounds_half_up_to_whole_rupiah() -> None:
    day = DUE + dt.timedelta(days=1)
    assert late_penalty(1_500, DUE, day, day) == 2  # 1,5 -> 2
    assert late_penalty(1_499, DUE, day, day) == 1  # 1,499 -> 1
    assert late_penalty(2_500, DUE, day, day) == 3  # half up, not to even


@given(
    st.integers(0, 10**12),
    st.integers(-30, 400),
    st.booleans(),
)
def test_penalty_is_exact(value: int, late_by: int, delivered: bool) -> None:
    end = DUE + dt.timedelta(days=late_by)
    penalty = late_penalty(value, DUE, end if delivered else None, end)
    days = max(late_by, 0)
    expected = (Decimal(value) * days / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert penalty == int(expected)
    assert isinstance(penalty, int)
    assert days_late(DUE, end if delivered else None, end) == days


# -- days to payment --------------------------------------------------------------------------


def test_days_to_payment() -> None:
    handed = dt.date(2026, 12, 1)
    assert days_to_payment(None, None, handed) is None
    assert days_to_payment(handed, dt.date(2026, 12, 8), dt.date(2026, 12, 31)) == 7
    assert days_to_payment(handed, None, dt.date(2026, 12, 4)) == 3  # still counting
    assert days_to_payment(handed, handed, handed) == 0


# -- the module stays pure --------------------------------------------------------------------
