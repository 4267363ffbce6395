"""OPD management and accounts."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from procure.admin import organisations
from procure.admin.blueprint import admin_only, bp, filter_args, paginate, show_refusal
from procure.admin.forms import OpdForm, UserFilterForm, UserForm, options
from procure.admin.list_rows import opd_rows, opd_with_officers, user_rows
from procure.admin.organisations import OpdData
from procure.auth import reset
from procure.auth.models import Role, User
from procure.auth.views import reset_link_settings
from procure.edge import attempt
from procure.extensions import db
from procure.input_rules import parse_id
from procure.opd.models import Opd
from procure.paging import PageNav

# -- OPD --------------------------------------------------------------------------------------


@bp.get("/opd")
def opd_list() -> str:
    page = paginate(organisations.opd_query())
    return render_template("admin/opd_list.html", page=PageNav.of(page), rows=opd_rows(page.items))


@bp.get("/opd/<int:opd_id>")
def opd_detail(opd_id: int) -> str:
    opd, officers = opd_with_officers(db.get_or_404(Opd, opd_id))
    return render_template("admin/opd_detail.html", opd=opd, officers=officers)


def _opd_data(form: OpdForm) -> OpdData:
    return OpdData(
        code=form.code.data or "",
        name=form.name.data or "",
        address=form.address.data or "",
        head_name=form.head_name.data or "",
        head_nip=form.head_nip.data or None,
        is_active=bool(form.is_active.data),
        treasurer_name=form.treasurer_name.data or None,
        treasurer_nip=form.treasurer_nip.data or None,
        treasurer_email=form.treasurer_email.data or None,
        treasurer_phone=form.treasurer_phone.data or None,
        phone=form.phone.data or None,
        email=form.email.data or None,
    )


@bp.route("/opd/baru", methods=["GET", "POST"])
@admin_only
def opd_new() -> Response | str:
    form = OpdForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: organisations.create_opd(db.session, _opd_data(form), current_user.id)
        )
        if outcome.value is not None:
            flash(f"OPD {outcome.value.name} sudah ditambahkan.", "success")
            return redirect(url_for("admin.opd_detail", opd_id=outcome.value.id))
        show_refusal(form, outcome)
    return render_template("admin/opd_form.html", form=form, opd=None)


@bp.route("/opd/<int:opd_id>/ubah", methods=["GET", "POST"])
@admin_only
def opd_edit(opd_id: int) -> Response | str:
    opd = db.get_or_404(Opd, opd_id)
    form = OpdForm(obj=opd)
    if form.validate_on_submit():
        outcome = attempt(
            lambda: organisations.update_opd(db.session, opd, _opd_data(form), current_user.id)
        )
        if outcome.ok:
            flash(
                "Perubahan OPD tersimpan." if outcome.value else "Tidak ada yang berubah.",
                "success",
            )
            return redirect(url_for("admin.opd_detail", opd_id=opd_id))
        show_refusal(form, outcome)
    return render_template("admin/opd_form.html", form=form, opd={"id": opd.id, "name": opd.name})


# -- accounts ---------------------------------------------------------------------------------


@bp.get("/akun")
def user_list() -> str:
    form = UserFilterForm(formdata=request.args)
    form.role.choices = options("Semua peran", ((r.value, r.label) for r in Role))
    role = form.role.data if form.role.data in {r.value for r in Role} else None
    page = paginate(organisations.users_query(role))
    return render_template(
        "admin/user_list.html",
        form=form,
        page=PageNav.of(page),
        rows=user_rows(page.items),
        args=filter_args(form),
    )


@bp.route("/akun/baru", methods=["GET", "POST"])
@admin_only
def user_new() -> Response | str:
    form = UserForm()
    opds = organisations.active_opds(db.session)
    form.opd_id.choices = options("\u2014 pilih OPD \u2014", ((o.id, o.name) for o in opds))
    if form.validate_on_submit():
        raw_opd = form.opd_id.data or ""
        outcome = attempt(
            lambda: organisations.create_staff_account(
                db.session,
                email=form.email.data or "",
                password=form.password.data or "",
                full_name=form.full_name.data or "",
                role=form.role.data or "",
                opd_id=parse_id(raw_opd),
                nip=form.nip.data,
                jabatan=form.jabatan.data,
                actor_id=current_user.id,
            )
        )
        if outcome.value is not None:
            flash(f"Akun {outcome.value.email} sudah dibuat.", "success")
            return redirect(url_for("admin.user_list"))
        show_refusal(form, outcome)
    return render_template("admin/user_form.html", form=form)


@bp.post("/akun/<int:user_id>/status")
@admin_only
def user_toggle(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    enable = not user.is_enabled
    email = user.email
    outcome = attempt(lambda: organisations.set_enabled(db.session, user, enable, current_user))
    if outcome.ok:
        word = "diaktifkan kembali" if enable else "dinonaktifkan"
        flash(f"Akun {email} {word}.", "success")
    else:
        flash(outcome.error or "", "danger")
    return redirect(url_for("admin.user_list"))


@bp.post("/akun/<int:user_id>/sandi")
@admin_only
def user_reset_password(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash("Ganti kata sandi Anda sendiri lewat menu Kata sandi.", "warning")
        return redirect(url_for("auth.password"))
    outcome = attempt(lambda: organisations.reset_password(db.session, user, current_user.id))
    if outcome.value is None:
        flash(outcome.error or "", "danger")
        return redirect(url_for("admin.user_list"))
    password = outcome.value
    # Rendered directly, never flashed: a flash would sit in the session cookie.
    response = make_response(
        render_template(
            "admin/user_password.html",
            user={"email": user.email, "full_name": user.full_name},
            password=password,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/akun/<int:user_id>/tautan-sandi")
@admin_only
def user_send_reset_link(user_id: int) -> Response:
    """E-mail the account a one-time link to set a new password (docs/accounts.md)."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash("Ganti kata sandi Anda sendiri lewat menu Kata sandi.", "warning")
        return redirect(url_for("auth.password"))
    settings = reset_link_settings()
    outcome = attempt(
        lambda: reset.issue_link(
            db.session,
            user,
            settings,
            requested_by_id=current_user.id,
            ip=request.remote_addr,
        )
    )
    if outcome.ok:
        flash(
            f"Tautan atur ulang kata sandi dikirim ke {user.email}; berlaku "
            f"{settings.minutes} menit dan sekali pakai. Tautan lama yang belum dipakai "
            "tidak berlaku lagi.",
            "success",
        )
    else:
        flash(outcome.error or "", "danger")
    return redirect(url_for("admin.user_list"))
