"""Render issued documents after their numbers are committed: RQ on Redis, or in-process.

With ``REDIS_URL`` set, each new document becomes an RQ job on ``DOCUMENT_QUEUE``, taken by
any ``procure worker`` (several processes, on several machines if need be; each renders in a
warm process). Without it (the embedded default, tests) the app renders in the request that
committed, after the commit. Either way a page that finds no file yet says "sedang dibuat"
and asks again (``ensure_rendering``), so a lost job only delays a PDF.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Iterable
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from procure.documents.issuing import TO_RENDER, render_stored
from procure.edge import commit_or_rollback
from procure.extensions import db

log = logging.getLogger(__name__)
READY = "procure.documents.ready"


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    """Numbers are committed: their documents may now be rendered."""
    if session.in_nested_transaction():
        return  # a SAVEPOINT released (the numbering's retry), not the real commit
    ids = session.info.pop(TO_RENDER, None)
    if ids:
        session.info.setdefault(READY, []).extend(ids)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    # Documents of a rolled-back transaction were never issued (a savepoint rolled back by the
    # numbering's retry is not that: the documents before it stand).
    if session.in_nested_transaction():
        return
    session.info.pop(TO_RENDER, None)


def _queue(config: Any) -> Any:
    from redis import Redis
    from rq import Queue

    return Queue(config["DOCUMENT_QUEUE"], connection=Redis.from_url(config["REDIS_URL"]))


def _job_id(document_id: int) -> str:
    return f"procure-document-{document_id}"


def enqueue(document_ids: Iterable[int], config: Any) -> bool:
    """Hand documents to the RQ workers, one job each; a document whose job is still waiting
    or running is not queued twice. Returns False (and logs) when Redis cannot be reached:
    the step that issued them is committed, and opening the document queues it again."""
    from redis.exceptions import RedisError
    from rq.job import Job, JobStatus

    try:
        queue = _queue(config)
        for document_id in document_ids:
            try:
                status = Job.fetch(_job_id(document_id), connection=queue.connection).get_status()
            except Exception:  # noqa: BLE001 - no such job (expired or never queued)
                status = None
            if status in (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED):
                continue
            queue.enqueue(
                "procure.documents.worker_job.render_job",
                document_id,
                job_id=_job_id(document_id),
                result_ttl=3600,
                failure_ttl=7 * 24 * 3600,
            )
    except RedisError:
        log.exception("Redis tidak bisa dihubungi; dokumen %s menunggu.", list(document_ids))
        return False
    return True


def render_now(session: Session, document_ids: Iterable[int]) -> None:
    """Render in this process, one commit per document; a failure is logged, not raised."""
    for document_id in document_ids:
        try:
            render = functools.partial(render_stored, session, document_id, current_app.config)
            commit_or_rollback(render, session)
        except Exception:
            log.exception("Dokumen %s gagal dibuat; dicoba lagi saat dibuka.", document_id)


def dispatch(session: Session | None = None) -> None:
    """After a commit: send the committed new documents to the queue, or render them here."""
    session = session or db.session
    ids = session.info.pop(READY, None)
    if not ids:
        return
    if current_app.config.get("REDIS_URL"):
        enqueue(ids, current_app.config)
    else:
        render_now(session, ids)


# In-process: when a document was last tried here, so that a render that keeps failing is not
# retried on every 3-second refresh of its "sedang dibuat" page (per process; a restart or
# ``procure render-documents`` tries again at once).
RETRY_SECONDS = 60.0
# Keyed by the document's public id: unlike a row id it is never reused.
_last_try: dict[str, float] = {}


def ensure_rendering(document_id: int, public_id: str) -> None:
    """A page found no PDF yet: render it now (in-process) or (re)queue it (RQ)."""
    if current_app.config.get("REDIS_URL"):
        enqueue([document_id], current_app.config)
        return
    now = time.monotonic()
    if now - _last_try.get(public_id, -RETRY_SECONDS) < RETRY_SECONDS:
        return
    _last_try[public_id] = now
    render_now(db.session, [document_id])


def after_response(app: Flask) -> bool:
    """In-process rendering after the response is sent (the officer waits for the answer, not
    for the PDFs: a decision issues several documents of about a second each). Under
    ``TESTING`` the app renders before the response by default, since a test client does not
    close responses as a server does; ``DOCUMENTS_RENDER_AFTER_RESPONSE`` says otherwise."""
    return bool(app.config.get("DOCUMENTS_RENDER_AFTER_RESPONSE", not app.testing))


def init_app(app: Flask) -> None:
    """Dispatch the documents a request committed, once the response is ready: queued (RQ),
    or rendered in-process once the server has sent the response (``call_on_close``)."""

    @app.after_request
    def _dispatch(response: Any) -> Any:
        if current_app.config.get("REDIS_URL") or not after_response(app):
            dispatch()
            return response
        ids = db.session.info.pop(READY, None)
        if ids:

            def _render() -> None:
                with app.app_context():
                    render_now(db.session, ids)

            response.call_on_close(_render)
        return response
