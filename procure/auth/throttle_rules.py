"""Login throttling as pure rules: what an attempt may do, given the counters it read.

Three counters answer for one attempt (docs/decisions/0011-sessions-and-login-throttling.md):

- the **address** (``ip:<a>``): a hard limit, ``4 × max_failures`` attempts not proven right
  in the window (an office shares one public address behind NAT);
- the **account** (``email:<e>``): ``max_failures`` attempts freely; after that the account is
  *slowed down*, never locked: one attempt per growing interval (30 s, 1, 2, 4, 8 min, then
  one per window);
- the **account from this address** (``pair:<e>|<a>``): while the account is slowed, an address
  that has not failed for it in the window still gets one attempt at once, so an attacker
  elsewhere cannot keep the owner out; past ``4 × max_failures`` such attempts in a window
  (many addresses at once: a botnet) only the slow interval is left.

An attempt counts as a failure from the moment it is allowed until it is proven right; a
counter is forgotten after a whole window without attempts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

SLOW_DOWN_BASE = dt.timedelta(seconds=30)
ADDRESS_FACTOR = 4  # an address, and the fresh addresses of one account, get 4 × the limit


@dataclass(frozen=True)
class Counter:
    failures: int = 0
    last_at: dt.datetime | None = None
    next_at: dt.datetime | None = None


@dataclass(frozen=True)
class Limits:
    max_failures: int
    window: dt.timedelta

    @property
    def address_max(self) -> int:
        return self.max_failures * ADDRESS_FACTOR

    @property
    def fresh_max(self) -> int:
        return self.max_failures * ADDRESS_FACTOR


class Refusal(StrEnum):
    ADDRESS = "address"
    ACCOUNT = "account"


@dataclass(frozen=True)
class Decision:
    """Allowed with the counters to store, or refused until ``retry_at``."""

    allowed: bool
    address: Counter
    account: Counter
    pair: Counter
    refusal: Refusal | None = None
    retry_at: dt.datetime | None = None


def throttle_keys(email: str, address: str, prefix: str = "") -> tuple[str, str, str]:
    """The counters' keys: (address, account, account from this address). ``prefix`` keeps
    another action's counters apart (``reset:`` for password reset links)."""
    return (
        f"{prefix}ip:{address}",
        f"{prefix}email:{email}",
        f"{prefix}pair:{email}|{address}",
    )


def current(counter: Counter, now: dt.datetime, window: dt.timedelta) -> Counter:
    """The counter as it stands now: forgotten after a whole window without attempts."""
    if counter.last_at is None or counter.last_at <= now - window:
        return Counter()
    return counter


def slow_down_delay(failures: int, limits: Limits) -> dt.timedelta:
    """Wait after the ``failures``-th attempt of a slowed account: doubling, at most a window."""
    steps = max(0, failures - limits.max_failures)
    if steps >= 16:  # 30 s × 2^16 is far beyond any window
        return limits.window
    return min(limits.window, SLOW_DOWN_BASE * (1 << steps))


def decide(
    address: Counter, account: Counter, pair: Counter, now: dt.datetime, limits: Limits
) -> Decision:
    """May this attempt check a password? Allowed attempts come with their counters counted."""
    address = current(address, now, limits.window)
    account = current(account, now, limits.window)
    pair = current(pair, now, limits.window)
    if address.failures >= limits.address_max:
        assert address.last_at is not None  # noqa: S101 - failures > 0 implies an attempt
        return Decision(
            False, address, account, pair, Refusal.ADDRESS, address.last_at + limits.window
        )
    counted = account.failures + 1
    next_at = account.next_at
    if account.failures < limits.max_failures:
        if counted >= limits.max_failures:
            next_at = now + slow_down_delay(counted, limits)
    elif pair.failures == 0 and account.failures < limits.max_failures + limits.fresh_max:
        pass  # an address that has not failed for this account: the owner, most likely
    elif next_at is None or now >= next_at:
        next_at = now + slow_down_delay(counted, limits)
    else:
        return Decision(False, address, account, pair, Refusal.ACCOUNT, next_at)
    return Decision(
        True,
        Counter(address.failures + 1, now, None),
        Counter(counted, now, next_at),
        Counter(pair.failures + 1, now, None),
    )
