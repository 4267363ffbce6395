"""The two split modes of the pemerataan policies, over a ranking of candidates.

``capacity`` (the same in v1 and v2) fills the best-ranked UMKM up to their free capacity;
``level`` hands out chunks to whoever has the lowest key at each pick, so one large order
spreads over small suppliers. v2's level mode tops a chunk up to the offer's minimum order for a
first part, and a UMKM's first part also moves it one round down.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from procure.allocation import explain
from procure.allocation.records import POLICY_V1, POLICY_V2, Candidate, Part, RankKey, Split, Step


def rank_key(tier: int, need: Fraction, count: int, tie: str) -> RankKey:
    """pemerataan-v1's ranking key, compared ascending: lower is served first."""
    return (tier, need, count, tie)


def rank_key_v2(tier: int, round_: int, need: Fraction, tie: str) -> RankKey:
    """pemerataan-v2's ranking key: rounds before need."""
    return (tier, round_, need, tie)


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


def _level_part(
    candidate: Candidate, chunk: int, remaining: int, free: int, has_part: bool, v2: bool
) -> tuple[int, bool]:
    """What the offer would take at this pick, and whether it may take it.

    v1: min(chunk, remaining, f(p)), at least its minimum order. v2: q = min(max(chunk, minimum
    order), remaining, f(p)); a first part needs q ≥ its minimum order, a further one q > 0.
    """
    if v2:
        part = min(max(chunk, candidate.min_order), remaining, free)
        enough = part > 0 if has_part else part >= candidate.min_order
    else:
        part = min(chunk, remaining, free)
        enough = part >= candidate.min_order
    return part, enough


def split_level(
    ranking: Sequence[Candidate],
    quantity: int,
    max_suppliers: int,
    min_lot: int,
    *,
    unit: str = "unit",
    policy: str = POLICY_V1,
) -> Split:
    """Give one part at a time to the lowest key, raising its need by the part's value (and,
    under v2, its round by one at its first part)."""
    v2 = policy == POLICY_V2
    chunk = level_chunk(quantity, max_suppliers, min_lot)
    ordered = sorted(ranking, key=lambda c: c.key)
    given = dict.fromkeys((c.umkm_id for c in ordered), 0)
    added = dict.fromkeys((c.umkm_id for c in ordered), 0)
    passed: set[int] = set()
    used: set[int] = set()
    remaining = quantity
    steps: list[Step] = []

    def key_now(c: Candidate) -> RankKey:
        return c.key_after(added[c.umkm_id], 1 if c.umkm_id in used else 0)

    while remaining > 0:
        open_offers = [
            c
            for c in ordered
            if c.umkm_id not in passed
            and c.free_capacity > given[c.umkm_id]
            and (c.umkm_id in used or len(used) < max_suppliers)
        ]
        pick: tuple[Candidate, int, int] | None = None
        for c in sorted(open_offers, key=key_now):
            free = c.free_capacity - given[c.umkm_id]
            part, enough = _level_part(c, chunk, remaining, free, c.umkm_id in used, v2)
            if not enough:
                # Only an offer that cannot take a part is passed over, and what it could take
                # only shrinks (chunk fixed; remaining and free fall; under v2 a UMKM with a
                # part always can): record it once and drop it.
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
        if v2:
            first = c.umkm_id not in used
            note = explain.level_note_v2(c, part, need_before, need_after, first, unit)
        else:
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
