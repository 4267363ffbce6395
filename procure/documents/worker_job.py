"""The RQ job that renders one document, and the app it runs in outside ``procure worker``.

Queued by name (``procure.documents.jobs.enqueue``), so nothing in the app imports this module:
it is an entry point, like the CLI, and may build the app (``procure.app.create_app``) without
closing an import cycle through it.
"""

from __future__ import annotations

import functools

from flask import Flask, has_app_context

from procure.documents.issuing import render_stored
from procure.edge import commit_or_rollback
from procure.extensions import db

_worker_app: Flask | None = None


def render_job(document_id: int) -> bool:
    """Render and store one document's PDF. Returns whether a file exists now."""
    if has_app_context():
        return _render_job(document_id)
    global _worker_app
    if _worker_app is None:
        from procure.app import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        return _render_job(document_id)


def _render_job(document_id: int) -> bool:
    file = commit_or_rollback(functools.partial(render_stored, db.session, document_id))
    return file is not None
