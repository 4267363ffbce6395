"""Admin routes: the dashboard, and the import that registers every admin page on the blueprint.

The pages live in ``views_umkm`` (verification, UMKM list), ``views_organisations`` (OPD,
accounts) and ``views_reference_data`` (categories, wilayah, audit log); each imports the
blueprint from ``blueprint.py``.
"""

from __future__ import annotations

from flask import current_app, render_template, url_for

from procure.admin import views_organisations, views_reference_data, views_umkm  # noqa: F401
from procure.admin.blueprint import bp
from procure.admin.dashboard import dashboard as dashboard_figures
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.omzet.compliance_rules import reporting_month
from procure.todo import queries as todo
from procure.todo import rules as todo_rules

TODO_PAGES: dict[str, tuple[str, dict[str, str]]] = {
    "verifikasi": ("admin.verification_queue", {}),
    "omzet": ("omzet.compliance", {}),
    "pilah": ("kinds.sort_list", {}),
    "notifikasi": ("notify.outbox", {"status": "failed"}),
}


@bp.get("/")
def dashboard() -> str:
    today = today_in_jakarta()
    board = dashboard_figures(db.session, reporting_month(today))
    items = todo.admin_items(
        db.session, today, current_app.config["OMZET_DEADLINE_DAY"], board.non_filers
    )
    return render_template(
        "admin/dashboard.html",
        board=board,
        todo=[
            todo_rules.with_href(i, url_for(TODO_PAGES[i.key][0], **TODO_PAGES[i.key][1]))
            for i in items
        ],
        empty_text=todo_rules.EMPTY_TEXT,
    )
