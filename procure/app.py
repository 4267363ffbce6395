"""The app factory: settings, extensions, blueprints, template helpers, error pages, CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from procure.config import load_config
from procure.extensions import bootstrap, csrf, db, login_manager
from procure.paths import ROOT


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, template helpers, error pages, CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    env_name = (config or {}).get("ENV_NAME")
    app.config.from_mapping(load_config(app.instance_path, env_name))
    if config:
        app.config.from_mapping(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_COUNT"]:
        # The client address and scheme as the trusted proxies saw them (login throttling,
        # secure cookies); more X-Forwarded-For entries than proxies are the client's own.
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]

    from procure import models  # noqa: F401 - complete metadata before binding

    db.init_app(app)
    if not app.config.get("WEB_ONLY"):
        # ``flask db`` and ``flask_migrate.upgrade``; a web worker (``wsgi.py``) needs neither,
        # and Alembic with Mako and Pygments holds about 11 MiB in each worker.
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(ROOT / "migrations"), compare_type=True)
    csrf.init_app(app)
    bootstrap.init_app(app)
    login_manager.init_app(app)

    from procure import body_limits, edge, web, web_inputs

    body_limits.init_app(app)
    edge.init_app(app)
    web.init_app(app)
    web_inputs.init_app(app)  # before the blueprints: their <int:...> ids are bounded

    from procure.documents import jobs

    jobs.init_app(app)

    from procure.notify import jobs as _notify_jobs  # noqa: F401 - sends after each commit

    _register_blueprints(app)

    if not app.config.get("WEB_ONLY"):  # the commands, with the seed and import modules
        from procure.cli import register_cli

        register_cli(app)
    return app


def _register_blueprints(app: Flask) -> None:
    """One blueprint per feature package; the view modules register their routes on it."""
    from procure.admin import views as _admin_views  # noqa: F401 - registers the admin pages
    from procure.admin.blueprint import bp as admin_bp
    from procure.auth.views import bp as auth_bp
    from procure.catalog.views import bp as catalog_bp
    from procure.documents.views import bp as documents_bp
    from procure.health import bp as health_bp
    from procure.inspection.views import bp as inspection_bp
    from procure.kinds.views import bp as kinds_bp
    from procure.notify.views import bp as notify_bp
    from procure.omzet import views as _omzet_views  # noqa: F401 - registers the omzet pages
    from procure.omzet.blueprint import bp as omzet_bp
    from procure.opd.views import bp as opd_bp
    from procure.opendata.views import bp as opendata_bp
    from procure.orders.views import bp as orders_bp
    from procure.procurement.views import bp as procurement_bp
    from procure.spread import public as _public
    from procure.spread import views as _spread_views  # noqa: F401 - registers its pages
    from procure.spread import views_budget as _budget  # noqa: F401 - its pages
    from procure.spread import views_export as _spread_export  # noqa: F401 - its downloads
    from procure.spread import views_passed_over as _passed_over  # noqa: F401 - its pages
    from procure.spread import whatif_views as _whatif
    from procure.spread.blueprint import bp as spread_bp
    from procure.statements.views import bp as statements_bp
    from procure.umkm import views as _umkm_views  # noqa: F401 - registers the UMKM pages
    from procure.umkm.blueprint import bp as umkm_bp

    for bp in (auth_bp, catalog_bp, umkm_bp, opd_bp, admin_bp, omzet_bp, procurement_bp):
        app.register_blueprint(bp)
    app.register_blueprint(orders_bp)
    app.register_blueprint(opendata_bp)
    app.register_blueprint(inspection_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(kinds_bp)
    app.register_blueprint(notify_bp)
    app.register_blueprint(spread_bp)
    app.register_blueprint(_public.bp)
    app.register_blueprint(_whatif.bp)
    app.register_blueprint(statements_bp)


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite enforces foreign keys only when asked, per connection; ask always."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
