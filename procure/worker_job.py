"""The app an RQ job runs in outside the web process.

The jobs are queued by name (``procure.<package>.worker_job``), so nothing in the app imports
them or this module: they are entry points, like the CLI, and may build the app
(``procure.app.create_app``) without closing an import cycle through it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, has_app_context

from procure.extensions import db

T = TypeVar("T")

_worker_app: Flask | None = None


def in_app(call: Callable[[], T]) -> T:
    """``call()`` in the app context it is already in (``procure worker``, a test), else in
    one built once per worker process, its session removed afterwards."""
    if has_app_context():
        return call()
    global _worker_app
    if _worker_app is None:
        from procure.app import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        try:
            return call()
        finally:
            db.session.remove()
