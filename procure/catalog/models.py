"""Catalog reference data: product categories, their product kinds, the city's districts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procure.db import Str50, Str100, utcnow
from procure.extensions import db


class Category(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[Str50] = mapped_column(unique=True)
    name: Mapped[Str100] = mapped_column(unique=True)
    description: Mapped[str | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)

    kinds: Mapped[list[ProductKind]] = relationship(
        back_populates="category", order_by="(ProductKind.sort_order, ProductKind.name)"
    )


class ProductKind(db.Model):  # type: ignore[name-defined,misc]
    """A product kind (jenis barang) under a category: what a request asks for and what a
    product is. Retired (``is_active`` false), never deleted while a product or request uses
    it. The catch-all kind of a category holds what the admin still has to sort."""

    __tablename__ = "product_kind"
    __table_args__ = (
        UniqueConstraint("category_id", "slug", name="uq_product_kind_category_slug"),
        UniqueConstraint("category_id", "name", name="uq_product_kind_category_name"),
        # Products and requests name (kind, category) together, so they cannot disagree.
        UniqueConstraint("id", "category_id", name="uq_product_kind_id_category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    slug: Mapped[Str50]
    name: Mapped[Str100]
    is_active: Mapped[bool] = mapped_column(default=True)
    is_catch_all: Mapped[bool] = mapped_column(default=False)
    sort_order: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    category: Mapped[Category] = relationship(back_populates="kinds")


class Kecamatan(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "kecamatan"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[Str100] = mapped_column(unique=True)

    kelurahan: Mapped[list[Kelurahan]] = relationship(
        back_populates="kecamatan", order_by="Kelurahan.name"
    )


class Kelurahan(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "kelurahan"
    __table_args__ = (UniqueConstraint("kecamatan_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), index=True)
    name: Mapped[Str100]

    kecamatan: Mapped[Kecamatan] = relationship(back_populates="kelurahan")


class CatalogVersion(db.Model):  # type: ignore[name-defined,misc]
    """One row (id 1): a number raised in the same transaction as any change the catalog
    search shows (a product, its photo or price, an UMKM's status or name, a category, a kind,
    a kecamatan). Each worker keeps rendered search results for one number only
    (``procure/catalog/kept_results.py``)."""

    __tablename__ = "catalog_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=1)
