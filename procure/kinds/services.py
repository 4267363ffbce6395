"""Product kinds in the database: find one, place a product by the written rules."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from procure.catalog.models import Category, ProductKind
from procure.kinds.rules import CATCH_ALL_SLUG, kind_for


def kind_by_rule(session: Session, category_id: int, *texts: str) -> int:
    """The id of the kind of this category that ``kind_for`` places these texts in; the
    category's catch-all kind when no rule (or no such kind) does."""
    slug = session.scalar(select(Category.slug).where(Category.id == category_id)) or ""
    wanted = kind_for(slug, *texts)
    rows = dict(
        session.execute(
            select(ProductKind.slug, ProductKind.id).where(
                ProductKind.category_id == category_id,
                ProductKind.slug.in_({wanted, CATCH_ALL_SLUG}),
            )
        ).all()
    )
    found = rows.get(wanted, rows.get(CATCH_ALL_SLUG))
    if found is None:
        raise LookupError(f"Kategori #{category_id} belum punya jenis barang.")
    return found
