"""Work done at the same moment by several processes (each a thread with its own session), for
the tests that show PostgreSQL's locks keep numbers and payments right."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from procure.extensions import db

T = TypeVar("T")


def at_once(
    work: Callable[[Session, T, Callable[[], object]], None],
    items: Sequence[T],
    *,
    timeout: float = 120,
) -> None:
    """Run ``work(session, item, ready)`` for every item, each in its own thread and session;
    ``ready()`` waits until every thread has reached it, so the contested step starts together.
    An exception in a thread is rolled back and fails the test, with every such exception."""
    make_session: Callable[[], Session] = sessionmaker(bind=db.engine, expire_on_commit=False)
    barrier = threading.Barrier(len(items), timeout=30)
    errors: list[BaseException] = []

    def run(item: T) -> None:
        session = make_session()
        try:
            work(session, item, barrier.wait)
        except BaseException as exc:  # noqa: BLE001 - reported below, the test fails on it
            session.rollback()
            errors.append(exc)
        finally:
            session.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert errors == [], errors
