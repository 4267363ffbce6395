"""Catalog use cases: categories, wilayah, the product search and the public pages' data.

Pages get plain frozen dataclasses, never ORM objects. The search itself lives in
``procure.catalog.search`` and is re-exported here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procure.catalog.models import Category, Kecamatan, Kelurahan, ProductKind
from procure.catalog.rules import whatsapp_number
from procure.catalog.search import (
    ProductCard,
    SearchPage,
    SearchQuery,
    search_products,
    umkm_products,
)
from procure.kinds.rules import CATCH_ALL_NAME, CATCH_ALL_SLUG, DEFAULT_TREE
from procure.kinds.services import kind_groups
from procure.umkm.models import BusinessScale, Product, ProductPhoto, Umkm, UmkmStatus

__all__ = [
    "ProductCard",
    "SearchPage",
    "SearchQuery",
    "search_products",
    "umkm_products",
]

# The categories every Pemda starts with (issue 2); admins add or deactivate more.
DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("konsumsi", "Konsumsi / Katering"),
    ("seragam", "Seragam / Konveksi"),
    ("batik", "Batik"),
    ("sepatu", "Sepatu"),
    ("atk", "Alat Tulis Kantor (ATK)"),
    ("percetakan", "Percetakan"),
    ("kerajinan", "Kerajinan / Suvenir"),
)


def ensure_default_categories(session: Session) -> int:
    """Add any missing default category; returns how many were added."""
    existing = set(session.scalars(select(Category.slug)))
    added = 0
    for order, (slug, name) in enumerate(DEFAULT_CATEGORIES):
        if slug not in existing:
            session.add(Category(slug=slug, name=name, sort_order=order * 10))
            added += 1
    session.flush()
    ensure_default_kinds(session)
    return added


CATCH_ALL_ORDER = 1000  # the catch-all kind comes last in every picker


def ensure_default_kinds(session: Session) -> int:
    """Give a category that has no kinds yet the default kinds of its slug
    (procure/kinds/rules.py), and every category its catch-all kind; returns how many were
    added. A category that has kinds keeps them as the admin left them: a default kind the
    admin deleted does not come back, a renamed or retired one stays so (matched by slug)."""
    have: dict[int, set[str]] = {}
    for category_id, slug in session.execute(select(ProductKind.category_id, ProductKind.slug)):
        have.setdefault(category_id, set()).add(slug)
    added = 0
    for category_id, slug in session.execute(select(Category.id, Category.slug)).tuples():
        existing = have.get(category_id, set())
        wanted = [(CATCH_ALL_SLUG, CATCH_ALL_NAME, True, CATCH_ALL_ORDER)]
        if not existing:
            rules = DEFAULT_TREE.get(slug, ())
            wanted += [(r.slug, r.name, False, i * 10) for i, r in enumerate(rules)]
        for kind_slug, name, catch_all, order in wanted:
            if kind_slug not in existing:
                session.add(
                    ProductKind(
                        category_id=category_id, slug=kind_slug, name=name,
                        is_catch_all=catch_all, sort_order=order,
                    )
                )  # fmt: skip
                added += 1
    session.flush()
    return added


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class CategoryCount:
    slug: str
    name: str
    product_count: int


@dataclass(frozen=True)
class KindFilterGroup:
    """The kinds of one category in the catalog's kind select (an ``<optgroup>``)."""

    category_slug: str
    category_name: str
    kinds: tuple[Option, ...]  # (kind id, name)


def kind_filter_groups(session: Session) -> list[KindFilterGroup]:
    """Active kinds of active categories, grouped by category in the admin's order (the
    pickers' groups, ``kind_groups``, as options)."""
    return [
        KindFilterGroup(
            g.category_slug, g.category_name, tuple(Option(str(k.id), k.name) for k in g.kinds)
        )
        for g in kind_groups(session)
    ]


def category_options(session: Session) -> list[Option]:
    """Active categories, in the admin's order, as (slug, name) options."""
    rows = session.execute(
        select(Category.slug, Category.name)
        .where(Category.is_active)
        .order_by(Category.sort_order, Category.name)
    )
    return [Option(slug, name) for slug, name in rows]


def kecamatan_options(session: Session) -> list[Option]:
    """Every kecamatan by name, as (id, name) options."""
    rows = session.execute(select(Kecamatan.id, Kecamatan.name).order_by(Kecamatan.name))
    return [Option(str(id_), name) for id_, name in rows]


def category_counts(session: Session) -> list[CategoryCount]:
    """Active categories with how many products the catalog shows in each (one query)."""
    # Count per category first (PostgreSQL can split that over workers), then attach the
    # counts to the categories so that an empty one shows 0.
    counts = (
        select(Product.category_id, func.count().label("n"))
        .join(Umkm, Umkm.id == Product.umkm_id)
        .where(Product.is_active, Umkm.status == UmkmStatus.VERIFIED.value)
        .group_by(Product.category_id)
        .subquery("counts")
    )
    rows = session.execute(
        select(Category.slug, Category.name, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.category_id == Category.id)
        .where(Category.is_active)
        .order_by(Category.sort_order, Category.name)
    )
    return [CategoryCount(slug, name, total) for slug, name, total in rows]


def _listing_problems(product_active: bool, category_active: bool, status: str) -> list[str]:
    problems = []
    if status != UmkmStatus.VERIFIED:
        problems.append(f"status UMKM: {UmkmStatus(status).label}")
    if not product_active:
        problems.append("produk dinonaktifkan oleh pemiliknya")
    if not category_active:
        problems.append("kategorinya tidak aktif")
    return problems


@dataclass(frozen=True)
class ProductDetail:
    id: int
    name: str
    description: str | None
    unit: str
    unit_price: int
    min_order: int
    monthly_capacity: int
    lead_time_days: int
    photo_id: int | None
    category_name: str
    category_slug: str
    kind_name: str
    umkm_id: int
    business_name: str
    kecamatan_name: str
    kelurahan_name: str
    scale_label: str
    whatsapp: str | None
    # Why the catalog does not show it (empty when it does).
    hidden_reasons: tuple[str, ...]

    @property
    def is_listed(self) -> bool:
        return not self.hidden_reasons


def product_detail(session: Session, product_id: int) -> ProductDetail | None:
    """A product with its seller, in one query; ``None`` when there is no such product."""
    row = session.execute(
        select(
            Product.id,
            Product.name,
            Product.description,
            Product.unit,
            Product.unit_price,
            Product.min_order,
            Product.monthly_capacity,
            Product.lead_time_days,
            Product.is_active,
            ProductPhoto.id.label("photo_id"),
            Category.name.label("category_name"),
            Category.slug.label("category_slug"),
            Category.is_active.label("category_active"),
            ProductKind.name.label("kind_name"),
            Umkm.id.label("umkm_id"),
            Umkm.business_name,
            Umkm.status,
            Umkm.declared_scale,
            Umkm.phone,
            Kecamatan.name.label("kecamatan_name"),
            Kelurahan.name.label("kelurahan_name"),
        )
        .select_from(Product)
        .join(Umkm, Umkm.id == Product.umkm_id)
        .join(Category, Category.id == Product.category_id)
        .join(ProductKind, ProductKind.id == Product.kind_id)
        .join(Kecamatan, Kecamatan.id == Umkm.kecamatan_id)
        .join(Kelurahan, Kelurahan.id == Umkm.kelurahan_id)
        .outerjoin(ProductPhoto, ProductPhoto.product_id == Product.id)
        .where(Product.id == product_id)
    ).one_or_none()
    if row is None:
        return None
    return ProductDetail(
        id=row.id,
        name=row.name,
        description=row.description,
        unit=row.unit,
        unit_price=row.unit_price,
        min_order=row.min_order,
        monthly_capacity=row.monthly_capacity,
        lead_time_days=row.lead_time_days,
        photo_id=row.photo_id,
        category_name=row.category_name,
        category_slug=row.category_slug,
        kind_name=row.kind_name,
        umkm_id=row.umkm_id,
        business_name=row.business_name,
        kecamatan_name=row.kecamatan_name,
        kelurahan_name=row.kelurahan_name,
        scale_label=BusinessScale(row.declared_scale).label,
        whatsapp=whatsapp_number(row.phone),
        hidden_reasons=tuple(_listing_problems(row.is_active, row.category_active, row.status)),
    )


@dataclass(frozen=True)
class UmkmProfile:
    id: int
    business_name: str
    owner_name: str
    kecamatan_name: str
    kelurahan_name: str
    scale_label: str
    category_names: tuple[str, ...]
    description: str | None
    whatsapp: str | None
    member_since: dt.datetime
    status_label: str
    is_verified: bool
    # Only for admin and inspector; ``None`` for everyone else. NIK and bank details are
    # never part of the public profile, whoever looks.
    nib: str | None
    npwp: str | None


def umkm_profile(session: Session, umkm_id: int, *, with_identifiers: bool) -> UmkmProfile | None:
    """The public profile of an UMKM; NIB/NPWP only ``with_identifiers``."""
    umkm = session.get(Umkm, umkm_id)
    if umkm is None:
        return None
    return UmkmProfile(
        id=umkm.id,
        business_name=umkm.business_name,
        owner_name=umkm.owner_name,
        kecamatan_name=umkm.kecamatan.name,
        kelurahan_name=umkm.kelurahan.name,
        scale_label=umkm.scale_label,
        category_names=tuple(c.name for c in umkm.categories if c.is_active),
        description=umkm.description,
        whatsapp=whatsapp_number(umkm.phone),
        member_since=umkm.verified_at or umkm.submitted_at,
        status_label=umkm.status_label,
        is_verified=umkm.is_verified,
        nib=umkm.nib if with_identifiers else None,
        npwp=umkm.npwp if with_identifiers else None,
    )
