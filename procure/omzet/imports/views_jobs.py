"""Admin pages of large omzet imports run as jobs (see ``jobs``): the progress page,
which refreshes itself without JavaScript, its errors as CSV, and running a stored file again
(the import after a check, or a run stopped by a restart)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import flask
import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from procure import extensions
from procure.db import utcnow
from procure.edge import attempt
from procure.omzet.blueprint import bp
from procure.omzet.imports import jobs as import_jobs
from procure.omzet.imports.rules import RowError
from procure.omzet.models import ImportJobStatus, OmzetImportJob
from procure.web import roles_required

RECENT_JOBS = 10
REFRESH_SECONDS = 2
# A running job whose progress has not moved for this long was most likely stopped by a
# restart of its process (nothing was written: the transaction died with it).
STALE_AFTER = dt.timedelta(minutes=15)

STATUS_LABELS = {
    ImportJobStatus.QUEUED: "menunggu giliran",
    ImportJobStatus.RUNNING: "sedang berjalan",
    ImportJobStatus.DONE: "selesai",
    ImportJobStatus.FAILED: "gagal",
}


def recent_jobs(session: Session) -> list[dict[str, Any]]:
    jobs = session.scalars(
        sa.select(OmzetImportJob)
        .order_by(OmzetImportJob.created_at.desc(), OmzetImportJob.id.desc())
        .limit(RECENT_JOBS)
    )
    return [_summary(job) for job in jobs]


def _summary(job: OmzetImportJob) -> dict[str, Any]:
    waiting = job.status in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)
    if job.status == ImportJobStatus.DONE:
        if job.error_count:
            outcome = "ditolak: ada kesalahan"
        elif job.dry_run:
            outcome = "lolos pemeriksaan"
        else:
            outcome = "tersimpan"
    else:
        outcome = STATUS_LABELS[job.status]
    return {
        "id": job.id,
        "file_name": job.file_name,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "dry_run": job.dry_run,
        "status": job.status,
        "outcome": outcome,
        "waiting": waiting,
        "stale": waiting and utcnow() - job.updated_at > STALE_AFTER,
        "rows_total": job.rows_total,
        "rows_done": job.rows_done,
        "percent": int(100 * job.rows_done / job.rows_total) if job.rows_total else 0,
        "created": job.created_count,
        "revised": job.revised_count,
        "unchanged": job.unchanged_count,
        "error_count": job.error_count,
        "failure": job.failure,
        "size_kb": max(job.size // 1024, 1),
    }


def _job_or_404(job_id: int) -> OmzetImportJob:
    return extensions.db.get_or_404(OmzetImportJob, job_id)


@bp.get("/impor/<int:job_id>")
@roles_required("admin")
def import_job(job_id: int) -> str:
    job = _job_or_404(job_id)
    summary = _summary(job)
    errors = [RowError(row, column, message) for row, column, message in job.errors_shown or []]
    return flask.render_template(
        "omzet/import_job.html",
        job=summary,
        errors=errors,
        hidden_errors=max(job.error_count - len(errors), 0),
        refresh=REFRESH_SECONDS if summary["waiting"] and not summary["stale"] else None,
        jobs=recent_jobs(extensions.db.session),
    )


@bp.get("/impor/<int:job_id>/kesalahan.csv")
@roles_required("admin")
def import_job_errors(job_id: int) -> flask.Response:
    job = _job_or_404(job_id)
    return flask.Response(
        import_jobs.errors_file(job),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="kesalahan-impor-omzet-{job.id}.csv"'
        },
    )


@bp.post("/impor/<int:job_id>/jalankan")
@roles_required("admin")
def import_job_rerun(job_id: int) -> Response:
    """Run the job's stored file again as a new job: "Impor sekarang" after a passing check
    (``dry_run`` off), or a check or import that a restart stopped."""
    job = _job_or_404(job_id)
    summary = _summary(job)
    if summary["waiting"] and not summary["stale"]:
        flask.flash("Impor ini masih berjalan; tunggu sampai selesai.", "warning")
        return flask.redirect(flask.url_for("omzet.import_job", job_id=job.id))
    dry_run = flask.request.form.get("dry_run") == "y"
    data, file_name = job.data, job.file_name
    outcome = attempt(
        lambda: import_jobs.create_job(
            extensions.db.session, data, file_name, actor_id=current_user.id, dry_run=dry_run
        )
    )
    if outcome.value is None:
        flask.flash(outcome.error or "", "danger")
        return flask.redirect(flask.url_for("omzet.import_job", job_id=job_id))
    again = outcome.value
    import_jobs.start(again.id, flask.current_app._get_current_object())  # type: ignore[attr-defined]
    return flask.redirect(flask.url_for("omzet.import_job", job_id=again.id))
