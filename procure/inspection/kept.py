"""The red flags kept per worker for a few minutes once the register is large.

At 100,000 UMKM and a year of orders (200,000) the flags take seconds to compute: the platform
sales per UMKM and month, the slow-payment and late-delivery scans read a year of orders. No
index makes that 150 ms, so the inspector's home keeps its counts per kind (with its order
totals: two more scans of ``purchase_order``, ~200 ms under load), and the flags page
keeps the newest flags of each filter (up to ``KEPT_FLAGS`` of them, ten pages; a page further
on keeps its own), per worker for ``RED_FLAGS_TTL`` seconds (``PROCURE_RED_FLAGS_TTL``, 300; 0
under the tests: computed on every view). Only once ``purchase_order`` holds ``KEEP_FROM_ORDERS``
orders or more: a small install (the demo, a new Pemda) computes them on every view, exactly.
The pages say at what time the flags were computed. A change made in this worker to an order,
a request, an allocation decision or an omzet report drops the kept flags at once
(``procure.kept``); the other worker sees it within the TTL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procure.clock import now, to_jakarta
from procure.kept import MAX_KEYS, Kept
from procure.omzet.models import OmzetReport
from procure.procurement.models import AllocationRun, PurchaseOrder, PurchaseRequest

T = TypeVar("T")

KEEP_FROM_ORDERS = 10_000
KEPT_FLAGS = 500  # the newest flags kept per filter: ten pages of 50
DEFAULT_TTL = 300


@dataclass(frozen=True)
class Computed(Generic[T]):
    value: T
    computed_at: dt.datetime  # UTC
    kept: bool  # kept for the TTL (a large register): the page says when it was computed


@dataclass(frozen=True)
class _Entry:
    value: Any
    generation: int
    computed_at: dt.datetime


class _KeptFlags(Kept[Any]):
    """``procure.kept.Kept``'s flush rule, with the time read from ``procure.clock`` (the page
    shows it) and kept only for a large register."""

    def computed(self, session: Session, key: Hashable, read: Callable[[], T]) -> Computed[T]:
        ttl = self.ttl()
        if ttl <= 0:
            return Computed(read(), now(), kept=False)
        entries: dict[Hashable, _Entry] = current_app.extensions.setdefault(self.extension_key, {})
        key = (str(session.get_bind().engine.url), key)
        found = entries.get(key)
        at = now()
        if (
            found is not None
            and found.generation == self._generation
            and (at - found.computed_at).total_seconds() < ttl
        ):
            return Computed(found.value, found.computed_at, kept=True)
        generation = self._generation  # taken before reading: a change meanwhile is stale
        value = read()
        if not _large(session):
            return Computed(value, at, kept=False)
        if len(entries) >= MAX_KEYS:
            entries.clear()
        entries[key] = _Entry(value, generation, at)
        return Computed(value, at, kept=True)


def _large(session: Session) -> bool:
    orders = session.scalar(select(func.count()).select_from(PurchaseOrder)) or 0
    return orders >= KEEP_FROM_ORDERS


KEPT: _KeptFlags = _KeptFlags(
    "inspection.red_flags",
    (PurchaseOrder, PurchaseRequest, AllocationRun, OmzetReport),
    "RED_FLAGS_TTL",
    DEFAULT_TTL,
)


def kept_first(first: int) -> int:
    """How many newest flags to compute and keep for a page needing ``first``: whole blocks of
    ``KEPT_FLAGS``, so the first ten pages share one computation."""
    return -(-max(first, 1) // KEPT_FLAGS) * KEPT_FLAGS


def note(found: Computed[Any]) -> str:
    """The line saying when kept flags were computed ("" when computed for this view only)."""
    if not found.kept:
        return ""
    return (
        f"Dihitung pukul {to_jakarta(found.computed_at):%H.%M} WIB; "
        f"diperbarui tiap {_duration(int(KEPT.ttl()))}."
    )


def _duration(seconds: int) -> str:
    return f"{seconds // 60} menit" if seconds % 60 == 0 else f"{seconds} detik"
