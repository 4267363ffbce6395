"""Verification queue, UMKM detail with its checklist and decisions, and the UMKM list."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from procure.admin import services_umkm
from procure.admin.blueprint import PAGE_SIZE, admin_only, bp, filter_args, form_errors, paginate
from procure.admin.forms import ReasonForm, UmkmFilterForm, VerifyForm, options
from procure.admin.list_rows import audit_rows, umkm_page, umkm_rows
from procure.admin.presenters import data_lines
from procure.admin.rules import MANUAL_CHECKS, Action, allowed_actions
from procure.capped_paging import capped_page
from procure.catalog.models import Category, Kecamatan
from procure.edge import attempt
from procure.extensions import db
from procure.input_rules import parse_id
from procure.omzet.reading import derived_scale_text
from procure.paging import PageNav
from procure.umkm.models import Product, Umkm, UmkmReview, UmkmStatus
from procure.web_inputs import page_arg

FLASH_DONE = {
    Action.VERIFY: "sudah diverifikasi dan kini tampil di katalog.",
    Action.REJECT: "ditolak. Alasan tersimpan dan bisa dibaca pelaku UMKM.",
    Action.SUSPEND: "dibekukan; produknya tidak tampil di katalog.",
    Action.REINSTATE: "dipulihkan dan kembali terverifikasi.",
}


@bp.get("/verifikasi")
def verification_queue() -> str:
    page = paginate(services_umkm.pending_query())
    rows = umkm_rows(page.items, with_categories=False)
    return render_template("admin/queue.html", page=PageNav.of(page), rows=rows)


def _render_detail(
    umkm: Umkm,
    verify_form: VerifyForm | None = None,
    reason_form: ReasonForm | None = None,
) -> str:
    ticked = {key: bool(verify_form[key].data) for key in MANUAL_CHECKS} if verify_form else {}
    return render_template(
        "admin/umkm_detail.html",
        umkm=umkm_page(umkm),
        checklist=services_umkm.checklist_for(db.session, umkm, ticked),
        actions=[a.value for a in allowed_actions(umkm.status)],
        verify_form=verify_form or VerifyForm(),
        reason_form=reason_form or ReasonForm(),
        audit=audit_rows(services_umkm.audit_for(db.session, umkm)),
        derived_scale=derived_scale_text(db.session, umkm.id),
        data_lines=data_lines,
        action_labels={a.value: a.label for a in Action},
        status_labels={s.value: s.label for s in UmkmStatus},
    )


def _load(umkm_id: int) -> Umkm:
    """The UMKM with what its page shows, loaded here rather than one row at a time."""
    return db.get_or_404(
        Umkm,
        umkm_id,
        options=[
            joinedload(Umkm.kecamatan),
            joinedload(Umkm.kelurahan),
            joinedload(Umkm.owner),
            selectinload(Umkm.categories),
            selectinload(Umkm.products).joinedload(Product.category),
            selectinload(Umkm.reviews).joinedload(UmkmReview.actor),
        ],
    )


@bp.get("/umkm/<int:umkm_id>")
def umkm_detail(umkm_id: int) -> str:
    return _render_detail(_load(umkm_id))


def _decide(umkm_id: int, action: Action) -> Response | str:
    umkm = _load(umkm_id)
    verify_form = VerifyForm() if action == Action.VERIFY else None
    reason_form = ReasonForm() if action != Action.VERIFY else None
    form = verify_form or reason_form
    assert form is not None
    if not form.validate_on_submit():
        for message in form_errors(form):
            flash(message, "danger")
        return _render_detail(umkm, verify_form, reason_form)
    ticked: dict[str, bool] = {}
    if verify_form is not None:
        ticked = {key: bool(verify_form[key].data) for key in MANUAL_CHECKS}
        reason = verify_form.note.data
    else:
        reason = form.reason.data
    outcome = attempt(
        lambda: services_umkm.review_umkm(db.session, umkm, action, current_user.id, reason, ticked)
    )
    if not outcome.ok:
        flash(outcome.error or "", "danger")
        return _render_detail(umkm, verify_form, reason_form)
    flash(f"{umkm.business_name} {FLASH_DONE[action]}", "success")
    if action in (Action.VERIFY, Action.REJECT):
        return redirect(url_for("admin.verification_queue"))
    return redirect(url_for("admin.umkm_detail", umkm_id=umkm.id))


@bp.post("/umkm/<int:umkm_id>/verifikasi")
@admin_only
def umkm_verify(umkm_id: int) -> Response | str:
    return _decide(umkm_id, Action.VERIFY)


@bp.post("/umkm/<int:umkm_id>/tolak")
@admin_only
def umkm_reject(umkm_id: int) -> Response | str:
    return _decide(umkm_id, Action.REJECT)


@bp.post("/umkm/<int:umkm_id>/bekukan")
@admin_only
def umkm_suspend(umkm_id: int) -> Response | str:
    return _decide(umkm_id, Action.SUSPEND)


@bp.post("/umkm/<int:umkm_id>/pulihkan")
@admin_only
def umkm_reinstate(umkm_id: int) -> Response | str:
    return _decide(umkm_id, Action.REINSTATE)


def _as_int(value: str | None) -> int | None:
    return parse_id(value)


@bp.get("/umkm")
def umkm_list() -> str:
    form = UmkmFilterForm(formdata=request.args)
    form.status.choices = options("Semua status", ((s.value, s.label) for s in UmkmStatus))
    kecamatan = db.session.scalars(select(Kecamatan).order_by(Kecamatan.name))
    form.kecamatan.choices = options("Semua kecamatan", ((k.id, k.name) for k in kecamatan))
    categories = db.session.scalars(select(Category).order_by(Category.sort_order, Category.name))
    form.category.choices = options("Semua kategori", ((c.id, c.name) for c in categories))
    status = form.status.data if form.status.data in {s.value for s in UmkmStatus} else None
    stmt = services_umkm.umkm_query(
        q=form.q.data or None,
        status=status,
        kecamatan_id=_as_int(form.kecamatan.data),
        category_id=_as_int(form.category.data),
    )
    # 100,000 UMKM: count at most COUNT_CAP + 1 of the matches (the page says "lebih dari").
    page = capped_page(db.session, stmt, Umkm.id, page=page_arg(), per_page=PAGE_SIZE)
    return render_template(
        "admin/umkm_list.html",
        form=form,
        page=page.nav,
        is_capped=page.is_capped,
        rows=umkm_rows(page.items),
        args=filter_args(form),
    )
