"""The owner's omzet pages: file a month, correct it, see the last 12 months.

Every page works on ``current_user.umkm`` only: no UMKM id is ever read from the URL or the
form, so an owner cannot reach another business's figures.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from procure.auth.models import Role
from procure.edge import attempt
from procure.extensions import db
from procure.formatting import rupiah, tanggal
from procure.omzet import chart, reading, services
from procure.omzet.blueprint import bp
from procure.omzet.forms import CorrectionForm, FilingForm
from procure.omzet.rules import Period, filing_deadline
from procure.umkm.models import Umkm, UmkmStatus
from procure.umkm.rules import RuleError
from procure.web import roles_required

NOT_VERIFIED = {
    UmkmStatus.PENDING: "Usaha Anda masih menunggu verifikasi Dinas Koperasi & UKM. Omzet bisa "
    "dilaporkan setelah usaha terverifikasi.",
    UmkmStatus.REJECTED: "Pendaftaran usaha Anda ditolak. Perbaiki data di halaman profil dan "
    "ajukan ulang; omzet bisa dilaporkan setelah usaha terverifikasi.",
    UmkmStatus.SUSPENDED: "Usaha Anda sedang dibekukan, jadi omzet tidak bisa dilaporkan atau "
    "dikoreksi. Hubungi Dinas Koperasi & UKM.",
}
DOUBLE_SUBMIT = (
    "Omzet {label} sudah tercatat (formulir mungkin terkirim dua kali). Periksa angkanya di "
    "tabel; gunakan koreksi bila perlu diubah."
)


def omzet_settings() -> services.OmzetSettings:
    return services.OmzetSettings(
        deadline_day=current_app.config["OMZET_DEADLINE_DAY"],
        max_monthly=current_app.config["OMZET_MAX_MONTHLY"],
    )


def chart_markup(bars: list[tuple[str, int | None]], title: str) -> Markup:
    # bar_chart_svg escapes every label and attribute as it builds the string.
    return Markup(chart.bar_chart_svg(bars, title=title))  # noqa: S704


def _own_umkm() -> Umkm:
    umkm = current_user.umkm
    if umkm is None:
        abort(404)
    return umkm


def _not_verified_reason(umkm: Umkm) -> str | None:
    if umkm.status == UmkmStatus.VERIFIED:
        return None
    return NOT_VERIFIED.get(UmkmStatus(umkm.status), NOT_VERIFIED[UmkmStatus.PENDING])


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.UMKM)
def umkm_index() -> Response | tuple[str, int] | str:
    umkm = _own_umkm()
    settings = omzet_settings()
    today = services.today_in_jakarta()
    blocked = _not_verified_reason(umkm)
    overview = reading.overview(db.session, umkm, today)
    form = FilingForm(max_monthly=settings.max_monthly)
    form.set_choices(overview.choices)
    if request.method == "POST" and blocked:
        return _render_index(umkm, form, overview, blocked), 403
    if form.validate_on_submit():
        period: Period = form.period.data
        outcome = attempt(
            lambda: services.file_omzet(
                db.session,
                umkm,
                period,
                form.amount.data,
                actor_id=current_user.id,
                settings=settings,
                today=today,
            ),
            refusals=(IntegrityError,),
        )
        if isinstance(outcome.refusal, IntegrityError):
            # The same month sent twice at once: the unique (umkm, period, revision) caught it.
            flash(DOUBLE_SUBMIT.format(label=period.label), "warning")
            return redirect(url_for("omzet.umkm_index"))
        if outcome.value is None:
            form.period.errors = [*form.period.errors, outcome.error or ""]
        else:
            report = outcome.value
            deadline = tanggal(filing_deadline(period, settings.deadline_day))
            timing = (
                f"terlambat (batas tepat waktu {deadline})"
                if report.is_late
                else f"tepat waktu (batas {deadline})"
            )
            flash(f"Omzet {period.label} {rupiah(report.amount)} tercatat, {timing}.", "success")
            return redirect(url_for("omzet.umkm_index"))
    if form.is_submitted():
        form.period.data = request.form.get("period", "")  # keep the chosen month selected
    return _render_index(umkm, form, overview, blocked)


def _render_index(
    umkm: Umkm, form: FilingForm, overview: reading.Overview, blocked: str | None
) -> str:
    selected = overview.choices[0] if overview.choices else None
    deadline_day = current_app.config["OMZET_DEADLINE_DAY"]
    return render_template(
        "omzet/umkm_index.html",
        umkm_name=umkm.business_name,
        form=form,
        blocked=blocked,
        overview=overview,
        selected=selected,
        deadline=filing_deadline(selected, deadline_day) if selected else None,
        deadline_day=deadline_day,
        derived_scale=reading.scale_label(overview.derived_scale),
        declared_scale=reading.scale_label(overview.declared_scale),
        chart=chart_markup(overview.chart, "Omzet 12 bulan terakhir"),
    )


@bp.route("/koreksi/<period>", methods=["GET", "POST"])
@roles_required(Role.UMKM)
def umkm_correct(period: str) -> Response | tuple[str, int] | str:
    umkm = _own_umkm()
    try:
        month = Period.parse(period)
    except RuleError:
        abort(404)
    revisions = reading.history(db.session, umkm.id, month)
    if not revisions:
        abort(404)
    settings = omzet_settings()
    blocked = _not_verified_reason(umkm)
    form = CorrectionForm(max_monthly=settings.max_monthly)
    if request.method == "POST" and blocked:
        return _render_correct(month, form, revisions, blocked), 403
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.correct_omzet(
                db.session,
                umkm,
                month,
                form.amount.data,
                form.reason.data,
                actor_id=current_user.id,
                settings=settings,
            ),
            refusals=(IntegrityError,),
        )
        if isinstance(outcome.refusal, IntegrityError):
            flash(
                f"Koreksi omzet {month.label} bertabrakan dengan koreksi lain yang baru masuk. "
                "Periksa angka sekarang lalu ulangi bila masih perlu.",
                "warning",
            )
            return redirect(url_for("omzet.umkm_correct", period=str(month)))
        if outcome.value is None:
            form.amount.errors = [*form.amount.errors, outcome.error or ""]
        else:
            report = outcome.value
            flash(
                f"Koreksi omzet {month.label} tersimpan: {rupiah(report.amount)} "
                f"(koreksi ke-{report.revision - 1}).",
                "success",
            )
            return redirect(url_for("omzet.umkm_index"))
    return _render_correct(month, form, revisions, blocked)


def _render_correct(
    month: Period, form: CorrectionForm, revisions: list[reading.RevisionRow], blocked: str | None
) -> str:
    return render_template(
        "omzet/umkm_correct.html",
        month=month,
        form=form,
        current=revisions[0],
        revisions=revisions,
        blocked=blocked,
    )
