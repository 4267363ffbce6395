"""UMKM (the suppliers), their products, photos and verification history."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    String,
    Table,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procure.catalog.models import Category, Kecamatan, Kelurahan, ProductKind
from procure.db import Money, Str20, Str50, Str100, Str200, Str255, utcnow
from procure.extensions import db

if TYPE_CHECKING:
    from procure.auth.models import User


class UmkmStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    SUSPENDED = "suspended"

    @property
    def label(self) -> str:
        return {
            "pending": "Menunggu verifikasi",
            "verified": "Terverifikasi",
            "rejected": "Ditolak",
            "suspended": "Dibekukan",
        }[self.value]


class BusinessScale(enum.StrEnum):
    MIKRO = "mikro"
    KECIL = "kecil"
    MENENGAH = "menengah"

    @property
    def label(self) -> str:
        return {"mikro": "Usaha Mikro", "kecil": "Usaha Kecil", "menengah": "Usaha Menengah"}[
            self.value
        ]


umkm_category = Table(
    "umkm_category",
    db.metadata,
    Column("umkm_id", ForeignKey("umkm.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("category.id"), primary_key=True),
)


class Umkm(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "umkm"
    __table_args__ = (
        Index("ix_umkm_status_kecamatan", "status", "kecamatan_id"),
        # The admin's UMKM list, newest applications first (migration 0017).
        Index("ix_umkm_submitted_at_id", "submitted_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_name: Mapped[Str200] = mapped_column(index=True)
    owner_name: Mapped[Str200]
    nik: Mapped[Str20]
    nib: Mapped[Str20] = mapped_column(unique=True)
    npwp: Mapped[Str20]
    address: Mapped[Str255]
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"))
    kelurahan_id: Mapped[int] = mapped_column(ForeignKey("kelurahan.id"), index=True)
    phone: Mapped[Str50]
    bank_name: Mapped[Str100]
    bank_account_number: Mapped[Str50]
    bank_account_name: Mapped[Str200]
    declared_scale: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None]
    is_own_production: Mapped[bool] = mapped_column(default=True)
    # Tax status, printed on documents: PPN only for a PKP; PPh final 0,5 % with a PP 55/2022
    # certificate instead of PPh 22/23 (procure/documents/taxes.py).
    is_pkp: Mapped[bool] = mapped_column(default=False, server_default=false())
    has_pp55_certificate: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(20), default=UmkmStatus.PENDING.value)
    status_reason: Mapped[str | None]
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    verified_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    kecamatan: Mapped[Kecamatan] = relationship()
    kelurahan: Mapped[Kelurahan] = relationship()
    categories: Mapped[list[Category]] = relationship(
        secondary=umkm_category, order_by=Category.sort_order
    )
    products: Mapped[list[Product]] = relationship(back_populates="umkm", order_by="Product.name")
    owner: Mapped[User | None] = relationship(back_populates="umkm")
    reviews: Mapped[list[UmkmReview]] = relationship(
        back_populates="umkm", order_by="UmkmReview.at.desc()"
    )

    @property
    def status_label(self) -> str:
        return UmkmStatus(self.status).label

    @property
    def scale_label(self) -> str:
        return BusinessScale(self.declared_scale).label

    @property
    def is_verified(self) -> bool:
        return self.status == UmkmStatus.VERIFIED


class UmkmReview(db.Model):  # type: ignore[name-defined,misc]
    """One verification decision: verify, reject, suspend or reinstate, with its reason."""

    __tablename__ = "umkm_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    umkm_id: Mapped[int] = mapped_column(ForeignKey("umkm.id"), index=True)
    action: Mapped[Str20]
    from_status: Mapped[Str20]
    to_status: Mapped[Str20]
    reason: Mapped[str | None]
    checklist: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    umkm: Mapped[Umkm] = relationship(back_populates="reviews")
    actor: Mapped[User] = relationship()


class Product(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "product"
    __table_args__ = (
        CheckConstraint("unit_price > 0", name="unit_price_positive"),
        CheckConstraint("monthly_capacity > 0", name="monthly_capacity_positive"),
        CheckConstraint("lead_time_days >= 0", name="lead_time_days_non_negative"),
        CheckConstraint("min_order >= 1", name="min_order_positive"),
        Index("ix_product_category_active", "category_id", "is_active"),
        Index("ix_product_kind_active", "kind_id", "is_active"),
        # The kind belongs to the product's category (migration 0010).
        ForeignKeyConstraint(
            ["kind_id", "category_id"],
            ["product_kind.id", "product_kind.category_id"],
            name="fk_product_kind_category",
        ),
        # Catalog search (procure/catalog/search.py) reads listed products only, so its indexes
        # hold only those: a substring match on a lower-cased copy of product and business
        # names (trigram GIN on PostgreSQL serves LIKE '%term%'; SQLite scans), and the
        # category's (or every) listed product in name order for the first page.
        Index(
            "ix_product_listed_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
            postgresql_where=text("is_listed"),
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_product_listed_category_name",
            "category_id",
            "name",
            "id",
            postgresql_where=text("is_listed"),
            sqlite_where=text("is_listed"),
        ),
        Index(
            "ix_product_listed_name",
            "name",
            "id",
            postgresql_where=text("is_listed"),
            sqlite_where=text("is_listed"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    umkm_id: Mapped[int] = mapped_column(ForeignKey("umkm.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    kind_id: Mapped[int]
    name: Mapped[Str200]
    description: Mapped[str | None]
    unit: Mapped[Str20]
    unit_price: Mapped[Money]
    monthly_capacity: Mapped[int]
    lead_time_days: Mapped[int]
    min_order: Mapped[int] = mapped_column(default=1)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Active, UMKM verified and category active: maintained by procure/catalog/listing.py.
    is_listed: Mapped[bool] = mapped_column(default=False, server_default=false())
    search_text: Mapped[str] = mapped_column(default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    umkm: Mapped[Umkm] = relationship(back_populates="products")
    category: Mapped[Category] = relationship()
    kind: Mapped[ProductKind] = relationship(viewonly=True)
    photo: Mapped[ProductPhoto | None] = relationship(
        back_populates="product", cascade="all, delete-orphan", uselist=False
    )


class ProductPhoto(db.Model):  # type: ignore[name-defined,misc]
    """A product photo, re-encoded on upload and kept in the database.

    In the database rather than on disk so several app servers share it with no shared disk.
    """

    __tablename__ = "product_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), unique=True)
    content_type: Mapped[Str50]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[Str100]
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    product: Mapped[Product] = relationship(back_populates="photo")
