"""The catalog search's rendered results, kept per worker for one catalog version.

A search page is the same for every user who asks the same thing: the form as filled in, the
messages, the count, 24 cards and the pager (a GET form: no CSRF token, nothing about the
user). Rendering it costs ~10 ms of Python (the form's fields, the cards), the page around it
~1 ms. So each worker keeps the rendered part per query string (``CATALOG_RESULTS_KEPT``
entries, environment ``PROCURE_CATALOG_RESULTS_KEPT``, default 200; 0 under the tests, which
swap the database under one app; the oldest used is dropped first) for one value of
``catalog_version.version`` (model ``CatalogVersion``), read with one small query per search.

That number is raised in the same transaction as any change the search shows, by the session
listeners below: a product added, edited or deleted (name, price, unit, photo, visibility), a
photo added or removed, an UMKM's status, name, kecamatan or scale, a category, a kind, a
kecamatan or kelurahan; and by ``mark_changed`` after bulk statements that bypass the ORM
(``procure/catalog/listing.py`` ``refresh_listing``). It is raised once per transaction, as
its last statement (at commit, after the final flush), so the row's lock is held only while
committing. A worker that reads a new number drops everything it kept and renders afresh;
every worker therefore shows a change on its next search. Without the row (a database emptied
by hand) nothing is kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app
from markupsafe import Markup
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from procure.catalog.models import CatalogVersion, Category, Kecamatan, Kelurahan, ProductKind
from procure.umkm.models import Product, ProductPhoto, Umkm

DEFAULT_ENTRIES = 200
EXTENSION_KEY = "procure.catalog_results"
MAX_KEY_CHARS = 500  # a longer query string is rendered, not kept
ROW_ID = 1
_CHANGED = "procure.catalog_changed"
_TABLE = CatalogVersion.__table__
_VERSION = select(_TABLE.c.version).where(_TABLE.c.id == ROW_ID)
# Any change to these shows in the search (cards, counts, filter options).
_ANY_CHANGE = (Product, ProductPhoto, Category, ProductKind, Kecamatan, Kelurahan)
# An UMKM shows through these columns only (its other edits leave the catalog as it is).
_UMKM_SHOWN = ("status", "business_name", "kecamatan_id", "declared_scale")


def mark_changed(session: Session) -> None:
    """Raise the catalog version when this transaction commits."""
    session.info[_CHANGED] = True


def _shows(obj: object) -> bool:
    if isinstance(obj, _ANY_CHANGE):
        return True
    if isinstance(obj, Umkm):
        state = inspect(obj)
        return any(state.attrs[name].history.has_changes() for name in _UMKM_SHOWN)
    return False


@event.listens_for(Session, "after_flush")
def _note(session: Session, _context: Any) -> None:
    if session.info.get(_CHANGED):
        return
    if any(isinstance(o, _ANY_CHANGE) for o in (*session.new, *session.deleted)) or any(
        _shows(o) for o in session.dirty
    ):
        mark_changed(session)


@event.listens_for(Session, "before_commit")
def _raise_version(session: Session) -> None:
    if session.in_nested_transaction():
        return  # the outermost commit raises it
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush: its changes are noted before the raise
    if session.info.pop(_CHANGED, False):
        session.execute(
            update(CatalogVersion)
            .where(CatalogVersion.id == ROW_ID)
            .values(version=CatalogVersion.version + 1)
            .execution_options(synchronize_session=False)
        )


@event.listens_for(Session, "after_rollback")
def _forget_change(session: Session) -> None:
    session.info.pop(_CHANGED, None)


def catalog_version(session: Session) -> int | None:
    """The catalog's version now (None without the row)."""
    # On the session's connection, through Core: the ORM's statement handling cost more than
    # the round trip.
    row = session.connection().execute(_VERSION).first()
    return None if row is None else int(row[0])


class _Results:
    """One worker's rendered results for one catalog version (oldest used dropped first)."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.entries: OrderedDict[tuple[tuple[str, str], ...], Markup] = OrderedDict()
        self.lock = threading.Lock()


def _results() -> _Results:
    kept: _Results | None = current_app.extensions.get(EXTENSION_KEY)
    if kept is None:
        kept = current_app.extensions.setdefault(EXTENSION_KEY, _Results())
    return kept


def query_key(args: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...] | None:
    """The query string's pairs in a fixed order (None: too long to keep)."""
    pairs = tuple(sorted(args))
    if sum(len(k) + len(v) for k, v in pairs) > MAX_KEY_CHARS:
        return None
    return pairs


def kept_results(
    session: Session, args: Iterable[tuple[str, str]], render: Callable[[int | None], str]
) -> Markup:
    """The rendered results for this query string: kept, or ``render(version)`` and kept."""
    size = int(current_app.config.get("CATALOG_RESULTS_KEPT", DEFAULT_ENTRIES))
    key = query_key(args) if size > 0 else None
    # Read before the search: a change committed meanwhile is then kept under the old number
    # (and dropped at the next read), never old results under the new one.
    version = catalog_version(session) if key is not None else None
    if key is None or version is None:
        return Markup(render(version))  # noqa: S704 - the template's own autoescaped output
    kept = _results()
    with kept.lock:
        if kept.version == version and key in kept.entries:
            kept.entries.move_to_end(key)
            return kept.entries[key]
    html = Markup(render(version))  # noqa: S704 - the template's own autoescaped output
    with kept.lock:
        if kept.version != version:
            kept.version = version
            kept.entries.clear()
        if kept.version == version:
            kept.entries[key] = html
            while len(kept.entries) > size:
                kept.entries.popitem(last=False)
    return html
