"""The RQ job that runs one omzet import.

Queued by name (``procure.omzet.imports.jobs``), so nothing in the app imports this module: it
is an entry point, like the CLI, and runs in the worker's app (``procure.worker_job.in_app``).
In the app process (no Redis) the import runs in a thread of the app that started it instead
(``jobs.start``).
"""

from __future__ import annotations

import functools

from procure.omzet.imports.jobs import run
from procure.worker_job import in_app


def run_job(job_id: int) -> str:
    """The RQ job: run one import job. Returns its final status."""
    return in_app(functools.partial(run, job_id))
