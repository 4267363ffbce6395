"""Categories, wilayah (kecamatan/kelurahan) and the audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from procure.admin import reference_data
from procure.admin.audit_log import AuditFilter, audit_query, entity_types
from procure.admin.blueprint import admin_only, bp, filter_args, paginate, show_refusal
from procure.admin.forms import (
    AuditFilterForm,
    CategoryEditForm,
    CategoryForm,
    KecamatanForm,
    KelurahanForm,
    options,
)
from procure.admin.list_rows import audit_rows, region_rows
from procure.admin.presenters import data_lines
from procure.catalog.models import Category, Kecamatan
from procure.edge import attempt
from procure.extensions import db
from procure.input_rules import parse_id
from procure.paging import PageNav

AUDIT_PAGE_SIZE = 50


def _admin_posts_only() -> None:
    """Pages that list and add on one URL: only admins may add (inspectors only read)."""
    if current_user.role != "admin":
        abort(403)


# -- categories -------------------------------------------------------------------------------


@bp.route("/kategori", methods=["GET", "POST"])
def category_list() -> Response | str:
    form = CategoryForm()
    if request.method == "POST":
        _admin_posts_only()
        if form.validate_on_submit():
            outcome = attempt(
                lambda: reference_data.create_category(
                    db.session, form.name.data or "", form.description.data, current_user.id
                )
            )
            if outcome.value is not None:
                flash(f"Kategori {outcome.value.name} sudah ditambahkan.", "success")
                return redirect(url_for("admin.category_list"))
            show_refusal(form, outcome)
    rows = reference_data.categories_with_counts(db.session)
    return render_template("admin/category_list.html", form=form, rows=rows)


@bp.route("/kategori/<int:category_id>", methods=["GET", "POST"])
@admin_only
def category_edit(category_id: int) -> Response | str:
    category = db.get_or_404(Category, category_id)
    form = CategoryEditForm(obj=category)
    if form.validate_on_submit():
        outcome = attempt(
            lambda: reference_data.update_category(
                db.session,
                category,
                form.name.data or "",
                form.description.data,
                bool(form.is_active.data),
                current_user.id,
            )
        )
        if outcome.ok:
            flash(
                "Perubahan kategori tersimpan." if outcome.value else "Tidak ada yang berubah.",
                "success",
            )
            return redirect(url_for("admin.category_list"))
        show_refusal(form, outcome)
    # The template gets the two names it prints, not the row.
    shown = {"name": category.name, "slug": category.slug}
    return render_template("admin/category_form.html", form=form, category=shown)


# -- wilayah ----------------------------------------------------------------------------------


@bp.route("/wilayah", methods=["GET", "POST"])
def region_list() -> Response | str:
    # Two forms on one page: prefixes keep their field names (and ids) apart.
    kec_form = KecamatanForm(prefix="kec")
    kel_form = KelurahanForm(prefix="kel")
    regions = region_rows(reference_data.kecamatan_list(db.session))
    kel_form.kecamatan_id.choices = options(
        "\u2014 pilih kecamatan \u2014", ((k.id, k.name) for k in regions)
    )
    if request.method == "POST":
        _admin_posts_only()
        form = kec_form if "kec-name" in request.form else kel_form
        if form.validate_on_submit():
            outcome = attempt(lambda: _add_region(kec_form, kel_form))
            if outcome.value:
                flash(outcome.value, "success")
                return redirect(url_for("admin.region_list"))
            show_refusal(form, outcome)
    return render_template(
        "admin/region_list.html", regions=regions, kec_form=kec_form, kel_form=kel_form
    )


def _add_region(kec_form: KecamatanForm, kel_form: KelurahanForm) -> str | None:
    """Add what was submitted; the success message, or None with the error on the form.

    A service's refusal (a ``FieldError`` on the name) propagates to ``attempt``."""
    if "kec-name" in request.form:
        kecamatan = reference_data.add_kecamatan(
            db.session, kec_form.name.data or "", current_user.id
        )
        return f"Kecamatan {kecamatan.name} sudah ditambahkan."
    raw = kel_form.kecamatan_id.data or ""
    parent_id = parse_id(raw)
    parent = db.session.get(Kecamatan, parent_id) if parent_id else None
    if parent is None:
        kel_form.kecamatan_id.errors.append("Pilih kecamatan tempat kelurahan ini berada.")
        return None
    kelurahan = reference_data.add_kelurahan(
        db.session, parent, kel_form.name.data or "", current_user.id
    )
    return f"Kelurahan {kelurahan.name} sudah ditambahkan ke Kecamatan {parent.name}."


# -- audit log --------------------------------------------------------------------------------


@bp.get("/audit")
def audit_log() -> str:
    form = AuditFilterForm(formdata=request.args)
    types = entity_types(db.session)
    form.entity_type.choices = options("Semua jenis", ((t, t) for t in types))
    valid = form.validate()
    filters = AuditFilter(
        action_prefix=form.action.data or None,
        entity_type=form.entity_type.data if form.entity_type.data in types else None,
        actor_email=form.actor.data or None,
        date_from=form.date_from.data if valid else None,
        date_to=form.date_to.data if valid else None,
    )
    page = paginate(audit_query(filters), per_page=AUDIT_PAGE_SIZE)
    return render_template(
        "admin/audit_log.html",
        form=form,
        page=PageNav.of(page),
        rows=audit_rows(page.items),
        args=filter_args(form),
        data_lines=data_lines,
    )
