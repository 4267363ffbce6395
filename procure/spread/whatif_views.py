"""What-if replays (``/pemerataan/simulasi``): the admin replays a past period's requests under
other settings and compares the figures with what happened. A replay writes nothing.

Admin only: a replay is heavy work for the server and a tool for changing settings, which only
the admin can do. Thin: read the form, check it with ``whatif_rules``, start the job
(``whatif_jobs``), render plain data.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from procure.auth.models import Role
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.input_rules import RuleError
from procure.ranking.facts import policy_settings
from procure.spread import whatif, whatif_jobs
from procure.spread.periods import ReportPeriod
from procure.spread.whatif_forms import WhatIfForm
from procure.spread.whatif_rules import (
    CHEAPEST,
    ROWS,
    V1,
    V2,
    ScenarioError,
    default_period,
    parse_scenarios,
    period_choices,
    table,
)
from procure.web import roles_required

bp = Blueprint("whatif", __name__, url_prefix="/pemerataan/simulasi")
REFRESH_SECONDS = 2


def _form() -> WhatIfForm:
    form = WhatIfForm()
    today = today_in_jakarta()
    form.set_periods(period_choices(today))
    if not form.is_submitted():
        settings = policy_settings(current_app.config)
        cap = str(settings.annual_award_cap or "")
        form.periode.data = default_period(today)
        for i, kind in enumerate((V2, V1, CHEAPEST), 1):
            form[f"skenario_{i}"].data = kind
            form[f"k_{i}"].data = str(settings.max_suppliers)
            form[f"bagi_{i}"].data = settings.split_mode
            form[f"batas_{i}"].data = cap
    return form


def _page(form: WhatIfForm, status: int = 200, empty: str = "") -> tuple[str, int]:
    settings = policy_settings(current_app.config)
    return (
        render_template(
            "spread/whatif.html",
            form=form,
            empty=empty,
            current_k=settings.max_suppliers,
            current_split=settings.split_mode,
            current_cap=settings.annual_award_cap,
            redis=bool(current_app.config.get("REDIS_URL")),
        ),
        status,
    )


@bp.get("/")
@roles_required(Role.ADMIN)
def index() -> tuple[str, int]:
    return _page(_form())


@bp.post("/")
@roles_required(Role.ADMIN)
def start() -> Response | tuple[str, int]:
    form = _form()
    if not form.validate_on_submit():
        return _page(form, 400)
    period: ReportPeriod | None = None
    try:
        period = ReportPeriod.parse(str(form.periode.data or ""))
        period.check_started(today_in_jakarta())
    except RuleError as exc:
        form.periode.errors = [str(exc)]
        period = None
    try:
        scenarios = parse_scenarios(form.rows())
    except ScenarioError as exc:
        for name, message in exc.errors.items():
            form[name].errors = [message]
        return _page(form, 400)
    if period is None:
        return _page(form, 400)
    period = period.clipped(today_in_jakarta())
    count = whatif.count_requests(db.session, period)
    if count == 0:
        message = (
            f"Tidak ada permintaan yang sudah diputuskan menjadi pesanan pada {period.label}; "
            "tidak ada yang bisa disimulasikan. Pilih periode lain."
        )
        return _page(form, 200, empty=message)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    job_id, how = whatif_jobs.start(
        app, period, scenarios, policy_settings(current_app.config), count
    )
    if how == "running":
        flash("Simulasi dengan pilihan yang sama sedang berjalan; ini kemajuannya.", "info")
    return redirect(url_for("whatif.job", job_id=job_id))


@bp.get("/<job_id>")
@roles_required(Role.ADMIN)
def job(job_id: str) -> str:
    found = whatif_jobs.find(current_app.config, job_id)
    if found is None:
        abort(404)
    rows = table([c.figures for c in found.outcome.columns]) if found.outcome else []
    return render_template(
        "spread/whatif_job.html",
        job=found,
        rows=rows,
        row_notes=[label for _, label, _, _ in ROWS],
        refresh=REFRESH_SECONDS if found.waiting else None,
    )
