"""The round and the need of a UMKM under each pemerataan policy (ALLOCATION.md §2).

Pure and exact: months of W raised to the platform's floors, means as Fractions. v1 and v2 share
the floors and the grace period; they differ in which awards count and in the grace rule.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction

from procure.allocation.records import (
    POLICY_V2,
    MonthUsed,
    Need,
    PolicyError,
    SupplierFacts,
)
from procure.clock import jakarta_date
from procure.omzet.rules import Period


def window_for(day: dt.date) -> tuple[Period, Period, Period]:
    """W: the three calendar months before ``day``'s month, oldest first."""
    current = Period.of(day)
    return (current.shift(-3), current.shift(-2), current.shift(-1))


def months_used(facts: SupplierFacts, window: Sequence[Period]) -> tuple[MonthUsed, ...]:
    """The reported months of W, each raised to the UMKM's live orders issued in it."""
    floors: Counter[Period] = Counter()
    for award in facts.awards:
        floors[Period.of(award.issued_on)] += award.value
    return tuple(
        MonthUsed.of(p, facts.omzet_by_month[p], floors[p])
        for p in window
        if p in facts.omzet_by_month
    )


def grace(
    facts: SupplierFacts, request_date: dt.date, grace_days: int
) -> tuple[dt.date | None, bool]:
    """(the Jakarta date of verification, whether t is within the grace period)."""
    verified_on = jakarta_date(facts.verified_at) if facts.verified_at else None
    # "Fewer than" N days: verified exactly N days before t is out of grace. Zero turns it off.
    in_grace = (
        verified_on is not None
        and grace_days > 0
        and (request_date - verified_on).days < grace_days
    )
    return verified_on, in_grace


def mean(months: Sequence[MonthUsed]) -> Fraction:
    """The exact mean of the reported months (each raised to its floor); 0 without any (a
    tier-1 UMKM has no mean: 0 lets its awards order it among tier 1)."""
    return Fraction(sum(m.used for m in months), len(months)) if months else Fraction(0)


def tier(months: Sequence[MonthUsed], in_grace: bool) -> int:
    """0 for a UMKM that reported a month of W or is in its grace period, 1 for the others
    (ranked after every tier-0 UMKM)."""
    return 0 if months or in_grace else 1


def need_for(
    facts: SupplierFacts, window: Sequence[Period], request_date: dt.date, grace_days: int
) -> Need:
    """pemerataan-v1: need(m) = reported_avg(m) + awards_since(m), with its tier and months."""
    months = months_used(facts, window)
    verified_on, in_grace = grace(facts, request_date, grace_days)
    since = months[-1].period.shift(1).first_day if months else window[0].first_day
    # In grace the average counts as 0 even when months were reported (the spec's "it then
    # counts reported_avg = 0"); the months stay on record.
    reported_avg = Fraction(0) if in_grace else mean(months)
    return Need(
        tier=tier(months, in_grace),
        in_grace=in_grace,
        verified_on=verified_on,
        months=months,
        reported_avg=reported_avg,
        awards_since_on=since,
        awards_since=sum(a.value for a in facts.awards if a.issued_on >= since),
    )


def need_for_v2(
    facts: SupplierFacts, window: Sequence[Period], request_date: dt.date, grace_days: int
) -> Need:
    """pemerataan-v2: need(m) = reported_avg(m) + awards_unreported(m).

    awards_unreported: live orders issued from the first day of W through t whose issue month
    is not a month of W the UMKM reported (an unreported month of W, or t's own month). A UMKM
    in grace that reported months uses their mean like everyone else.
    """
    months = months_used(facts, window)
    verified_on, in_grace = grace(facts, request_date, grace_days)
    reported = {m.period for m in months}
    unreported = tuple(p for p in (*window, Period.of(request_date)) if p not in reported)
    start = window[0].first_day
    awards = sum(
        a.value
        for a in facts.awards
        if start <= a.issued_on <= request_date and Period.of(a.issued_on) not in reported
    )
    return Need(
        tier=tier(months, in_grace),
        in_grace=in_grace,
        verified_on=verified_on,
        months=months,
        reported_avg=mean(months),
        awards_since_on=start,
        awards_since=awards,
        policy=POLICY_V2,
        unreported_months=unreported,
    )


def need_of(
    policy: str,
    facts: SupplierFacts,
    window: Sequence[Period],
    request_date: dt.date,
    grace_days: int,
) -> Need:
    """The need of ``policy``."""
    if policy == POLICY_V2:
        return need_for_v2(facts, window, request_date, grace_days)
    return need_for(facts, window, request_date, grace_days)


def count_365(facts: SupplierFacts, request_date: dt.date) -> int:
    """Live orders issued in the 365 days up to and including t (t-364 ... t): v2's round."""
    start = request_date - dt.timedelta(days=364)
    return sum(1 for a in facts.awards if start <= a.issued_on <= request_date)


def need6(need: Need) -> int:
    """6 × need(m) as a whole number: a mean of 1, 2 or 3 months times 6 always is one, so an
    index on it orders UMKM exactly as the Fraction does (used by the stored figures)."""
    six = need.value * 6
    if six.denominator != 1:
        raise PolicyError(f"Kebutuhan {need.value} × 6 bukan bilangan bulat.")
    return six.numerator
