"""What-if replays as background jobs, with progress. A replay writes nothing, so a job has no
row in the database: its state lives where it runs.

- ``REDIS_URL`` set: an RQ job on ``WHATIF_QUEUE`` (taken by ``procure worker``); progress in
  the job's ``meta``, the outcome as its result (kept ``RESULT_TTL`` seconds). Every app server
  sees it: several app servers need Redis.
- No Redis: a thread of this app process, its state in an in-memory registry of this process
  (only the server that started a job can show it). A short replay (``runs_in_request``) is
  computed in the request itself and stored in the same registry.

Every path calls ``whatif.run_whatif``. The job id is derived from the inputs (period and
scenarios): a second click while the first replay of the same inputs waits or runs finds that
job instead of starting another.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from flask import Flask

from procure.allocation.records import Settings
from procure.extensions import db
from procure.spread.periods import ReportPeriod
from procure.spread.whatif import Outcome, run_whatif
from procure.spread.whatif_rules import Scenario, inputs_key, runs_in_request

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
RESULT_TTL = 24 * 3600
KEPT_IN_MEMORY = 50  # finished jobs the in-process registry remembers
JOB_ID = re.compile(r"^whatif-[0-9a-f]{24}(-\d{1,9})?$")
FAILURE = (
    "Simulasi berhenti karena kesalahan di server; tidak ada yang berubah. Jalankan ulang; bila "
    "terulang, hubungi pengelola aplikasi."
)


@dataclass(frozen=True)
class JobView:
    """What the progress page shows of one job."""

    id: str
    status: str
    done: int
    total: int
    period_label: str
    labels: tuple[str, ...]  # the scenarios
    outcome: Outcome | None = None
    failure: str = ""

    @property
    def waiting(self) -> bool:
        return self.status in (QUEUED, RUNNING)

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.done / self.total)) if self.total else 0


# -- in this process ------------------------------------------------------------------------

_lock = threading.Lock()
_jobs: OrderedDict[str, JobView] = OrderedDict()
_running: dict[str, str] = {}  # inputs key -> job id, while it waits or runs
_numbers = itertools.count(1)
_threads: list[threading.Thread] = []


def _put(job: JobView) -> None:
    with _lock:
        _jobs[job.id] = job
        _jobs.move_to_end(job.id)
        while len(_jobs) > KEPT_IN_MEMORY:
            oldest = next(iter(_jobs))
            if _jobs[oldest].waiting:
                break
            del _jobs[oldest]


def _update(job_id: str, **changes: Any) -> None:
    with _lock:
        job = _jobs.get(job_id)
        if job is not None:
            _jobs[job_id] = replace(job, **changes)


def wait_for_threads(timeout: float = 120.0) -> None:
    """Join the replay threads started here (tests, and a clean shutdown)."""
    for thread in list(_threads):
        thread.join(timeout)


def forget() -> None:
    """Empty the in-process registry (tests)."""
    with _lock:
        _jobs.clear()
        _running.clear()


# -- starting -------------------------------------------------------------------------------


def start(
    app: Flask,
    period: ReportPeriod,
    scenarios: Sequence[Scenario],
    base: Settings,
    request_count: int,
) -> tuple[str, str]:
    """Start (or find) the replay of these inputs. Returns (job id, how: ``"rq"``,
    ``"thread"``, ``"request"`` or ``"running"`` when the same replay was already under way)."""
    key = inputs_key(str(period), scenarios)
    labels = tuple(s.label for s in scenarios)
    total = request_count * (len(scenarios) + 1)
    if app.config.get("REDIS_URL"):
        found = _enqueue(app.config, key, period, tuple(scenarios), base, labels, total)
        if found is not None:
            return found
    with _lock:
        running = _running.get(key)
        if running is not None and running in _jobs and _jobs[running].waiting:
            return running, "running"
        job_id = f"whatif-{key}-{next(_numbers)}"
        _running[key] = job_id
    _put(JobView(job_id, QUEUED, 0, total, period.label, labels))
    if runs_in_request(request_count, len(scenarios)):
        _run_here(job_id, key, period, tuple(scenarios), base)
        return job_id, "request"
    thread = threading.Thread(
        target=_in_thread,
        args=(app, job_id, key, period, tuple(scenarios), base),
        name=job_id,
        daemon=True,
    )
    _threads[:] = [t for t in _threads if t.is_alive()]
    _threads.append(thread)
    thread.start()
    return job_id, "thread"


def _in_thread(
    app: Flask,
    job_id: str,
    key: str,
    period: ReportPeriod,
    scenarios: tuple[Scenario, ...],
    base: Settings,
) -> None:
    with app.app_context():
        try:
            _run_here(job_id, key, period, scenarios, base)
        finally:
            db.session.remove()


def _run_here(
    job_id: str,
    key: str,
    period: ReportPeriod,
    scenarios: tuple[Scenario, ...],
    base: Settings,
) -> None:
    _update(job_id, status=RUNNING)

    def progress(done: int, total: int) -> None:
        _update(job_id, done=done, total=total)

    try:
        outcome = run_whatif(db.engine, period, scenarios, base, progress)
    except Exception:  # noqa: BLE001 - logged and shown on the job's page; no caller to tell
        log.exception("Simulasi %s gagal.", job_id)
        _update(job_id, status=FAILED, failure=FAILURE)
    else:
        _update(job_id, status=DONE, outcome=outcome)
    finally:
        with _lock:
            if _running.get(key) == job_id:
                del _running[key]


# -- RQ -------------------------------------------------------------------------------------


def _queue(config: Any) -> Any:
    from redis import Redis
    from rq import Queue

    return Queue(config["WHATIF_QUEUE"], connection=Redis.from_url(config["REDIS_URL"]))


def _enqueue(
    config: Any,
    key: str,
    period: ReportPeriod,
    scenarios: tuple[Scenario, ...],
    base: Settings,
    labels: tuple[str, ...],
    total: int,
) -> tuple[str, str] | None:
    """The RQ job of these inputs, queued unless it already waits or runs; None when Redis
    cannot be reached (the replay then runs in this process)."""
    from redis.exceptions import RedisError
    from rq.job import Job, JobStatus

    job_id = f"whatif-{key}"
    try:
        queue = _queue(config)
        try:
            status = Job.fetch(job_id, connection=queue.connection).get_status()
        except Exception:  # noqa: BLE001 - no such job (expired or never queued)
            status = None
        if status in (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED):
            return job_id, "running"
        queue.enqueue(
            "procure.spread.worker_job.run_job",
            period,
            scenarios,
            base,
            job_id=job_id,
            meta={"done": 0, "total": total, "period": period.label, "labels": labels},
            job_timeout=3600,
            result_ttl=RESULT_TTL,
            failure_ttl=RESULT_TTL,
        )
    except RedisError:
        log.exception("Redis tidak bisa dihubungi; simulasi dijalankan di proses ini.")
        return None
    return job_id, "rq"


def _from_rq(config: Any, job_id: str) -> JobView | None:
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    try:
        queue = _queue(config)
        job = Job.fetch(job_id, connection=queue.connection)
        status = job.get_status()
    except (NoSuchJobError, RedisError):
        return None
    meta = job.meta
    state = {
        JobStatus.FINISHED: DONE,
        JobStatus.FAILED: FAILED,
        JobStatus.STARTED: RUNNING,
    }.get(status, QUEUED if status != JobStatus.CANCELED else FAILED)
    outcome = job.return_value() if state == DONE else None
    return JobView(
        id=job_id,
        status=state,
        done=int(meta.get("done", 0)),
        total=int(meta.get("total", 0)),
        period_label=str(meta.get("period", "")),
        labels=tuple(meta.get("labels", ())),
        outcome=outcome,
        failure=FAILURE if state == FAILED else "",
    )


def find(config: Any, job_id: str) -> JobView | None:
    """The job of this id (RQ or this process); None when there is none (or it expired)."""
    if not JOB_ID.match(job_id):
        return None
    if config.get("REDIS_URL") and "-" not in job_id[len("whatif-") :]:
        found = _from_rq(config, job_id)
        if found is not None:
            return found
    with _lock:
        return _jobs.get(job_id)
