"""Per-UMKM ranking figures (``AllocationFigure``): derived in SQL from the raw rows, kept current.

One SELECT (``figures_sql.figures_select``) computes the figures of W from the omzet, order,
UMKM and product rows for one UMKM, a set of them or all; every write goes through it, so a
row is always what the raw rows said when it was written. It is kept current by:
- the services that file, correct or import omzet, issue orders or take an order out of the
  live states: ``refresh(session, umkm_ids)`` after their flush;
- session listeners (below) for what other features change: a product added or moved to
  another category, a UMKM's ``verified_at`` changed through the ORM;
- the ranking, before it reads: ``ensure_current`` rebuilds every row when the request's W is a
  newer month than the stored one, recomputes the rows of the UMKM whose orders aged past
  365 days (or were issued after the stored day) when a request of a later day comes, and
  catches up with products inserted and UMKM verified without the ORM (bulk inserts, the
  admin's conditional update);
- ``procure refresh-figures`` and the seed: ``rebuild``.

Locks (PostgreSQL): the state row first (shared by a refresh, exclusive for a rebuild or a
catch-up), then the UMKM's figure rows in key order, and the raw rows are read only once they
are held; so two transactions changing one UMKM's orders at once cannot leave a figure without
the other's order. Figures are always locked last (after products). SQLite has one writer.
docs/decisions/0008, 0013.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    String,
    bindparam,
    cast,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    null,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from procure.allocation.policy import window_for
from procure.clock import today_in_jakarta
from procure.db import UTCDateTime, utcnow
from procure.procurement.models import AllocationFigure, AllocationFigureState, PurchaseOrder
from procure.ranking.figures_sql import (
    FIGURE_COLUMNS,
    KEY_COLUMNS,
    at,
    figures_select,
    jakarta_bounds,
    midnight,
    order_count_clause,
    upsert_statement,
    window_key,
    window_of,
)
from procure.umkm.models import Product, Umkm

__all__ = [
    "at",
    "ensure_current",
    "figure_rows",
    "jakarta_bounds",
    "midnight",
    "order_count_clause",
    "rebuild",
    "refresh",
    "refresh_months",
    "stored_window",
]

STATE_ID = 1
# Verifications are re-checked from the newest one seen minus this: a transaction that took
# its time earlier may commit after a later one.
VERIFIED_MARGIN = dt.timedelta(hours=1)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
_SINCE: dict[str, dt.datetime | None] = {}  # per database: the state's verified_since last read
CHUNK = 5_000  # UMKM ids per IN list (SQLite's parameter limit is far above)
# A refresh of more UMKM than this rebuilds every row instead: one statement set beats
# thousands of IN lists (a bulk import of a month for every UMKM, for example).
BULK_LIMIT = 20_000
_PENDING = "procure.figures.pending"


def _dialect_insert(session: Session) -> Any:
    name = session.get_bind().dialect.name
    return (postgresql if name == "postgresql" else sqlite).insert


def _state(session: Session, lock: str | None = None) -> Any:
    """The state row's columns (``window_start``, ``covered_product_id``, ...) or None."""
    query = select(
        AllocationFigureState.window_start,
        AllocationFigureState.covered_product_id,
        AllocationFigureState.verified_since,
        AllocationFigureState.rounds_day,
    ).where(AllocationFigureState.id == STATE_ID)
    if lock == "update":
        query = query.with_for_update()
    elif lock == "share":
        query = query.with_for_update(read=True)
    return session.execute(query).first()


def _locked_state(session: Session) -> Any:
    """The state row, created if missing, held exclusively until the transaction ends."""
    stmt = _dialect_insert(session)(AllocationFigureState).values(
        id=STATE_ID, window_start="", covered_product_id=0, verified_since=None,
        rebuilt_at=utcnow(), rounds_day=None,
    )  # fmt: skip
    session.execute(stmt.on_conflict_do_nothing(index_elements=["id"]))
    return _state(session, "update")


def _newest(session: Session) -> tuple[int, dt.datetime | None]:
    """The newest product id, and the time from which verifications are checked next."""
    product = session.scalar(select(func.coalesce(func.max(Product.id), 0))) or 0
    verified = session.scalar(select(func.max(Umkm.verified_at)))
    return product, verified - VERIFIED_MARGIN if verified is not None else None


def _verified_since(since: Any) -> Any:
    """UMKM verified after ``since`` (None: ever)."""
    return select(Umkm.id).where(
        Umkm.verified_at > since if since is not None else Umkm.verified_at.is_not(None)
    )


def _set_state(session: Session, **values: Any) -> None:
    session.execute(
        update(AllocationFigureState).where(AllocationFigureState.id == STATE_ID).values(**values)
    )


def _stored_day(state: Any) -> dt.date:
    """The day the rows were counted for (a state written before v2: the last day of W's
    following month is as good as any, the next request moves it)."""
    if state.rounds_day is not None:
        return state.rounds_day  # type: ignore[no-any-return]
    return window_of(state.window_start)[-1].shift(1).first_day


def stored_window(session: Session) -> str | None:
    """The first month of the W the figures hold ("YYYY-MM"), or None before the first build."""
    state = _state(session)
    return state.window_start if state is not None and state.window_start else None


def stored_day(session: Session) -> dt.date | None:
    """The day the v2 figures (rounds, awards of unreported months) are counted for."""
    state = _state(session)
    return _stored_day(state) if state is not None and state.window_start else None


def rebuild(session: Session, day: dt.date | None = None) -> int:
    """Recompute every row as of ``day`` (default: today) and its W; returns the row count."""
    day = day or today_in_jakarta()
    _locked_state(session)
    return _rebuild_locked(session, day)


def _rebuild_locked(session: Session, day: dt.date) -> int:
    window = window_for(day)
    newest_product, verified_since = _newest(session)
    session.execute(delete(AllocationFigure))
    session.execute(
        insert(AllocationFigure).from_select(
            list(FIGURE_COLUMNS), figures_select(window, None, day)
        )
    )
    _set_state(
        session,
        window_start=window_key(window),
        rounds_day=day,
        covered_product_id=newest_product,
        verified_since=verified_since,
        rebuilt_at=utcnow(),
    )
    if session.get_bind().dialect.name == "postgresql":
        # Fresh statistics, so the ranking's plan sees the new rows (autovacuum may be off).
        session.execute(text("ANALYZE umkm_allocation_figure"))
    return session.scalar(select(func.count()).select_from(AllocationFigure)) or 0


@functools.lru_cache(maxsize=8)
def _upsert_by_ids(dialect: str, window_start: str, day: dt.date) -> Any:
    """The upsert for a list of UMKM (``ids``), built once per window and day: the statement
    is large and a decision refreshes a few UMKM every time."""
    ids = bindparam("ids", expanding=True)
    return upsert_statement(dialect, window_of(window_start), lambda column: column.in_(ids), day)


def _upsert(session: Session, state: Any, where: Any) -> None:
    dialect = session.get_bind().dialect.name
    window = window_of(state.window_start)
    session.execute(upsert_statement(dialect, window, where, _stored_day(state)))


def refresh(session: Session, umkm_ids: Iterable[int]) -> None:
    """Recompute the rows of these UMKM after their omzet or orders changed (flush first).

    A no-op until the figures are first built: the first ranking builds them all.
    """
    ids = sorted({int(i) for i in umkm_ids if i is not None})
    if not ids:
        return
    state = _state(session, "share")
    if state is None or not state.window_start:
        return
    if len(ids) > BULK_LIMIT:
        _locked_state(session)
        _rebuild_locked(session, _stored_day(state))
        return
    _refresh_held(session, ids, state)


def _refresh_held(session: Session, ids: Sequence[int], state: Any) -> None:
    """``refresh`` with the state row held (shared or exclusive)."""
    dialect_insert = _dialect_insert(session)
    # Typed NULLs: under DISTINCT, PostgreSQL would take a bare NULL for text.
    never, nothing = cast(null(), DateTime(timezone=True)), cast(null(), BigInteger)
    blank = (never, nothing, nothing, nothing, literal(0), literal(0), literal(0))
    blank += (cast(null(), String(20)), literal(0), literal(0), literal(1), never)
    blank += (literal(0), literal(0), literal(0))
    day = _stored_day(state)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        # A row for each (UMKM, kind) first, then hold them: the raw rows are read only
        # once no other transaction can still be writing these figures (module docstring).
        session.execute(
            dialect_insert(AllocationFigure)
            .from_select(
                list(FIGURE_COLUMNS),
                select(Product.umkm_id, Product.kind_id, Product.category_id, *blank)
                .where(Product.umkm_id.in_(chunk))
                .distinct(),
            )
            .on_conflict_do_nothing(index_elements=list(KEY_COLUMNS))
        )
        session.execute(
            select(AllocationFigure.umkm_id)
            .where(AllocationFigure.umkm_id.in_(chunk))
            .order_by(AllocationFigure.umkm_id, AllocationFigure.kind_id)
            .with_for_update()
        ).all()
        # Rows of a kind the UMKM no longer has a product of (moved to another kind) go.
        still = (
            select(Product.id)
            .where(
                Product.umkm_id == AllocationFigure.umkm_id,
                Product.kind_id == AllocationFigure.kind_id,
            )
            .exists()
        )
        session.execute(delete(AllocationFigure).where(AllocationFigure.umkm_id.in_(chunk), ~still))
        dialect = session.get_bind().dialect.name
        session.execute(_upsert_by_ids(dialect, state.window_start, day), {"ids": chunk})


def refresh_months(session: Session, reports: Iterable[tuple[int, str]]) -> None:
    """``refresh`` for bulk-written omzet ``(umkm_id, "YYYY-MM")``: only months of W count."""
    stored = stored_window(session)
    if stored is None:
        return
    months = {str(p) for p in window_of(stored)}
    refresh(session, {umkm_id for umkm_id, period in reports if period in months})


def _aged(start: dt.date, end: dt.date) -> Any:
    """UMKM with an order issued on a day in [start, end) (Jakarta days)."""
    return select(PurchaseOrder.umkm_id).where(
        PurchaseOrder.issued_at >= at(midnight(start)), PurchaseOrder.issued_at < at(midnight(end))
    )


def _move_day(session: Session, state: Any, day: dt.date) -> None:
    """Count the rows for ``day`` (a later day of the same W), with the state held exclusively:
    only UMKM with an order issued in the days that aged out of the 365 days since the stored
    day, or issued after it, can have other figures (docs/decisions/0013)."""
    old = _stored_day(state)
    one = dt.timedelta(days=1)
    aged = _aged(old - dt.timedelta(days=364), day - dt.timedelta(days=364))
    since = _aged(old + one, day + one)
    ids = sorted(set(session.scalars(aged.union(since))))
    _set_state(session, rounds_day=day)
    moved = _state(session)
    if len(ids) > BULK_LIMIT:
        _rebuild_locked(session, day)
    elif ids:
        _refresh_held(session, ids, moved)


@functools.lru_cache(maxsize=1)
def _state_check() -> Any:
    """``ensure_current``'s first statement, built once: the state row, the newest product id
    and whether a UMKM was verified after ``since`` (a moment written into the statement, as
    ``at`` does) without its figure rows following."""
    S, F = AllocationFigureState, AllocationFigure
    since = bindparam("since", type_=UTCDateTime(), literal_execute=True)
    stale = (
        select(Umkm.id)
        .join(F, F.umkm_id == Umkm.id)
        .where(
            Umkm.verified_at > since,
            or_(F.verified_at.is_(None), F.verified_at != Umkm.verified_at),
        )
        .exists()
    )
    return select(
        S.window_start,
        S.covered_product_id,
        S.verified_since,
        S.rounds_day,
        select(func.coalesce(func.max(Product.id), 0)).scalar_subquery(),
        stale,
    ).where(S.id == STATE_ID)


def ensure_current(session: Session, day: dt.date, policy: str = "pemerataan-v2") -> bool:
    """Make the figures serve a request of ``day`` under ``policy``; False when they cannot.

    A newer W (a new month) rebuilds every row. pemerataan-v2 ranks by figures counted for the
    request's own day: a later day moves them (``_move_day``), an earlier one cannot be served.
    pemerataan-v1 needs only the same W. Products inserted without the ORM and UMKM verified
    by the admin's conditional update (which the listeners below do not see) get their rows:
    both are looked for on every call, in the one query that reads the state, and written
    under the state row's lock, once, whoever asks first.
    """
    window = window_for(day)
    wanted = window_key(window)
    v2 = policy != "pemerataan-v1"
    F = AllocationFigure
    bind = str(session.get_bind().url)
    guess = _SINCE.get(bind)

    def stale(since: dt.datetime | None) -> Any:
        # The time written in: as a parameter (or a column of the state row) it would be
        # planned blind and scan every UMKM.
        return (
            select(Umkm.id)
            .join(F, F.umkm_id == Umkm.id)
            .where(
                Umkm.verified_at > at(since or EPOCH),
                or_(F.verified_at.is_(None), F.verified_at != Umkm.verified_at),
            )
            .exists()
        )

    def serves(stored: str, rounds_day: Any) -> bool | None:
        """True: as it is; False: never (older request); None: needs work under the lock."""
        if stored > wanted:
            return False
        if stored < wanted:
            return None
        if not v2:
            return True
        current = rounds_day or _stored_day(row)
        return False if current > day else (True if current == day else None)

    # One round trip: the check runs from the time this process last read; any earlier time
    # is as good (it only looks at more verifications), a later one is checked again below.
    # Not read yet: check nothing here, the right range below.
    row = session.execute(_state_check(), {"since": guess or FUTURE}).first()
    if row is not None and row.window_start:
        stored, covered, since, rounds_day, product, changed = row
        _SINCE[bind] = since
        served = serves(stored, rounds_day)
        if served is False:
            return False
        if since is None or guess is None or since < guess:
            changed = session.scalar(select(stale(since)))
        if served and covered >= product and not changed:
            return True
    state = _locked_state(session)
    if state.window_start > wanted:
        return False
    if state.window_start < wanted:
        _rebuild_locked(session, day)
        return True
    if v2 and _stored_day(state) > day:
        return False
    if v2 and _stored_day(state) < day:
        _move_day(session, state, day)
        state = _state(session)
    product, verified_since = _newest(session)
    if product > state.covered_product_id:
        news = select(Product.umkm_id).where(Product.id > state.covered_product_id)
        _upsert(session, state, lambda column: column.in_(news))
    recent = _verified_since(state.verified_since)
    _upsert(session, state, lambda column: column.in_(recent))
    _set_state(session, covered_product_id=product, verified_since=verified_since)
    return True


def _changed(obj: object, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context: object) -> None:
    """Note the UMKM whose rows another feature's ORM write changes: a new product (maybe a
    new kind for it), a product moved to another kind, a new verification time."""
    pending: set[int] = session.info.setdefault(_PENDING, set())
    for obj in session.new:
        if isinstance(obj, Product):
            pending.add(obj.umkm_id)
    for obj in session.dirty:
        if isinstance(obj, Product) and _changed(obj, "kind_id", "category_id", "umkm_id"):
            pending.add(obj.umkm_id)
        elif isinstance(obj, Umkm) and _changed(obj, "verified_at"):
            pending.add(obj.id)


@event.listens_for(Session, "after_flush_postexec")
def _apply(session: Session, _context: object) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        refresh(session, pending)


def figure_rows(
    session: Session, umkm_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], tuple[Any, ...]]:
    """Stored rows as ``{(umkm_id, kind_id): (category_id, verified_at, omzet_1, omzet_2,
    omzet_3, months, sum, floored, latest, since, need6, tier, latest_award_at, round_365,
    awards_unreported, need6_v2)}``."""
    query = select(*(getattr(AllocationFigure, name) for name in FIGURE_COLUMNS))
    if umkm_ids is not None:
        query = query.where(AllocationFigure.umkm_id.in_(sorted(set(umkm_ids))))
    return {(row[0], row[1]): tuple(row[2:]) for row in session.execute(query)}
