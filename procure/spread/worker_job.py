"""The RQ jobs of the spread package: a what-if replay (queued by ``procure.spread.whatif_jobs``)
and a stored report's refresh (queued by ``procure.spread.store``).

Queued by name, so nothing in the app imports this module: it is an entry point, like the CLI,
and runs in the worker's app (``procure.worker_job.in_app``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from procure.allocation.records import Settings
from procure.extensions import db
from procure.spread.periods import ReportPeriod
from procure.spread.whatif import Outcome, run_whatif
from procure.spread.whatif_rules import Scenario
from procure.worker_job import in_app


def run_job(period: ReportPeriod, scenarios: Sequence[Scenario], base: Settings) -> Outcome:
    """The RQ job: replay and return the outcome; progress goes to the job's meta."""
    from rq import get_current_job

    job = get_current_job()

    def progress(done: int, total: int) -> None:
        if job is not None:
            job.meta.update(done=done, total=total)
            job.save_meta()

    return in_app(lambda: run_whatif(db.engine, period, scenarios, base, progress))


def refresh_report(kind: str, start: str, end: str, opd_id: int | None, today: dt.date) -> None:
    """The RQ job: rebuild one stored pemerataan report."""
    from procure.spread.store import refresh_queued

    in_app(lambda: refresh_queued(kind, start, end, opd_id, today))
