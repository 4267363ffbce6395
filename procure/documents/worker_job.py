"""The RQ job that renders one document.

Queued by name (``procure.documents.jobs.enqueue``), so nothing in the app imports this module:
it is an entry point, like the CLI, and runs in the worker's app (``procure.worker_job.in_app``).
"""

from __future__ import annotations

import functools

from flask import current_app

from procure.documents.issuing import render_stored
from procure.edge import commit_or_rollback
from procure.extensions import db
from procure.worker_job import in_app


def render_job(document_id: int) -> bool:
    """Render and store one document's PDF. Returns whether a file exists now."""
    return in_app(functools.partial(_render_job, document_id))


def _render_job(document_id: int) -> bool:
    render = functools.partial(render_stored, db.session, document_id, current_app.config)
    file = commit_or_rollback(render)
    return file is not None
