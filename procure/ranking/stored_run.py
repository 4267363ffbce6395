"""The stored allocation run (``AllocationRun.result``) read and written as typed data.

Pure: no Flask, no SQLAlchemy. A run is stored as JSON exactly as ``Result.to_dict()``
(procure/allocation/records.py) writes it, plus, for a large category, ``REST_OF_RANKING``:
a summary of the ranking below the stored top. Every reader (the request pages, the decision,
the pass-on, the PDF documents, the red flags) goes through ``StoredRun.from_dict`` instead of
looking up string keys itself.

Both policies read: a pemerataan-v2 run's candidates also carry ``policy``, ``awards_unreported``
and ``unreported_months`` (named below where a page needs them); a v1 run has none of them.

Version-aware: what a run stored is kept. Keys this module does not name (the inputs, the split
steps, the facts) stay in ``extra`` and a key that was absent stays absent, so
``StoredRun.from_dict(d).to_dict() == d`` for every run stored so far. Older shapes read too:
a flat candidate (``{"umkm_id", "rank", "need"}``, no ``offer``) and a part without
``unit_price`` (a final choice stores the value only).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from procure.allocation import explain

# The whole ranking can hold thousands of UMKM: the page shows this many unless asked for all,
# and a run of a large category stores this many candidates in full (ranking/evaluate.py).
RANKING_LIMIT = 50
# The key under which a run of a large category stores the summary of the rest of its ranking;
# a run without it stored the whole ranking.
REST_OF_RANKING = "rest_of_ranking"

Json = Mapping[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, _Stored):
        return value.to_dict()
    return value


@dataclass(frozen=True)
class _Stored:
    """Named fields plus the keys kept as stored (``extra``); absent keys stay absent."""

    extra: Json = field(default_factory=dict, kw_only=True, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        plain = dict(self.extra)
        for f in dataclasses.fields(self):
            if f.name == "extra":
                continue
            key = f.metadata.get("key", f.name)
            value = getattr(self, f.name)
            if value is None and key not in self.extra.get("_present", ()):
                continue
            plain[key] = _plain(value)
        plain.pop("_present", None)
        return {k: plain[k] for k in _order(self.extra, plain)}


def _order(extra: Json, plain: Mapping[str, Any]) -> list[str]:
    """The keys in the order they were stored (JSON columns keep it on PostgreSQL too)."""
    stored = [k for k in extra.get("_order", ()) if k in plain]
    return stored + [k for k in plain if k not in stored and k not in ("_order", "_present")]


def _extra(data: Json, names: Sequence[str]) -> dict[str, Any]:
    kept = {k: v for k, v in data.items() if k not in names}
    kept["_order"] = tuple(data)
    kept["_present"] = tuple(k for k in names if k in data)
    return kept


def _fraction(value: Any) -> Fraction | None:
    return Fraction(value) if isinstance(value, str | int) else None


@dataclass(frozen=True)
class StoredOffer(_Stored):
    umkm_id: int
    product_id: int | None = None
    umkm_name: str | None = None
    product_name: str | None = None
    unit_price: int | None = None
    min_order: int | None = None

    @classmethod
    def from_dict(cls, data: Json) -> StoredOffer:
        names = ("umkm_id", "product_id", "umkm_name", "product_name", "unit_price", "min_order")
        return cls(
            umkm_id=data["umkm_id"],
            product_id=data.get("product_id"),
            umkm_name=data.get("umkm_name"),
            product_name=data.get("product_name"),
            unit_price=data.get("unit_price"),
            min_order=data.get("min_order"),
            extra=_extra(data, names),
        )


@dataclass(frozen=True)
class StoredCandidate(_Stored):
    """A candidate at its place in the ranking (``records.Candidate`` as stored)."""

    offer: StoredOffer
    rank: int | None = None
    need: Fraction | None = None
    tier: int | None = None
    free_capacity: int | None = None
    explanation: str | None = None
    count_365: int | None = None  # v2's round
    awards_unreported: int | None = None  # v2 only

    @property
    def umkm_id(self) -> int:
        return self.offer.umkm_id

    @property
    def round(self) -> int | None:
        """pemerataan-v2's round: live orders in the 365 days up to the request."""
        return self.count_365

    @classmethod
    def from_dict(cls, data: Json) -> StoredCandidate:
        names = (
            "offer", "rank", "need", "tier", "free_capacity", "explanation", "count_365",
            "awards_unreported",
        )  # fmt: skip
        offer = data.get("offer")
        if isinstance(offer, Mapping):
            stored_offer = StoredOffer.from_dict(offer)
            extra = _extra(data, names)
        else:  # a flat candidate: the UMKM id sits on the candidate itself
            stored_offer = StoredOffer(umkm_id=data["umkm_id"])
            extra = _extra(data, names[1:])
        return cls(
            offer=stored_offer,
            rank=data.get("rank") if isinstance(data.get("rank"), int) else None,
            need=_fraction(data.get("need")),
            tier=data.get("tier"),
            free_capacity=data.get("free_capacity"),
            explanation=data.get("explanation"),
            count_365=data.get("count_365"),
            awards_unreported=data.get("awards_unreported"),
            extra=extra,
        )

    def to_dict(self) -> dict[str, Any]:
        plain = super().to_dict()
        if "offer" not in self.extra.get("_present", ("offer",)):
            plain.pop("offer", None)  # a flat candidate stays flat
        return plain


@dataclass(frozen=True)
class StoredExclusion(_Stored):
    offer: StoredOffer
    reasons: tuple[str, ...] = ()
    details: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Json) -> StoredExclusion:
        return cls(
            offer=StoredOffer.from_dict(data["offer"]),
            reasons=tuple(data.get("reasons") or ()),
            details=tuple(data.get("details") or ()),
            extra=_extra(data, ("offer", "reasons", "details")),
        )


@dataclass(frozen=True)
class StoredPart(_Stored):
    """One part of a proposal (``records.Part``) or of a final choice (no unit price)."""

    umkm_id: int
    product_id: int
    quantity: int
    value: int
    unit_price: int | None = None

    @property
    def price(self) -> int:
        """The unit price; a final choice stores the value only and value / quantity is exact."""
        return self.unit_price if self.unit_price is not None else self.value // self.quantity

    @classmethod
    def from_dict(cls, data: Json) -> StoredPart:
        names = ("umkm_id", "product_id", "quantity", "value", "unit_price")
        return cls(
            umkm_id=data["umkm_id"],
            product_id=data["product_id"],
            quantity=data["quantity"],
            value=data["value"],
            unit_price=data.get("unit_price"),
            extra=_extra(data, names),
        )


@dataclass(frozen=True)
class StoredSettings(_Stored):
    max_suppliers: int
    new_supplier_grace_days: int
    split_mode: str
    min_lot: int
    annual_award_cap: int | None = None

    @classmethod
    def from_dict(cls, data: Json) -> StoredSettings:
        names = ("max_suppliers", "new_supplier_grace_days", "split_mode", "min_lot")
        return cls(
            **{n: data[n] for n in names},
            annual_award_cap=data.get("annual_award_cap"),
            extra=_extra(data, (*names, "annual_award_cap")),
        )


@dataclass(frozen=True)
class RestOfRanking(_Stored):
    """What a run of a large category says about the ranking below its stored top."""

    more: bool = False
    next_tier: int | None = None
    next_need: Fraction | None = None

    @classmethod
    def from_dict(cls, data: Json) -> RestOfRanking:
        names = ("more", "next_tier", "next_need")
        return cls(
            more=bool(data.get("more")),
            next_tier=data.get("next_tier"),
            next_need=_fraction(data.get("next_need")),
            extra=_extra(data, names),
        )


def candidates_of(result: Json | None) -> tuple[StoredCandidate, ...]:
    """The candidates a run stored, skipping anything that is not one (a damaged entry)."""
    found = []
    for row in (result or {}).get("candidates") or ():
        if not isinstance(row, Mapping):
            continue
        offer = row.get("offer")
        umkm_id = offer.get("umkm_id") if isinstance(offer, Mapping) else row.get("umkm_id")
        if isinstance(umkm_id, int):
            found.append(StoredCandidate.from_dict(row))
    return tuple(found)


def proposal_of(result: Json | None) -> tuple[StoredPart, ...]:
    """The policy's proposal a run stored (none when the run is missing)."""
    return parts_from((result or {}).get("allocation"))


def parts_from(rows: Sequence[Json] | None) -> tuple[StoredPart, ...]:
    """A stored list of parts (``AllocationRun.final_choice``) as typed parts."""
    return tuple(StoredPart.from_dict(p) for p in rows or ())


@dataclass(frozen=True)
class StoredRun(_Stored):
    """One stored run: what the policy saw, ranked, excluded and proposed."""

    policy: str
    version: int
    request: Json
    settings: StoredSettings
    window: tuple[str, ...]
    candidates: tuple[StoredCandidate, ...]
    exclusions: tuple[StoredExclusion, ...]
    allocation: tuple[StoredPart, ...]
    shortfall: int
    summary: str
    rest: RestOfRanking | None = field(default=None, metadata={"key": REST_OF_RANKING})

    @property
    def unit(self) -> str:
        return str(self.request["unit"])

    @property
    def quantity(self) -> int:
        return int(self.request["quantity"])

    @property
    def is_summarised(self) -> bool:
        """Only the top of the ranking is stored (a large category)."""
        return self.rest is not None

    @property
    def rule_sentence(self) -> str:
        """What comes first and why under the policy that decided this run."""
        return explain.rule_sentence(self.policy)

    @property
    def shortfall_cause(self) -> str | None:
        """Why the proposal falls short, from what the run stored (either policy): the K limit,
        the eligible offers' capacity, and how many products each rule excluded; None when the
        request is covered."""
        if not self.shortfall:
            return None
        steps = self.extra.get("steps") or ()
        return explain.shortfall_cause(
            suppliers=len(self.allocation),
            max_suppliers=self.settings.max_suppliers,
            candidates=len(self.candidates),
            skipped=sum(1 for s in steps if isinstance(s, Mapping) and s.get("kind") == "skip"),
            excluded=[e.reasons for e in self.exclusions],
        )

    def by_umkm(self) -> dict[int, StoredCandidate]:
        return {c.umkm_id: c for c in self.candidates}

    def ranked(self) -> list[StoredCandidate]:
        """The candidates in rank order."""
        return sorted(self.candidates, key=lambda c: c.rank if c.rank is not None else 0)

    @classmethod
    def from_dict(cls, data: Json) -> StoredRun:
        names = (
            "policy", "version", "request", "settings", "window", "candidates",
            "exclusions", "allocation", "shortfall", "summary", REST_OF_RANKING,
        )  # fmt: skip
        rest = data.get(REST_OF_RANKING)
        return cls(
            policy=data.get("policy", ""),
            version=data.get("version", 0),
            request=data.get("request") or {},
            settings=StoredSettings.from_dict(data["settings"]),
            window=tuple(data.get("window") or ()),
            candidates=tuple(StoredCandidate.from_dict(c) for c in data.get("candidates") or ()),
            exclusions=tuple(StoredExclusion.from_dict(e) for e in data.get("exclusions") or ()),
            allocation=parts_from(data.get("allocation")),
            shortfall=data.get("shortfall", 0),
            summary=data.get("summary", ""),
            rest=RestOfRanking.from_dict(rest) if isinstance(rest, Mapping) else None,
            extra=_extra(data, names),
        )


def stored(result: Json, rest: Json | None = None) -> dict[str, Any]:
    """What a run stores: ``Result.to_dict()`` and, for a large category, the rest's summary."""
    data = dict(result)
    if rest is not None:
        data[REST_OF_RANKING] = dict(rest)
    return data
