"""The commands the README tells people to run, through the real ``procure`` CLI (SQLite and
PostgreSQL): ``demo --no-serve``, ``init``, ``create-user``, ``worker --burst`` and
``render-documents``; ``procure db upgrade``, ``init`` and ``create-user`` also as a process,
as a new installation runs them.

Elsewhere: ``expire-orders`` (an order past its deadline expires and passes on, once) in
``test_orders.py`` and ``test_documents_lifecycle.py``, ``refresh-figures`` in
``test_allocation_figures.py``, ``seed`` in ``test_seed.py``, ``import-omzet`` in
``tests/functional/test_omzet_import_pages.py``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

import procure
from procure.auth.models import User
from procure.catalog.services import DEFAULT_CATEGORIES
from procure.documents import jobs
from procure.documents.models import Document, DocumentFile
from procure.extensions import db
from procure.models import Category
from procure.sample_data.demo import ADMIN_EMAIL, DEMO_PASSWORD
from tests import factories
from tests.integration.test_demo import _counts
from tests.integration.test_documents import pdf_text
from tests.redis_server import redis_url_or_skip

PASSWORD = "Lumbung-Padi-Kenari-48"


def _invoke(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


def _count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_demo_no_serve_loads_the_city_once_and_prints_the_logins(app: Flask) -> None:
    first = _invoke(app, "demo", "--no-serve")
    assert first.exit_code == 0, first.output
    assert "Data demo dimuat." in first.output
    assert f"kata sandi semua akun: {DEMO_PASSWORD}" in first.output
    assert ADMIN_EMAIL in first.output and "Pelaku UMKM" in first.output
    assert "Buka http://" not in first.output  # --no-serve: nothing is served
    db.session.expire_all()
    before = _counts(db.session)
    assert before["umkm"] >= 60

    again = _invoke(app, "demo", "--no-serve")
    assert again.exit_code == 0, again.output
    assert "Data demo sudah ada; tidak dimuat ulang." in again.output
    db.session.expire_all()
    assert _counts(db.session) == before


def test_init_adds_the_default_categories_once(app: Flask) -> None:
    first = _invoke(app, "init")
    assert first.exit_code == 0, first.output
    assert f"Kategori bawaan: {len(DEFAULT_CATEGORIES)} ditambahkan." in first.output
    slugs = set(db.session.scalars(select(Category.slug)))
    assert slugs == {slug for slug, _ in DEFAULT_CATEGORIES}

    again = _invoke(app, "init")
    assert again.exit_code == 0 and "Kategori bawaan: 0 ditambahkan." in again.output
    assert _count(Category) == len(DEFAULT_CATEGORIES)


def _create_user(app: Flask, *extra: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    args = ["create-user", "--email", "admin@pemda.go.id", "--name", "Admin Dinkop"]
    return _invoke(app, *args, "--password", password, *(extra or ("--role", "admin")))


def test_create_user_makes_the_first_admin_who_can_log_in(app: Flask) -> None:
    result = _create_user(app)
    assert result.exit_code == 0, result.output
    assert "Akun admin@pemda.go.id" in result.output and "dibuat." in result.output
    user = db.session.scalars(select(User)).one()
    assert (user.email, user.role, user.full_name) == ("admin@pemda.go.id", "admin", "Admin Dinkop")
    assert user.check_password(PASSWORD) and not user.check_password(PASSWORD.lower())
    login = app.test_client().post(
        "/masuk", data={"email": "admin@pemda.go.id", "password": PASSWORD}
    )
    assert login.status_code == 302


def test_create_user_binds_an_officer_to_an_opd_by_its_code(app: Flask) -> None:
    opd = factories.opd(code="DISDIK")
    db.session.commit()
    result = _create_user(app, "--role", "opd", "--opd", "disdik")
    assert result.exit_code == 0, result.output
    assert db.session.scalars(select(User)).one().opd_id == opd.id


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--role", "opd", "--opd", "TIDAKADA"), "OPD dengan kode TIDAKADA tidak ada."),
        (("--role", "umkm"), "Akun UMKM dibuat lewat pendaftaran usaha"),
        (("--role", "opd"), "Akun pejabat pengadaan harus terikat pada satu OPD."),
    ],
)
def test_create_user_refuses_what_it_cannot_make(
    app: Flask, extra: tuple[str, ...], message: str
) -> None:
    result = _create_user(app, *extra)
    assert result.exit_code == 1
    assert f"Error: {message}" in result.output
    assert _count(User) == 0


def test_create_user_refuses_a_duplicate_and_a_weak_password(app: Flask) -> None:
    assert _create_user(app).exit_code == 0
    duplicate = _create_user(app)
    assert duplicate.exit_code == 1
    assert "E-mail ini sudah dipakai akun lain." in duplicate.output
    assert _count(User) == 1

    weak = _invoke(
        app,
        *("create-user", "--email", "kedua@pemda.go.id", "--name", "Admin Kedua"),
        *("--role", "admin", "--password", "sandi1"),
    )
    assert weak.exit_code == 1
    assert re.search(r"Error: Kata sandi .+", weak.output), weak.output
    assert _count(User) == 1


def _documents_without_a_file() -> list[int]:
    """Issue an order's documents and commit them without rendering, as after a crash."""
    factories.issued_orders(20, (100,))
    db.session.commit()
    db.session.info.pop(jobs.READY, None)  # what the request would have rendered
    ids = list(db.session.scalars(select(Document.id).order_by(Document.id)))
    assert ids and _count(DocumentFile) == 0
    return ids


def test_render_documents_renders_what_has_no_pdf_once(app: Flask) -> None:
    ids = _documents_without_a_file()
    result = _invoke(app, "render-documents")
    assert result.exit_code == 0, result.output
    assert f"{len(ids)} dokumen dibuat." in result.output
    db.session.expire_all()
    files = {f.document_id: f for f in db.session.scalars(select(DocumentFile))}
    assert set(files) == set(ids)
    sp = db.session.scalars(select(Document).where(Document.kind == "SP")).one()
    assert sp.number in pdf_text(files[sp.id].data)

    again = _invoke(app, "render-documents")
    assert again.exit_code == 0 and "0 dokumen dibuat." in again.output
    assert _count(DocumentFile) == len(ids)


def test_worker_without_redis_says_what_to_set(app: Flask) -> None:
    app.config["REDIS_URL"] = ""
    result = _invoke(app, "worker", "--burst")
    assert result.exit_code == 1
    assert "REDIS_URL belum diisi" in result.output


def test_worker_burst_renders_the_queued_documents_then_stops(app: Flask) -> None:
    from redis import Redis
    from rq import Queue

    url = redis_url_or_skip()
    # Queues of this test alone: other test runs may share the Redis database.
    name = f"procure-test-{uuid.uuid4().hex[:8]}"
    app.config.update(
        REDIS_URL=url, DOCUMENT_QUEUE=f"{name}-documents", OMZET_IMPORT_QUEUE=f"{name}-imports"
    )
    queue = Queue(f"{name}-documents", connection=Redis.from_url(url))
    try:
        ids = _documents_without_a_file()
        queued = _invoke(app, "render-documents")
        assert queued.exit_code == 0, queued.output
        assert f"{len(ids)} dokumen dimasukkan ke antrean." in queued.output
        assert queue.count == len(ids) and _count(DocumentFile) == 0

        worked = _invoke(app, "worker", "--burst")
        assert worked.exit_code == 0, worked.output
        assert f"{name}-documents, {name}-imports" in worked.output
        assert queue.count == 0
        db.session.expire_all()
        assert set(db.session.scalars(select(DocumentFile.document_id))) == set(ids)
    finally:
        queue.delete(delete_jobs=True)


def test_the_readme_commands_run_as_a_process_on_a_new_database(tmp_path: Path) -> None:
    """`procure db upgrade`, `procure init`, `procure create-user`: the console script itself,
    on an empty SQLite file, as the README's production steps run them (no fixture)."""
    procure_bin = Path(sys.executable).with_name("procure")
    database = tmp_path / "baru.db"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "k" * 40,
        "PROCURE_ENV": "development",
    }
    env.pop("REDIS_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(procure_bin), *args],
            cwd=tmp_path,  # anywhere: the checkout is found through the package
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    listed = run("--help")
    assert listed.returncode == 0, listed.stderr
    readme = (procure.ROOT / "README.md").read_text()
    named = set(re.findall(r"\bprocure ([a-z][a-z-]+)", readme))
    assert {"init", "create-user", "worker", "render-documents", "expire-orders"} <= named
    for command in named | {"demo"}:  # `./run demo` runs `procure demo`
        assert re.search(rf"^  {command}\s", listed.stdout, re.M), command

    assert run("db", "upgrade").returncode == 0
    init = run("init")
    assert init.returncode == 0, init.stderr
    assert f"Kategori bawaan: {len(DEFAULT_CATEGORIES)} ditambahkan." in init.stdout
    created = run(
        *("create-user", "--role", "admin", "--email", "admin@pemda.go.id"),
        *("--name", "Admin Dinkop", "--password", PASSWORD),
    )
    assert created.returncode == 0, created.stderr
    assert "Akun admin@pemda.go.id" in created.stdout
    again = run("init")
    assert again.returncode == 0 and "Kategori bawaan: 0 ditambahkan." in again.stdout
    assert database.stat().st_size > 0
