"""Figures kept per process for a short while, dropped at once by a change made here.

Some list pages show a summary that reads tens of thousands of rows (the compliance counts
over 100,000 UMKM, an OPD's days from handover to payment over a year of orders) but changes
only with a few kinds of records. A ``Kept`` holds such figures per app and per key for a TTL
read from the app's config (``ttl_setting``; default ``default_ttl`` seconds, 0 under
``TESTING``: the test suite swaps the database under one app between tests, which no flush
reports). A flush through this process that adds, edits or deletes a watched model drops
every key at once (and again at its commit or rollback: figures read between the flush and
the commit may hold the other state); the other worker processes see a change within the
TTL. The rows of a list are always read live.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

T = TypeVar("T")
MAX_KEYS = 500  # filter combinations: a few hundred at most; never grow without bound


@dataclass(frozen=True)
class _Entry(Generic[T]):
    value: T
    generation: int
    read_at: float


class Kept(Generic[T]):
    def __init__(
        self, name: str, watched: tuple[type, ...], ttl_setting: str, default_ttl: float
    ) -> None:
        self.name = name
        self.extension_key = f"procure.kept.{name}"
        self.watched = watched
        self.ttl_setting = ttl_setting
        self.default_ttl = default_ttl
        self._generation = 0
        self._lock = threading.Lock()
        event.listen(Session, "after_flush", self._after_flush)
        event.listen(Session, "after_commit", self._after_end)
        event.listen(Session, "after_soft_rollback", self._after_end)

    def ttl(self) -> float:
        default = 0.0 if current_app.testing else self.default_ttl
        return float(current_app.config.get(self.ttl_setting, default))

    def get(self, key: Hashable, read: Callable[[], T]) -> T:
        """The kept value of ``key``, or ``read()`` (kept) when missing, stale or changed."""
        ttl = self.ttl()
        if ttl <= 0:
            return read()
        entries: dict[Hashable, _Entry[T]] = current_app.extensions.setdefault(
            self.extension_key, {}
        )
        found = entries.get(key)
        now = time.monotonic()
        fresh = found is not None and now - found.read_at < ttl
        if found is not None and fresh and found.generation == self._generation:
            return found.value
        generation = self._generation  # taken before reading: a change meanwhile is stale
        value = read()
        if len(entries) >= MAX_KEYS:
            entries.clear()
        entries[key] = _Entry(value, generation, now)
        return value

    def forget(self) -> None:
        """Drop the kept values of every app of this process."""
        with self._lock:
            self._generation += 1

    def _after_flush(self, session: Session, _context: Any) -> None:
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, self.watched):
                self.forget()
                session.info[self.extension_key] = True
                return

    def _after_end(self, session: Session, *_args: Any) -> None:
        if session.info.pop(self.extension_key, False):
            self.forget()
