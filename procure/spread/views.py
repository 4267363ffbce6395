"""The pemerataan dashboard (``/pemerataan``): admin and inspector see the Pemda (or one OPD),
an OPD officer their OPD beside the Pemda's totals.

Thin: read the period and the scope, read ``store.report`` (the stored ``build_report``),
render its plain data.
The charts are drawn by the pure ``charts`` module through the template globals below, so the
macros of ``templates/spread/_charts.html`` take plain rows and the public page can reuse them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from procure.auth.models import Role
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.input_rules import RuleError
from procure.inspection.services import SMALL_SCALES, choices
from procure.spread import charts, store
from procure.spread.blueprint import bp
from procure.spread.forms import PeriodForm
from procure.spread.kept import kept
from procure.spread.periods import ReportPeriod
from procure.spread.report import MonthRow, SpendRow, Spread, TargetRow
from procure.web import roles_required

__all__ = ["bp"]

# Pages other modules add to the blueprints; the dashboard links to each once it exists.
LINKED_PAGES = (
    "spread.budgets",
    "spread.passed_over",
    "spread.export",
    "whatif.index",
    "inspection.orders",
)


# --- Template helpers (app-wide: the public page's templates use them too) ------------------


@bp.app_template_filter("persen")
def persen(value: Fraction | None, digits: int = 1) -> str:
    """``Fraction(1, 8)`` -> ``12,5 %``, the sign kept with its number (a no-break space)."""
    return charts.percent(value, digits).replace(" %", "\u00a0%")


@bp.app_template_filter("desimal")
def desimal(value: Fraction | None, digits: int = 2) -> str:
    """A Gini or another 0..1 figure: ``0,42``."""
    return "-" if value is None else charts.decimal(value, digits)


@bp.app_template_filter("hhi_poin")
def hhi_poin(value: Fraction) -> int:
    """An HHI (0..1) on the competition authorities' scale, 0..10,000."""
    return round(value * 10_000)


def _svg(markup: str) -> Markup:
    # charts.* escape every text and attribute value as they build the string.
    return Markup(markup)  # noqa: S704


@bp.app_template_global("spread_lorenz")
@kept
def spread_lorenz(spread: Spread, title: str, chart_id: str) -> Markup:
    return _svg(
        charts.lorenz_chart(spread.lorenz, title=title, chart_id=chart_id, gini=spread.gini)
    )


@bp.app_template_global("spread_bars")
@kept
def spread_bars(
    rows: Sequence[SpendRow],
    title: str,
    chart_id: str,
    hrefs: Sequence[str | None] = (),
    keep: int = 12,
) -> Markup:
    """A bar per row (its share as the note), the smallest folded into "Lainnya"."""
    links = list(hrefs) + [None] * (len(rows) - len(hrefs))
    bars = [
        charts.Bar(r.label, r.spend, href, charts.percent(r.share))
        for r, href in zip(rows, links, strict=True)
    ]
    return _svg(charts.bar_chart(charts.folded(bars, keep), title=title, chart_id=chart_id))


@bp.app_template_global("spread_trend")
@kept
def spread_trend(
    months: Sequence[MonthRow], title: str, chart_id: str, hrefs: Sequence[str | None] = ()
) -> Markup:
    """Spend per month with the Gini of that month as the line."""
    links = list(hrefs) + [None] * (len(months) - len(hrefs))
    points = [
        charts.MonthPoint(m.period.short_label, m.spend, m.gini, href)
        for m, href in zip(months, links, strict=True)
    ]
    return _svg(
        charts.trend_chart(
            points, title=title, line_label="Gini", chart_id=chart_id, as_share=False
        )
    )


@bp.app_template_global("spread_progress")
@kept
def spread_progress(ratio: Fraction | None, title: str, chart_id: str) -> Markup:
    return _svg(charts.progress_bar(ratio, title=title, chart_id=chart_id))


@bp.app_template_global("spread_deciles")
@kept
def spread_deciles(points: Sequence[tuple[Fraction, Fraction]]) -> list[tuple[Fraction, Fraction]]:
    return charts.deciles(points)


@bp.app_template_global("spread_hrefs")
@kept
def spread_hrefs(
    rows: Sequence[Any], param: str, base: dict[str, str] | None, attr: str = "key"
) -> list[str]:
    """The portal's list of the orders behind each row (``param`` = the row's ``attr``), on
    top of the page's shared parameters ``base``; none when ``base`` is None (no portal)."""
    if base is None:
        return []
    return [url_for("inspection.orders", **{**base, param: str(getattr(r, attr))}) for r in rows]


@bp.app_template_global("spread_month_hrefs")
@kept
def spread_month_hrefs(
    months: Sequence[MonthRow], period: ReportPeriod, base: dict[str, str] | None
) -> list[str]:
    """Each month's orders (its days within the period)."""
    if base is None:
        return []
    found = []
    for m in months:
        first = max(m.period.first_day, period.start)
        last = min(m.period.shift(1).first_day - dt.timedelta(days=1), period.end)
        args = {**base, "dari": first.isoformat(), "sampai": last.isoformat()}
        found.append(url_for("inspection.orders", **args))
    return found


@bp.app_template_global("spread_target_hrefs")
@kept
def spread_target_hrefs(
    targets: Sequence[TargetRow], period: ReportPeriod, base: dict[str, str] | None
) -> list[str]:
    """Each OPD's spend on micro and small businesses, 1 January to the period's end."""
    if base is None:
        return []
    return [
        url_for(
            "inspection.orders",
            **{
                **base,
                "opd": str(t.opd_id),
                "skala": SMALL_SCALES,
                "belanja": "ya",
                "dari": dt.date(t.year, 1, 1).isoformat(),
                "sampai": min(period.end, dt.date(t.year, 12, 31)).isoformat(),
            },
        )  # fmt: skip
        for t in targets
    ]


# --- The page --------------------------------------------------------------------------------


def _default_period(today: dt.date) -> ReportPeriod:
    return ReportPeriod.year(today.year)


def _scope(form: PeriodForm, is_officer: bool) -> int | None:
    """The OPD whose figures are shown: an officer's own (asking for another's is refused),
    the one chosen by the admin or the inspector, or None for the whole Pemda."""
    if not is_officer:
        return form.opd_id()
    own: int | None = current_user.opd_id
    asked = (request.args.get("opd") or "").strip()
    if asked and asked != str(own):
        abort(403)
    if own is None:
        abort(403)  # an officer's account without an OPD has no figures of its own
    return own


def _period(form: PeriodForm, today: dt.date) -> ReportPeriod | None:
    """From the selector when it was sent, else ``periode=``, else this year so far."""
    if form.chosen:
        return form.period()
    written = request.args.get("periode")
    if written is None or not written.strip():
        return _default_period(today)
    try:
        return ReportPeriod.parse(written)
    except RuleError as exc:
        form.jenis.errors = [*form.jenis.errors, str(exc)]
        return None


def _shown(period: ReportPeriod, today: dt.date) -> ReportPeriod:
    """The part of the period up to today: the current year is reported so far."""
    return period.clipped(today)


@bp.get("/")
@roles_required(Role.ADMIN, Role.INSPECTOR, Role.OPD)
def dashboard() -> tuple[str, int]:
    today = today_in_jakarta()
    role = current_user.role
    is_officer = role == Role.OPD
    form = PeriodForm(request.args)
    form.set_choices(today, None if is_officer else choices(db.session)[0])
    opd_id = _scope(form, is_officer)
    period = _period(form, today)
    report = None
    if period is not None and not form.errors_list():
        try:
            report = store.report(db.session, _shown(period, today), today=today, opd_id=opd_id)
        except RuleError as exc:
            form.jenis.errors = [*form.jenis.errors, str(exc)]
    if period is not None:
        form.show(period)
    else:
        form.show(_default_period(today))
    pages = {name: name in current_app.view_functions for name in LINKED_PAGES}
    can_inspect = role in (Role.ADMIN, Role.INSPECTOR)
    shared: dict[str, str] = {}
    if period is not None:
        shared["periode"] = str(period)
    if opd_id is not None and not is_officer:
        shared["opd"] = str(opd_id)
    portal: dict[str, str] | None = None
    if report is not None and can_inspect and pages["inspection.orders"]:
        portal = {
            "dari": report.period.start.isoformat(),
            "sampai": report.period.end.isoformat(),
            "belanja": "ya",
        }
        if opd_id is not None:
            portal["opd"] = str(opd_id)
    context: dict[str, Any] = {
        "form": form,
        "report": report,
        "today": today,
        "is_officer": is_officer,
        "is_admin": role == Role.ADMIN,
        "can_inspect": can_inspect,
        "pages": pages,
        "shared": shared,
        "portal": portal,
    }
    return render_template("spread/dashboard.html", **context), 200 if report else 400
