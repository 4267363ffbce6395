"""Large omzet imports as jobs: the request stores the file and answers at once; the import
runs in an RQ worker (``REDIS_URL`` set: queue ``OMZET_IMPORT_QUEUE``, taken by
``procure worker``) or, without Redis, in a thread of the app process with its own app context.

The job runs the same ``import_omzet`` as the page and the CLI, in one transaction: the rows
and ``status = done`` are committed together, so a job writes every row or none. Progress
(rows checked) is written on a connection of its own as the check goes, so the admin's page
sees it while the import's transaction is still open.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import threading
from typing import Any

from flask import Flask, current_app
from sqlalchemy import update
from sqlalchemy.orm import Session

from procure.clock import today_in_jakarta
from procure.db import utcnow
from procure.extensions import db
from procure.omzet.imports.bounds import check_csv_header, check_xlsx, estimate_rows
from procure.omzet.imports.importer import (
    ImportConflict,
    ImportResult,
    ImportSettings,
    import_omzet,
)
from procure.omzet.imports.rules import (
    ERRORS_SHOWN,
    RowError,
    decode_text,
    errors_csv,
    pick_separator,
    size_message,
    sniff_format,
)
from procure.omzet.imports.table import FileRefused
from procure.omzet.models import ImportJobStatus, OmzetImportJob
from procure.umkm.rules import RuleError

log = logging.getLogger(__name__)

SERVER_ERROR = (
    "Impor berhenti karena kesalahan di server; tidak ada yang disimpan. Jalankan ulang; bila "
    "terulang, hubungi pengelola aplikasi."
)


def measure(data: bytes, settings: ImportSettings) -> int:
    """The file's rows, about (an XLSX's last row with a value, a CSV's lines), after the
    checks that need no parsing; FileRefused when the file is beyond the limits."""
    if len(data) > settings.max_bytes:
        raise FileRefused(RowError(0, "", size_message(len(data), settings.max_bytes)))
    try:
        if sniff_format(data) == "xlsx":
            return check_xlsx(data, settings.limits)
        text = decode_text(data)
        check_csv_header(text, pick_separator(text), settings.limits)
    except RuleError as exc:
        raise FileRefused(RowError(0, "", str(exc))) from exc
    return estimate_rows(data)  # the reader's row cap and the full check follow


def create_job(
    session: Session, data: bytes, file_name: str, *, actor_id: int | None, dry_run: bool
) -> OmzetImportJob:
    """A queued job holding the file; flushed, not committed. Start it after the commit."""
    job = OmzetImportJob(
        actor_id=actor_id,
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        data=data,
        dry_run=dry_run,
        status=ImportJobStatus.QUEUED,
    )
    session.add(job)
    session.flush()
    return job


# -- starting -----------------------------------------------------------------------------------

_threads: list[threading.Thread] = []


def start(job_id: int, app: Flask) -> str:
    """Hand a committed job to RQ, or to a thread here when there is no Redis (or it is
    down: the admin's import must not wait for it). Returns ``"rq"`` or ``"thread"``."""
    if app.config.get("REDIS_URL") and _enqueue(job_id, app.config):
        return "rq"
    thread = threading.Thread(
        target=_in_thread, args=(app, job_id), name=f"omzet-import-{job_id}", daemon=True
    )
    _threads[:] = [t for t in _threads if t.is_alive()]
    _threads.append(thread)
    thread.start()
    return "thread"


def wait_for_threads(timeout: float = 120.0) -> None:
    """Join the import threads started here (tests, and a clean shutdown)."""
    for thread in list(_threads):
        thread.join(timeout)


def _enqueue(job_id: int, config: Any) -> bool:
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue

    try:
        queue = Queue(config["OMZET_IMPORT_QUEUE"], connection=Redis.from_url(config["REDIS_URL"]))
        queue.enqueue(
            "procure.omzet.imports.worker_job.run_job",
            job_id,
            job_id=f"procure-omzet-import-{job_id}",
            job_timeout=3600,
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
        )
    except RedisError:
        log.exception("Redis tidak bisa dihubungi; impor %s dijalankan di proses ini.", job_id)
        return False
    return True


def _in_thread(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            run(job_id)
        except Exception:  # noqa: BLE001 - logged and stored on the job; a thread has no caller
            log.exception("Impor omzet %s gagal.", job_id)
        finally:
            db.session.remove()


# -- running ------------------------------------------------------------------------------------


def run(job_id: int) -> str:
    session = db.session
    claimed = session.execute(
        update(OmzetImportJob)
        .where(OmzetImportJob.id == job_id, OmzetImportJob.status == ImportJobStatus.QUEUED)
        .values(status=ImportJobStatus.RUNNING, started_at=utcnow(), updated_at=utcnow())
    )
    session.commit()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return "taken"  # another worker has it, or it is finished
    job = session.get(OmzetImportJob, job_id)
    assert job is not None
    try:
        result = import_omzet(
            session,
            job.data,
            job.file_name,
            actor_id=job.actor_id,
            settings=ImportSettings.from_config(current_app.config),
            dry_run=job.dry_run,
            today=today_in_jakarta(),
            progress=_progress(job_id),
        )
    except ImportConflict as exc:
        session.rollback()
        _fail(session, job_id, str(exc))
        return ImportJobStatus.FAILED
    except Exception:
        session.rollback()
        _fail(session, job_id, SERVER_ERROR)
        raise
    if result.import_id is None:
        session.rollback()  # a check or a refused file: nothing was written
    job = session.get(OmzetImportJob, job_id)
    assert job is not None
    _finish(job, result)
    session.commit()  # with the rows, when there are rows: all or nothing
    return ImportJobStatus.DONE


def _progress(job_id: int) -> Any:
    def report(done: int, total: int) -> None:
        with db.engine.begin() as connection:  # its own transaction: visible at once
            connection.execute(
                update(OmzetImportJob)
                .where(OmzetImportJob.id == job_id)
                .values(rows_done=done, rows_total=total, updated_at=utcnow())
            )

    return report


def _finish(job: OmzetImportJob, result: ImportResult) -> None:
    job.status = ImportJobStatus.DONE
    job.rows_total = result.row_count
    job.rows_done = result.row_count
    job.created_count = result.created
    job.revised_count = result.revised
    job.unchanged_count = result.unchanged
    job.import_id = result.import_id
    job.error_count = len(result.errors)
    if result.errors:
        job.errors_shown = [[e.row, e.column, e.message] for e in result.errors[:ERRORS_SHOWN]]
        job.errors_file = gzip.compress(errors_csv(result.errors))
    job.finished_at = job.updated_at = utcnow()


def _fail(session: Session, job_id: int, message: str) -> None:
    session.execute(
        update(OmzetImportJob)
        .where(OmzetImportJob.id == job_id)
        .values(
            status=ImportJobStatus.FAILED,
            failure=message,
            finished_at=utcnow(),
            updated_at=utcnow(),
        )
    )
    session.commit()


def errors_file(job: OmzetImportJob) -> bytes:
    return gzip.decompress(job.errors_file) if job.errors_file else errors_csv([])
