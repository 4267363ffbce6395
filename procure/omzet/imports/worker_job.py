"""The RQ job that runs one omzet import, and the app it runs in outside the web process.

Queued by name (``procure.omzet.imports.jobs``), so nothing in the app imports this module: it
is an entry point, like the CLI, and may build the app (``procure.app.create_app``) without
closing an import cycle through it. In the app process (no Redis) the import runs in a thread
of the app that started it instead (``jobs.start``).
"""

from __future__ import annotations

from flask import Flask, has_app_context

from procure.extensions import db
from procure.omzet.imports.jobs import run

_worker_app: Flask | None = None


def run_job(job_id: int) -> str:
    """The RQ job: run one import job. Returns its final status."""
    if has_app_context():
        return run(job_id)
    global _worker_app
    if _worker_app is None:
        from procure.app import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        try:
            return run(job_id)
        finally:
            db.session.remove()
