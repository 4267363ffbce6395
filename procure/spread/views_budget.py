"""``/pemerataan/pagu``: the OPDs' goods/services budgets of a year. Admin and inspector read;
the admin enters or changes one amount at a time (a change is confirmed first, and audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from procure.clock import today_in_jakarta
from procure.edge import attempt
from procure.extensions import db
from procure.form_errors import Problem
from procure.formatting import rupiah
from procure.input_rules import parse_id
from procure.spread import budgets as service
from procure.spread.blueprint import bp
from procure.spread.budget_forms import BudgetForm
from procure.web import roles_required


def _year(raw: str | None, today: dt.date) -> int:
    """The year asked for, or this year when it is missing or out of range."""
    year = parse_id(raw)
    return year if year in service.year_range(today) else today.year


def _page(year: int, today: dt.date, failed: dict[str, Any] | None = None, **extra: Any) -> str:
    rows = service.budget_rows(db.session, year)
    problems: list[Problem] = []
    if failed is not None:
        # The refused amount's summary, linked to the row's field when the row is listed.
        row = next((r for r in rows if r.opd_id == failed["opd_id"]), None)
        field_id = f"amount-{row.opd_id}" if row else None
        label = f"Pagu {row.name} tahun {year}" if row else ""
        problems = [Problem(field_id, label, m) for m in failed["errors"]]
    return render_template(
        "spread/budgets.html",
        year=year,
        years=list(service.year_range(today)),
        rows=rows,
        can_edit=current_user.role == "admin",
        max_budget=rupiah(service.MAX_BUDGET),
        failed=failed,
        problems=problems,
        **extra,
    )


@bp.get("/pagu")
@roles_required("admin", "inspector")
def budgets() -> str:
    today = today_in_jakarta()
    return _page(_year(request.args.get("tahun"), today), today)


@bp.post("/pagu")
@roles_required("admin")
def budget_set() -> Response | str:
    today = today_in_jakarta()
    form = BudgetForm()
    year = form.year_value
    shown = year if year in service.year_range(today) else today.year
    if not form.validate_on_submit():
        errors = [m for messages in form.errors.values() for m in messages]
        return _page(shown, today, failed={"opd_id": form.opd_id.data, "errors": errors,
                                           "typed": form.amount.data or ""})  # fmt: skip
    outcome = attempt(
        lambda: service.set_budget(
            db.session,
            opd_id=form.opd_id.data,
            year=year,
            amount=form.amount_value,
            actor_id=current_user.id,
            today=today,
            seen=form.seen_value,
            confirmed=bool(form.confirm.data),
        )
    )
    if isinstance(outcome.refusal, service.NeedsConfirmation):
        refusal = outcome.refusal
        confirmation = {
            "opd_id": form.opd_id.data,
            "message": str(refusal),
            "current": refusal.current,
            "wanted": refusal.wanted,
        }
        return _page(shown, today, confirmation=confirmation)
    if outcome.value is None:
        failed = {"opd_id": form.opd_id.data, "errors": [outcome.error or ""],
                  "typed": form.amount.data or ""}  # fmt: skip
        return _page(shown, today, failed=failed)
    change = outcome.value
    if change.changed:
        flash(
            f"Pagu {change.opd_name} tahun {change.year} tersimpan: {rupiah(change.new)}.",
            "success",
        )
    else:
        flash(f"Pagu {change.opd_name} tahun {change.year} sudah {rupiah(change.new)}.", "info")
    return redirect(url_for("spread.budgets", tahun=change.year))
