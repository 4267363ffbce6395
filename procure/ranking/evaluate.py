"""The ranking at scale: pemerataan-v1 on the top of a large category, read in ranking order.

``evaluate`` of the pure policy needs every offer and every UMKM's facts, which at 100,000 UMKM
takes seconds. Here the UMKM of the category come in the policy's own order instead, from the
stored figures (``walk.Walk``), and offers and facts are loaded for this prefix only, a
chunk at a time, until it holds the stored top plus one more eligible UMKM; then the pure
policy evaluates the prefix. Its ranking is the first rows of the full ranking, its split the
full split (``split.reach``: the split never looks past an untouched candidate), and its
explanations the same (a tie at the cut is told by the next UMKM, which is in the prefix).
tests/integration/test_allocation_at_scale.py compares it with the whole evaluation, which stays
for small categories and for requests of an earlier month. docs/decisions/0008.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procure.allocation.policy import (
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
from procure.omzet.rules import Period
from procure.procurement.models import AllocationFigure
from procure.ranking import facts, figures
from procure.ranking.stored_run import RANKING_LIMIT
from procure.ranking.walk import Walk
from procure.umkm.models import Product

STORED = RANKING_LIMIT  # candidates stored in full: the page's first screen
RESERVE = 20  # more stored past the last one the split looked at, for the pass-on
CHUNK = 64  # UMKM whose offers and facts are loaded per round trip
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

    def summary(self) -> dict[str, Any]:
        """What the stored run says about the rest of the ranking."""
        return {
            "stored": len(self.result.candidates),
            "more": self.more,
            "next_tier": self.next_key[0] if self.next_key else None,
            "next_need": self.next_key[1] if self.next_key else None,
            "read_umkm": len(self.walked),
        }


def use_fast_path(session: Session, category_id: int, config: Mapping[str, Any]) -> bool:
    """Whether the category has enough offers for the ranking by figures to pay."""
    threshold = int(config.get("ALLOCATION_FAST_PATH_MIN_OFFERS", FAST_PATH_MIN_OFFERS))
    if threshold <= 0:
        return True
    counted = (
        select(Product.id).where(Product.category_id == category_id).limit(threshold).subquery()
    )
    return (session.scalar(select(func.count()).select_from(counted)) or 0) >= threshold


def _supplier_facts(
    session: Session, category_id: int, window: Sequence[Period], umkm_ids: list[int]
) -> list[SupplierFacts]:
    """``facts.load_facts`` for these UMKM, with the months of W taken from their figure rows
    (kept equal to the omzet rows; no omzet row is read) and the live orders from the orders."""
    F = AllocationFigure
    awards = facts.load_awards(session, umkm_ids)
    rows = session.execute(
        select(F.umkm_id, F.verified_at, F.omzet_1, F.omzet_2, F.omzet_3).where(
            F.category_id == category_id, facts.among(session, F.umkm_id, umkm_ids)
        )
    )
    return [
        SupplierFacts(
            umkm_id=umkm_id,
            verified_at=verified_at,
            omzet_by_month={
                p: amount for p, amount in zip(window, reported, strict=True) if amount is not None
            },
            awards=awards.get(umkm_id, ()),
        )
        for umkm_id, verified_at, *reported in rows
    ]


class _Prefix:
    """The UMKM read so far in ranking order, with their offers and facts."""

    def __init__(self, session: Session, request: Request, settings: Settings) -> None:
        self.session, self.request, self.settings = session, request, settings
        self.window = window_for(jakarta_date(request.created_at))
        self.offers: list[Offer] = []
        self.supplier: dict[int, SupplierFacts] = {}
        self.eligible: set[int] = set()
        self.walked: list[int] = []
        self.read: set[int] = set()
        self.ordered = iter(Walk(session, request, settings))
        self.seen: set[int] = set()
        self.buffer: list[int] = []
        self.exhausted = False

    def read_on(self, stored: int, wanted: set[int]) -> None:
        """Read on until the prefix holds the stored top, the next eligible UMKM (it tells a
        tie at the cut and what comes after) and every UMKM asked for."""
        while not self.exhausted and (
            len(self.eligible) <= stored
            or (not wanted <= self.read and len(self.walked) < INCLUDE_DEPTH)
        ):
            self._fill_buffer()
            take, self.buffer = self.buffer[:CHUNK], self.buffer[CHUNK:]
            if take:
                self._load(take)
            self.exhausted = self.exhausted and not self.buffer

    def _fill_buffer(self) -> None:
        while len(self.buffer) < CHUNK:
            umkm_id = next(self.ordered, None)
            if umkm_id is None:
                self.exhausted = True
                return
            # The walk reads page after page; a UMKM whose figures another transaction
            # changed in between may come round again (as a UMKM may be read after its
            # offers changed, in the whole evaluation too): it is read once.
            if umkm_id not in self.seen:
                self.seen.add(umkm_id)
                self.buffer.append(umkm_id)

    def _load(self, ids: list[int]) -> None:
        request = self.request
        chunk_offers = facts.load_offers(
            self.session, request.category_id, request.needed_by, umkm_ids=ids
        )
        for f in _supplier_facts(self.session, request.category_id, self.window, ids):
            self.supplier[f.umkm_id] = f
        for offer in chunk_offers:
            if not eligibility(offer, request, self.supplier[offer.umkm_id], self.settings):
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
) -> Top | None:
    """The policy on the top of the ranking, with the UMKM of ``include`` read if they are in
    the first ``INCLUDE_DEPTH``; None when the figures cannot serve this request (it is from an
    earlier month than they hold)."""
    t = jakarta_date(request.created_at)
    if not figures.ensure_current(session, window_for(t)):
        return None
    stored = STORED if stored is None else stored
    wanted = set(include)
    prefix = _Prefix(session, request, settings)
    while True:
        prefix.read_on(stored, wanted)
        # Asked-for UMKM (a decision on the officer's own choice) may rank anywhere in the
        # prefix: then keep it all, to know their ranks.
        keep = None if wanted else stored + 1
        result = evaluate(request, prefix.offers, prefix.supplier.values(), settings, keep=keep)
        ranks = {c.umkm_id: c.rank for c in result.candidates}
        reach = max((ranks[s.umkm_id] for s in result.steps), default=0)
        asked = max((ranks[u] for u in wanted if u in ranks), default=0)
        needed = max(stored, reach + RESERVE if result.steps else 0, asked)
        if needed > stored and len(prefix.eligible) > stored:
            stored = needed
            continue
        break
    kept = result.candidates[:stored]
    after = result.candidates[stored] if len(result.candidates) > stored else None
    return Top(
        result=replace(result, candidates=kept),
        walked=frozenset(prefix.walked),
        more=after is not None or not prefix.exhausted,
        next_key=(after.tier, str(after.need)) if after is not None else None,
    )


def evaluate_whole(session: Session, request: Request, settings: Settings) -> Result:
    """The policy on every offer of the category (small categories, and requests of an
    earlier month than the figures hold)."""
    t = jakarta_date(request.created_at)
    return evaluate(
        request,
        facts.load_offers(session, request.category_id, request.needed_by),
        facts.load_facts(session, request.category_id, t),
        settings,
    )


def evaluate_request(
    session: Session, request: Any, config: Mapping[str, Any], *, include: Iterable[int] = ()
) -> tuple[Result, dict[str, Any] | None]:
    """pemerataan-v1 for a purchase request: the top of the ranking in a large category (with
    what the run stores about the rest), the whole ranking otherwise (and None)."""
    settings = facts.policy_settings(config)
    policy_request = facts.policy_request(request)
    if use_fast_path(session, request.category_id, config):
        top = evaluate_top(session, policy_request, settings, include=include)
        if top is not None:
            return top.result, top.summary()
    return evaluate_whole(session, policy_request, settings), None
