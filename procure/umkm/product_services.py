"""Product use cases for a UMKM owner: create, update, switch on or off.

Services take the session, flush and never commit. The figures are checked here too (not
only in the form) because imports and other callers come through these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procure.audit.services import changes, record
from procure.kinds.services import KindError, offered_kind
from procure.umkm.models import Product, ProductPhoto, Umkm
from procure.umkm.photos import PreparedPhoto
from procure.umkm.rules import UNITS, Limits, check_product_figures
from procure.umkm.services import UmkmError, product_search_text

NOT_VERIFIED = (
    "Produk hanya bisa ditambah atau diubah oleh usaha yang sudah diverifikasi Dinas "
    "Koperasi & UKM."
)


@dataclass(frozen=True)
class ProductInput:
    """A product's fields as the owner filled them in, already parsed."""

    name: str
    # The kind picked in the form; the product's category is the kind's.
    kind_id: int | None
    description: str | None
    unit: str
    unit_price: int
    monthly_capacity: int
    lead_time_days: int
    min_order: int
    is_active: bool


def _snapshot(product: Product) -> dict[str, Any]:
    return {
        "name": product.name,
        "category_id": product.category_id,
        "kind_id": product.kind_id,
        "description": product.description,
        "unit": product.unit,
        "unit_price": product.unit_price,
        "monthly_capacity": product.monthly_capacity,
        "lead_time_days": product.lead_time_days,
        "min_order": product.min_order,
        "is_active": product.is_active,
        "photo_sha256": product.photo.sha256 if product.photo else None,
    }


def _check(
    session: Session, umkm: Umkm, data: ProductInput, limits: Limits, current: Product | None
) -> int:
    """Every rule at once (all messages together); the chosen kind's category id."""
    if not umkm.is_verified:
        raise UmkmError({"": NOT_VERIFIED})
    errors = check_product_figures(
        data.unit_price, data.monthly_capacity, data.lead_time_days, data.min_order, limits
    )
    if not data.name.strip():
        errors["name"] = "Nama produk wajib diisi."
    if data.unit not in UNITS and (current is None or data.unit != current.unit):
        errors["unit"] = "Pilih satuan dari daftar."
    category_id = 0
    try:
        # A retired kind (or one of an inactive category) is refused, unless the product
        # already has it: an owner may keep editing a product filed long ago.
        kind = offered_kind(session, data.kind_id, keep=current.kind_id if current else None)
        category_id = kind.category_id
    except KindError as exc:
        errors["kind_id"] = str(exc)
    if errors:
        raise UmkmError(errors)
    return category_id


def _apply(product: Product, data: ProductInput, umkm: Umkm, category_id: int) -> None:
    product.name = data.name
    # Both, explicitly: the kind relationship is view-only and the pair is one foreign key.
    product.kind_id = data.kind_id  # type: ignore[assignment]  # checked by _check
    product.category_id = category_id
    product.description = data.description
    product.unit = data.unit
    product.unit_price = data.unit_price
    product.monthly_capacity = data.monthly_capacity
    product.lead_time_days = data.lead_time_days
    product.min_order = data.min_order
    product.is_active = data.is_active
    product.search_text = product_search_text(data.name, umkm.business_name)


def _set_photo(product: Product, photo: PreparedPhoto) -> None:
    # Update the row in place: replacing it would insert before deleting and trip the
    # unique product_id. Photo URLs carry the hash, so caches see the new picture.
    target = product.photo or ProductPhoto()
    target.data = photo.data
    target.content_type = photo.content_type
    target.sha256 = photo.sha256
    target.width = photo.width
    target.height = photo.height
    product.photo = target


def create_product(
    session: Session,
    umkm: Umkm,
    data: ProductInput,
    photo: PreparedPhoto | None,
    limits: Limits,
    actor_id: int,
) -> Product:
    """Add a product to a verified UMKM's catalog."""
    category_id = _check(session, umkm, data, limits, None)
    product = Product(umkm=umkm)
    _apply(product, data, umkm, category_id)
    if photo is not None:
        _set_photo(product, photo)
    session.add(product)
    session.flush()
    record(
        session,
        actor_id,
        "product.create",
        product,
        f"Produk {product.name} ditambahkan oleh {umkm.business_name}",
        _snapshot(product),
    )
    return product


def update_product(
    session: Session,
    product: Product,
    data: ProductInput,
    photo: PreparedPhoto | None,
    remove_photo: bool,
    limits: Limits,
    actor_id: int,
) -> dict[str, Any]:
    """Change a product; returns the changed fields (also written to the audit log)."""
    umkm = product.umkm
    category_id = _check(session, umkm, data, limits, product)
    before = _snapshot(product)
    _apply(product, data, umkm, category_id)
    if photo is not None:
        _set_photo(product, photo)
    elif remove_photo and product.photo is not None:
        product.photo = None  # delete-orphan removes the row
    session.flush()
    changed = changes(before, _snapshot(product))
    if changed:
        record(
            session, actor_id, "product.update", product, f"Produk {product.name} diubah", changed
        )
    return changed


def toggle_product(session: Session, product: Product, actor_id: int) -> bool:
    """Switch a product on or off; returns the new state. Only a verified UMKM switches on."""
    if not product.is_active and not product.umkm.is_verified:
        raise UmkmError({"": NOT_VERIFIED})
    product.is_active = not product.is_active
    session.flush()
    record(
        session,
        actor_id,
        "product.activate" if product.is_active else "product.deactivate",
        product,
        f"Produk {product.name} {'diaktifkan' if product.is_active else 'dinonaktifkan'}",
        {"is_active": [not product.is_active, product.is_active]},
    )
    return product.is_active


@dataclass(frozen=True)
class ProductCounts:
    active: int
    inactive: int


def product_counts(session: Session, umkm_id: int) -> ProductCounts:
    rows = dict(
        session.execute(
            select(Product.is_active, func.count())
            .where(Product.umkm_id == umkm_id)
            .group_by(Product.is_active)
        )
        .tuples()
        .all()
    )
    return ProductCounts(active=rows.get(True, 0), inactive=rows.get(False, 0))
