"""Large omzet imports as jobs (issue 10, finding 2): the page answers at once, the import runs
in a thread (no Redis) or an RQ worker, the admin follows a page that refreshes itself."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, update

from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.omzet.compliance_rules import reporting_month
from procure.omzet.imports import importer, worker_job
from procure.omzet.imports import jobs as import_jobs
from procure.omzet.models import OmzetImport, OmzetImportJob, OmzetReport
from procure.umkm.models import Umkm
from tests import factories
from tests.omzet_files import far_cell_xlsx
from tests.redis_server import redis_url_or_skip

LONG_AGO = dt.datetime.now(dt.UTC) - dt.timedelta(days=800)


def months(count: int) -> list[str]:
    last = reporting_month(today_in_jakarta())
    return [str(last.shift(-i)) for i in range(count)]


def businesses(count: int) -> list[Umkm]:
    made = [factories.umkm(submitted_at=LONG_AGO) for _ in range(count)]
    db.session.commit()
    return made


def csv_of(rows: list[tuple[str, str, str]]) -> bytes:
    return ("NIB;periode;omzet\n" + "".join(f"{n};{p};{a}\n" for n, p, a in rows)).encode()


def upload(client: FlaskClient, data: bytes, name: str = "omzet.csv", **form: str):  # type: ignore[no-untyped-def]
    payload = {"file": (io.BytesIO(data), name), **form}
    return client.post("/omzet/impor", data=payload, content_type="multipart/form-data")


def report_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(OmzetReport)) or 0


def the_job() -> OmzetImportJob:
    db.session.expire_all()
    return db.session.scalars(select(OmzetImportJob).order_by(OmzetImportJob.id.desc())).first()


@pytest.fixture
def admin(app: Flask, client: FlaskClient, auth):  # type: ignore[no-untyped-def]
    app.config["OMZET_IMPORT_QUEUE_ROWS"] = 5  # a "large" file is one of more than 5 rows
    user = factories.user("admin")
    db.session.commit()
    auth.login(user.email)
    yield user
    import_jobs.wait_for_threads()


def twelve_rows() -> list[tuple[str, str, str]]:
    return [(u.nib, p, "1.500.000") for u in businesses(3) for p in months(4)]


def test_a_large_file_runs_as_a_job_and_its_page_shows_the_result(
    client: FlaskClient,
    admin,  # type: ignore[no-untyped-def]
) -> None:
    response = upload(client, csv_of(twelve_rows()), "besar.csv")
    assert response.status_code == 302
    job = the_job()
    assert response.headers["Location"].endswith(f"/omzet/impor/{job.id}")
    assert (job.file_name, job.dry_run, job.actor_id) == ("besar.csv", False, admin.id)
    import_jobs.wait_for_threads()
    job = the_job()
    assert (job.status, job.rows_done, job.rows_total, job.created_count) == ("done", 12, 12, 12)
    assert job.import_id == db.session.scalar(select(OmzetImport.id))
    assert report_count() == 12
    page = client.get(f"/omzet/impor/{job.id}").get_data(as_text=True)
    assert "Impor besar.csv selesai:" in page and "12 baru" in page
    assert 'http-equiv="refresh"' not in page  # finished: no more refreshing
    listing = client.get("/omzet/impor").get_data(as_text=True)
    assert "Impor besar terakhir" in listing and "besar.csv" in listing and "tersimpan" in listing


def test_a_small_file_is_still_imported_in_the_request(client: FlaskClient, admin) -> None:  # type: ignore[no-untyped-def]
    (umkm,) = businesses(1)
    response = upload(client, csv_of([(umkm.nib, months(1)[0], "1.000")]))
    assert response.status_code == 302 and response.headers["Location"].endswith("/omzet/impor")
    assert the_job() is None and report_count() == 1


def test_a_checked_large_file_is_imported_from_the_stored_copy(
    client: FlaskClient,
    admin,  # type: ignore[no-untyped-def]
) -> None:
    upload(client, csv_of(twelve_rows()), dry_run="y")
    import_jobs.wait_for_threads()
    checked = the_job()
    assert (checked.status, checked.dry_run, checked.created_count) == ("done", True, 12)
    page = client.get(f"/omzet/impor/{checked.id}").get_data(as_text=True)
    assert "lolos pemeriksaan" in page and "Impor sekarang" in page
    assert report_count() == 0
    response = client.post(f"/omzet/impor/{checked.id}/jalankan")  # no upload again
    assert response.status_code == 302
    import_jobs.wait_for_threads()
    applied = the_job()
    assert applied.id != checked.id and not applied.dry_run and applied.status == "done"
    assert applied.sha256 == checked.sha256 and report_count() == 12


def test_errors_are_listed_and_downloadable_and_nothing_is_written(
    client: FlaskClient,
    admin,  # type: ignore[no-untyped-def]
) -> None:
    rows = twelve_rows()
    rows[5] = ("9999999999999", rows[5][1], "1.000")
    rows[9] = (rows[9][0], rows[9][1], "dua juta")
    upload(client, csv_of(rows))
    import_jobs.wait_for_threads()
    job = the_job()
    assert (job.status, job.error_count, job.import_id) == ("done", 2, None)
    assert report_count() == 0  # all or nothing
    page = client.get(f"/omzet/impor/{job.id}").get_data(as_text=True)
    assert "tidak diimpor" in page
    assert '<td data-label="Baris">7</td><td data-label="Kolom">NIB</td>' in page
    download = client.get(f"/omzet/impor/{job.id}/kesalahan.csv")
    assert (
        download.mimetype == "text/csv" and "attachment" in download.headers["Content-Disposition"]
    )
    errors = pd.read_csv(io.BytesIO(download.data), sep=";", dtype=str, encoding="utf-8-sig")
    assert errors["baris"].tolist() == ["7", "11"]
    assert errors["kolom"].tolist() == ["NIB", "omzet"]


def test_the_progress_page_refreshes_itself_while_running(
    client: FlaskClient,
    admin,  # type: ignore[no-untyped-def]
) -> None:
    job = import_jobs.create_job(db.session, b"x", "jalan.csv", actor_id=None, dry_run=False)
    job.status, job.rows_done, job.rows_total = "running", 40_000, 100_000
    db.session.commit()
    page = client.get(f"/omzet/impor/{job.id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Memeriksa baris 40.000 dari 100.000" in page and "40%" in page
    assert "Jalankan ulang" not in page
    # No progress for 20 minutes: the process was most likely restarted; offer to run again.
    stale = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)
    db.session.execute(update(OmzetImportJob).values(updated_at=stale))
    db.session.commit()
    page = client.get(f"/omzet/impor/{job.id}").get_data(as_text=True)
    assert "tampaknya terhenti" in page and "Jalankan ulang" in page
    assert 'http-equiv="refresh"' not in page


def test_progress_is_visible_outside_the_import_transaction(
    app: Flask,
    admin,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each chunk's progress is committed on its own connection while the import's
    transaction is open; the rows themselves appear only with ``done``."""
    monkeypatch.setattr(importer, "VALIDATE_CHUNK", 5)
    data = csv_of(twelve_rows())
    job = import_jobs.create_job(db.session, data, "x.csv", actor_id=None, dry_run=False)
    db.session.commit()
    observer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    seen: list[tuple[int, int, str, int]] = []
    report = import_jobs._progress

    def watching(job_id: int):  # type: ignore[no-untyped-def]
        inner = report(job_id)

        def call(done: int, total: int) -> None:
            inner(done, total)
            with observer.connect() as connection:
                row = connection.execute(
                    select(
                        OmzetImportJob.rows_done, OmzetImportJob.rows_total, OmzetImportJob.status
                    ).where(OmzetImportJob.id == job_id)
                ).one()
                written = connection.scalar(select(func.count()).select_from(OmzetReport))
            seen.append((*row, written))

        return call

    monkeypatch.setattr(import_jobs, "_progress", watching)
    assert worker_job.run_job(job.id) == "done"
    observer.dispose()
    assert seen == [(5, 12, "running", 0), (10, 12, "running", 0), (12, 12, "running", 0)]
    assert report_count() == 12


def test_a_job_that_breaks_is_failed_and_writes_nothing(
    client: FlaskClient,
    admin,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(import_jobs, "import_omzet", broken)
    upload(client, csv_of(twelve_rows()))
    import_jobs.wait_for_threads()
    job = the_job()
    assert job.status == "failed" and "tidak ada yang disimpan" in (job.failure or "")
    page = client.get(f"/omzet/impor/{job.id}").get_data(as_text=True)
    assert "Impor gagal." in page and "Jalankan ulang" in page
    assert report_count() == 0


def test_a_refused_file_is_shown_on_the_page_without_a_job(
    client: FlaskClient,
    admin,  # type: ignore[no-untyped-def]
) -> None:
    response = upload(client, far_cell_xlsx(), "jauh.xlsx")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Berkas jauh.xlsx tidak diimpor." in body and "sampai sel XFD1048576" in body
    assert the_job() is None


def test_the_cli_is_bounded_the_same_way(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "jauh.xlsx"
    path.write_bytes(far_cell_xlsx())
    result = app.test_cli_runner().invoke(args=["import-omzet", str(path)])
    assert result.exit_code == 1
    assert "sampai sel XFD1048576, di luar batas impor" in result.output


def test_with_redis_a_worker_runs_the_import(
    app: Flask,
    client: FlaskClient,
    admin,  # type: ignore[no-untyped-def]
) -> None:
    from redis import Redis
    from rq import Queue, SimpleWorker

    url = redis_url_or_skip()
    app.config.update(REDIS_URL=url, OMZET_IMPORT_QUEUE="procure-test-imports")
    queue = Queue("procure-test-imports", connection=Redis.from_url(url))
    queue.empty()
    response = upload(client, csv_of(twelve_rows()))
    assert response.status_code == 302
    job = the_job()
    assert job.status == "queued" and queue.count == 1  # queued, not run in this process
    page = client.get(f"/omzet/impor/{job.id}").get_data(as_text=True)
    assert "Menunggu giliran" in page and 'http-equiv="refresh"' in page
    SimpleWorker([queue], connection=queue.connection).work(burst=True, with_scheduler=False)
    job = the_job()
    assert (job.status, job.created_count) == ("done", 12)
    assert report_count() == 12


def test_the_worker_listens_to_the_import_queue(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rq

    heard: list[list[str]] = []

    class Worker:
        def __init__(self, queues: list[str], connection: object) -> None:
            heard.append(queues)

        def work(self, burst: bool, with_scheduler: bool) -> None:
            return None

    monkeypatch.setattr(rq, "SimpleWorker", Worker)
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0")
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert heard == [
        [
            app.config["DOCUMENT_QUEUE"],
            app.config["OMZET_IMPORT_QUEUE"],
            app.config["WHATIF_QUEUE"],
            app.config["SPREAD_QUEUE"],
            app.config["NOTIFY_QUEUE"],
        ]
    ]
    assert re.search(r"procure-documents, procure-imports", result.output)


def test_errors_file_is_stored_compressed(app: Flask) -> None:
    job = import_jobs.create_job(db.session, b"x", "x.csv", actor_id=None, dry_run=True)
    job.errors_file = gzip.compress(b"baris;kolom;kesalahan\r\n")
    assert import_jobs.errors_file(job).startswith(b"baris;kolom")
