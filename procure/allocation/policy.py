"""The pemerataan policies: which offers may supply a request, who is served first, how much.

Two named policies over the same records (ALLOCATION.md): ``pemerataan-v2`` (the default:
product kind, rounds before need, awards of unreported months) and ``pemerataan-v1`` (kept:
category, need before count). What they share is written once; where they differ, the
function says so by ``policy``. Pure and deterministic: no clock, no database, no floats. The
service loads the facts into the records of ``procure.allocation.records``, calls ``evaluate``
and stores ``Result.to_dict()``. Where the text left a choice, the comment says which.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence

from procure.allocation import explain
from procure.allocation.explain import (
    REASON_ANNUAL_CAP,
    REASON_CAPACITY,
    REASON_CATEGORY,
    REASON_INACTIVE,
    REASON_KIND,
    REASON_LEAD_TIME,
    REASON_MIN_ORDER,
    REASON_PRICE,
    REASON_SUSPENDED,
    REASON_UNVERIFIED,
)
from procure.allocation.need import (
    count_365,
    grace,
    months_used,
    need6,
    need_for,
    need_for_v2,
    need_of,
    window_for,
)
from procure.allocation.records import (
    POLICY_V1,
    POLICY_V2,
    Award,
    Candidate,
    Exclusion,
    MonthUsed,
    Need,
    Offer,
    OverrideCheck,
    Part,
    PolicyError,
    RankKey,
    Request,
    Result,
    Settings,
    Split,
    Step,
    SupplierFacts,
    inputs_from_dict,
)
from procure.allocation.split import level_chunk, rank_key, reach, split_capacity, split_level
from procure.clock import jakarta_date

__all__ = [
    "DEFAULT_POLICY",
    "POLICIES",
    "POLICY_V1",
    "POLICY_V2",
    "Award",
    "Candidate",
    "Exclusion",
    "MonthUsed",
    "Need",
    "Offer",
    "OverrideCheck",
    "Part",
    "PolicyError",
    "RankKey",
    "Request",
    "Result",
    "Settings",
    "Split",
    "Step",
    "SupplierFacts",
    "count_365",
    "grace",
    "inputs_from_dict",
    "level_chunk",
    "months_used",
    "need6",
    "need_for",
    "need_for_v2",
    "need_of",
    "window_for",
    "rank_key",
    "reach",
    "split_capacity",
    "split_level",
]

DEFAULT_POLICY = POLICY_V2
POLICIES = (POLICY_V2, POLICY_V1)
# Stored with every run. v2 is version 2: the second pemerataan, counted with v1's numbering.
VERSIONS = {POLICY_V2: 2, POLICY_V1: 1}
# The default policy's name and version (a caller that names no policy gets this one).
POLICY = DEFAULT_POLICY
VERSION = VERSIONS[DEFAULT_POLICY]
# Orders in these states count as awards, floors and booked capacity; the service filters by it.
LIVE_ORDER_STATUSES = ("issued", "accepted", "delivered", "received", "paid")
# Every exclusion reason, in the order of the rules; a UMKM's reasons are listed in this order.
# v1 checks the category, v2 the kind: each policy uses one of the two.
REASONS = explain.REASON_ORDER
# v2: offers failing these are not offers for the request at all, so they are not listed.
NOT_OFFERS = frozenset({REASON_INACTIVE, REASON_KIND})


def checked_policy(policy: str) -> str:
    """``policy`` when it is one of ``POLICIES``; a PolicyError otherwise."""
    if policy not in VERSIONS:
        raise PolicyError(
            f"Kebijakan alokasi tidak dikenal: {policy!r} (pilih {' atau '.join(POLICIES)})."
        )
    return policy


def awarded_in_year(facts: SupplierFacts, year: int) -> int:
    """Value of the UMKM's live orders issued in calendar ``year`` (v1's annual cap)."""
    return sum(a.value for a in facts.awards if a.issued_on.year == year)


def awarded_this_year(
    facts: SupplierFacts, request_date: dt.date, policy: str = DEFAULT_POLICY
) -> int:
    """V, what the annual cap compares: v2 counts live orders issued 1 Jan of t's year through
    t; v1 every live order of t's calendar year."""
    if policy == POLICY_V1:
        return awarded_in_year(facts, request_date.year)
    start = dt.date(request_date.year, 1, 1)
    return sum(a.value for a in facts.awards if start <= a.issued_on <= request_date)


def eligibility(
    offer: Offer,
    request: Request,
    facts: SupplierFacts,
    settings: Settings,
    *,
    policy: str = DEFAULT_POLICY,
) -> tuple[str, ...]:
    """Every eligibility rule the offer fails, by name, in rule order; empty when eligible.

    Under v2 an inactive product or one of another kind fails too (``NOT_OFFERS``), so a caller
    can filter with this alone; ``evaluate`` does not list those offers as exclusions.
    """
    v2 = checked_policy(policy) == POLICY_V2
    t = jakarta_date(request.created_at)
    failed: list[str] = []
    if not offer.is_product_active:
        failed.append(REASON_INACTIVE)
    if offer.umkm_status == "suspended":
        failed.append(REASON_SUSPENDED)
    elif offer.umkm_status != "verified":
        failed.append(REASON_UNVERIFIED)  # pending and rejected alike; details say which
    if v2:
        if offer.kind_id != request.kind_id:
            failed.append(REASON_KIND)
    elif offer.category_id != request.category_id:
        failed.append(REASON_CATEGORY)
    if offer.unit_price > request.hps_unit_price:
        failed.append(REASON_PRICE)
    if t + dt.timedelta(days=offer.lead_time_days) > request.needed_by:
        failed.append(REASON_LEAD_TIME)
    # v1: f(p) > 0; v2: f(p) ≥ max(1, minimum order), a part it could actually take.
    if offer.free_capacity < (max(1, offer.min_order) if v2 else 1):
        failed.append(REASON_CAPACITY)
    cap = settings.annual_award_cap
    if cap is not None and awarded_this_year(facts, t, policy) >= cap:
        failed.append(REASON_ANNUAL_CAP)
    if request.quantity < offer.min_order:
        failed.append(REASON_MIN_ORDER)
    return tuple(failed)


def representatives(eligible: Iterable[Offer]) -> dict[int, Offer]:
    """One offer per UMKM: its cheapest eligible product, ties to the lowest product id."""
    chosen: dict[int, Offer] = {}
    for offer in eligible:
        held = chosen.get(offer.umkm_id)
        if held is None or (offer.unit_price, offer.product_id) < (
            held.unit_price,
            held.product_id,
        ):
            chosen[offer.umkm_id] = offer
    return chosen


def tie_for(request_id: int, umkm_id: int) -> str:
    """The lottery anyone can recompute: sha256 of ``"<request id>:<umkm id>"``, hex."""
    return hashlib.sha256(f"{request_id}:{umkm_id}".encode()).hexdigest()


def _checked_inputs(
    offers: Iterable[Offer], facts: Iterable[SupplierFacts]
) -> tuple[tuple[Offer, ...], dict[int, SupplierFacts]]:
    """The offers in product order and the facts by UMKM: each once, none missing."""
    offers_in = tuple(sorted(offers, key=lambda o: o.product_id))
    if len({o.product_id for o in offers_in}) != len(offers_in):
        raise PolicyError("Setiap produk hanya boleh muncul sekali dalam penawaran.")
    by_umkm: dict[int, SupplierFacts] = {}
    for f in facts:
        if f.umkm_id in by_umkm:
            raise PolicyError(f"Data UMKM #{f.umkm_id} diberikan lebih dari sekali.")
        by_umkm[f.umkm_id] = f
    missing = sorted({o.umkm_id for o in offers_in} - by_umkm.keys())
    if missing:
        raise PolicyError(f"Data UMKM belum dimuat untuk: {', '.join(map(str, missing))}.")
    return offers_in, by_umkm


def _sorted_out(
    request: Request,
    offers: Sequence[Offer],
    by_umkm: Mapping[int, SupplierFacts],
    settings: Settings,
    policy: str,
) -> tuple[list[Offer], list[Exclusion]]:
    """The eligible offers, and the others with why they are not (v2: only active products of
    the kind asked for are listed)."""
    t = jakarta_date(request.created_at)
    v2 = policy == POLICY_V2
    eligible: list[Offer] = []
    exclusions: list[Exclusion] = []
    for offer in offers:
        umkm = by_umkm[offer.umkm_id]
        reasons = eligibility(offer, request, umkm, settings, policy=policy)
        if not reasons:
            eligible.append(offer)
            continue
        if v2 and not NOT_OFFERS.isdisjoint(reasons):
            continue
        details = explain.exclusion_details(
            offer,
            request,
            reasons,
            request_date=t,
            awarded_this_year=awarded_this_year(umkm, t, policy),
            settings=settings,
            policy=policy,
        )
        exclusions.append(Exclusion(offer, reasons, details))
    return eligible, exclusions


def _ranked(
    request: Request,
    eligible: Sequence[Offer],
    by_umkm: Mapping[int, SupplierFacts],
    settings: Settings,
    policy: str,
) -> list[Candidate]:
    """One candidate per UMKM (its representative offer) with its need, in ranking order."""
    t = jakarta_date(request.created_at)
    window = window_for(t)
    v2 = policy == POLICY_V2
    unranked = []
    for offer in representatives(eligible).values():
        umkm = by_umkm[offer.umkm_id]
        need = need_of(policy, umkm, window, t, settings.new_supplier_grace_days)
        unranked.append(
            Candidate(
                rank=0,
                offer=offer,
                free_capacity=offer.free_capacity,
                tier=need.tier,
                in_grace=need.in_grace,
                verified_on=need.verified_on,
                months=need.months,
                reported_avg=need.reported_avg,
                awards_since_on=need.awards_since_on,
                awards_since=need.awards_since,
                need=need.value,
                count_365=count_365(umkm, t),
                tie=tie_for(request.id, offer.umkm_id),
                explanation="",
                policy=policy,
                awards_unreported=need.awards_since if v2 else 0,
                unreported_months=need.unreported_months,
            )
        )
    return sorted(unranked, key=_order_of(unranked, v2))


def _order_of(candidates: Sequence[Candidate], v2: bool) -> Callable[[Candidate], RankKey]:
    """A sort key that orders candidates exactly as ``Candidate.key`` does, with each need as
    a whole number over the needs' common denominator (a mean of 1, 2 or 3 months: 6 at most),
    so the sort compares integers instead of Fractions."""
    scale = math.lcm(*(c.need.denominator for c in candidates)) if candidates else 1

    def order(c: Candidate) -> RankKey:
        need = c.need.numerator * (scale // c.need.denominator)
        if v2:
            return (c.tier, c.count_365, need, c.tie)
        return (c.tier, need, c.count_365, c.tie)

    return order


def evaluate(
    request: Request,
    offers: Iterable[Offer],
    facts: Iterable[SupplierFacts],
    settings: Settings | None = None,
    *,
    policy: str = DEFAULT_POLICY,
    keep: int | None = None,
) -> Result:
    """Run ``policy`` on one request: eligibility, need, ranking and split.

    ``keep``: return only the first ``keep`` candidates of the ranking (explained, with their
    ranks), and never fewer than the split looked at; the ranking and the split still use every
    offer given. The service passes the top of a large ranking this way (docs/decisions/0008).
    """
    checked_policy(policy)
    settings = settings or Settings()
    offers_in, by_umkm = _checked_inputs(offers, facts)
    t = jakarta_date(request.created_at)
    window = window_for(t)
    eligible, exclusions = _sorted_out(request, offers_in, by_umkm, settings, policy)
    ranked = _ranked(request, eligible, by_umkm, settings, policy)

    k, unit = settings.max_suppliers, request.unit
    if settings.split_mode == "level":
        split = split_level(ranked, request.quantity, k, settings.min_lot, unit=unit, policy=policy)
    else:
        split = split_capacity(ranked, request.quantity, k, unit=unit)
    kept = len(ranked) if keep is None else min(len(ranked), max(keep, reach(ranked, split)))
    candidates = explain.explained(ranked, window, kept, policy=policy)
    allocated = request.quantity - split.shortfall
    if policy == POLICY_V2:
        summary = explain.shortfall_summary(
            request.quantity,
            allocated,
            unit,
            suppliers=len(split.parts),
            max_suppliers=k,
            candidates=len(ranked),
            skipped=sum(1 for s in split.steps if s.kind == "skip"),
            excluded=[e.reasons for e in exclusions],
        )
    else:  # v1's wording, unchanged: its stored runs recompute to what they stored
        summary = explain.summary(request.quantity, allocated, len(split.parts), k, unit)
    return Result(
        policy=policy,
        version=VERSIONS[policy],
        request=request,
        settings=settings,
        request_date=t,
        window=window,
        candidates=candidates,
        exclusions=tuple(exclusions),
        allocation=split.parts,
        steps=split.steps,
        shortfall=split.shortfall,
        chunk=split.chunk,
        summary=summary,
        offers=offers_in,
        facts=tuple(by_umkm[i] for i in sorted({o.umkm_id for o in offers_in})),
    )


def evaluate_override(
    result: Result, chosen: Sequence[tuple[int, int]], reason: str = ""
) -> OverrideCheck:
    """Check an officer's own choice of (umkm_id, quantity) against the run's candidates.

    Only eligible offers, each once, with 0 < quantity ≤ f(p) and ≥ its minimum order, and no
    more than Q in total. A choice that differs from the proposal is an override and needs a
    written reason of at least 20 characters. K is not checked: raising it is the officer's call.
    """
    unit = result.request.unit
    errors: list[str] = [] if chosen else [explain.NOTHING_CHOSEN]
    seen: set[int] = set()
    parts: list[tuple[int, Part]] = []
    for umkm_id, quantity in chosen:
        c = result.candidate(umkm_id)
        if c is None:
            excluded = [e for e in result.exclusions if e.umkm_id == umkm_id]
            if excluded:
                failed = {r for e in excluded for r in e.reasons}
                reasons = [r for r in REASONS if r in failed]
                errors.append(explain.not_eligible(excluded[0].offer.umkm_name, reasons))
            else:
                errors.append(explain.not_offered(umkm_id))
            continue
        name = c.offer.umkm_name
        if umkm_id in seen:
            errors.append(explain.chosen_twice(name))
            continue
        seen.add(umkm_id)
        if quantity <= 0:
            errors.append(explain.not_positive(name))
            continue
        if quantity > c.free_capacity:
            errors.append(explain.over_capacity(name, quantity, c.free_capacity, unit))
        if quantity < c.min_order:
            errors.append(explain.under_min_order(name, quantity, c.min_order, unit))
        parts.append((c.rank, Part.of(umkm_id, c.product_id, quantity, c.unit_price)))
    total = sum(p.quantity for _, p in parts)
    if total > result.request.quantity:
        errors.append(explain.over_request(total, result.request.quantity, unit))
    ordered = tuple(p for _, p in sorted(parts, key=lambda item: item[0]))
    proposal = sorted((p.umkm_id, p.quantity) for p in result.allocation)
    is_override = sorted((p.umkm_id, p.quantity) for p in ordered) != proposal
    if is_override and len(reason.strip()) < 20:
        errors.append(explain.REASON_TOO_SHORT)
    return OverrideCheck(
        errors=tuple(errors),
        parts=ordered,
        shortfall=max(result.request.quantity - total, 0),
        is_override=is_override,
    )
