"""The RQ job that sends what waits in the outbox.

Queued by name (``procure.notify.jobs``), so nothing in the app imports this module: it is an
entry point, like the CLI, and runs in the worker's app (``procure.worker_job.in_app``).
"""

from __future__ import annotations

from flask import current_app

from procure.extensions import db
from procure.notify.dispatch import send_pending
from procure.worker_job import in_app


def send_job() -> str:
    """Send every due message (one batch); returns the counts, for the job's result."""
    return in_app(lambda: str(send_pending(db.session, current_app.config)))
