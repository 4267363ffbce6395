"""What the page benchmarks share: the account a role is measured as, the timings of repeated
requests, and the statements of one request with their times.

Imported by ``benchmarks/homes.py``, ``benchmarks/lists.py`` and ``benchmarks/dashboard.py``
after their path fix (a checkout runs as is).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, func, select

from procure.auth.models import Role, User
from procure.extensions import db
from procure.procurement.models import PurchaseOrder, PurchaseRequest


def user_for(role: Role) -> User | None:
    """The account a role's pages are measured as: the officer of the OPD with the most orders,
    the owner of the UMKM with the most orders; else the first enabled user of the role."""
    stmt = select(User).where(User.role == role.value, User.is_enabled.is_(True))
    if role is Role.OPD:
        busiest = (
            select(PurchaseRequest.opd_id)
            .join(PurchaseOrder, PurchaseOrder.request_id == PurchaseRequest.id)
            .group_by(PurchaseRequest.opd_id)
            .order_by(func.count().desc())
            .limit(1)
            .scalar_subquery()
        )
        found = db.session.scalar(stmt.where(User.opd_id == busiest).limit(1))
        if found is not None:
            return found
    if role is Role.UMKM:
        counts = (
            select(PurchaseOrder.umkm_id, func.count().label("n"))
            .group_by(PurchaseOrder.umkm_id)
            .subquery()
        )
        found = db.session.scalar(
            stmt.outerjoin(counts, counts.c.umkm_id == User.umkm_id)
            .order_by(func.coalesce(counts.c.n, 0).desc(), User.id)
            .limit(1)
        )
        if found is not None:
            return found
    return db.session.scalar(stmt.order_by(User.id).limit(1))


def timed(action: Callable[[], Any], repeat: int, warmup: int) -> list[float]:
    """Milliseconds of ``repeat`` calls of ``action``, after ``warmup`` unmeasured ones."""
    for _ in range(warmup):
        action()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def query_times(action: Callable[[], Any], explain: bool = False, width: int = 150) -> list[str]:
    """Each statement of one call of ``action`` with its time, slowest first (the first
    ``width`` characters of each); ``explain`` adds PostgreSQL's plans of the three slowest."""
    found: list[tuple[float, str, Any]] = []
    engine = db.engine

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info["started"] = time.perf_counter()

    def after(conn: Any, cursor: Any, statement: str, params: Any, *args: Any) -> None:
        found.append(((time.perf_counter() - conn.info["started"]) * 1000, statement, params))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
        db.session.rollback()
    found.sort(key=lambda f: -f[0])
    lines = [f"    {ms:7.1f} ms  {' '.join(s.split())[:width]}" for ms, s, _ in found]
    if explain and engine.dialect.name == "postgresql":
        for _, statement, params in found[:3]:
            with engine.connect() as conn:
                raw = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                lines += ["", *("      " + r[0] for r in raw)]
    return lines
