"""The first-login prompt: file the three months before registration in one submit.

A UMKM that has filed no omzet at all sees, on its home page, the three months just before the
month it registered (three amount fields, one button) and may put it off with "Nanti saja".
The dismissal lives in the Flask session, keyed by the login (``User.get_id()`` carries the
session version that every logout raises): it holds until the owner logs out, and the prompt
is back at the next login while no omzet is filed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from procure.auth.models import Role
from procure.edge import attempt
from procure.extensions import db
from procure.formatting import rupiah
from procure.omzet import reading, services
from procure.omzet.blueprint import bp
from procure.omzet.forms import DismissForm, FirstMonthsForm
from procure.omzet.rules import FilingWindow, Period
from procure.omzet.views_umkm import DOUBLE_SUBMIT, _not_verified_reason, _own_umkm, omzet_settings
from procure.umkm.models import Umkm, UmkmStatus
from procure.web import roles_required

DISMISSED = "omzet_first_months_later"  # session key: the login (user id:session version)


@dataclass(frozen=True)
class Prompt:
    """What the home page needs to show the invitation: plain values and the form."""

    form: FirstMonthsForm
    dismiss: DismissForm
    months: list[str]  # labels, oldest first, of the months with a field
    registered: str  # "Januari 2026"
    window_sentence: str
    waiting: bool = False  # awaiting verification: the months are named, the form comes later


def _window(umkm: Umkm, today: dt.date) -> FilingWindow:
    return services.filing_window(umkm, today)


def _form(umkm: Umkm, today: dt.date) -> FirstMonthsForm:
    form = FirstMonthsForm(max_monthly=omzet_settings().max_monthly)
    filed = set(services.latest_reports(db.session, umkm.id))
    form.set_months(_window(umkm, today).invited, filed)
    return form


def home_prompt(umkm: Umkm) -> Prompt | None:
    """The invitation for the UMKM home page, or None: some omzet already filed, put off during
    this login, rejected or suspended. A UMKM awaiting verification is told which months it
    will be asked for (it may file once verified)."""
    waiting = umkm.status == UmkmStatus.PENDING
    if _not_verified_reason(umkm) and not waiting:
        return None
    if session.get(DISMISSED) == current_user.get_id():
        return None
    today = services.today_in_jakarta()
    if not reading.invited_months(db.session, umkm, today):
        return None
    prompt = _prompt(umkm, _form(umkm, today), today)
    return replace(prompt, waiting=True) if waiting else prompt


def _prompt(umkm: Umkm, form: FirstMonthsForm, today: dt.date) -> Prompt:
    window = _window(umkm, today)
    return Prompt(
        form=form,
        dismiss=DismissForm(),
        months=[m.label for _, m in form.open_fields()],
        registered=window.registered.label,
        window_sentence=window.sentence,
    )


@bp.route("/awal", methods=["GET", "POST"])
@roles_required(Role.UMKM)
def umkm_first() -> Response | tuple[str, int] | str:
    umkm = _own_umkm()
    today = services.today_in_jakarta()
    blocked = _not_verified_reason(umkm)
    form = _form(umkm, today)
    if blocked:
        status = 403 if request.method == "POST" else 200
        return _render(umkm, form, today, blocked), status
    if not form.open_fields():
        flash("Omzet tiga bulan sebelum pendaftaran sudah dilaporkan semuanya.", "info")
        return redirect(url_for("omzet.umkm_index"))
    if form.validate_on_submit():
        amounts = form.amounts()
        outcome = attempt(
            lambda: services.file_months(
                db.session,
                umkm,
                amounts,
                actor_id=current_user.id,
                settings=omzet_settings(),
                today=today,
            ),
            refusals=(IntegrityError,),
        )
        if isinstance(outcome.refusal, IntegrityError):
            labels = ", ".join(p.label for p in sorted(amounts))
            flash(DOUBLE_SUBMIT.format(label=labels), "warning")
            return redirect(url_for("omzet.umkm_index"))
        if outcome.value is None:
            first = form.open_fields()[0][0]
            first.errors = [*first.errors, outcome.error or ""]
        else:
            filed = "; ".join(
                f"{Period.parse(r.period).label} {rupiah(r.amount)}" for r in outcome.value
            )
            flash(
                f"Omzet tercatat: {filed}. Angka ini langsung dipakai dalam pemerataan pesanan.",
                "success",
            )
            return redirect(url_for("omzet.umkm_index"))
    return _render(umkm, form, today, None)


def _render(umkm: Umkm, form: FirstMonthsForm, today: dt.date, blocked: str | None) -> str:
    return render_template(
        "omzet/umkm_first.html",
        umkm_name=umkm.business_name,
        prompt=_prompt(umkm, form, today),
        blocked=blocked,
    )


@bp.route("/awal/nanti", methods=["POST"])
@roles_required(Role.UMKM)
def umkm_first_later() -> Response:
    _own_umkm()
    if DismissForm().validate_on_submit():
        session[DISMISSED] = current_user.get_id()
        flash(
            "Baik, pengingat omzet disembunyikan sampai Anda keluar. Omzet bisa dilaporkan "
            "kapan saja lewat menu Omzet.",
            "info",
        )
    return redirect(url_for("umkm.home"))
