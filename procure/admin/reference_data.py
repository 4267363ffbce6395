"""Reference data the admin keeps: product categories and the city's kecamatan/kelurahan."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from procure.admin.errors import FieldError
from procure.admin.rules import slugify, unique_slug
from procure.audit.services import changes, record
from procure.catalog.models import Category, Kecamatan, Kelurahan
from procure.catalog.services import ensure_default_kinds
from procure.umkm.models import Product

# -- categories -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    """A category as the admin's list shows it (plain values, not the row)."""

    id: int
    name: str
    slug: str
    description: str | None
    is_active: bool
    product_count: int
    active_product_count: int


def categories_with_counts(session: Session) -> list[CategoryRow]:
    """Every category with how many products use it (all, and active ones)."""
    counts = (
        select(
            Product.category_id,
            func.count().label("total"),
            func.count().filter(Product.is_active.is_(True)).label("active"),
        )
        .group_by(Product.category_id)
        .subquery()
    )
    rows = session.execute(
        select(Category, counts.c.total, counts.c.active)
        .outerjoin(counts, counts.c.category_id == Category.id)
        .order_by(Category.sort_order, Category.name)
    )
    return [
        CategoryRow(c.id, c.name, c.slug, c.description, c.is_active, total or 0, active or 0)
        for c, total, active in rows
    ]


def _check_category_name(session: Session, name: str, exclude_id: int | None) -> None:
    stmt = select(Category.id).where(func.lower(Category.name) == name.lower())
    if exclude_id is not None:
        stmt = stmt.where(Category.id != exclude_id)
    if session.scalar(stmt) is not None:
        raise FieldError("name", f"Kategori \u201c{name}\u201d sudah ada; pakai nama lain.")


def create_category(
    session: Session, name: str, description: str | None, actor_id: int
) -> Category:
    """Add a category; its slug comes from the name and never collides."""
    _check_category_name(session, name, None)
    base = slugify(name)
    if not base:
        raise FieldError("name", "Nama kategori harus memuat huruf atau angka.")
    slug = unique_slug(base, set(session.scalars(select(Category.slug))))
    last = session.scalar(select(func.max(Category.sort_order))) or 0
    category = Category(name=name, slug=slug, description=description or None, sort_order=last + 10)
    session.add(category)
    session.flush()
    ensure_default_kinds(session)  # its catch-all kind, so products can be filed at once
    record(
        session,
        actor_id,
        "category.create",
        category,
        f"Kategori {name} ditambahkan",
        {"name": name, "slug": slug},
    )
    return category


def update_category(
    session: Session,
    category: Category,
    name: str,
    description: str | None,
    is_active: bool,
    actor_id: int,
) -> dict[str, object]:
    """Rename, describe or (de)activate a category. The slug stays: links keep working."""
    _check_category_name(session, name, category.id)
    after = {"name": name, "description": description or None, "is_active": is_active}
    diff = changes({k: getattr(category, k) for k in after}, after)
    if not diff:
        return diff
    for key, value in after.items():
        setattr(category, key, value)
    record(session, actor_id, "category.update", category, f"Kategori {name} diubah", diff)
    return diff


# -- wilayah ----------------------------------------------------------------------------------


def kecamatan_list(session: Session) -> list[Kecamatan]:
    return list(
        session.scalars(
            select(Kecamatan).options(selectinload(Kecamatan.kelurahan)).order_by(Kecamatan.name)
        )
    )


def add_kecamatan(session: Session, name: str, actor_id: int) -> Kecamatan:
    """Add a kecamatan; a name already there (in any letter case) is refused."""
    if session.scalar(select(Kecamatan.id).where(func.lower(Kecamatan.name) == name.lower())):
        raise FieldError("name", f"Kecamatan {name} sudah ada.")
    kecamatan = Kecamatan(name=name)
    session.add(kecamatan)
    session.flush()
    record(session, actor_id, "region.kecamatan", kecamatan, f"Kecamatan {name} ditambahkan")
    return kecamatan


def add_kelurahan(session: Session, kecamatan: Kecamatan, name: str, actor_id: int) -> Kelurahan:
    """Add a kelurahan to a kecamatan; a name already in that kecamatan is refused."""
    exists = session.scalar(
        select(Kelurahan.id).where(
            Kelurahan.kecamatan_id == kecamatan.id, func.lower(Kelurahan.name) == name.lower()
        )
    )
    if exists:
        raise FieldError("name", f"Kelurahan {name} sudah ada di Kecamatan {kecamatan.name}.")
    kelurahan = Kelurahan(kecamatan_id=kecamatan.id, name=name)
    session.add(kelurahan)
    session.flush()
    record(
        session,
        actor_id,
        "region.kelurahan",
        kelurahan,
        f"Kelurahan {name} ditambahkan ke Kecamatan {kecamatan.name}",
        {"kecamatan_id": kecamatan.id},
    )
    return kelurahan
