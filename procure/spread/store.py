"""The stored pemerataan reports: what the dashboard, the public page and the exports read.

A report is built by ``services.build_report`` and kept in the table ``spread_report`` (one
row per period and OPD or the whole Pemda; ``procure.spread.models``), as exact JSON
(``report_json``), with the data's fingerprint (``services.fingerprint``) read before the build
and the Jakarta day it was built for. Every process and server reads the same row.

``report`` (what a page calls) answers:

- nothing stored (a first visit, a custom period, a report of an older format): built in the
  request and stored;
- stored and current (same fingerprint, same day, younger than ``SPREAD_MAX_AGE_SECONDS``):
  the stored report;
- stored, and the data changed since (or another day began, or it is older than the maximum
  age with nothing seen to change): the stored report at once, with its "data per" time, and
  a refresh in the background (an RQ job on ``SPREAD_QUEUE`` with ``REDIS_URL``, else a thread
  of this process). One refresh per key at a time across every process: a process claims the
  row (``refreshing_since``) with an ``UPDATE ... WHERE`` that only one can win; a claim older
  than ``CLAIM_SECONDS`` (its process died) is taken over;
- stored, the data changed since AND it is older than the maximum age: built in the request.
  A page then never shows figures more than that maximum behind a change the application
  made; that only happens when no refresh ran for that long (no visitor and no
  ``procure report refresh-spread``, or refreshes failing), and then the visitor waits for
  correct figures rather than being shown old ones again.

``refresh_usual`` (``procure report refresh-spread``, for cron or the worker) keeps the usual
periods (this year, quarter and month, last month; Pemda and every active OPD) built, so
visitors normally get the stored report.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Sequence
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Engine, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from procure import clock
from procure.extensions import db
from procure.omzet.rules import Period
from procure.opd.models import Opd
from procure.spread.models import StoredSpreadReport
from procure.spread.periods import PeriodKind, ReportPeriod
from procure.spread.report import SpreadReport
from procure.spread.report_json import report_from_json, report_to_json
from procure.spread.services import build_report, fingerprint

log = logging.getLogger(__name__)

MAX_AGE_DEFAULT = 900
PARSED_KEPT = 32  # parsed stored reports kept per process (one per key, the newest body)
_parsed: dict[str, tuple[str, SpreadReport]] = {}
_parsed_lock = threading.Lock()
CLAIM_SECONDS = 300  # a refresh claimed longer ago than this is taken over
_table = StoredSpreadReport.__table__


def key_of(period: ReportPeriod, opd_id: int | None) -> str:
    """The row of a period as written ("2026", "2026-T4", "2026-10", custom dates) and scope.
    The current year, quarter or month is asked for "so far" (its end today) under the same
    name, so yesterday's row is the one served (and refreshed) on a new day."""
    return f"{period}|" + ("pemda" if opd_id is None else f"opd-{opd_id}")


def _mark(session: Session) -> str:
    """The fingerprint as text (ids and the budgets' latest change)."""
    return json.dumps([None if v is None else str(v) for v in fingerprint(session)])


def max_age(config: Any) -> dt.timedelta:
    return dt.timedelta(seconds=max(int(config.get("SPREAD_MAX_AGE_SECONDS", MAX_AGE_DEFAULT)), 0))


# --- what pages read ---------------------------------------------------------------------------


def report(
    session: Session, period: ReportPeriod, *, today: dt.date, opd_id: int | None = None
) -> SpreadReport:
    """The report of ``period`` (of ``opd_id`` beside the Pemda), from the store when it can
    (module docstring). Raises ``RuleError`` as ``build_report`` does."""
    period.check_started(today)
    key = key_of(period, opd_id)
    mark = _mark(session)
    limit = max_age(current_app.config)
    if not limit:
        return _build_and_save(session, key, period, opd_id, today, mark)
    row = session.execute(
        select(_table.c.body, _table.c.fingerprint, _table.c.built_for, _table.c.computed_at).where(
            _table.c.key == key
        )
    ).first()
    stored: SpreadReport | None = None
    if row is not None:
        try:
            stored = _parsed_report(key, row.body)
        except (ValueError, KeyError, TypeError):
            log.warning("Laporan tersimpan %s tidak terbaca; dibuat lagi.", key)
    if stored is None:
        return _build_and_save(session, key, period, opd_id, today, mark)
    changed = row.fingerprint != mark or row.built_for != today
    too_old = clock.now() - row.computed_at >= limit
    if changed and too_old:
        return _build_and_save(session, key, period, opd_id, today, mark)
    if changed or too_old:
        start_refresh(period, opd_id, today)
    return stored


def _parsed_report(key: str, body: str) -> SpreadReport:
    """``report_from_json(body)``, parsed once per stored body in this process: a page of a
    stored report then skips the parse (8 ms for a year's Pemda report at 100,000 UMKM).
    The body itself is the key (compared whole), so a report rebuilt is parsed again."""
    kept = _parsed.get(key)
    if kept is not None and kept[0] == body:
        return kept[1]
    parsed = report_from_json(body)
    with _parsed_lock:
        _parsed.pop(key, None)
        while len(_parsed) >= PARSED_KEPT:
            _parsed.pop(next(iter(_parsed)))
        _parsed[key] = (body, parsed)
    return parsed


def _build_and_save(
    session: Session,
    key: str,
    period: ReportPeriod,
    opd_id: int | None,
    today: dt.date,
    mark: str,
) -> SpreadReport:
    built = build_report(session, period, today=today, opd_id=opd_id)
    save(session.get_bind().engine, key, period, opd_id, today, mark, built)
    return built


def save(
    engine: Engine,
    key: str,
    period: ReportPeriod,
    opd_id: int | None,
    today: dt.date,
    mark: str,
    built: SpreadReport,
) -> None:
    """Store ``built`` under ``key`` in its own short transaction (the caller's, a page's, only
    reads) and release any refresh claim."""
    values = {
        "body": report_to_json(built),
        "fingerprint": mark,
        "built_for": today,
        "computed_at": built.computed_at,
        "refreshing_since": None,
    }
    for _ in range(2):
        with engine.begin() as conn:
            if conn.execute(update(_table).where(_table.c.key == key).values(values)).rowcount:
                return
        try:
            with engine.begin() as conn:
                conn.execute(
                    insert(_table).values(key=key, period=str(period), opd_id=opd_id, **values)
                )
            return
        except IntegrityError:
            continue  # another process inserted it first: update theirs


def claim(engine: Engine, key: str) -> bool:
    """Claim the refresh of ``key``: True for the one process that may build it now."""
    now = clock.now()
    with engine.begin() as conn:
        won = conn.execute(
            update(_table)
            .where(
                _table.c.key == key,
                or_(
                    _table.c.refreshing_since.is_(None),
                    _table.c.refreshing_since < now - dt.timedelta(seconds=CLAIM_SECONDS),
                ),
            )
            .values(refreshing_since=now)
        ).rowcount
    return bool(won)


def release(engine: Engine, key: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(_table).where(_table.c.key == key).values(refreshing_since=None))


# --- refreshing ------------------------------------------------------------------------------


def refresh(session: Session, period: ReportPeriod, opd_id: int | None, today: dt.date) -> None:
    """Build and store the report (the fingerprint read first, so a change during the build
    leaves it marked as changed)."""
    key = key_of(period, opd_id)
    try:
        mark = _mark(session)
        built = build_report(session, period, today=today, opd_id=opd_id)
        session.rollback()  # read only
    except Exception:
        session.rollback()
        release(session.get_bind().engine, key)
        raise
    save(session.get_bind().engine, key, period, opd_id, today, mark, built)


_threads: list[threading.Thread] = []
_threads_lock = threading.Lock()


def start_refresh(period: ReportPeriod, opd_id: int | None, today: dt.date) -> str | None:
    """Claim ``period``'s report and rebuild it off the request: "rq", "thread", or None when
    another process holds the claim (or Redis could not be reached)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    key = key_of(period, opd_id)
    if not claim(db.engine, key):
        return None
    args = (period.kind.value, period.start.isoformat(), period.end.isoformat(), opd_id, today)
    if app.config.get("REDIS_URL"):
        from redis import Redis
        from redis.exceptions import RedisError
        from rq import Queue

        try:
            queue = Queue(
                app.config["SPREAD_QUEUE"], connection=Redis.from_url(app.config["REDIS_URL"])
            )
            queue.enqueue(
                "procure.spread.worker_job.refresh_report",
                *args,
                result_ttl=600,
                failure_ttl=86400,
            )
        except RedisError:
            log.exception("Redis tidak bisa dihubungi; laporan %s tidak diperbarui.", key)
            release(db.engine, key)
            return None
        return "rq"
    thread = threading.Thread(
        target=_in_thread, args=(app, *args), name=f"spread-{key}", daemon=True
    )
    with _threads_lock:
        _threads[:] = [t for t in _threads if t.is_alive()]
        _threads.append(thread)
    thread.start()
    return "thread"


def _in_thread(app: Flask, *args: Any) -> None:
    with app.app_context():
        try:
            refresh_queued(*args)
        except Exception:  # noqa: BLE001 - logged; the stored report stays and is shown
            log.exception("Laporan pemerataan %s gagal diperbarui.", args)
        finally:
            db.session.remove()


def refresh_queued(kind: str, start: str, end: str, opd_id: int | None, today: dt.date) -> None:
    """A background refresh from its queued arguments (a thread's body; the RQ job
    ``procure.spread.worker_job.refresh_report`` runs it in the worker's app)."""
    period = ReportPeriod(
        PeriodKind(kind), dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    )
    refresh(db.session, period, opd_id, today)


def wait_for_refreshes(timeout: float = 120.0) -> None:
    """Join the refresh threads of this process (tests, the CLI)."""
    with _threads_lock:
        running = list(_threads)
    for thread in running:
        thread.join(timeout)


# --- the usual periods -----------------------------------------------------------------------


def usual_periods(today: dt.date) -> list[ReportPeriod]:
    """This year, this quarter, this month (each so far) and last month, as the pages ask."""
    month = Period(today.year, today.month)
    periods = [
        ReportPeriod.year(today.year),
        ReportPeriod.quarter(today.year, (today.month - 1) // 3 + 1),
        ReportPeriod.month(month),
    ]
    periods = [p.clipped(today) for p in periods]
    periods.append(ReportPeriod.month(month.shift(-1)))
    return periods


def refresh_usual(session: Session, today: dt.date, opd_ids: Sequence[int] | None = None) -> int:
    """Build and store the usual periods for the Pemda and every active OPD (or ``opd_ids``);
    returns how many. A key another process is refreshing is left to it."""
    if opd_ids is None:
        opd_ids = list(
            session.scalars(select(Opd.id).where(Opd.is_active.is_(True)).order_by(Opd.id))
        )
        session.rollback()
    done = 0
    for period in usual_periods(today):
        for opd_id in (None, *opd_ids):
            key = key_of(period, opd_id)
            exists = session.scalar(select(_table.c.id).where(_table.c.key == key))
            session.rollback()
            if exists is not None and not claim(session.get_bind().engine, key):
                continue
            refresh(session, period, opd_id, today)
            done += 1
    return done
