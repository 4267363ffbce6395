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
import itertools
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
# A product's columns for the eligibility checks: (unit price, product id, lead time, minimum
# order, monthly capacity, umkm, eligible from, eligible until (µs), free capacity needed).
_Row = tuple[int, int, int, int, int, int, int, int, int]
# (first day, day after the last it holds, packed key with the UMKM id, (tier, count in 365
# days, 6 × need))
_Key = tuple[int, int, int, tuple[int, int, int]]
# A request's window: (its months as year × 12 + month, first day of W, of t's month, of the
# month after), days as ordinals.
_Context = tuple[tuple[int, ...], int, int, int]
# The packed key: each field in its own bits, so integers compare as the tuples do.
_ID_BITS, _NEED_BITS, _COUNT_BITS = 64, 128, 40
_ID_MASK = (1 << _ID_BITS) - 1
_NEVER = 2**63  # a moment after every request
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


def _micros(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


class _Awards:
    """A UMKM's awards in issue order, valid while their number holds (awards only grow)."""

    __slots__ = ("count", "dates", "floors", "leaving", "pref")

    def __init__(self, awards: Sequence[Award]) -> None:
        ordered = sorted(awards)
        self.count = len(awards)
        self.dates = [a.issued_on.toordinal() for a in ordered]  # ascending
        self.leaving = [d + 365 for d in self.dates]  # the first day each is out of 365 days
        self.pref = [0, *itertools.accumulate(a.value for a in ordered)]  # prefix sums
        self.floors: dict[int, int] = {}  # month (year × 12 + month) -> value of its awards
        for a in ordered:
            month = a.issued_on.year * 12 + a.issued_on.month
            self.floors[month] = self.floors.get(month, 0) + a.value

    def since(self, day: int) -> int:
        """Value of the awards issued on ``day`` (an ordinal) or later."""
        return self.pref[-1] - self.pref[bisect.bisect_left(self.dates, day)]


class FastAllocator:
    """The allocation of one replay, request by request, over the replay's own bookings.

    ``booked``, ``awards`` and ``awarded`` are the replay's state, never written here: units
    booked by (product, due month), awards by UMKM, award value by (UMKM, issue month). The
    bookings and award values are copied at the start and kept in step by ``book``, which the
    replay calls for every part it gives; the awards are read as they grow.
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
        # units booked by due month, then product (kept in step by ``book``)
        self._booked: dict[Period, dict[int, int]] = {}
        for (product_id, month), units in booked.items():
            held = self._booked.setdefault(month, {})
            held[product_id] = held.get(product_id, 0) + units
        self.awards = awards
        self.awarded = awarded
        self._award_lists: dict[int, _Awards] = {}
        # award value by (umkm, month as year × 12 + month), kept in step by ``book``
        self._awarded: dict[tuple[int, int], int] = {}
        for (umkm_id, period), value in awarded.items():
            key = (umkm_id, period.year * 12 + period.month)
            self._awarded[key] = self._awarded.get(key, 0) + value
        # umkm -> its ranking numbers, valid over some days until the UMKM gets an award
        self._keys: dict[int, _Key] = {}
        # (list of products, v2, kind, category) -> (that list, its rows: see ``_rows``)
        # umkm -> (its filing days, its omzet filings by month, its verification day)
        self._static: dict[
            int, tuple[list[int], dict[int, tuple[tuple[int, int], ...]], int | None]
        ] = {}
        self._rows: dict[tuple[int, bool, int | None, int], tuple[object, list[_Row]]] = {}
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

    def _awards_of(self, umkm_id: int) -> _Awards:
        awards = self.awards.get(umkm_id, ())
        held = self._award_lists.get(umkm_id)
        if held is None or held.count != len(awards):
            held = self._award_lists[umkm_id] = _Awards(awards)
        return held

    # -- per request ----------------------------------------------------------------------

    def _rows_of(
        self, products: Sequence[Product], v2: bool, kind: int | None, category: int
    ) -> list[_Row]:
        """The products that can ever be offers for such a request (active, of its kind or
        category), as plain rows by (unit price, product id): the first eligible row of a UMKM
        is its representative offer."""
        key = (id(products), v2, kind, category)
        found = self._rows.get(key)
        if found is not None and found[0] is products:
            return found[1]
        rows: list[_Row] = []
        for p in products:
            if not p.is_active:
                continue
            if v2:
                if (p.category_id if p.kind_id is None else p.kind_id) != kind:
                    continue
            elif p.category_id != category:
                continue
            if not 0 <= p.umkm_id < 1 << _ID_BITS:
                raise ValueError(f"UMKM id out of range: {p.umkm_id}")
            verified, suspended, _ = self._status_of(p.umkm_id)
            rows.append(
                (
                    p.unit_price,
                    p.product_id,
                    p.lead_time_days,
                    p.min_order,
                    p.monthly_capacity,
                    p.umkm_id,
                    _NEVER if verified is None else verified,  # eligible from
                    _NEVER if suspended is None else suspended,  # until
                    max(1, p.min_order) if v2 else 1,  # the free capacity it needs
                )
            )
        rows.sort()
        self._rows[key] = (products, rows)
        return rows

    def eligible(
        self,
        request: Request,
        products: Sequence[Product],
        rules: str,
        day: dt.date,
        window: Sequence[Period],
        due: Period,
        keyed: list[int] | None = None,
    ) -> dict[int, Rep]:
        """The representative offer of each eligible UMKM: its cheapest eligible product,
        ties to the lowest product id (``policy.representatives`` after ``eligibility``).

        ``keyed``: also append each one's ranking key (``_ranking``: the packed key without the
        lottery, then the UMKM id), for ``pemerataan``."""
        v2 = rules == POLICY_V2
        today = day.toordinal()
        keys = self._keys
        context = self._context(day, window) if keyed is not None else None
        reps: dict[int, Rep] = {}
        for rep in self._offers(request, products, v2, day, window, due):
            umkm_id = rep[0]
            reps[umkm_id] = rep
            if context is not None and keyed is not None:
                held = keys.get(umkm_id)
                if held is None or not held[0] <= today < held[1]:
                    held = self._ranking(umkm_id, day, context, v2)
                keyed.append(held[2])
        return reps

    def by_price(
        self,
        request: Request,
        products: Sequence[Product],
        rules: str,
        day: dt.date,
        window: Sequence[Period],
        due: Period,
    ) -> Iterator[Rep]:
        """The representative offers of ``eligible``, by ascending unit price (then product
        id), each checked only when read."""
        return self._offers(request, products, rules == POLICY_V2, day, window, due)

    def _offers(
        self,
        request: Request,
        products: Sequence[Product],
        v2: bool,
        day: dt.date,
        window: Sequence[Period],
        due: Period,
    ) -> Iterator[Rep]:
        """The eligible UMKM's representative offers, cheapest first: each UMKM's first row
        (by price, then product id) that passes the checks, each checked only when read."""
        moment = _micros(request.created_at)
        days_left = (request.needed_by - day).days
        quantity, hps = request.quantity, request.hps_unit_price
        cap = self.settings.annual_award_cap
        booked = self._booked.get(due, {}).get
        seen: set[int] = set()
        for (
            price,
            product_id,
            lead,
            min_order,
            capacity,
            umkm_id,
            start,
            stop,
            least,
        ) in self._rows_of(products, v2, request.kind_id, request.category_id):
            if price > hps:
                return  # the rows are by price
            if lead > days_left or min_order > quantity or umkm_id in seen:
                continue
            if not start <= moment < stop:
                continue
            free = capacity - booked(product_id, 0)
            if free < least:
                continue
            if cap is not None and self._this_year(umkm_id, day, window, v2) >= cap:
                continue
            seen.add(umkm_id)
            yield (umkm_id, product_id, price, free, min_order)

    def _this_year(self, umkm_id: int, day: dt.date, window: Sequence[Period], v2: bool) -> int:
        """V of the annual cap: v2 from 1 January through t, v1 the whole calendar year."""
        n = self._awards_of(umkm_id)
        if not n.dates:
            return 0
        first = bisect.bisect_left(n.dates, dt.date(day.year, 1, 1).toordinal())
        if v2:
            last = bisect.bisect_right(n.dates, day.toordinal())
        else:
            last = bisect.bisect_left(n.dates, dt.date(day.year + 1, 1, 1).toordinal())
        return n.pref[last] - n.pref[first]

    def book(self, part: PartOf, due: Period, day: dt.date) -> None:
        """A part was given on ``day`` (the replay books it in its own state too): the
        product's units due that month rise, the UMKM's award value of the month too, and its
        ranking numbers are computed again when needed."""
        umkm_id, product_id, quantity, unit_price = part
        held = self._booked.setdefault(due, {})
        held[product_id] = held.get(product_id, 0) + quantity
        key = (umkm_id, day.year * 12 + day.month)
        self._awarded[key] = self._awarded.get(key, 0) + quantity * unit_price
        self._keys.pop(umkm_id, None)

    def _context(self, day: dt.date, window: Sequence[Period]) -> _Context:
        """The request day's window as numbers: its months (year × 12 + month), the first day
        of W, of t's month and of the month after (ordinals)."""
        after = window[-1].shift(1)
        return (
            tuple(p.year * 12 + p.month for p in window),
            window[0].first_day.toordinal(),
            after.first_day.toordinal(),
            after.shift(1).first_day.toordinal(),
        )

    @staticmethod
    def _omzet_of(supplier: Supplier) -> dict[int, tuple[tuple[int, int], ...]]:
        """Its omzet by month (year × 12 + month): each filing as (filed on, base amount), in
        the order ``simulation._facts`` reads them."""
        if supplier.revisions:
            return {
                p.year * 12 + p.month: tuple((d.toordinal(), base) for d, base in revisions)
                for p, revisions in supplier.revisions.items()
            }
        return {
            p.year * 12 + p.month: ((supplier.filed_on[p].toordinal(), amount),)
            for p, amount in supplier.omzet.items()
            if amount is not None
        }

    def _ranking(self, umkm_id: int, day: dt.date, context: _Context, v2: bool) -> _Key:
        """(tier, count in 365 days, 6 × need) of the UMKM on ``day`` (``need.need_of``,
        ``need.count_365``), with the days over which they hold and the ranking key (without
        the lottery) packed into one integer: v2 (tier, count, need), v1 (tier, need, count)."""
        static = self._static.get(umkm_id)
        if static is None:
            supplier = self.population.supplier(umkm_id)
            static = self._static[umkm_id] = (
                [d.toordinal() for d in supplier.filings],
                self._omzet_of(supplier),
                self._status_of(umkm_id)[2],
            )
        filings, omzet, verified_on = static
        n = self._awards_of(umkm_id)
        today = day.toordinal()
        window, start, month_start, month_end = context
        # The reported months of W, each raised to its floor (``simulation._facts``,
        # ``need.months_used``): the latest filing by t, plus the replay's awards of the month.
        used: list[tuple[int, int]] = []  # (month, value used)
        for month in window:
            base = None
            for filed_on, amount in omzet.get(month, ()):
                if filed_on > today:
                    break
                base = amount
            if base is not None:
                reported = base + self._awarded.get((umkm_id, month), 0)
                floor = n.floors.get(month, 0)
                used.append((month, reported if reported >= floor else floor))
        months = len(used)
        used6 = 6 * sum(u for _, u in used) // months if months else 0
        grace = self.settings.new_supplier_grace_days
        in_grace = verified_on is not None and grace > 0 and today - verified_on < grace
        tier = 0 if months or in_grace else 1
        dates = n.dates
        high = bisect.bisect_right(dates, today)
        count = high - bisect.bisect_left(dates, today - 364)
        if v2:
            # Awards from W's start through t outside the reported months: those months lie
            # wholly within, so their awards are their floors.
            unreported = n.pref[high] - n.pref[bisect.bisect_left(dates, start)]
            unreported -= sum(n.floors.get(month, 0) for month, _ in used)
            need6 = used6 + 6 * unreported
        else:
            # since the month after the last reported one, else from W's start
            if used:
                year, month = divmod(used[-1][0] - 1, 12)
                since = Period(year, month + 1).shift(1).first_day.toordinal()
            else:
                since = start
            need6 = (0 if in_grace else used6) + 6 * n.since(since)
        # The days over which these hold: the month (the window), the filings, each award's
        # issue day and the day it leaves the 365 days, the end of the grace period.
        low, high_day = month_start, month_end
        for bounds in (filings, dates, n.leaving):
            i = bisect.bisect_right(bounds, today)
            if i:
                low = max(low, bounds[i - 1])
            if i < len(bounds):
                high_day = min(high_day, bounds[i])
        if verified_on is not None and grace > 0:
            if verified_on + grace <= today:
                low = max(low, verified_on + grace)
            else:
                high_day = min(high_day, verified_on + grace)
        if not (0 <= need6 < 1 << _NEED_BITS and count < 1 << _COUNT_BITS):
            raise ValueError(f"Ranking numbers out of range for UMKM {umkm_id}")
        if v2:
            packed = ((tier << _COUNT_BITS | count) << _NEED_BITS | need6) << _ID_BITS
        else:
            packed = ((tier << _NEED_BITS | need6) << _COUNT_BITS | count) << _ID_BITS
        held = (low, high_day, packed | umkm_id, (tier, count, need6))
        self._keys[umkm_id] = held
        return held

    def pemerataan(
        self,
        request: Request,
        reps: Mapping[int, Rep],
        keyed: list[int],
        rules: str,
    ) -> list[PartOf]:
        """The parts ``policy.evaluate`` allocates over these eligible UMKM (``keyed``: their
        keys, as ``eligible`` gives them)."""
        if not reps:
            return []
        v2 = rules == POLICY_V2
        settings = self.settings
        keys = self._keys
        keyed.sort()
        level = settings.split_mode == "level"
        size = CUT
        while True:
            end = min(size, len(keyed))
            while end < len(keyed) and keyed[end] >> _ID_BITS == keyed[end - 1] >> _ID_BITS:
                end += 1  # whole ties: the lottery orders them
            top = [k >> _ID_BITS for k in keyed[:end]]
            entries = []
            for i, k in enumerate(keyed[:end]):
                umkm_id = k & _ID_MASK
                # The lottery decides between equal keys only: the capacity split needs it
                # within ties; the level split compares raised keys, so it needs it for all.
                tied = (i and top[i - 1] == top[i]) or (i + 1 < end and top[i + 1] == top[i])
                entries.append(
                    (top[i], tie_for(request.id, umkm_id) if level or tied else "", umkm_id)
                )
            entries.sort()
            ranking = [(reps[u], keys[u][3], tie) for _, tie, u in entries]
            if level:
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


def cheapest_first(by_price: Iterable[Rep], request_id: int) -> Iterator[Rep]:
    """Offers given by ascending unit price, by (unit price, lottery): the lottery is hashed
    only among equal prices, and only as far as the caller reads."""
    group: list[Rep] = []
    for rep in by_price:
        if group and rep[2] != group[0][2]:
            yield from _by_lottery(group, request_id)
            group = []
        group.append(rep)
    yield from _by_lottery(group, request_id)


def _by_lottery(group: list[Rep], request_id: int) -> list[Rep]:
    if len(group) < 2:
        return group
    return sorted(group, key=lambda r: tie_for(request_id, r[0]))


def baseline(
    policy: str,
    request: Request,
    by_price: Iterator[Rep],
    settings: Settings,
    rng: random.Random,
    favourites: MutableMapping[tuple[int, int], tuple[int, ...]],
    *,
    keep: int,
    names: tuple[str, str, str],
) -> list[PartOf]:
    """A baseline's parts, as ``simulation._choose`` gives them, from the eligible offers by
    price (``FastAllocator.by_price``; always-cheapest reads only as far as its walk goes).
    ``names``: always-cheapest, random, buyer-habit; ``keep``: a buyer-habit OPD's favourites
    per category."""
    cheapest_name, random_name, habit_name = names
    ordered: Iterable[Rep]
    if policy == cheapest_name:
        return _walk(cheapest_first(by_price, request.id), request.quantity, settings.max_suppliers)
    cheapest = list(by_price)
    offers = sorted(cheapest)  # by UMKM id
    if policy == random_name:
        rng.shuffle(offers)
        ordered = offers
    elif policy == habit_name:
        key = (request.opd_id, request.category_id)
        if key not in favourites and offers:
            chosen = rng.sample(offers, min(keep, len(offers)))
            favourites[key] = tuple(o[0] for o in chosen)
        chosen_ids = favourites.get(key, ())
        reps = {o[0]: o for o in offers}
        first = [reps[u] for u in chosen_ids if u in reps]
        rest = (o for o in cheapest_first(cheapest, request.id) if o[0] not in chosen_ids)
        ordered = _chain(first, rest)
    else:
        raise ValueError(f"Unknown policy: {policy}")
    return _walk(ordered, request.quantity, settings.max_suppliers)


def _chain(first: Sequence[Rep], rest: Iterator[Rep]) -> Iterator[Rep]:
    yield from first
    yield from rest
