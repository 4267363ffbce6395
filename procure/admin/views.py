"""Admin routes: the dashboard, and the import that registers every admin page on the blueprint.

The pages live in ``views_umkm`` (verification, UMKM list), ``views_organisations`` (OPD,
accounts) and ``views_reference_data`` (categories, wilayah, audit log); each imports the
blueprint from ``blueprint.py``.
"""

from __future__ import annotations

from flask import render_template

from procure.admin import views_organisations, views_reference_data, views_umkm  # noqa: F401
from procure.admin.blueprint import bp
from procure.admin.dashboard import dashboard as dashboard_figures
from procure.extensions import db


@bp.get("/")
def dashboard() -> str:
    return render_template("admin/dashboard.html", board=dashboard_figures(db.session))
