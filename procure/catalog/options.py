"""The catalog page's filter options (categories, kinds, kecamatan), kept per process.

The three lists change a few times a year (an admin adds a category or a kind), but the
catalog search asked for them on every request: three round trips and their objects, most of
a search's database time. ``filter_options`` keeps them per app for ``CATALOG_OPTIONS_TTL``
seconds (environment ``PROCURE_CATALOG_OPTIONS_TTL``, default 30). A change made through
this process (a flush that adds, edits or deletes a category, a kind, a kecamatan or a
kelurahan) drops them at once, so the admin who made it sees it on the next page; the other
worker processes see it within the TTL.

The testing configuration sets 0 (read on every request): the test suite swaps the database
under one app between tests, which no flush reports.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from procure.catalog.models import Category, Kecamatan, Kelurahan, ProductKind
from procure.catalog.services import (
    KindFilterGroup,
    Option,
    category_options,
    kecamatan_options,
    kind_filter_groups,
)

DEFAULT_TTL_SECONDS = 30.0
EXTENSION_KEY = "procure.catalog_options"
_WATCHED = (Category, ProductKind, Kecamatan, Kelurahan)
_generation = 0  # bumped by a flush that touched a watched table (any app of this process)
_lock = threading.Lock()


@dataclass(frozen=True)
class FilterOptions:
    categories: tuple[Option, ...]
    kecamatans: tuple[Option, ...]
    kind_groups: tuple[KindFilterGroup, ...]


@dataclass(frozen=True)
class _Kept:
    options: FilterOptions
    generation: int
    read_at: float


def _ttl() -> float:
    return float(current_app.config.get("CATALOG_OPTIONS_TTL", DEFAULT_TTL_SECONDS))


def read_options(session: Session) -> FilterOptions:
    """The three lists from the database (three small queries)."""
    return FilterOptions(
        categories=tuple(category_options(session)),
        kecamatans=tuple(kecamatan_options(session)),
        kind_groups=tuple(kind_filter_groups(session)),
    )


def filter_options(session: Session) -> FilterOptions:
    """The catalog's filter options, read at most once per TTL (or after a change here)."""
    ttl = _ttl()
    if ttl <= 0:
        return read_options(session)
    kept: _Kept | None = current_app.extensions.get(EXTENSION_KEY)
    now = time.monotonic()
    if kept is not None and kept.generation == _generation and now - kept.read_at < ttl:
        return kept.options
    generation = _generation  # read before the lists: a change meanwhile makes them stale
    options = read_options(session)
    current_app.extensions[EXTENSION_KEY] = _Kept(options, generation, now)
    return options


def forget() -> None:
    """Drop the kept lists of every app of this process (the next page reads them)."""
    global _generation
    with _lock:
        _generation += 1


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _WATCHED):
            forget()
            session.info["catalog_options_changed"] = True
            return


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _after_end(session: Session, *_args: Any) -> None:
    # Lists read between the flush and the commit (or rollback) may hold the other state.
    if session.info.pop("catalog_options_changed", False):
        forget()
