"""Pure rule of the red flag "the same UMKM chosen again and again": one OPD choosing one UMKM
through overrides at least three times in 90 days, each time passing over UMKM that the stored
ranking shows with a lower need. No Flask, no SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from procure.formatting import tanggal
from procure.ranking.stored_run import candidates_of

REPEAT_MIN_COUNT = 3
REPEAT_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Ranked:
    """One UMKM of a stored ranking: its place and its need (None when stored summarised)."""

    rank: int | None
    need: Fraction | None


def stored_ranking(result: Mapping[str, Any]) -> dict[int, Ranked]:
    """UMKM id -> place and need for every candidate a run stored (``stored_run``).

    Reads both a full candidate and a flat one (``{"umkm_id", "rank", "need"}``), so a
    summarised storage still gives what it kept.
    """
    return {c.umkm_id: Ranked(c.rank, c.need) for c in candidates_of(result)}


def passed_over(
    ranking: Mapping[int, Ranked], chosen: Collection[int], umkm_id: int, rank: int | None = None
) -> int:
    """How many UMKM the run ranked with a lower need than ``umkm_id`` and that were not chosen.

    Without the chosen UMKM's need in the stored ranking, its place (``rank``, from its order)
    stands in: every unchosen UMKM ranked before it counts.
    """
    own = ranking.get(umkm_id)
    if own is not None and own.need is not None:
        return sum(
            1
            for other, r in ranking.items()
            if other not in chosen and r.need is not None and r.need < own.need
        )
    place = own.rank if own is not None and own.rank is not None else rank
    if place is None:
        return 0
    return sum(
        1
        for other, r in ranking.items()
        if other not in chosen and r.rank is not None and r.rank < place
    )


@dataclass(frozen=True)
class OverrideChoice:
    """A UMKM an officer chose in an overriding decision, and whom that passed over."""

    opd_id: int
    umkm_id: int
    request_id: int
    decided_on: dt.date
    passed_over: int


@dataclass(frozen=True)
class RepeatedChoice:
    opd_id: int
    umkm_id: int
    first_on: dt.date
    last_on: dt.date
    request_ids: tuple[int, ...]
    passed_over: int  # the most UMKM with a lower need passed over in one of these decisions


def repeated_choices(
    choices: Iterable[OverrideChoice],
    min_count: int = REPEAT_MIN_COUNT,
    window_days: int = REPEAT_WINDOW_DAYS,
) -> list[RepeatedChoice]:
    """One OPD chose one UMKM through overrides at least ``min_count`` times within
    ``window_days`` days, each time passing over UMKM with a lower need.

    Each OPD and UMKM pair is walked oldest first; a group starts at a choice and takes every
    choice within the window after it; a group of enough choices is reported and the walk
    continues after it, so the same decision is never reported twice.
    """
    pairs: dict[tuple[int, int], list[OverrideChoice]] = defaultdict(list)
    for choice in choices:
        if choice.passed_over > 0:
            pairs[(choice.opd_id, choice.umkm_id)].append(choice)
    found = []
    for (opd_id, umkm_id), items in sorted(pairs.items()):
        items.sort(key=lambda c: (c.decided_on, c.request_id))
        start = 0
        while start < len(items):
            end = start
            limit = items[start].decided_on + dt.timedelta(days=window_days)
            while end + 1 < len(items) and items[end + 1].decided_on <= limit:
                end += 1
            group = items[start : end + 1]
            if len(group) >= min_count:
                found.append(
                    RepeatedChoice(
                        opd_id,
                        umkm_id,
                        group[0].decided_on,
                        group[-1].decided_on,
                        tuple(c.request_id for c in group),
                        max(c.passed_over for c in group),
                    )
                )
                start = end + 1
            else:
                start += 1
    return found


def repeated_text(found: RepeatedChoice, window_days: int = REPEAT_WINDOW_DAYS) -> str:
    requests = ", ".join(f"#{i}" for i in found.request_ids)
    return (
        f"Dipilih {len(found.request_ids)} kali lewat override dalam {window_days} hari "
        f"({tanggal(found.first_on)} sampai {tanggal(found.last_on)}; permintaan {requests}), "
        f"padahal peringkat tersimpan memuat UMKM lain dengan kebutuhan lebih rendah "
        f"(hingga {found.passed_over} UMKM dilewati dalam satu keputusan)."
    )
