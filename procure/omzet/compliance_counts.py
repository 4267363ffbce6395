"""The compliance page's two counts (UMKM that owe last month, and those that have not filed
it), kept per process for a short while.

At 100,000 UMKM the two counts read the whole verified register against a month of reports
(about 90,000 rows) on every page view, several times the cost of the page's 50 rows.
``counts`` keeps them per app and per (month, kecamatan, category) for
``OMZET_COMPLIANCE_COUNT_TTL`` seconds (default 60). A filing, an edit of a report or of a
UMKM flushed through this process drops them at once; the other worker processes see it
within the TTL. The list itself is always read live.

Under ``TESTING`` the default TTL is 0 (counted on every request): the test suite swaps the
database under one app between tests, which no flush reports.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from procure.omzet import compliance
from procure.omzet.models import OmzetReport
from procure.omzet.rules import Period
from procure.umkm.models import Umkm

DEFAULT_TTL_SECONDS = 60.0
EXTENSION_KEY = "procure.omzet_compliance_counts"
_WATCHED = (OmzetReport, Umkm)
_generation = 0  # bumped by a flush that touched a report or a UMKM (any app of this process)
_lock = threading.Lock()


@dataclass(frozen=True)
class Counts:
    obliged: int  # verified UMKM (in the filters) that owe the month
    non_filers: int  # of those, the ones that have not filed it


@dataclass(frozen=True)
class _Kept:
    counts: Counts
    generation: int
    read_at: float


def _ttl() -> float:
    default = 0.0 if current_app.testing else DEFAULT_TTL_SECONDS
    return float(current_app.config.get("OMZET_COMPLIANCE_COUNT_TTL", default))


def read_counts(session: Session, period: Period, filters: compliance.ComplianceFilter) -> Counts:
    return Counts(
        obliged=compliance.obliged_count(session, period, filters),
        non_filers=compliance.non_filer_count(session, period, filters),
    )


def counts(session: Session, period: Period, filters: compliance.ComplianceFilter) -> Counts:
    """The two counts, read at most once per TTL (or after a change made here)."""
    ttl = _ttl()
    if ttl <= 0:
        return read_counts(session, period, filters)
    kept: dict[Any, _Kept] = current_app.extensions.setdefault(EXTENSION_KEY, {})
    key = (str(period), filters.kecamatan_id, filters.category_id)
    found = kept.get(key)
    now = time.monotonic()
    if found is not None and found.generation == _generation and now - found.read_at < ttl:
        return found.counts
    generation = _generation  # read before counting: a change meanwhile makes them stale
    fresh = read_counts(session, period, filters)
    if len(kept) > 500:  # filter combinations: a few hundred at most; never grow unbounded
        kept.clear()
    kept[key] = _Kept(fresh, generation, now)
    return fresh


def forget() -> None:
    """Drop the kept counts of every app of this process (the next page counts again)."""
    global _generation
    with _lock:
        _generation += 1


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _WATCHED):
            forget()
            session.info["omzet_compliance_changed"] = True
            return


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _after_end(session: Session, *_args: Any) -> None:
    # Counts read between the flush and the commit (or rollback) may hold the other state.
    if session.info.pop("omzet_compliance_changed", False):
        forget()
