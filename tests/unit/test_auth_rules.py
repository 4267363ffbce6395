"""The pure login rules: throttling decisions and password strength."""

from __future__ import annotations

import datetime as dt

import pytest

from procure.auth.password_rules import (
    INVISIBLE,
    TOO_EASY,
    TOO_SHORT,
    check_password_strength,
    personal_words,
)
from procure.auth.throttle_rules import (
    Counter,
    Decision,
    Limits,
    Refusal,
    decide,
    slow_down_delay,
)

NOW = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)
LIMITS = Limits(5, dt.timedelta(minutes=15))


def _attempts(
    n: int, fresh_pair: bool = False, start: dt.datetime = NOW
) -> tuple[Counter, Counter, Decision | None]:
    """``n`` attempts in a row from one address at ``start``: its counters and the last answer."""
    address, account, pair = Counter(), Counter(), Counter()
    decision = None
    for _ in range(n):
        decision = decide(address, account, Counter() if fresh_pair else pair, start, LIMITS)
        if decision.allowed:
            address, account, pair = decision.address, decision.account, decision.pair
    return address, account, decision


def test_the_first_attempts_are_free_then_the_account_is_slowed() -> None:
    _, account, decision = _attempts(5)
    assert decision is not None and decision.allowed
    assert account.failures == 5 and account.next_at == NOW + dt.timedelta(seconds=30)
    _, _, sixth = _attempts(6)
    assert sixth is not None and not sixth.allowed
    assert sixth.refusal is Refusal.ACCOUNT and sixth.retry_at == NOW + dt.timedelta(seconds=30)


def test_the_slow_down_doubles_up_to_the_window() -> None:
    delays = [slow_down_delay(f, LIMITS).total_seconds() for f in range(5, 13)]
    assert delays == [30, 60, 120, 240, 480, 900, 900, 900]
    assert slow_down_delay(10_000, LIMITS) == LIMITS.window


def test_one_attempt_per_interval_once_slowed() -> None:
    address, account, _ = _attempts(5)
    pair = Counter(5, NOW, None)
    later = NOW + dt.timedelta(seconds=31)
    allowed = decide(address, account, pair, later, LIMITS)
    assert allowed.allowed and allowed.account.next_at == later + dt.timedelta(seconds=60)
    again = decide(allowed.address, allowed.account, allowed.pair, later, LIMITS)
    assert not again.allowed and again.retry_at == later + dt.timedelta(seconds=60)


def test_an_address_that_has_not_failed_gets_an_attempt_at_once() -> None:
    _, account, _ = _attempts(5)
    fresh = decide(Counter(), account, Counter(), NOW, LIMITS)
    assert fresh.allowed
    assert fresh.account.next_at == account.next_at  # the owner does not push the wait out
    # ...but only one: the same address failing again joins the slow queue.
    second = decide(fresh.address, fresh.account, fresh.pair, NOW, LIMITS)
    assert not second.allowed


def test_many_fresh_addresses_end_in_the_slow_queue_too() -> None:
    account = Counter(5, NOW, NOW + dt.timedelta(seconds=30))
    allowed = 0
    for _ in range(100):
        decision = decide(Counter(), account, Counter(), NOW, LIMITS)
        if decision.allowed:
            allowed += 1
            account = decision.account
    assert allowed == LIMITS.fresh_max  # 20 addresses, then one attempt per interval


def test_an_address_is_paused_after_four_times_the_limit() -> None:
    address = Counter(20, NOW, None)
    decision = decide(address, Counter(), Counter(), NOW, LIMITS)
    assert not decision.allowed and decision.refusal is Refusal.ADDRESS
    assert decision.retry_at == NOW + LIMITS.window


def test_a_quiet_window_forgets_the_counters() -> None:
    address = Counter(20, NOW, None)
    account = Counter(9, NOW, NOW + dt.timedelta(minutes=15))
    later = NOW + LIMITS.window + dt.timedelta(seconds=1)
    decision = decide(address, account, Counter(9, NOW, None), later, LIMITS)
    assert decision.allowed and decision.account.failures == 1 and decision.address.failures == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password12", TOO_EASY),
        ("qwerty1234", TOO_EASY),
        ("Sukamaju2026", TOO_EASY),  # the published demo password
        ("Rahasia12345", TOO_EASY),  # Indonesian for "secret" and a run of digits
        ("bismillah123", TOO_EASY),
        ("\u200b" * 10, INVISIBLE),
        ("kata\u200bsandi\u200bkuat\u200bsekali", INVISIBLE),
        ("tab\tdi\ttengah\tkata", INVISIBLE),
        ("pendek1", TOO_SHORT),
        ("          x", TOO_SHORT),
    ],
)
def test_weak_passwords_are_refused(password: str, message: str) -> None:
    assert check_password_strength(password) == message


@pytest.mark.parametrize(
    "password",
    ["Lumbung-Padi-Kenari-48", "sapi merah makan rumput", "Jendela Biru Tujuh Pohon"],
)
def test_passphrases_pass(password: str) -> None:
    assert check_password_strength(password) is None


def test_the_accounts_own_words_count_as_easy_guesses() -> None:
    own = personal_words("budi.santoso@contoh.go.id", "Budi Santoso", "Batik Sekar Jagad")
    for password in ("BudiSantoso2026", "budi.santoso2026", "BatikSekarJagad1"):
        assert check_password_strength(password, own) == TOO_EASY, password


def test_a_long_password_is_judged_by_its_beginning() -> None:
    assert check_password_strength("Lumbung-Padi-Kenari-48" * 10) is None
