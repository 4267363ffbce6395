"""Each UMKM's usual omzet for "the smaller half", kept in memory and refreshed from new rows.

The smaller half is measured by the mean of the latest revision of each month a UMKM reported
in the 12 months up to the period's last month. At 100,000 UMKM that is a million omzet rows:
reading them takes over a second, far more than the whole dashboard may (docs/benchmarks.md).
So the ranking of every reporting UMKM by that mean is computed once per window and kept here,
per database, with the newest omzet row it has seen.

Freshness: omzet rows are only ever inserted (a correction is a new revision, never an UPDATE:
procure/omzet/latest.py), so rows newer than the last one seen are all that can change the
ranking. Every call reads the newest row's id (one primary-key lookup); when it moved, only the
UMKM with new rows in the window are read again. Rows of a transaction that committed after a
newer one (a bulk import running while a UMKM files) could be missed that way, so a window older
than ``FULL_REFRESH`` is read again in full. A report's ``computed_at`` is never later than the
ranking it used was current.

The size is the sum times 27,720 (lcm 1..12) over the months: a whole number that orders like the
exact mean, so no rounding can reorder two UMKM.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from procure import clock
from procure.omzet.latest import latest_omzet_revisions
from procure.omzet.models import OmzetReport
from procure.omzet.rules import Period

WINDOW_MONTHS = 12
MEAN_SCALE = 27_720  # lcm(1..12): the mean of 1..12 months times this is whole
FULL_REFRESH = dt.timedelta(minutes=15)
INCREMENTAL_LIMIT = 5_000  # more UMKM with new rows than this: read the window again
MAX_WINDOWS = 4  # windows kept per process (a dashboard looks at one or two)


@dataclass
class _Window:
    size: dict[int, int] = field(default_factory=dict)
    order: list[tuple[int, int]] = field(default_factory=list)  # (size, umkm_id), ascending
    newest: tuple[int, dt.datetime] | None = None  # the newest omzet row seen: (id, filed_at)
    read_at: dt.datetime = field(default_factory=clock.now)  # when read in full
    current_at: dt.datetime = field(default_factory=clock.now)  # when last known current
    ids: tuple[int, ...] | None = None  # ``order``'s UMKM, made when first asked for


@dataclass(frozen=True)
class Ranking:
    """The reporting UMKM by usual omzet, smallest first (equal sizes by id), as of a time."""

    umkm_ids: tuple[int, ...]
    current_at: dt.datetime


_windows: dict[tuple[str, str], _Window] = {}
_lock = threading.Lock()


def _first(last: Period) -> Period:
    return last.shift(-(WINDOW_MONTHS - 1))


def _sizes(session: Session, last: Period, umkm_ids: set[int] | None) -> dict[int, int]:
    """(UMKM, size) of the UMKM reporting in the window (or of these UMKM only)."""
    if umkm_ids is None and session.get_bind().dialect.name == "postgresql":
        return _all_sizes_postgresql(session, last)
    latest = latest_omzet_revisions(
        first=_first(last),
        last=last,
        umkms=None if umkm_ids is None else (lambda column: column.in_(sorted(umkm_ids))),
        name="spread_sizes",
    )
    query = select(
        latest.c.umkm_id, func.sum(latest.c.amount) * MEAN_SCALE / func.count()
    ).group_by(latest.c.umkm_id)
    return {int(u): int(s) for u, s in session.execute(query)}


def _all_sizes_postgresql(session: Session, last: Period) -> dict[int, int]:
    """``_sizes`` of every UMKM on PostgreSQL: the highest revision of each (UMKM, month) by
    DISTINCT ON over one sorted pass, instead of grouping and joining back a million rows
    (the rule of procure/omzet/latest.py, in the form that reads the window once)."""
    session.execute(text("SET LOCAL work_mem = '64MB'"))
    latest = (
        select(OmzetReport.umkm_id, OmzetReport.amount)
        .where(OmzetReport.period >= str(_first(last)), OmzetReport.period <= str(last))
        .distinct(OmzetReport.umkm_id, OmzetReport.period)
        .order_by(OmzetReport.umkm_id, OmzetReport.period, OmzetReport.revision.desc())
        .subquery("spread_latest_omzet")
    )
    query = select(
        latest.c.umkm_id, func.sum(latest.c.amount) * MEAN_SCALE / func.count()
    ).group_by(latest.c.umkm_id)
    return {int(u): int(s) for u, s in session.execute(query)}


def _newest(session: Session) -> tuple[int, dt.datetime] | None:
    row = session.execute(
        select(OmzetReport.id, OmzetReport.filed_at).order_by(OmzetReport.id.desc()).limit(1)
    ).first()
    return None if row is None else (int(row[0]), row[1])


def _full(session: Session, last: Period, newest: tuple[int, dt.datetime] | None) -> _Window:
    now = clock.now()
    size = _sizes(session, last, None)
    return _Window(size, sorted((s, u) for u, s in size.items()), newest, now, now)


def _update(session: Session, window: _Window, last: Period, since: int) -> bool:
    """Read again the UMKM with rows newer than ``since`` in the window; False when too many."""
    changed = set(
        session.scalars(
            select(OmzetReport.umkm_id)
            .where(
                OmzetReport.id > since,
                OmzetReport.period >= str(_first(last)),
                OmzetReport.period <= str(last),
            )
            .distinct()
            .limit(INCREMENTAL_LIMIT + 1)
        )
    )
    if len(changed) > INCREMENTAL_LIMIT:
        return False
    fresh = _sizes(session, last, changed) if changed else {}
    window.ids = None
    for umkm_id in changed:
        old = window.size.pop(umkm_id, None)
        if old is not None:
            at = bisect.bisect_left(window.order, (old, umkm_id))
            del window.order[at]
        if umkm_id in fresh:
            window.size[umkm_id] = fresh[umkm_id]
            bisect.insort(window.order, (fresh[umkm_id], umkm_id))
    return True


def ranking(session: Session, last: Period) -> Ranking:
    """The UMKM that reported omzet in the 12 months up to ``last``, smallest usual omzet
    first, current as of the returned time."""
    database = session.get_bind().engine.url.render_as_string(hide_password=True)
    key = (database, str(last))
    with _lock:
        newest = _newest(session)
        window = _windows.get(key)
        now = clock.now()
        if window is not None and now - window.read_at > FULL_REFRESH:
            window = None
        if window is not None and window.newest != newest:
            seen = window.newest
            still_there = seen is None or (
                session.scalar(select(OmzetReport.filed_at).where(OmzetReport.id == seen[0]))
                == seen[1]
            )
            if (
                newest is None
                or not still_there
                or not _update(session, window, last, seen[0] if seen else 0)
            ):
                window = None
            else:
                window.newest = newest
        if window is None:
            window = _full(session, last, newest)
            _windows[key] = window
            while len(_windows) > MAX_WINDOWS:
                del _windows[next(iter(_windows))]
        else:
            window.current_at = now
        if window.ids is None:
            window.ids = tuple(u for _, u in window.order)
        return Ranking(window.ids, window.current_at)


def forget() -> None:
    """Drop every kept ranking (tests; a restore of the database under a running process)."""
    with _lock:
        _windows.clear()
