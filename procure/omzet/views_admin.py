"""Admin omzet routes (see views.py): bulk import and the compliance list, then the
admin/inspector read routes (history of one UMKM, flags across UMKM) in their own block."""

from __future__ import annotations

# Flask, SQLAlchemy and the session are imported as modules here: the read block below imports
# some of the same names on its own, and qualified names keep the two blocks independent.
import datetime as dt
import hashlib

import flask
import sqlalchemy as sa
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from procure import extensions
from procure.omzet import compliance, import_jobs
from procure.omzet.compliance_rules import ReminderContext, reporting_month
from procure.omzet.forms_admin import ComplianceFilterForm, ImportForm
from procure.omzet.import_rules import errors_csv, template_csv
from procure.omzet.import_table import FileRefused
from procure.omzet.importer import ImportConflict, ImportResult, ImportSettings, import_omzet
from procure.omzet.models import OmzetImport
from procure.omzet.services import today_in_jakarta
from procure.omzet.views import bp
from procure.omzet.views_import_jobs import recent_jobs
from procure.web import roles_required
from procure.web_inputs import page_arg

RECENT_IMPORTS = 10
EXAMPLE_NIB = "0123456789012"

# == Bulk import (admin) ======================================================================


@bp.route("/impor", methods=["GET", "POST"])
@roles_required("admin")
def import_upload() -> str | Response:
    form = ImportForm()
    result = None
    token = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        file_name = _display_name(upload.filename)
        wants_errors = flask.request.form.get("action") == "errors"
        dry_run = bool(form.dry_run.data) or wants_errors
        # "Impor sekarang" after a check carries the checked file's signed hash: a different
        # file chosen by mistake is checked and shown, not saved.
        checked = flask.request.form.get("checked")
        if checked and not dry_run and _checked_hash(checked) != _sha256(data):
            dry_run = True
            flask.flash(
                "Berkas yang dipilih berbeda dari yang diperiksa tadi, jadi belum disimpan. "
                "Lihat hasil pemeriksaannya di bawah.",
                "warning",
            )
        settings = ImportSettings.from_config(flask.current_app.config)
        try:
            rows = import_jobs.measure(data, settings)  # refused here before any parsing
        except FileRefused as exc:
            result = ImportResult(file_name=file_name, dry_run=dry_run, errors=exc.errors)
            return _render_import(form, result, None)
        if rows > settings.queue_rows:
            return _queue_job(data, file_name, dry_run)
        try:
            result = import_omzet(
                extensions.db.session,
                data,
                file_name,
                actor_id=current_user.id,
                settings=settings,
                dry_run=dry_run,
                today=today_in_jakarta(),
            )
        except ImportConflict as exc:
            extensions.db.session.rollback()
            flask.flash(str(exc), "danger")
            return _render_import(form, None, None)
        if result.import_id is not None:
            extensions.db.session.commit()
            flask.flash(f"Impor {file_name} selesai: {result.summary}.", "success")
            return flask.redirect(flask.url_for("omzet.import_upload"))
        extensions.db.session.rollback()  # a dry run or a refused file: nothing was written
        if wants_errors and result.errors:
            return _csv_download(errors_csv(result.errors), "kesalahan-impor-omzet.csv")
        if result.ok:
            token = _signer().dumps(_sha256(data))
    elif flask.request.method == "POST":
        for message in form.file.errors:
            flask.flash(message, "danger")
    return _render_import(form, result, token)


def _queue_job(data: bytes, file_name: str, dry_run: bool) -> Response:
    """A large file: stored as a job, run off this request; its page shows the progress."""
    job = import_jobs.create_job(
        extensions.db.session, data, file_name, actor_id=current_user.id, dry_run=dry_run
    )
    extensions.db.session.commit()
    import_jobs.start(job.id, flask.current_app._get_current_object())  # type: ignore[attr-defined]
    return flask.redirect(flask.url_for("omzet.import_job", job_id=job.id))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(flask.current_app.secret_key, salt="omzet-import-checked")


def _checked_hash(token: str) -> str | None:
    try:
        return str(_signer().loads(token))
    except BadSignature:
        return None


def _render_import(form: ImportForm, result: object, checked: str | None) -> str:
    recent = extensions.db.session.execute(
        sa.select(OmzetImport)
        .order_by(OmzetImport.at.desc(), OmzetImport.id.desc())
        .limit(RECENT_IMPORTS)
    ).scalars()
    return flask.render_template(
        "omzet/import.html",
        form=form,
        result=result,
        checked=checked,
        jobs=recent_jobs(extensions.db.session),
        recent=[
            {
                "at": i.at,
                "file_name": i.file_name,
                "rows": i.row_count,
                "created": i.created_count,
                "revised": i.revised_count,
                "unchanged": i.unchanged_count,
            }
            for i in recent
        ],
        max_mb=flask.current_app.config["OMZET_IMPORT_MAX_BYTES"] // (1024 * 1024),
    )


@bp.get("/impor/templat.csv")
@roles_required("admin")
def import_template() -> flask.Response:
    example = reporting_month(today_in_jakarta())
    return _csv_download(template_csv(EXAMPLE_NIB, example), "templat-impor-omzet.csv")


def _display_name(raw: str | None) -> str:
    """The file name as the admin knows it, without any folder a browser may send."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:200] or "berkas"


def _csv_download(data: bytes, download_name: str) -> flask.Response:
    return flask.Response(
        data,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{download_name}"'},
    )


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
    page = extensions.db.paginate(
        compliance.non_filer_ids(period, filters),
        page=page_arg(),
        per_page=compliance.PAGE_SIZE,
        error_out=False,
    )
    args = {
        k: str(v)
        for k, v in (("kecamatan", filters.kecamatan_id), ("category", filters.category_id))
        if v is not None
    }
    return flask.render_template(
        "omzet/compliance.html",
        form=form,
        page=page,
        rows=compliance.page_rows(extensions.db.session, page.items, period, _reminder(today)),
        args=args,
        period=period,
        obliged=compliance.obliged_count(extensions.db.session, period, filters),
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


# == Admin and inspector read routes: history of one UMKM, flags across UMKM ====================
# (Owned by the omzet read-side work; other routes go above this block.)

FLAGS_PER_PAGE = 50

from flask import render_template, request  # noqa: E402
from sqlalchemy import select  # noqa: E402

from procure.catalog.models import Kecamatan  # noqa: E402
from procure.extensions import db  # noqa: E402
from procure.omzet import reading, services  # noqa: E402
from procure.omzet.forms import FlagFilterForm  # noqa: E402
from procure.omzet.rules import Period  # noqa: E402
from procure.omzet.views_umkm import chart_markup  # noqa: E402
from procure.umkm.models import Umkm  # noqa: E402
from procure.web import roles_required  # noqa: E402


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
