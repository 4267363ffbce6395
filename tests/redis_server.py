"""The Redis the RQ tests use: TEST_REDIS_URL (default database 15 on localhost).

Like PostgreSQL, Redis is required in a run that requires PostgreSQL (CI): unreachable there
fails the test; in a SQLite-only run on a laptop (PROCURE_TEST_POSTGRES=0) it skips it.
"""

from __future__ import annotations

import os

import pytest


def _for_this_worker(url: str) -> str:
    """Each pytest-xdist worker (gw0, gw1, ...) its own database, counting down from the one
    given (15, 14, ...): queues and job ids never meet across workers."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    base, _, number = url.rpartition("/")
    return f"{base}/{int(number or 0) - int(worker[2:])}"


def redis_url_or_skip() -> str:
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    url = _for_this_worker(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    try:
        connection = Redis.from_url(url)
        connection.ping()
    except RedisDown:
        if os.environ.get("PROCURE_TEST_POSTGRES", "") not in ("", "0"):
            pytest.fail(f"Redis was expected at {url} (CI) but is unreachable")
        pytest.skip(f"no Redis at {url}")
    # Document job ids follow document ids, which start again in every test database: a job
    # left waiting by an interrupted run would make enqueue skip this run's document as queued.
    for key in connection.scan_iter("rq:job:procure-document-*"):
        connection.delete(key)
    return url
