"""The replay's fast path: each request's allocation alone, without explanations or Fractions.

``simulation.replay`` used to build an ``Offer`` per product and ``SupplierFacts`` per UMKM and
run the full ``policy.evaluate`` (every eligible UMKM ranked with its ``Need``, ``Candidate``,
lottery hash and explanation) for each request. A replay only needs the parts, so this module
computes the same parts from plain numbers:

- eligibility is checked per product from its columns (status, kind or category, free capacity,
  the annual cap) after the product's own rules (active, HPS, lead time, minimum order);
- the ranking key is the exact integer one of the live figures (docs/decisions/0013):
  ``(tier, round, 6 × need)`` under v2, ``(tier, 6 × need, count)`` under v1 (a mean of 1-3
  months times 6 is whole, so the order is the Fractions' order), from per-UMKM numbers kept
  until the window, a filing or an award changes them;
- the lottery hash is computed only for the top of the ranking: the UMKM are sorted by the key
  without it, the first ``CUT`` (and every UMKM tied with the last of them) are ordered by the
  full key, and the split runs over them; when it looked at the last of the cut the cut is
  widened (a split only ever looks at candidates in ranking order: ``split.reach``), so the
  parts are those of the whole ranking.

The parts are exactly those of ``policy.evaluate(...).allocation`` (pemerataan) or of
``simulation._walk`` (the baselines): tests/unit/test_replay_fast.py compares both paths.
Pure: no clock, no I/O, no framework.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence

from procure.allocation.policy import tie_for
from procure.allocation.population import Population, Product, Supplier
from procure.allocation.records import POLICY_V2, Award, Request, Settings
from procure.allocation.split import level_chunk
from procure.clock import jakarta_date
from procure.omzet.rules import Period

CUT = 16  # candidates ranked by the full key (lottery included) before the split first runs
# One eligible UMKM, by its representative offer: (umkm, product, unit price, free, min order).
Rep = tuple[int, int, int, int, int]
# One part: (umkm, product, quantity, unit price).
PartOf = tuple[int, int, int, int]
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


def _micros(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


class _Numbers:
    """What the ranking needs of one UMKM, valid while its stamp holds (the window's first
    month, its filings by the day, its awards)."""

    __slots__ = ("dates", "months", "pref", "pref_unreported", "since_sum", "stamp", "used6")

    def __init__(
        self,
        stamp: tuple[Period, int, int],
        months: int,
        used6: int,
        since_sum: int,
        dates: list[int],
        pref: list[int],
        pref_unreported: list[int],
    ) -> None:
        self.stamp = stamp
        self.months = months  # reported months of the window
        self.used6 = used6  # 6 × their mean (each raised to its floor); 0 without any
        self.since_sum = since_sum  # v1: awards since the last reported month (or W's start)
        self.dates = dates  # award issue days (ordinals), ascending
        self.pref = pref  # prefix sums of the award values in that order
        # v2: prefix sums of the values of awards from W's start in a month not reported
        self.pref_unreported = pref_unreported


def _filed(revisions: Sequence[tuple[dt.date, int]], day: dt.date) -> int | None:
    """The base of the latest revision filed on or before ``day``; None when none was."""
    found = None
    for filed_on, base in revisions:
        if filed_on > day:
            break
        found = base
    return found


class FastAllocator:
    """The allocation of one replay, request by request, over the replay's own bookings.

    ``booked``, ``awards`` and ``awarded`` are the replay's state (read only here): units booked
    by (product, due month), awards by UMKM, award value by (UMKM, issue month).
    """

    def __init__(
        self,
        population: Population,
        settings: Settings,
        booked: Mapping[tuple[int, Period], int],
        awards: Mapping[int, list[Award]],
        awarded: Mapping[tuple[int, Period], int],
    ) -> None:
        self.population = population
        self.settings = settings
        self.booked = booked
        self.awards = awards
        self.awarded = awarded
        self._numbers: dict[int, _Numbers] = {}
        # umkm -> (verified at, suspended at, verified on) in microseconds / day ordinals
        self._status: dict[int, tuple[int | None, int | None, int | None]] = {}

    # -- per UMKM -------------------------------------------------------------------------

    def _status_of(self, umkm_id: int) -> tuple[int | None, int | None, int | None]:
        found = self._status.get(umkm_id)
        if found is None:
            s = self.population.supplier(umkm_id)
            found = (
                None if s.verified_at is None else _micros(s.verified_at),
                None if s.suspended_at is None else _micros(s.suspended_at),
                None if s.verified_at is None else jakarta_date(s.verified_at).toordinal(),
            )
            self._status[umkm_id] = found
        return found

    def numbers(self, supplier: Supplier, day: dt.date, window: Sequence[Period]) -> _Numbers:
        """The UMKM's numbers on ``day`` (as ``simulation._facts`` and ``need`` compute them)."""
        umkm_id = supplier.umkm_id
        awards = self.awards.get(umkm_id, ())
        stamp = (window[0], bisect.bisect_right(supplier.filings, day), len(awards))
        cached = self._numbers.get(umkm_id)
        if cached is not None and cached.stamp == stamp:
            return cached
        ordered = sorted(awards)
        floors: dict[Period, int] = {}
        for a in ordered:
            month = Period.of(a.issued_on)
            floors[month] = floors.get(month, 0) + a.value
        used: list[tuple[Period, int]] = []
        for period in window:
            if supplier.revisions:
                base = _filed(supplier.revisions.get(period, ()), day)
            else:
                amount = supplier.omzet.get(period)
                base = amount if amount is not None and supplier.filed_on[period] <= day else None
            if base is not None:
                reported = base + self.awarded.get((umkm_id, period), 0)
                used.append((period, max(reported, floors.get(period, 0))))
        months = len(used)
        used6 = 6 * sum(u for _, u in used) // months if months else 0
        since = (used[-1][0].shift(1) if used else window[0]).first_day.toordinal()
        start = window[0].first_day.toordinal()
        reported_months = {p for p, _ in used}
        dates: list[int] = []
        pref, pref_unreported = [0], [0]
        since_sum = 0
        for a in ordered:
            day_of = a.issued_on.toordinal()
            dates.append(day_of)
            pref.append(pref[-1] + a.value)
            counted = day_of >= start and Period.of(a.issued_on) not in reported_months
            pref_unreported.append(pref_unreported[-1] + (a.value if counted else 0))
            if day_of >= since:
                since_sum += a.value
        found = _Numbers(stamp, months, used6, since_sum, dates, pref, pref_unreported)
        self._numbers[umkm_id] = found
        return found

    # -- per request ----------------------------------------------------------------------

    def eligible(
        self,
        request: Request,
        products: Iterable[Product],
        rules: str,
        day: dt.date,
        window: Sequence[Period],
        due: Period,
    ) -> dict[int, Rep]:
        """The representative offer of each eligible UMKM: its cheapest eligible product,
        ties to the lowest product id (``policy.representatives`` after ``eligibility``)."""
        v2 = rules == POLICY_V2
        kind, category = request.kind_id, request.category_id
        moment = _micros(request.created_at)
        days_left = (request.needed_by - day).days
        quantity, hps = request.quantity, request.hps_unit_price
        cap = self.settings.annual_award_cap
        booked = self.booked
        reps: dict[int, Rep] = {}
        for p in products:
            if not (
                p.is_active
                and p.unit_price <= hps
                and p.lead_time_days <= days_left
                and p.min_order <= quantity
            ):
                continue
            if v2:
                if (p.category_id if p.kind_id is None else p.kind_id) != kind:
                    continue
            elif p.category_id != category:
                continue
            free = p.monthly_capacity - booked.get((p.product_id, due), 0)
            if free < ((p.min_order if p.min_order > 1 else 1) if v2 else 1):
                continue
            umkm_id = p.umkm_id
            held = reps.get(umkm_id)
            if held is not None and (held[2], held[1]) < (p.unit_price, p.product_id):
                continue  # an eligible cheaper product of the same UMKM is already held
            verified, suspended, _ = self._status_of(umkm_id)
            if (suspended is not None and suspended <= moment) or (
                verified is None or verified > moment
            ):
                continue
            if cap is not None and self._this_year(umkm_id, day, window, v2) >= cap:
                continue
            reps[umkm_id] = (umkm_id, p.product_id, p.unit_price, free, p.min_order)
        return reps

    def _this_year(self, umkm_id: int, day: dt.date, window: Sequence[Period], v2: bool) -> int:
        """V of the annual cap: v2 from 1 January through t, v1 the whole calendar year."""
        n = self.numbers(self.population.supplier(umkm_id), day, window)
        if not n.dates:
            return 0
        first = bisect.bisect_left(n.dates, dt.date(day.year, 1, 1).toordinal())
        if v2:
            last = bisect.bisect_right(n.dates, day.toordinal())
        else:
            last = bisect.bisect_left(n.dates, dt.date(day.year + 1, 1, 1).toordinal())
        return n.pref[last] - n.pref[first]

    def pemerataan(
        self,
        request: Request,
        reps: Mapping[int, Rep],
        rules: str,
        day: dt.date,
        window: Sequence[Period],
    ) -> list[PartOf]:
        """The parts ``policy.evaluate`` allocates over these eligible UMKM."""
        if not reps:
            return []
        v2 = rules == POLICY_V2
        settings = self.settings
        grace = settings.new_supplier_grace_days
        today = day.toordinal()
        year_ago = today - 364
        population = self.population
        keyed: list[tuple[int, int, int, int]] = []
        facts: dict[int, tuple[int, int, int]] = {}  # umkm -> (tier, count, 6 × need)
        for umkm_id in reps:
            n = self.numbers(population.supplier(umkm_id), day, window)
            verified_on = self._status_of(umkm_id)[2]
            in_grace = verified_on is not None and grace > 0 and today - verified_on < grace
            tier = 0 if n.months or in_grace else 1
            if n.dates:
                high = bisect.bisect_right(n.dates, today)
                count = high - bisect.bisect_left(n.dates, year_ago)
            else:
                high = count = 0
            if v2:
                need6 = n.used6 + 6 * n.pref_unreported[high]
                keyed.append((tier, count, need6, umkm_id))
            else:
                need6 = (0 if in_grace else n.used6) + 6 * n.since_sum
                keyed.append((tier, need6, count, umkm_id))
            facts[umkm_id] = (tier, count, need6)
        keyed.sort()
        size = CUT
        while True:
            end = min(size, len(keyed))
            while end < len(keyed) and keyed[end][:3] == keyed[end - 1][:3]:
                end += 1  # whole ties: the lottery orders them
            cut = sorted(
                (k[:3] + (tie_for(request.id, k[3]),), reps[k[3]], facts[k[3]]) for k in keyed[:end]
            )
            ranking = [(rep, f, key[3]) for key, rep, f in cut]
            if settings.split_mode == "level":
                parts, looked_at_last = _level(ranking, request.quantity, settings, v2)
            else:
                parts, looked_at_last = _capacity(ranking, request.quantity, settings)
            if end == len(keyed) or not looked_at_last:
                return parts
            size *= 4


def _capacity(
    ranking: Sequence[tuple[Rep, tuple[int, int, int], str]], quantity: int, settings: Settings
) -> tuple[list[PartOf], bool]:
    """``split.split_capacity``'s parts, and whether it looked at the last candidate."""
    remaining, parts = quantity, list[PartOf]()
    k = settings.max_suppliers
    for rep, _, _ in ranking:
        if remaining == 0 or len(parts) == k:
            return parts, False
        umkm_id, product_id, price, free, min_order = rep
        part = min(remaining, free)
        if part <= 0 or part < min_order:
            continue
        parts.append((umkm_id, product_id, part, price))
        remaining -= part
    return parts, True


def _level(
    ranking: Sequence[tuple[Rep, tuple[int, int, int], str]],
    quantity: int,
    settings: Settings,
    v2: bool,
) -> tuple[list[PartOf], bool]:
    """``split.split_level``'s parts over integer keys, and whether it looked at the last
    candidate."""
    k = settings.max_suppliers
    chunk = level_chunk(quantity, k, settings.min_lot)
    n = len(ranking)
    given, added = [0] * n, [0] * n
    used, passed = [False] * n, [False] * n
    in_use = 0
    looked_at_last = False
    remaining = quantity

    def key_now(i: int) -> tuple[int, int, int, str]:
        _, (tier, count, need6), tie = ranking[i]
        if v2:
            return (tier, count + (1 if used[i] else 0), need6 + 6 * added[i], tie)
        return (tier, need6 + 6 * added[i], count, tie)

    while remaining > 0:
        open_offers = [
            i
            for i in range(n)
            if not passed[i] and ranking[i][0][3] > given[i] and (used[i] or in_use < k)
        ]
        pick: tuple[int, int] | None = None
        for i in sorted(open_offers, key=key_now):
            if i == n - 1:
                looked_at_last = True
            _, _, _, free_all, min_order = ranking[i][0]
            free = free_all - given[i]
            if v2:
                part = min(max(chunk, min_order), remaining, free)
                enough = part > 0 if used[i] else part >= min_order
            else:
                part = min(chunk, remaining, free)
                enough = part >= min_order
            if not enough:
                passed[i] = True
                continue
            pick = (i, part)
            break
        if pick is None:
            break
        i, part = pick
        added[i] += part * ranking[i][0][2]
        given[i] += part
        if not used[i]:
            used[i] = True
            in_use += 1
        remaining -= part
    parts = [
        (rep[0], rep[1], given[i], rep[2]) for i, (rep, _, _) in enumerate(ranking) if given[i] > 0
    ]
    return parts, looked_at_last


def _walk(ordered: Iterable[Rep], quantity: int, max_suppliers: int) -> list[PartOf]:
    """``simulation._walk``: min(remaining, f(p)) each in the given order, up to K UMKM."""
    remaining, parts = quantity, list[PartOf]()
    for umkm_id, product_id, price, free, min_order in ordered:
        if remaining == 0 or len(parts) == max_suppliers:
            break
        part = min(remaining, free)
        if part > 0 and part >= min_order:
            parts.append((umkm_id, product_id, part, price))
            remaining -= part
    return parts


def cheapest_first(offers: Iterable[Rep], request_id: int) -> Iterator[Rep]:
    """The offers by (unit price, lottery), the lottery hashed only among equal prices."""
    by_price = sorted(offers, key=lambda r: r[2])
    i = 0
    while i < len(by_price):
        j = i + 1
        while j < len(by_price) and by_price[j][2] == by_price[i][2]:
            j += 1
        if j == i + 1:
            yield by_price[i]
        else:
            yield from sorted(by_price[i:j], key=lambda r: tie_for(request_id, r[0]))
        i = j


def baseline(
    policy: str,
    request: Request,
    reps: Mapping[int, Rep],
    settings: Settings,
    rng: random.Random,
    favourites: MutableMapping[tuple[int, int], tuple[int, ...]],
    *,
    keep: int,
    names: tuple[str, str, str],
) -> list[PartOf]:
    """A baseline's parts, as ``simulation._choose`` gives them (``names``: always-cheapest,
    random, buyer-habit; ``keep``: a buyer-habit OPD's favourites per category)."""
    cheapest_name, random_name, habit_name = names
    offers = sorted(reps.values())  # by UMKM id
    ordered: Iterable[Rep]
    if policy == cheapest_name:
        ordered = cheapest_first(offers, request.id)
    elif policy == random_name:
        rng.shuffle(offers)
        ordered = offers
    elif policy == habit_name:
        key = (request.opd_id, request.category_id)
        if key not in favourites and offers:
            chosen = rng.sample(offers, min(keep, len(offers)))
            favourites[key] = tuple(o[0] for o in chosen)
        chosen_ids = favourites.get(key, ())
        first = [reps[u] for u in chosen_ids if u in reps]
        rest = (o for o in cheapest_first(offers, request.id) if o[0] not in chosen_ids)
        ordered = _chain(first, rest)
    else:
        raise ValueError(f"Unknown policy: {policy}")
    return _walk(ordered, request.quantity, settings.max_suppliers)


def _chain(first: Sequence[Rep], rest: Iterator[Rep]) -> Iterator[Rep]:
    yield from first
    yield from rest
