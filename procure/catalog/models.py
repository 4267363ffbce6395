"""Catalog reference data: product categories and the city's districts."""

from __future__ import annotations

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procure.db import Str50, Str100
from procure.extensions import db


class Category(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[Str50] = mapped_column(unique=True)
    name: Mapped[Str100] = mapped_column(unique=True)
    description: Mapped[str | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)


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
