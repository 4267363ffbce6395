"""Test fixtures: every database test runs on SQLite and on PostgreSQL.

The schema is built by the migrations, once per backend per session; each test then gets a
fresh copy (SQLite: a copied file) or clean tables (PostgreSQL: TRUNCATE), so tests may commit
like real requests do. PostgreSQL is expected: unreachable fails the run, never skips it,
unless PROCURE_TEST_POSTGRES=0 says explicitly that this run is SQLite only.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from procure import create_app
from procure.extensions import db

pytest_plugins = ("tests.rendering",)  # the ``rendered`` fixture: what templates were given

PG_ADMIN_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
).replace("postgresql://", "postgresql+psycopg://", 1)
POSTGRES_WANTED = os.environ.get("PROCURE_TEST_POSTGRES", "1") != "0"
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_WANTED else ["sqlite"]


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "template.db"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A private database for this session, migrated once, dropped at the end."""
    name = f"procure_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach PostgreSQL fails the run
        admin.dispose()
        pytest.fail(
            f"PostgreSQL was expected at {PG_ADMIN_URL} but is unreachable: {exc}. "
            "Start it, or set PROCURE_TEST_POSTGRES=0 for a SQLite-only run.",
            pytrace=False,
        )
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    _migrate(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = conn.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ).scalars()
        names = ", ".join(f'"{t}"' for t in tables)
        if names:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(scope="session")
def _apps() -> dict[str, Flask]:
    """One app per backend for the whole session (template compilation is not free)."""
    return {}


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fresh_app(backend: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on its own, newly migrated database, for a test that takes the schema back and
    forth (a migration's upgrade of existing data): the shared database must keep its schema."""
    from flask_migrate import upgrade

    admin = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
    else:
        name = f"procure_f_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def app(
    backend: str,
    _apps: dict[str, Flask],
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Flask]:
    """The app on a clean database: SQLite gets a fresh copy of the migrated file,
    PostgreSQL gets its tables truncated after the test. Config changes are undone."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = template.with_name("test.db")
        shutil.copyfile(template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
    if backend not in _apps:
        _apps[backend] = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    app = _apps[backend]
    saved_config = dict(app.config)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    app.config.clear()
    app.config.update(saved_config)
    if backend == "postgresql":
        _truncate_all(url)


@pytest.fixture
def database_url(app: Flask) -> str:
    return str(app.config["SQLALCHEMY_DATABASE_URI"])


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def session(app: Flask):  # type: ignore[no-untyped-def]
    return db.session


class AuthActions:
    """Log in and out through the real login form."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, email: str, password: str = "Lumbung-Padi-Kenari-48"):  # type: ignore[no-untyped-def]
        return self._client.post("/masuk", data={"email": email, "password": password})

    def logout(self):  # type: ignore[no-untyped-def]
        return self._client.post("/keluar")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)
