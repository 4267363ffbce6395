"""Alembic environment, run through Flask-Migrate (``procure db ...``).

Migrations never run at app start-up: ``procure db upgrade`` on deploy, ``procure demo`` for
the demo, and the test suite builds every schema through them.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from procure.db import include_object_for

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def run_migrations_online():
    def process_revision_directives(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    engine = target_db.engine
    with engine.connect() as connection:
        on_sqlite = connection.dialect.name == "sqlite"
        # Batch mode (copy-and-move tables) is how ALTER works on SQLite; PostgreSQL alters.
        conf_args["render_as_batch"] = on_sqlite
        if on_sqlite:
            # Copying a table that other rows refer to (orders to products and requests)
            # drops the old one: with foreign keys enforced SQLite refuses, so they are off
            # while migrating (the pragma works only outside a transaction) and every
            # reference is checked before the work is committed.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_db.metadata,
            include_object=include_object_for(connection.dialect.name),
            **conf_args,
        )
        with context.begin_transaction():
            context.run_migrations()
            if on_sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"Migration left broken references: {broken[:10]}")
        if on_sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run against a database.")
run_migrations_online()
