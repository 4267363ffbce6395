"""The ranking at scale: the policy on the top of a large product kind (pemerataan-v2) or
category (pemerataan-v1), read in ranking order.

``evaluate`` of the pure policy needs every offer and every UMKM's facts, which at 100,000 UMKM
takes seconds. Here the UMKM of the kind come in the policy's own order instead, from the
stored figures (``walk.WalkV2``, ``walk.Walk`` for v1), and offers and facts are loaded for
this prefix only, a
chunk at a time, until it holds the stored top plus one more eligible UMKM; then the pure
policy evaluates the prefix. Its ranking is the first rows of the full ranking, its split the
full split (``split.reach``: the split never looks past an untouched candidate), and its
explanations the same (a tie at the cut is told by the next UMKM, which is in the prefix).
tests/integration/test_allocation_at_scale.py compares it with the whole evaluation, which stays
for small kinds and for requests of an earlier day (v2) or month (v1). docs/decisions/0008,
0013.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procure.allocation.policy import (
    DEFAULT_POLICY,
    Offer,
    Request,
    Result,
    Settings,
    SupplierFacts,
    eligibility,
    evaluate,
    window_for,
)
from procure.clock import jakarta_date
from procure.ranking import facts, figures
from procure.ranking.stored_run import RANKING_LIMIT
from procure.ranking.walk import walk_for
from procure.umkm.models import Product

STORED = RANKING_LIMIT  # candidates stored in full: the page's first screen
RESERVE = 20  # more stored past the last one the split looked at, for the pass-on
CHUNK = 64  # UMKM whose offers and facts are loaded per round trip
# v2: a chunk ending inside the tie group that holds the cut reads on to the group's end in
# the same round trip, up to this many UMKM.
GROUP_READ = 1_024
# UMKM asked for (an officer's own choice) are looked for this deep: one that fell further
# since the run (it won another order meanwhile) means the run is out of date.
INCLUDE_DEPTH = 4 * STORED
# Categories with fewer offers than this are evaluated whole: fast enough, and the run keeps
# every candidate (config ALLOCATION_FAST_PATH_MIN_OFFERS overrides it).
FAST_PATH_MIN_OFFERS = 200


@dataclass(frozen=True)
class Top:
    """The evaluation of a prefix of the ranking, cut to the candidates that are stored."""

    result: Result
    walked: frozenset[int]  # the UMKM whose offers were read
    more: bool  # eligible UMKM exist after the stored ones
    next_key: tuple[int, str] | None  # (tier, need) of the first of them
    next_round: int | None = None  # its round (pemerataan-v2)

    def summary(self) -> dict[str, Any]:
        """What the stored run says about the rest of the ranking."""
        return {
            "stored": len(self.result.candidates),
            "more": self.more,
            "next_tier": self.next_key[0] if self.next_key else None,
            "next_need": self.next_key[1] if self.next_key else None,
            "next_round": self.next_round,
            "read_umkm": len(self.walked),
        }


def use_fast_path(
    session: Session, request: Request, config: Mapping[str, Any], policy: str
) -> bool:
    """Whether the kind (v1: the category) has enough offers for the ranking by figures to pay."""
    threshold = int(config.get("ALLOCATION_FAST_PATH_MIN_OFFERS", FAST_PATH_MIN_OFFERS))
    if threshold <= 0:
        return True
    offered = (
        Product.kind_id == request.kind_id
        if facts.by_kind(policy)
        else Product.category_id == request.category_id
    )
    counted = select(Product.id).where(offered).limit(threshold).subquery()
    return (session.scalar(select(func.count()).select_from(counted)) or 0) >= threshold


class _Prefix:
    """The UMKM read so far in ranking order, with their offers and facts."""

    def __init__(self, session: Session, request: Request, settings: Settings, policy: str) -> None:
        self.session, self.request, self.settings = session, request, settings
        self.policy = policy
        self.v2 = facts.by_kind(policy)
        self.window = window_for(jakarta_date(request.created_at))
        self.offers: list[Offer] = []
        self.supplier: dict[int, SupplierFacts] = {}
        self.eligible: set[int] = set()
        self.walked: list[int] = []
        self.read: set[int] = set()
        self.walk = walk_for(session, request, settings, policy)
        self.ordered = iter(self.walk)
        self.seen: set[int] = set()
        self.buffer: list[int] = []  # UMKM taken from the walk, not read yet
        self.done = False  # the walk has ended
        self.whole_chunks = False  # read on by whole chunks (``_size_for``)

    @property
    def exhausted(self) -> bool:
        """Every UMKM of the walk has been read."""
        return self.done and not self.buffer

    def read_on(self, stored: int, wanted: set[int]) -> None:
        """Read on until the prefix holds the stored top, the next eligible UMKM (it tells a
        tie at the cut and what comes after) and every UMKM asked for."""
        while not self.exhausted and (
            len(self.eligible) <= stored
            or (not wanted <= self.read and len(self.walked) < INCLUDE_DEPTH)
        ):
            self.read_chunk(stored, self._size_for(stored))
        # v2: the cut's tie group whole before the policy runs (its explanation names it): the
        # walk's key of an eligible UMKM is its candidate's (tier, round, 6 x need).
        while self.v2 and not self.exhausted and self._cut_open(stored):
            self.read_chunk(stored)

    def _cut_open(self, stored: int) -> bool:
        ranked = [u for u in self.walked if u in self.eligible]
        if len(ranked) < stored or not self.walked:
            return False
        return self._group_goes_on(self.walk.key_of[ranked[stored - 1]])

    def group_open(self, cut: Any) -> bool:
        """v2: whether UMKM of the cut candidate's (tier, round, need) may still follow: its
        explanation names its whole tie group, so the group is read whole."""
        if not self.v2 or not self.walked:
            return False
        return self._group_goes_on((cut.tier, cut.count_365, cut.need * 6))

    def _group_goes_on(self, key: Any) -> bool:
        """v2: whether the last UMKM read and the next one of the walk both have ``key``. The
        walk gives each UMKM's key before it is read, so the end of a group is seen without
        reading past it."""
        return bool(self.walk.key_of[self.walked[-1]] == key and self._next_key() == key)

    def _next_key(self) -> Any:
        """v2: the key of the next UMKM of the walk (None at its end)."""
        if not self.buffer and not self._pull():
            return None
        return self.walk.key_of[self.buffer[0]]

    def _size_for(self, stored: int) -> int:
        """How many UMKM to read for ``stored`` + 1 eligible ones: a whole chunk at first;
        later (the split looked further than the stored top) the eligible ones missing, at the
        share of eligible UMKM read so far, and a few more: not a whole chunk for a few."""
        missing = stored + 1 - len(self.eligible)
        if not self.walked or missing <= 0 or self.whole_chunks:
            return CHUNK
        per_eligible = len(self.walked) / max(1, len(self.eligible))
        return max(1, min(CHUNK, math.ceil(missing * per_eligible) + CHUNK // 8))

    def read_chunk(self, stored: int = 0, size: int | None = None) -> None:
        """Read the next chunk of the walk, ``size`` UMKM (default ``CHUNK``; v2: on to the
        end of the tie group the chunk ends in, when that group can hold the ``stored``-th
        candidate: read at once)."""
        size = CHUNK if size is None else size
        self._fill_buffer()
        take, self.buffer = self.buffer[:size], self.buffer[size:]
        if self.v2 and take:
            self._to_group_end(take, stored)
        if take:
            self._load(take)

    def _to_group_end(self, take: list[int], stored: int) -> None:
        key_of = self.walk.key_of
        last = key_of[take[-1]]
        first = len(take) - 1
        while first > 0 and key_of[take[first - 1]] == last:
            first -= 1
        # At most this many eligible UMKM rank before the group: when the stored top is
        # full without it, its end is left to the reads that need it.
        if len(self.eligible) + first >= stored:
            return
        while len(take) < GROUP_READ and self._next_key() == last:
            take.append(self.buffer.pop(0))

    def _pull(self) -> bool:
        """Move the next UMKM of the walk not seen yet into the buffer; False at its end."""
        while not self.done:
            umkm_id = next(self.ordered, None)
            if umkm_id is None:
                self.done = True
                return False
            # The walk reads page after page; a UMKM whose figures another transaction
            # changed in between may come round again (as a UMKM may be read after its
            # offers changed, in the whole evaluation too): it is read once.
            if umkm_id not in self.seen:
                self.seen.add(umkm_id)
                self.buffer.append(umkm_id)
                return True
        return False

    def _fill_buffer(self) -> None:
        while len(self.buffer) < CHUNK and self._pull():
            pass

    def _load(self, ids: list[int]) -> None:
        request = self.request
        chunk_offers, chunk_facts = facts.load_chunk(
            self.session, request, self.window, ids, kind=self.v2
        )
        for f in chunk_facts:
            self.supplier[f.umkm_id] = f
        for offer in chunk_offers:
            failed = eligibility(
                offer, request, self.supplier[offer.umkm_id], self.settings, policy=self.policy
            )
            if not failed:
                self.eligible.add(offer.umkm_id)
        self.offers.extend(chunk_offers)
        self.walked.extend(ids)
        self.read.update(ids)


def evaluate_top(
    session: Session,
    request: Request,
    settings: Settings,
    *,
    include: Iterable[int] = (),
    stored: int | None = None,
    policy: str = DEFAULT_POLICY,
) -> Top | None:
    """The policy on the top of the ranking, with the UMKM of ``include`` read if they are in
    the first ``INCLUDE_DEPTH``; None when the figures cannot serve this request (it is from an
    earlier day (v2) or month (v1) than they hold)."""
    t = jakarta_date(request.created_at)
    if facts.by_kind(policy) and request.kind_id is None:
        return None
    if not figures.ensure_current(session, t, policy):
        return None
    stored = STORED if stored is None else stored
    wanted = set(include)
    # The walk and the chunks read through the session's connection (Core rows, no ORM
    # loading step), which does not flush: pending changes are written first.
    session.flush()
    prefix = _Prefix(session, request, settings, policy)
    while True:
        prefix.read_on(stored, wanted)
        # Asked-for UMKM (a decision on the officer's own choice) may rank anywhere in the
        # prefix: then keep it all, to know their ranks.
        keep = None if wanted else stored + 1
        result = evaluate(
            request, prefix.offers, prefix.supplier.values(), settings, policy=policy, keep=keep
        )
        ranks = {c.umkm_id: c.rank for c in result.candidates}
        reach = max((ranks[s.umkm_id] for s in result.steps), default=0)
        asked = max((ranks[u] for u in wanted if u in ranks), default=0)
        needed = max(stored, reach + RESERVE if result.steps else 0, asked)
        if needed > stored and len(prefix.eligible) > stored:
            stored = needed
            # A split that used the whole prefix may go on much further: whole chunks then.
            prefix.whole_chunks = reach >= len(prefix.eligible)
            continue
        cut = (
            result.candidates[min(stored, len(result.candidates)) - 1]
            if result.candidates
            else None
        )
        if cut is not None and prefix.group_open(cut):
            prefix.read_chunk(stored)
            continue
        break
    if result.shortfall and facts.by_kind(policy):
        # v2 names the shortfall's cause with every eligible UMKM and every excluded product
        # of the kind, which the prefix does not hold: the sentence comes from the whole
        # evaluation (slow in a large kind, only when a request cannot be covered).
        whole = evaluate_whole(session, request, settings, policy)
        result = replace(result, summary=whole.summary)
    kept = result.candidates[:stored]
    after = result.candidates[stored] if len(result.candidates) > stored else None
    return Top(
        result=replace(result, candidates=kept),
        walked=frozenset(prefix.walked),
        more=after is not None or not prefix.exhausted,
        next_key=(after.tier, str(after.need)) if after is not None else None,
        next_round=after.count_365 if after is not None and facts.by_kind(policy) else None,
    )


def evaluate_whole(
    session: Session, request: Request, settings: Settings, policy: str = DEFAULT_POLICY
) -> Result:
    """The policy on every offer of the kind (v1: the category): small kinds, and requests of
    an earlier day (v1: month) than the figures hold."""
    t = jakarta_date(request.created_at)
    kind_id = request.kind_id if facts.by_kind(policy) else None
    return evaluate(
        request,
        facts.load_offers(session, request.category_id, request.needed_by, kind_id=kind_id),
        facts.load_facts(session, request.category_id, t, kind_id=kind_id),
        settings,
        policy=policy,
    )


def evaluate_request(
    session: Session, request: Any, config: Mapping[str, Any], *, include: Iterable[int] = ()
) -> tuple[Result, dict[str, Any] | None]:
    """The Pemda's policy (``ALLOCATION_POLICY``) for a purchase request: the top of the
    ranking in a large kind (with what the run stores about the rest), the whole ranking
    otherwise (and None). ``Result.policy`` / ``version`` say which policy decided."""
    settings = facts.policy_settings(config)
    policy = facts.policy_name(config)
    policy_request = facts.policy_request(request)
    if use_fast_path(session, policy_request, config, policy):
        top = evaluate_top(session, policy_request, settings, include=include, policy=policy)
        if top is not None:
            return top.result, top.summary()
    return evaluate_whole(session, policy_request, settings, policy), None
