"""The admin's product kinds: the category → kind tree and the "to sort" list.

Admins change; inspectors read the same two lists (no forms); OPD and UMKM get 403.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import Form
from wtforms.fields.choices import SelectChoice

from procure.catalog.models import ProductKind
from procure.edge import Outcome, attempt
from procure.extensions import db
from procure.kinds import services, sorting
from procure.kinds.forms import KindDeleteForm, KindForm, KindRenameForm, KindStatusForm, MoveForm
from procure.kinds.services import KindError
from procure.paging import PageNav
from procure.web import require_roles, roles_required
from procure.web_inputs import page_arg

bp = Blueprint("kinds", __name__, url_prefix="/admin/jenis-barang")
bp.before_request(require_roles("admin", "inspector"))
admin_only = roles_required("admin")

SORT_PAGE_SIZE = 25


def _show_refusal(form: Form, outcome: Outcome[Any]) -> None:
    refusal = outcome.refusal
    if isinstance(refusal, KindError) and refusal.field and refusal.field in form:
        form[refusal.field].errors = [*form[refusal.field].errors, outcome.error or ""]
    elif outcome.error:
        flash(outcome.error, "danger")


def _kind(kind_id: int) -> ProductKind:
    kind = db.session.get(ProductKind, kind_id)
    if kind is None:
        abort(404)
    return kind


@bp.route("/", methods=["GET", "POST"])
def kind_list() -> Response | str:
    form = KindForm()
    tree = services.kind_tree(db.session)
    form.category_id.choices = [SelectChoice("", "— Pilih kategori —")] + [
        SelectChoice(str(c.id), c.name) for c in tree
    ]
    if request.method == "POST":
        if current_user.role != "admin":
            abort(403)
        if form.validate_on_submit():
            outcome = attempt(
                lambda: services.create_kind(
                    db.session, form.category_id.data, form.name.data or "", current_user.id
                )
            )
            if outcome.value is not None:
                flash(f"Jenis barang {outcome.value.name} sudah ditambahkan.", "success")
                return redirect(url_for("kinds.kind_list"))
            _show_refusal(form, outcome)
    return render_template(
        "kinds/list.html",
        tree=tree,
        form=form,
        to_sort=services.to_sort_count(db.session),
        may_edit=current_user.role == "admin",
    )


@bp.route("/<int:kind_id>", methods=["GET", "POST"])
@admin_only
def kind_edit(kind_id: int) -> Response | str:
    kind = _kind(kind_id)
    form = KindRenameForm(data={"name": kind.name} if request.method == "GET" else None)
    if form.validate_on_submit():
        outcome = attempt(
            lambda: services.rename_kind(db.session, kind, form.name.data or "", current_user.id)
        )
        if outcome.ok:
            flash("Nama jenis barang tersimpan." if outcome.value else "Tidak ada yang berubah.")
            return redirect(url_for("kinds.kind_list"))
        _show_refusal(form, outcome)
    products, requests = services.kind_usage(db.session, kind.id)
    shown = {
        "id": kind.id,
        "name": kind.name,
        "slug": kind.slug,
        "category_name": kind.category.name,
        "is_active": kind.is_active,
        "is_catch_all": kind.is_catch_all,
        "product_count": products,
        "request_count": requests,
    }
    return render_template("kinds/edit.html", form=form, kind=shown)


@bp.post("/<int:kind_id>/status")
@admin_only
def kind_status(kind_id: int) -> Response:
    kind = _kind(kind_id)
    form = KindStatusForm()
    if not form.validate_on_submit():
        flash("Permintaan tidak valid; muat ulang halaman lalu coba lagi.", "danger")
        return redirect(url_for("kinds.kind_edit", kind_id=kind_id))
    active = form.is_active.data == "1"
    outcome = attempt(lambda: services.set_kind_active(db.session, kind, active, current_user.id))
    if not outcome.ok:
        flash(outcome.error or "", "danger")
    elif active:
        flash(f"Jenis barang {kind.name} aktif lagi dan bisa dipilih.", "success")
    else:
        flash(
            f"Jenis barang {kind.name} dipensiunkan: tidak ditawarkan lagi ke UMKM dan pejabat "
            "pengadaan; produk dan permintaan yang sudah memakainya tetap.",
            "success",
        )
    return redirect(url_for("kinds.kind_list"))


@bp.post("/<int:kind_id>/hapus")
@admin_only
def kind_delete(kind_id: int) -> Response:
    kind = _kind(kind_id)
    if not KindDeleteForm().validate_on_submit():
        flash("Permintaan tidak valid; muat ulang halaman lalu coba lagi.", "danger")
        return redirect(url_for("kinds.kind_edit", kind_id=kind_id))
    outcome = attempt(lambda: services.delete_kind(db.session, kind, current_user.id))
    if not outcome.ok:
        flash(outcome.error or "", "danger")
        return redirect(url_for("kinds.kind_edit", kind_id=kind_id))
    flash(f"Jenis barang {outcome.value} sudah dihapus.", "success")
    return redirect(url_for("kinds.kind_list"))


@bp.get("/pilah")
def sort_list() -> str:
    page = page_arg()
    size = current_app.config.get("KIND_SORT_PAGE_SIZE", SORT_PAGE_SIZE)
    products = sorting.products_to_sort(db.session, page, size)
    requests = sorting.requests_to_sort(db.session)
    return render_template(
        "kinds/sort.html",
        products=products,
        requests=requests,
        page=PageNav(page=page, per_page=size, total=products.total),
        may_edit=current_user.role == "admin",
    )


def _move(work: Any) -> Response:
    form = MoveForm()
    if not form.validate_on_submit():
        flash(" ".join(form.kind_id.errors) or "Pilih jenis barang dari daftar.", "danger")
    else:
        outcome = attempt(lambda: work(form.kind_id.data))
        flash(outcome.value or outcome.error or "", "success" if outcome.ok else "danger")
    return redirect(url_for("kinds.sort_list", page=page_arg()))


@bp.post("/pilah/produk/<int:product_id>")
@admin_only
def sort_product(product_id: int) -> Response:
    return _move(
        lambda kind_id: sorting.move_product(db.session, product_id, kind_id, current_user.id)
    )


@bp.post("/pilah/permintaan/<int:request_id>")
@admin_only
def sort_request(request_id: int) -> Response:
    return _move(
        lambda kind_id: sorting.move_request(db.session, request_id, kind_id, current_user.id)
    )
