"""Policy ``pemerataan-v1``: which offers may supply a request, who is served first, how much.

Pure and deterministic: no clock, no database, no floats. The service loads the facts into the
records of ``procure.allocation.records``, calls ``evaluate`` and stores ``Result.to_dict()``.
Every rule is the one of ALLOCATION.md; where its text left a choice, the comment says which.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from procure.allocation import explain
from procure.allocation.explain import (
    REASON_ANNUAL_CAP,
    REASON_CAPACITY,
    REASON_CATEGORY,
    REASON_INACTIVE,
    REASON_LEAD_TIME,
    REASON_MIN_ORDER,
    REASON_PRICE,
    REASON_SUSPENDED,
    REASON_UNVERIFIED,
)
from procure.allocation.records import (
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
from procure.omzet.rules import Period

__all__ = [
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
    "inputs_from_dict",
    "level_chunk",
    "rank_key",
    "reach",
    "split_capacity",
    "split_level",
]

POLICY = "pemerataan-v1"
VERSION = 1
# Orders in these states count as awards, floors and booked capacity; the service filters by it.
LIVE_ORDER_STATUSES = ("issued", "accepted", "delivered", "received", "paid")
# Every exclusion reason, in the order of the rules; a UMKM's reasons are listed in this order.
REASONS = (
    REASON_INACTIVE,
    REASON_UNVERIFIED,
    REASON_SUSPENDED,
    REASON_CATEGORY,
    REASON_PRICE,
    REASON_LEAD_TIME,
    REASON_CAPACITY,
    REASON_ANNUAL_CAP,
    REASON_MIN_ORDER,
)


def window_for(day: dt.date) -> tuple[Period, Period, Period]:
    """W: the three calendar months before ``day``'s month, oldest first."""
    current = Period.of(day)
    return (current.shift(-3), current.shift(-2), current.shift(-1))


def awarded_in_year(facts: SupplierFacts, year: int) -> int:
    """Value of the UMKM's live orders issued in calendar ``year`` (for the annual cap)."""
    return sum(a.value for a in facts.awards if a.issued_on.year == year)


def eligibility(
    offer: Offer, request: Request, facts: SupplierFacts, settings: Settings
) -> tuple[str, ...]:
    """Every eligibility rule the offer fails, by name; empty when it is eligible."""
    t = jakarta_date(request.created_at)
    failed: list[str] = []
    if not offer.is_product_active:
        failed.append(REASON_INACTIVE)
    if offer.umkm_status == "suspended":
        failed.append(REASON_SUSPENDED)
    elif offer.umkm_status != "verified":
        failed.append(REASON_UNVERIFIED)  # pending and rejected alike; details say which
    if offer.category_id != request.category_id:
        failed.append(REASON_CATEGORY)
    if offer.unit_price > request.hps_unit_price:
        failed.append(REASON_PRICE)
    if t + dt.timedelta(days=offer.lead_time_days) > request.needed_by:
        failed.append(REASON_LEAD_TIME)
    if offer.free_capacity <= 0:
        failed.append(REASON_CAPACITY)
    cap = settings.annual_award_cap
    if cap is not None and awarded_in_year(facts, t.year) >= cap:
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


def need_for(
    facts: SupplierFacts, window: Sequence[Period], request_date: dt.date, grace_days: int
) -> Need:
    """need(m) = reported_avg(m) + awards_since(m), with its tier and the months behind it."""
    floors: Counter[Period] = Counter()
    for award in facts.awards:
        floors[Period.of(award.issued_on)] += award.value
    months = tuple(
        MonthUsed.of(p, facts.omzet_by_month[p], floors[p])
        for p in window
        if p in facts.omzet_by_month
    )
    verified_on = jakarta_date(facts.verified_at) if facts.verified_at else None
    # "Fewer than" N days: verified exactly N days before t is out of grace. Zero turns it off.
    in_grace = (
        verified_on is not None
        and grace_days > 0
        and (request_date - verified_on).days < grace_days
    )
    since = months[-1].period.shift(1).first_day if months else window[0].first_day
    if months and not in_grace:
        reported_avg = Fraction(sum(m.used for m in months), len(months))
    else:
        # In grace the average counts as 0 even when months were reported (the spec's "it then
        # counts reported_avg = 0"); the months stay on record. A tier-1 UMKM has no mean;
        # 0 lets awards since order it among tier 1.
        reported_avg = Fraction(0)
    return Need(
        tier=0 if months or in_grace else 1,
        in_grace=in_grace,
        verified_on=verified_on,
        months=months,
        reported_avg=reported_avg,
        awards_since_on=since,
        awards_since=sum(a.value for a in facts.awards if a.issued_on >= since),
    )


def count_365(facts: SupplierFacts, request_date: dt.date) -> int:
    """Live orders issued in the 365 days up to and including t (t-364 ... t)."""
    start = request_date - dt.timedelta(days=364)
    return sum(1 for a in facts.awards if start <= a.issued_on <= request_date)


def tie_for(request_id: int, umkm_id: int) -> str:
    """The lottery anyone can recompute: sha256 of ``"<request id>:<umkm id>"``, hex."""
    return hashlib.sha256(f"{request_id}:{umkm_id}".encode()).hexdigest()


def need6(need: Need) -> int:
    """6 × need(m) as a whole number: a mean of 1, 2 or 3 months times 6 always is one, so an
    index on it orders UMKM exactly as the Fraction does (used by the stored figures)."""
    six = need.value * 6
    if six.denominator != 1:
        raise PolicyError(f"Kebutuhan {need.value} × 6 bukan bilangan bulat.")
    return six.numerator


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
) -> tuple[list[Offer], list[Exclusion]]:
    """The eligible offers, and the others with why they are not."""
    t = jakarta_date(request.created_at)
    eligible: list[Offer] = []
    exclusions: list[Exclusion] = []
    for offer in offers:
        umkm = by_umkm[offer.umkm_id]
        reasons = eligibility(offer, request, umkm, settings)
        if not reasons:
            eligible.append(offer)
            continue
        details = explain.exclusion_details(
            offer,
            request,
            reasons,
            request_date=t,
            awarded_this_year=awarded_in_year(umkm, t.year),
            settings=settings,
        )
        exclusions.append(Exclusion(offer, reasons, details))
    return eligible, exclusions


def _ranked(
    request: Request,
    eligible: Sequence[Offer],
    by_umkm: Mapping[int, SupplierFacts],
    settings: Settings,
) -> list[Candidate]:
    """One candidate per UMKM (its representative offer) with its need, in ranking order."""
    t = jakarta_date(request.created_at)
    window = window_for(t)
    unranked = []
    for offer in representatives(eligible).values():
        umkm = by_umkm[offer.umkm_id]
        need = need_for(umkm, window, t, settings.new_supplier_grace_days)
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
            )
        )
    return sorted(unranked, key=lambda c: c.key)


def evaluate(
    request: Request,
    offers: Iterable[Offer],
    facts: Iterable[SupplierFacts],
    settings: Settings | None = None,
    *,
    keep: int | None = None,
) -> Result:
    """Run pemerataan-v1 on one request: eligibility, need, ranking and split.

    ``keep``: return only the first ``keep`` candidates of the ranking (explained, with their
    ranks), and never fewer than the split looked at; the ranking and the split still use every
    offer given. The service passes the top of a large ranking this way (docs/decisions/0008).
    """
    settings = settings or Settings()
    offers_in, by_umkm = _checked_inputs(offers, facts)
    t = jakarta_date(request.created_at)
    window = window_for(t)
    eligible, exclusions = _sorted_out(request, offers_in, by_umkm, settings)
    ranked = _ranked(request, eligible, by_umkm, settings)

    k = settings.max_suppliers
    if settings.split_mode == "level":
        split = split_level(ranked, request.quantity, k, settings.min_lot, unit=request.unit)
    else:
        split = split_capacity(ranked, request.quantity, k, unit=request.unit)
    kept = len(ranked) if keep is None else min(len(ranked), max(keep, reach(ranked, split)))
    candidates = explain.explained(ranked, window, kept)
    allocated = request.quantity - split.shortfall
    return Result(
        policy=POLICY,
        version=VERSION,
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
        summary=explain.summary(request.quantity, allocated, len(split.parts), k, request.unit),
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
