"""Admin and inspector omzet pages: who has not filed (list and XLSX export), the history of
one UMKM and the flags across UMKM. The bulk import is in ``imports/``."""

from __future__ import annotations

import datetime as dt

import flask
from flask import render_template, request
from sqlalchemy import select

from procure import extensions
from procure.catalog.models import Kecamatan
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.omzet import compliance, compliance_counts, reading, services
from procure.omzet.blueprint import bp
from procure.omzet.compliance_rules import ReminderContext, reporting_month
from procure.omzet.forms import FlagFilterForm
from procure.omzet.forms_admin import ComplianceFilterForm
from procure.omzet.rules import Period
from procure.omzet.views_umkm import chart_markup
from procure.paging import PageNav
from procure.umkm.models import Umkm
from procure.web import roles_required
from procure.web_inputs import page_arg

FLAGS_PER_PAGE = 50

# == Compliance list (admin, inspector) ==========================================================


def _compliance_filters() -> tuple[ComplianceFilterForm, compliance.ComplianceFilter]:
    form = ComplianceFilterForm(flask.request.args)
    form.set_choices(*compliance.filter_choices(extensions.db.session))
    return form, compliance.ComplianceFilter(form.kecamatan_id, form.category_id)


def _reminder(today: dt.date) -> ReminderContext:
    return ReminderContext(
        city=flask.current_app.config["PEMDA_CITY"],
        filing_url=flask.url_for("omzet.umkm_index", _external=True),
        deadline_day=flask.current_app.config["OMZET_DEADLINE_DAY"],
        today=today,
    )


@bp.get("/kepatuhan", endpoint="compliance")
@roles_required("admin", "inspector")
def compliance_list() -> str:
    form, filters = _compliance_filters()
    today = today_in_jakarta()
    period = reporting_month(today)
    session = extensions.db.session
    # The counts of 100,000 UMKM against a month of reports: kept for a minute per process.
    counted = compliance_counts.counts(session, period, filters)
    page = PageNav(page=page_arg(), per_page=compliance.PAGE_SIZE, total=counted.non_filers)
    ids = session.scalars(
        compliance.non_filer_ids(period, filters)
        .limit(page.per_page)
        .offset((page.page - 1) * page.per_page)
    ).all()
    args = {
        k: str(v)
        for k, v in (("kecamatan", filters.kecamatan_id), ("category", filters.category_id))
        if v is not None
    }
    return flask.render_template(
        "omzet/compliance.html",
        form=form,
        page=page,
        rows=compliance.page_rows(session, ids, period, _reminder(today)),
        args=args,
        period=period,
        obliged=counted.obliged,
    )


@bp.get("/kepatuhan.xlsx")
@roles_required("admin", "inspector")
def compliance_export() -> flask.Response:
    _, filters = _compliance_filters()
    today = today_in_jakarta()
    period = reporting_month(today)
    rows = compliance.all_rows(extensions.db.session, period, filters, _reminder(today))
    return flask.Response(
        compliance.export_xlsx(rows, period),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="belum-lapor-omzet-{period}.xlsx"'},
    )


# == History of one UMKM, flags across UMKM (admin, inspector) =================================


@bp.get("/umkm/<int:umkm_id>")
@roles_required("admin", "inspector")
def history(umkm_id: int) -> str:
    umkm = db.get_or_404(Umkm, umkm_id)
    today = services.today_in_jakarta()
    overview = reading.overview(db.session, umkm, today)
    return render_template(
        "omzet/history.html",
        umkm={
            "id": umkm.id,
            "business_name": umkm.business_name,
            "owner_name": umkm.owner_name,
            "nib": umkm.nib,
            "kecamatan": umkm.kecamatan.name,
            "status_label": umkm.status_label,
        },
        revisions=reading.history(db.session, umkm.id),
        flags=reading.flags_for(db.session, umkm.id),
        missing=overview.missing,
        derived_scale=reading.scale_label(
            reading.derived_scale_for(db.session, umkm.id, Period.of(today))
        ),
        declared_scale=reading.scale_label(umkm.declared_scale),
        chart=chart_markup(overview.chart, f"Omzet 12 bulan terakhir {umkm.business_name}"),
    )


@bp.get("/tanda")
@roles_required("admin", "inspector")
def flags() -> str:
    form = FlagFilterForm(request.args)
    kecamatan = db.session.execute(select(Kecamatan.id, Kecamatan.name).order_by(Kecamatan.name))
    form.set_kecamatan([(kid, name) for kid, name in kecamatan])
    as_of = Period.of(services.today_in_jakarta())
    rows = reading.flagged_months(
        db.session, as_of, kind=form.kind_value, kecamatan_id=form.kecamatan_id
    )
    page = reading.ListPagination(rows, page=page_arg(), per_page=FLAGS_PER_PAGE)
    args = {k: v for k, v in (("kind", form.kind_value), ("kecamatan", form.kecamatan_id)) if v}
    return render_template(
        "omzet/flags.html",
        form=form,
        page=page,
        args=args,
        first=as_of.shift(-reading.CHART_MONTHS),
        last=as_of.shift(-1),
    )
