"""Liveness and readiness for the load balancer: ``/healthz`` and ``/readyz``.

``/healthz`` answers while the process can serve a request at all; ``/readyz`` also asks the
database and, when documents are rendered through RQ, Redis. Neither says which version runs
or why a check failed (that goes to the log): the answers are public.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app
from sqlalchemy import text

from procure.extensions import db

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


def _plain(body: str, status: int) -> Response:
    response = Response(body + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz() -> Response:
    return _plain("ok", 200)


def _database_ready() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means not ready; the reason is logged
        log.exception("readyz: database unreachable")
        db.session.rollback()
        return False
    finally:
        db.session.remove()


def _redis_ready(url: str) -> bool:
    from redis import Redis

    try:
        client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        return bool(client.ping())
    except Exception:  # noqa: BLE001 - any failure means not ready; the reason is logged
        log.exception("readyz: Redis unreachable")
        return False


@bp.get("/readyz")
def readyz() -> Response:
    ready = _database_ready()
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        ready = _redis_ready(redis_url) and ready
    return _plain("ok", 200) if ready else _plain("tidak siap", 503)
