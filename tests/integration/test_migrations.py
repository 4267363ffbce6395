"""Migrations: one head, upgrade on an empty database, no drift between models and schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from procure import ROOT
from procure.db import include_object_for
from procure.extensions import db


def test_one_head() -> None:
    from alembic.config import Config

    config = Config(str(ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"expected one migration head, found {heads}"


def test_upgraded_schema_matches_models(app: Flask) -> None:
    """The fixture built this database by running every migration on an empty one."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_object": include_object_for(conn.dialect.name),
            },
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations drift apart: {diff}"
