"""The owner's products: list, create, edit, switch on or off (blueprint ``umkm``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from procure.auth.models import Role
from procure.edge import attempt
from procure.extensions import db
from procure.kinds.services import kind_groups
from procure.paging import PageNav
from procure.umkm import product_services
from procure.umkm.blueprint import bp
from procure.umkm.forms import ProductForm
from procure.umkm.models import Product, ProductPhoto, Umkm
from procure.umkm.photos import PhotoError, PreparedPhoto, prepare_photo
from procure.umkm.rules import Limits
from procure.umkm.view_helpers import current_umkm, photo_url, show_refusal
from procure.web import roles_required
from procure.web_inputs import page_arg

PAGE_SIZE = 20


@dataclass(frozen=True)
class ProductRow:
    id: int
    name: str
    category: str
    kind: str
    unit: str
    unit_price: int
    monthly_capacity: int
    lead_time_days: int
    is_active: bool
    photo_url: str | None


def _limits() -> Limits:
    config = current_app.config
    return Limits(
        max_unit_price=config["PRODUCT_MAX_UNIT_PRICE"],
        max_monthly_capacity=config["PRODUCT_MAX_MONTHLY_CAPACITY"],
        max_lead_time_days=config["PRODUCT_MAX_LEAD_TIME_DAYS"],
    )


def _own_product(umkm: Umkm, product_id: int) -> Product:
    """The product if it belongs to this UMKM; another UMKM's product is simply not found."""
    product = db.session.get(Product, product_id)
    if product is None or product.umkm_id != umkm.id:
        abort(404)
    return product


def _not_verified(umkm: Umkm) -> tuple[str, int]:
    return render_template("umkm/product_form.html", blocked=True, status=umkm.status_label), 403


def _validate(form: ProductForm) -> tuple[bool, PreparedPhoto | None]:
    """Check every field, the figures and the photo at once, so all messages show together."""
    if not form.is_submitted():
        return False, None
    valid = form.validate()
    valid = form.check_figures(_limits()) and valid
    photo_ok, photo = _uploaded_photo(form)
    return valid and photo_ok, photo


def _uploaded_photo(form: ProductForm) -> tuple[bool, PreparedPhoto | None]:
    """(ok, photo): the re-encoded upload, or an error on the photo field."""
    upload = form.photo.data
    if upload is None:
        return True, None
    max_bytes = current_app.config["PHOTO_MAX_BYTES"]
    raw = upload.stream.read(max_bytes + 1)  # one byte more is enough to know it is too big
    try:
        return True, prepare_photo(raw, max_bytes)
    except PhotoError as exc:
        form.photo.errors = [*form.photo.errors, str(exc)]
        return False, None


def _input(form: ProductForm) -> product_services.ProductInput:
    return product_services.ProductInput(
        name=form.name.data,
        kind_id=form.kind_id.data,
        description=form.description.data or None,
        unit=form.unit.data,
        unit_price=form.unit_price.data,
        monthly_capacity=form.monthly_capacity.data,
        lead_time_days=form.lead_time_days.data,
        min_order=form.min_order.data,
        is_active=bool(form.is_active.data),
    )


@bp.route("/produk")
@roles_required(Role.UMKM)
def product_list() -> str:
    umkm = current_umkm()
    page = db.paginate(
        select(Product)
        .where(Product.umkm_id == umkm.id)
        .options(
            joinedload(Product.category),
            joinedload(Product.kind),
            # The list needs the photo's id and hash, not its bytes.
            selectinload(Product.photo).load_only(ProductPhoto.id, ProductPhoto.sha256),
        )
        .order_by(Product.is_active.desc(), Product.name, Product.id),
        page=page_arg(),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    rows = [
        ProductRow(
            id=p.id,
            name=p.name,
            category=p.category.name,
            kind=p.kind.name,
            unit=p.unit,
            unit_price=p.unit_price,
            monthly_capacity=p.monthly_capacity,
            lead_time_days=p.lead_time_days,
            is_active=p.is_active,
            photo_url=photo_url(p.photo),
        )
        for p in page.items
    ]
    return render_template(
        "umkm/product_list.html", page=PageNav.of(page), rows=rows, is_verified=umkm.is_verified
    )


@bp.route("/produk/baru", methods=["GET", "POST"])
@roles_required(Role.UMKM)
def product_new() -> Response | str | tuple[str, int]:
    umkm = current_umkm()
    if not umkm.is_verified:
        return _not_verified(umkm)
    form = ProductForm()
    groups = kind_groups(db.session)
    form.set_choices(groups)
    valid, photo = _validate(form)
    if valid:
        outcome = attempt(
            lambda: product_services.create_product(
                db.session, umkm, _input(form), photo, _limits(), current_user.id
            )
        )
        if outcome.value is not None:
            flash(f"Produk {outcome.value.name} sudah ditambahkan.", "success")
            return redirect(url_for("umkm.product_list"))
        show_refusal(form, outcome)
    return render_template(
        "umkm/product_form.html", form=form, product=None, blocked=False, kind_groups=groups
    )


@bp.route("/produk/<int:product_id>/ubah", methods=["GET", "POST"])
@roles_required(Role.UMKM)
def product_edit(product_id: int) -> Response | str | tuple[str, int]:
    umkm = current_umkm()
    product = _own_product(umkm, product_id)
    if not umkm.is_verified:
        return _not_verified(umkm)
    initial = {
        "name": product.name,
        "kind_id": product.kind_id,
        "description": product.description,
        "unit": product.unit,
        "unit_price": f"{product.unit_price:,}".replace(",", "."),
        "monthly_capacity": str(product.monthly_capacity),
        "lead_time_days": str(product.lead_time_days),
        "min_order": str(product.min_order),
        "is_active": product.is_active,
    }
    form = ProductForm(data=initial if request.method == "GET" else None)
    groups = kind_groups(db.session, keep=[product.kind_id])
    form.set_choices(groups, product.unit)
    valid, photo = _validate(form)
    if valid:
        outcome = attempt(
            lambda: product_services.update_product(
                db.session,
                product,
                _input(form),
                photo,
                bool(form.remove_photo.data),
                _limits(),
                current_user.id,
            )
        )
        if not outcome.ok:
            show_refusal(form, outcome)
        else:
            flash(f"Produk {product.name} sudah disimpan.", "success")
            return redirect(url_for("umkm.product_list"))
    current = {"name": product.name, "photo_url": photo_url(product.photo)}
    return render_template(
        "umkm/product_form.html", form=form, product=current, blocked=False, kind_groups=groups
    )


@bp.route("/produk/<int:product_id>/status", methods=["POST"])
@roles_required(Role.UMKM)
def product_toggle(product_id: int) -> Response:
    umkm = current_umkm()
    product = _own_product(umkm, product_id)
    outcome = attempt(lambda: product_services.toggle_product(db.session, product, current_user.id))
    if not outcome.ok:
        flash(outcome.error or "", "danger")
    else:
        state = (
            "aktif dan tampil di katalog"
            if outcome.value
            else "nonaktif dan tidak tampil di katalog"
        )
        flash(f"Produk {product.name} sekarang {state}.", "success")
    return redirect(url_for("umkm.product_list", page=page_arg()))
