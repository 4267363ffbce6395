"""Start sending once the step that queued messages has committed, never inside the request.

``outbox.enqueue`` marks the session; when it commits, one "send the outbox" job goes to RQ
(``NOTIFY_QUEUE``, with ``REDIS_URL``) or to one background thread of this process (the
embedded default). A job not started (Redis down, a process stopped) only delays: the next
commit, ``procure notify send`` (cron) or the next job sends what is due.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from procure.extensions import db
from procure.notify.outbox import QUEUED

log = logging.getLogger(__name__)
JOB_ID = "procure-notify-send"


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.in_nested_transaction() or not session.info.pop(QUEUED, None):
        return
    if has_app_context() and current_app.config.get("NOTIFY_AFTER_COMMIT"):
        kick(current_app._get_current_object())  # type: ignore[attr-defined]


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(QUEUED, None)


def kick(app: Flask) -> str | None:
    """Have the outbox sent soon: "rq", "thread", or None (a thread already runs: it goes on)."""
    if app.config.get("REDIS_URL") and _enqueue(app.config):
        return "rq"
    return _start_thread(app)


def _enqueue(config: Any) -> bool:
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue
    from rq.job import Job, JobStatus

    try:
        queue = Queue(config["NOTIFY_QUEUE"], connection=Redis.from_url(config["REDIS_URL"]))
        # Two slots: one job may run while one waits behind it; a waiting job sends
        # everything due when it runs, so a third is never needed.
        for job_id in (JOB_ID, f"{JOB_ID}-2"):
            try:
                status = Job.fetch(job_id, connection=queue.connection).get_status()
            except Exception:  # noqa: BLE001 - no such job (done and expired, or never queued)
                status = None
            if status in (JobStatus.QUEUED, JobStatus.DEFERRED):
                return True
            if status == JobStatus.STARTED:
                continue
            queue.enqueue(
                "procure.notify.worker_job.send_job",
                job_id=job_id,
                result_ttl=60,
                failure_ttl=24 * 3600,
            )
            return True
    except RedisError:
        log.exception("Redis tidak bisa dihubungi; pesan dikirim oleh proses ini.")
        return False
    return True


_lock = threading.Lock()
_state = {"running": False, "again": False}
_threads: list[threading.Thread] = []


def _start_thread(app: Flask) -> str | None:
    with _lock:
        if _state["running"]:
            _state["again"] = True  # the running thread makes one more round
            return None
        _state["running"] = True
        _state["again"] = False
        thread = threading.Thread(target=_in_thread, args=(app,), name="notify-send", daemon=True)
        _threads[:] = [t for t in _threads if t.is_alive()]
        _threads.append(thread)
    thread.start()
    return "thread"


def _in_thread(app: Flask) -> None:
    from procure.notify.dispatch import send_pending

    try:
        while True:
            with app.app_context():
                try:
                    send_pending(db.session, app.config)
                except Exception:  # noqa: BLE001 - logged; cron or the next commit sends them
                    log.exception("Pengiriman pesan dari outbox gagal.")
                finally:
                    db.session.remove()
            with _lock:
                if not _state["again"]:
                    _state["running"] = False
                    return
                _state["again"] = False
    except BaseException:
        with _lock:
            _state["running"] = False
        raise


def wait_for_threads(timeout: float = 60.0) -> None:
    """Join the sending threads of this process (tests)."""
    for thread in list(_threads):
        thread.join(timeout)
