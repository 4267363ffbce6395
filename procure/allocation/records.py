"""Frozen inputs and outputs of the allocation policy, and their plain (JSON) form.

Money is whole Rupiah (int); needs and averages are Fractions so ties are real ties. Dates
are Asia/Jakarta calendar dates; moments are timezone-aware datetimes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar, Literal

from procure.omzet.rules import Period

SplitMode = Literal["capacity", "level"]
SPLIT_MODES = ("capacity", "level")
# The two named policies (ALLOCATION.md): v2 is the default, v1 stays for its stored runs.
POLICY_V2 = "pemerataan-v2"
POLICY_V1 = "pemerataan-v1"
# Compared ascending, lower is served first. pemerataan-v1: (tier, need, live orders in 365
# days, tie hash); pemerataan-v2: (tier, round = live orders in 365 days, need, tie hash).
RankKey = tuple[int, Fraction | int, Fraction | int, str]


class PolicyError(ValueError):
    """Inputs the policy cannot evaluate; ``str(error)`` says which and why."""


# Fields added after pemerataan-v1's runs were first stored are written to the plain (JSON) form
# only when they differ from their default, so a v1 run recomputes to exactly what it stored.
# A record lists them in ``_LATER`` (field name -> default).


def _aware(moment: dt.datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise PolicyError(f"{name} harus berzona waktu (aware), bukan waktu lokal polos.")


@dataclass(frozen=True)
class Request:
    """A purchase request R: what is bought, how much, the HPS ceiling and by when."""

    id: int
    opd_id: int
    category_id: int
    quantity: int
    unit: str
    hps_unit_price: int
    needed_by: dt.date
    created_at: dt.datetime
    kind_id: int | None = None  # the product kind asked for (pemerataan-v2 matches on it)

    _LATER: ClassVar[Mapping[str, Any]] = {"kind_id": None}

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise PolicyError("Jumlah permintaan harus minimal 1.")
        if self.hps_unit_price < 0:
            raise PolicyError("HPS tidak boleh negatif.")
        if isinstance(self.needed_by, dt.datetime):
            raise PolicyError("Tanggal kebutuhan harus tanggal, bukan waktu.")
        _aware(self.created_at, "Waktu permintaan")


@dataclass(frozen=True)
class Settings:
    """Per-Pemda policy settings; stored with every run."""

    max_suppliers: int = 3
    annual_award_cap: int | None = None
    new_supplier_grace_days: int = 60
    split_mode: SplitMode = "capacity"
    min_lot: int = 1

    def __post_init__(self) -> None:
        if self.max_suppliers < 1:
            raise PolicyError("Batas jumlah UMKM per permintaan minimal 1.")
        if self.annual_award_cap is not None and self.annual_award_cap < 1:
            raise PolicyError("Batas tahunan harus lebih dari Rp 0, atau dikosongkan.")
        if self.new_supplier_grace_days < 0:
            raise PolicyError("Masa tenggang UMKM baru tidak boleh negatif.")
        if self.split_mode not in SPLIT_MODES:
            raise PolicyError("Cara pembagian harus 'capacity' atau 'level'.")
        if self.min_lot < 1:
            raise PolicyError("Lot minimum harus minimal 1.")


@dataclass(frozen=True)
class Offer:
    """One product p of one UMKM m, with what eligibility needs to know about both."""

    product_id: int
    umkm_id: int
    umkm_name: str
    product_name: str
    category_id: int
    is_product_active: bool
    umkm_status: str  # pending, verified, rejected or suspended
    unit_price: int
    lead_time_days: int
    monthly_capacity: int
    booked_in_due_month: int  # units of p in live orders due in the calendar month of D
    min_order: int
    kind_id: int | None = None  # the product's kind (pemerataan-v2 matches on it)

    _LATER: ClassVar[Mapping[str, Any]] = {"kind_id": None}

    @property
    def free_capacity(self) -> int:
        """f(p): monthly capacity minus what live orders already book in D's month."""
        return self.monthly_capacity - self.booked_in_due_month


@dataclass(frozen=True, order=True)
class Award:
    """One live order of the UMKM on this platform (any OPD), by its Jakarta issue date."""

    issued_on: dt.date
    value: int


@dataclass(frozen=True)
class SupplierFacts:
    """What the policy knows of one UMKM besides its offers.

    ``omzet_by_month`` holds the latest revision per month (only the months of W matter).
    ``awards`` are all its live orders: they give the omzet floors, awards since, the 365-day
    count and the annual cap, so the four can never disagree.
    """

    umkm_id: int
    verified_at: dt.datetime | None
    omzet_by_month: Mapping[Period, int] = field(default_factory=dict)
    awards: tuple[Award, ...] = ()

    def __post_init__(self) -> None:
        if self.verified_at is not None:
            _aware(self.verified_at, "Waktu verifikasi")
        # Canonical order, so the same facts given in any order compare and serialise equal.
        object.__setattr__(self, "omzet_by_month", dict(sorted(self.omzet_by_month.items())))
        object.__setattr__(self, "awards", tuple(sorted(self.awards)))


@dataclass(frozen=True)
class MonthUsed:
    """One reported month of W: the report, the platform floor and the value used."""

    period: Period
    reported: int
    floor: int  # m's live orders issued in that month on this platform
    used: int
    is_floored: bool

    @classmethod
    def of(cls, period: Period, reported: int, floor: int) -> MonthUsed:
        return cls(period, reported, floor, max(reported, floor), floor > reported)


@dataclass(frozen=True)
class Need:
    """need(m) and everything it was computed from."""

    tier: int
    in_grace: bool
    verified_on: dt.date | None
    months: tuple[MonthUsed, ...]
    reported_avg: Fraction
    awards_since_on: dt.date
    awards_since: int  # the awards need counts (v2: ``awards_unreported``)
    policy: str = POLICY_V1
    # pemerataan-v2: the months whose orders count (unreported months of W and t's month).
    unreported_months: tuple[Period, ...] = ()

    @property
    def value(self) -> Fraction:
        if not self.awards_since:
            return self.reported_avg
        return self.reported_avg + self.awards_since


@dataclass(frozen=True)
class Candidate:
    """An eligible offer (the one standing for its UMKM) at its place in the ranking."""

    rank: int
    offer: Offer
    free_capacity: int
    tier: int
    in_grace: bool
    verified_on: dt.date | None
    months: tuple[MonthUsed, ...]
    reported_avg: Fraction
    awards_since_on: dt.date
    awards_since: int
    need: Fraction
    count_365: int  # live orders issued t-364 ... t: v2's round
    tie: str
    explanation: str
    # pemerataan-v2 (absent from v1 runs). Under v2, ``awards_since`` is ``awards_unreported``
    # and ``awards_since_on`` the first day of W, so need = reported_avg + awards_since in both.
    policy: str = POLICY_V1
    awards_unreported: int = 0  # live orders issued W[0] ... t in a month not reported
    unreported_months: tuple[Period, ...] = ()  # those months: unreported ones of W, t's month

    _LATER: ClassVar[Mapping[str, Any]] = {
        "policy": POLICY_V1,
        "awards_unreported": 0,
        "unreported_months": (),
    }

    @property
    def umkm_id(self) -> int:
        return self.offer.umkm_id

    @property
    def round(self) -> int:
        """pemerataan-v2's round: live orders of any kind issued in the 365 days up to t."""
        return self.count_365

    @property
    def product_id(self) -> int:
        return self.offer.product_id

    @property
    def unit_price(self) -> int:
        return self.offer.unit_price

    @property
    def min_order(self) -> int:
        return self.offer.min_order

    @property
    def key(self) -> RankKey:
        """v2: (tier, round, need, tie); v1: (tier, need, count in 365 days, tie)."""
        return self.key_after(0, 0)

    def key_after(self, added_value: int, rounds: int) -> RankKey:
        """The key once the level split gave it parts worth ``added_value`` in ``rounds`` new
        orders (v1 raises the need only)."""
        # Nothing added: the need itself (no new Fraction; the split sorts by this key).
        need = self.need + added_value if added_value else self.need
        if self.policy == POLICY_V2:
            return (self.tier, self.count_365 + rounds, need, self.tie)
        return (self.tier, need, self.count_365, self.tie)


@dataclass(frozen=True)
class Exclusion:
    """An offer that failed eligibility: every failed rule, by its name, with the numbers."""

    offer: Offer
    reasons: tuple[str, ...]
    details: tuple[str, ...]

    @property
    def umkm_id(self) -> int:
        return self.offer.umkm_id

    @property
    def product_id(self) -> int:
        return self.offer.product_id


@dataclass(frozen=True)
class Part:
    """What one UMKM is asked to deliver: one order."""

    umkm_id: int
    product_id: int
    quantity: int
    unit_price: int
    value: int

    @classmethod
    def of(cls, umkm_id: int, product_id: int, quantity: int, unit_price: int) -> Part:
        return cls(umkm_id, product_id, quantity, unit_price, quantity * unit_price)


@dataclass(frozen=True)
class Step:
    """One move of the split walk: a part given, or an offer passed over (quantity 0)."""

    kind: Literal["part", "skip"]
    umkm_id: int
    quantity: int
    remaining_before: int
    free_before: int  # what the offer could still take before this step
    need_before: Fraction
    need_after: Fraction
    note: str


@dataclass(frozen=True)
class Split:
    """The outcome of one split mode over a ranking."""

    parts: tuple[Part, ...]
    steps: tuple[Step, ...]
    shortfall: int
    chunk: int | None  # level mode only


@dataclass(frozen=True)
class Result:
    """One evaluation of a request: everything the run stores and the officer sees."""

    policy: str
    version: int
    request: Request
    settings: Settings
    request_date: dt.date  # t: the request's creation date in Asia/Jakarta
    window: tuple[Period, ...]
    candidates: tuple[Candidate, ...]
    exclusions: tuple[Exclusion, ...]
    allocation: tuple[Part, ...]
    steps: tuple[Step, ...]
    shortfall: int
    chunk: int | None
    summary: str
    offers: tuple[Offer, ...]  # the inputs, in canonical order, so a run can be recomputed
    facts: tuple[SupplierFacts, ...]

    @property
    def allocated(self) -> int:
        return sum(part.quantity for part in self.allocation)

    def candidate(self, umkm_id: int) -> Candidate | None:
        return next((c for c in self.candidates if c.umkm_id == umkm_id), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable copy: Fractions as ``"12500000/3"``, dates ISO, ``YYYY-MM``."""
        plain = to_plain(self)
        assert isinstance(plain, dict)
        return plain


@dataclass(frozen=True)
class OverrideCheck:
    """An officer's own choice, checked against the run it deviates from."""

    errors: tuple[str, ...]
    parts: tuple[Part, ...]
    shortfall: int
    is_override: bool

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable copy."""
        plain = to_plain(self)
        assert isinstance(plain, dict)
        return plain


_FIELD_NAMES: dict[type, tuple[tuple[str, bool, Any], ...]] = {}


def _field_names(cls: type) -> tuple[tuple[str, bool, Any], ...]:
    """(name, written only when not its default, that default) of each field."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        later: Mapping[str, Any] = getattr(cls, "_LATER", {})
        names = _FIELD_NAMES[cls] = tuple(
            (f.name, f.name in later, later.get(f.name)) for f in dataclasses.fields(cls)
        )
    return names


# Values written as they are (by exact type).
_AS_IS = frozenset({int, str, bool, float, type(None)})
_ENCODERS: dict[type, Callable[[Any], dict[str, Any]]] = {}


def _encoder(cls: type) -> Callable[[Any], dict[str, Any]]:
    """The plain form of one dataclass as a function written for its fields: a run holds
    thousands of field values, and reading each by name in a loop (``getattr``) was half of
    ``to_plain``'s time on the allocation's timed path. Fields in declaration order; a field of
    ``_LATER`` only when it differs from its default."""
    encode = _ENCODERS.get(cls)
    if encode is not None:
        return encode
    env: dict[str, Any] = {"to_plain": to_plain, "AS_IS": _AS_IS}
    lines = ["def encode(value):", "    plain = {}"]
    for index, (name, is_later, default) in enumerate(_field_names(cls)):
        lines.append(f"    x = value.{name}")
        indent = "    "
        if is_later:
            env[f"default_{index}"] = default
            lines.append(f"    if not (x == default_{index}):")
            indent = "        "
        lines.append(f"{indent}plain[{name!r}] = x if type(x) in AS_IS else to_plain(x)")
    lines.append("    return plain")
    exec("\n".join(lines), env)  # noqa: S102 - the source is built from field names only
    written: Callable[[Any], dict[str, Any]] = env["encode"]
    _ENCODERS[cls] = written
    return written


def to_plain(value: Any) -> Any:
    """Dataclasses, Fractions, dates and months as JSON values, recursively."""
    # Plain values first, by exact type: a run holds thousands of them and this is on the
    # allocation's timed path (docs/decisions/0008).
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is Fraction:
        return str(value)
    if kind is tuple or kind is list:
        return [v if type(v) in _AS_IS else to_plain(v) for v in value]
    if kind is Period:
        return str(value)
    encode = _ENCODERS.get(kind)
    if encode is not None:
        return encode(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if isinstance(value, Period):
            return str(value)
        return _encoder(kind)(value)
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, dt.date):  # datetime too: ISO keeps the offset
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    return value


def inputs_from_dict(
    data: Mapping[str, Any],
) -> tuple[Request, tuple[Offer, ...], tuple[SupplierFacts, ...], Settings]:
    """The inputs of a stored run (``Result.to_dict()``), to recompute it."""
    raw_request = dict(data["request"])
    raw_request["needed_by"] = dt.date.fromisoformat(raw_request["needed_by"])
    raw_request["created_at"] = dt.datetime.fromisoformat(raw_request["created_at"])
    facts = tuple(
        SupplierFacts(
            umkm_id=raw["umkm_id"],
            verified_at=(
                dt.datetime.fromisoformat(raw["verified_at"]) if raw["verified_at"] else None
            ),
            omzet_by_month={Period.parse(k): v for k, v in raw["omzet_by_month"].items()},
            awards=tuple(
                Award(dt.date.fromisoformat(a["issued_on"]), a["value"]) for a in raw["awards"]
            ),
        )
        for raw in data["facts"]
    )
    return (
        Request(**raw_request),
        tuple(Offer(**raw) for raw in data["offers"]),
        facts,
        Settings(**data["settings"]),
    )
