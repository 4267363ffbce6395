"""Bulk omzet import by the admin: the upload page (check, then save; a large file becomes a
job, see ``views_jobs``) and the CSV template."""

from __future__ import annotations

import hashlib

import flask
import sqlalchemy as sa
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from procure import extensions
from procure.clock import today_in_jakarta
from procure.edge import attempt
from procure.omzet.blueprint import bp
from procure.omzet.compliance_rules import reporting_month
from procure.omzet.forms_admin import ImportForm
from procure.omzet.imports import jobs as import_jobs
from procure.omzet.imports.importer import ImportResult, ImportSettings, import_omzet
from procure.omzet.imports.rules import errors_csv, template_csv
from procure.omzet.imports.table import FileRefused
from procure.omzet.imports.views_jobs import recent_jobs
from procure.omzet.models import OmzetImport
from procure.web import roles_required

RECENT_IMPORTS = 10
EXAMPLE_NIB = "0123456789012"


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
        # A refusal (ImportConflict: a month filed meanwhile) is rolled back and shown; a dry
        # run or a refused file wrote nothing, so its commit is empty.
        outcome = attempt(
            lambda: import_omzet(
                extensions.db.session,
                data,
                file_name,
                actor_id=current_user.id,
                settings=settings,
                dry_run=dry_run,
                today=today_in_jakarta(),
            )
        )
        if outcome.value is None:
            flask.flash(outcome.error or "", "danger")
            return _render_import(form, None, None)
        result = outcome.value
        if result.import_id is not None:
            flask.flash(f"Impor {file_name} selesai: {result.summary}.", "success")
            return flask.redirect(flask.url_for("omzet.import_upload"))
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
    outcome = attempt(
        lambda: import_jobs.create_job(
            extensions.db.session, data, file_name, actor_id=current_user.id, dry_run=dry_run
        )
    )
    if outcome.value is None:
        flask.flash(outcome.error or "", "danger")
        return flask.redirect(flask.url_for("omzet.import_upload"))
    job = outcome.value
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
