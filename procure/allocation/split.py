"""The two split modes of pemerataan-v1, over a ranking of candidates.

``capacity`` fills the best-ranked UMKM up to their free capacity; ``level`` hands out chunks
to whoever has the lowest need at each pick, so one large order spreads over small suppliers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from procure.allocation import explain
from procure.allocation.records import Candidate, Part, RankKey, Split, Step


def rank_key(tier: int, need: Fraction, count: int, tie: str) -> RankKey:
    """The ranking key, compared ascending: lower is served first."""
    return (tier, need, count, tie)


def _key_with(candidate: Candidate, added: int) -> RankKey:
    return rank_key(candidate.tier, candidate.need + added, candidate.count_365, candidate.tie)


def split_capacity(
    ranking: Sequence[Candidate], quantity: int, max_suppliers: int, *, unit: str = "unit"
) -> Split:
    """Walk the ranking; each UMKM takes min(remaining, f(p)), up to K UMKM."""
    remaining = quantity
    parts: list[Part] = []
    steps: list[Step] = []
    for c in sorted(ranking, key=lambda c: c.key):
        if remaining == 0 or len(parts) == max_suppliers:
            break
        free = c.free_capacity
        part = min(remaining, free)
        if part <= 0:
            continue
        if part < c.min_order:
            # Not given, and it does not use up one of the K places.
            note = explain.skip_note(c, part, unit)
            steps.append(Step("skip", c.umkm_id, 0, remaining, free, c.need, c.need, note))
            continue
        note = explain.part_note(c, part, remaining, free, unit)
        steps.append(Step("part", c.umkm_id, part, remaining, free, c.need, c.need, note))
        parts.append(Part.of(c.umkm_id, c.product_id, part, c.unit_price))
        remaining -= part
    return Split(tuple(parts), tuple(steps), remaining, None)


def reach(ranking: Sequence[Candidate], split: Split) -> int:
    """How many candidates, from the top of ``ranking``, the split looked at (0: none).

    Both modes look at candidates in ranking order only (a first part or a skip never jumps an
    untouched offer), so a ranking cut after this many gives the same split.
    """
    touched = {step.umkm_id for step in split.steps}
    for index in range(len(ranking) - 1, -1, -1):
        if ranking[index].umkm_id in touched:
            return index + 1
    return 0


def level_chunk(quantity: int, max_suppliers: int, min_lot: int) -> int:
    """chunk = max(min_lot, ceil(Q / K))."""
    return max(min_lot, math.ceil(Fraction(quantity, max_suppliers)))


def split_level(
    ranking: Sequence[Candidate],
    quantity: int,
    max_suppliers: int,
    min_lot: int,
    *,
    unit: str = "unit",
) -> Split:
    """Give one chunk at a time to the lowest key, raising its need by the part's value."""
    chunk = level_chunk(quantity, max_suppliers, min_lot)
    ordered = sorted(ranking, key=lambda c: c.key)
    given = dict.fromkeys((c.umkm_id for c in ordered), 0)
    added = dict.fromkeys((c.umkm_id for c in ordered), 0)
    passed: set[int] = set()
    used: set[int] = set()
    remaining = quantity
    steps: list[Step] = []
    while remaining > 0:
        open_offers = [
            c
            for c in ordered
            if c.umkm_id not in passed
            and c.free_capacity > given[c.umkm_id]
            and (c.umkm_id in used or len(used) < max_suppliers)
        ]
        pick: tuple[Candidate, int, int] | None = None
        for c in sorted(open_offers, key=lambda c: _key_with(c, added[c.umkm_id])):
            free = c.free_capacity - given[c.umkm_id]
            part = min(chunk, remaining, free)
            if part < c.min_order:
                # Parts only shrink (chunk fixed, remaining and free fall), so an offer passed
                # over once could never take a part later: record it once and drop it.
                passed.add(c.umkm_id)
                need = c.need + added[c.umkm_id]
                note = explain.skip_note(c, part, unit)
                steps.append(Step("skip", c.umkm_id, 0, remaining, free, need, need, note))
                continue
            pick = (c, part, free)
            break
        if pick is None:
            break
        c, part, free = pick
        # The part's value, not a full chunk's: they differ only when the part empties the
        # offer or the request, after which the raised need can no longer change a pick.
        need_before = c.need + added[c.umkm_id]
        added[c.umkm_id] += part * c.unit_price
        need_after = c.need + added[c.umkm_id]
        note = explain.level_note(c, part, need_before, need_after, unit)
        steps.append(Step("part", c.umkm_id, part, remaining, free, need_before, need_after, note))
        given[c.umkm_id] += part
        used.add(c.umkm_id)
        remaining -= part
    # The initial ranking is also the order of first parts: an offer gets its first part only
    # when every offer ranked before it can take none, and that can never change back.
    parts = tuple(
        Part.of(c.umkm_id, c.product_id, given[c.umkm_id], c.unit_price)
        for c in ordered
        if given[c.umkm_id] > 0
    )
    return Split(parts, tuple(steps), remaining, chunk)
