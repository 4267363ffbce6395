"""The catalog search: listed products (verified UMKM, active product, active category).

Per page: the category's id when one is chosen, then one query for the page (the page's ids
picked in a subquery, the card columns joined to those only, the capped count as a column; a
second query only when the page is empty or past the end): no ORM objects, no N+1.
Visibility is the one column ``Product.is_listed`` (procure/catalog/listing.py), so a search
joins ``umkm`` only to filter by kecamatan or scale. Text words match as substrings of
``Product.search_text`` (lower-cased product and business names); on PostgreSQL the partial
trigram GIN index ``ix_product_listed_search_trgm`` serves ``LIKE '%word%'``, SQLite scans.
See ``docs/decisions/0002-catalog-search.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, Subquery, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.operators import like_op

from procure.catalog.models import Category, Kecamatan, ProductKind
from procure.catalog.rules import (
    ProductCard,
    SearchPage,
    SearchQuery,
    clamp_page,
    escape_like,
    search_words,
)
from procure.umkm.models import Product, ProductPhoto, Umkm

__all__ = ["ProductCard", "SearchPage", "SearchQuery", "search_products", "umkm_products"]


COUNT_CAP = 1000


def _filtered(*columns: Any, joins: Sequence[type[Any]] = ()) -> Select[Any]:
    """Products, joined to the UMKM and/or category only when a condition looks at them."""
    stmt = select(*columns).select_from(Product)
    if Umkm in joins:
        stmt = stmt.join(Umkm, Umkm.id == Product.umkm_id)
    if Category in joins:
        stmt = stmt.join(Category, Category.id == Product.category_id)
    return stmt


def _cards(page_ids: Subquery) -> Select[Any]:
    """The columns of a product card for the products of one page."""
    return (
        select(
            Product.id,
            Product.name,
            Product.unit,
            Product.unit_price,
            Product.min_order,
            Product.lead_time_days,
            Product.monthly_capacity,
            ProductPhoto.id.label("photo_id"),
            Category.name.label("category_name"),
            ProductKind.name.label("kind_name"),
            Umkm.id.label("umkm_id"),
            Umkm.business_name,
            Kecamatan.name.label("kecamatan_name"),
            Umkm.declared_scale.label("scale"),
        )
        .select_from(page_ids)
        .join(Product, Product.id == page_ids.c.id)
        .join(Umkm, Umkm.id == Product.umkm_id)
        .join(Category, Category.id == Product.category_id)
        .join(ProductKind, ProductKind.id == Product.kind_id)
        .join(Kecamatan, Kecamatan.id == Umkm.kecamatan_id)
        .outerjoin(ProductPhoto, ProductPhoto.product_id == Product.id)
    )


def _order(sort: str) -> tuple[ColumnElement[Any], ...]:
    # The id breaks ties so that pages never overlap or skip a product.
    if sort == "price_asc":
        return (Product.unit_price.asc(), Product.id.asc())
    if sort == "price_desc":
        return (Product.unit_price.desc(), Product.id.asc())
    return (Product.name.asc(), Product.id.asc())


def _conditions(
    q: SearchQuery, category_id: int | None
) -> tuple[list[SQLColumnExpression[bool]], list[type[Any]]]:
    # A plain boolean column, not ``IS TRUE``: PostgreSQL matches ``WHERE is_listed`` to the
    # partial indexes' predicate, ``IS TRUE`` not.
    conditions: list[SQLColumnExpression[bool]] = [Product.is_listed]
    joins: list[type[Any]] = []
    for word in search_words(q.text):
        conditions.append(Product.search_text.like(f"%{escape_like(word)}%", escape="\\"))
    if category_id is not None:
        conditions.append(Product.category_id == category_id)
    if q.kind_id is not None:
        # With its category's id too: the listed-products indexes lead with category_id.
        conditions.append(Product.kind_id == q.kind_id)
    if q.kecamatan_id is not None:
        conditions.append(Umkm.kecamatan_id == q.kecamatan_id)
        joins.append(Umkm)
    if q.scale:
        conditions.append(Umkm.declared_scale == q.scale)
        joins.append(Umkm)
    if q.min_price is not None:
        conditions.append(Product.unit_price >= q.min_price)
    if q.max_price is not None:
        conditions.append(Product.unit_price <= q.max_price)
    return conditions, joins


def _plan_each_search(session: Session, conditions: Sequence[SQLColumnExpression[bool]]) -> None:
    """On PostgreSQL, plan this transaction's searches by words with their actual words.

    psycopg prepares a statement run five times on a connection, and PostgreSQL may then
    reuse one generic plan for every pattern: fine for ``%kemeja%``, a full trigram-index
    scan for ``%ka%`` (no trigram to look up). A custom plan sees the words and picks well.
    A search without words has no pattern to mis-plan, and skips this round trip.
    """
    has_words = any(getattr(c, "operator", None) is like_op for c in conditions)
    if has_words and session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def _page(
    session: Session,
    conditions: Sequence[SQLColumnExpression[bool]],
    joins: Sequence[type[Any]],
    order: Sequence[ColumnElement[Any]],
    page: int,
    per_page: int,
) -> SearchPage:
    per_page = max(1, per_page)
    _plan_each_search(session, conditions)
    # Count at most COUNT_CAP + 1 matches: a broad word ("nasi": 34,000 products) would spend
    # most of the search counting rows nobody pages through. Past the cap the page says
    # "lebih dari 1.000" and asks for a narrower search.
    matches = (
        _filtered(Product.id, joins=joins)
        .where(*conditions)
        .limit(COUNT_CAP + 1)
        .subquery("matches")
    )
    count = select(func.count()).select_from(matches)

    def cards(page: int) -> list[Any]:
        # Pick the page's ids first, then join the card columns to those few rows only: the
        # sort then carries narrow rows, and photos and districts are looked up per_page
        # times. The capped count rides along as a column (one round trip, not two).
        page_ids = (
            _filtered(Product.id, joins=joins)
            .where(*conditions)
            .order_by(*order)
            .offset((page - 1) * per_page)
            .limit(per_page)
            .subquery("page_ids")
        )
        stmt = _cards(page_ids).add_columns(count.scalar_subquery().label("total"))
        return list(session.execute(stmt.order_by(*order)))

    asked = max(page, 1)
    rows = cards(asked)
    # No row: nothing matches, or the page is past the end (then the last page is shown).
    total = rows[0].total if rows else session.execute(count).scalar_one()
    is_capped = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    page = clamp_page(asked, total, per_page)
    if total == 0:
        return SearchPage(items=[], total=0, page=page, per_page=per_page)
    if page != asked:
        rows = cards(page)
    items = [
        ProductCard(**{k: v for k, v in row._asdict().items() if k != "total"}) for row in rows
    ]
    return SearchPage(items=items, total=total, page=page, per_page=per_page, is_capped=is_capped)


def search_products(session: Session, q: SearchQuery) -> SearchPage:
    """One page of catalog products matching ``q`` (a page past the end shows the last)."""
    category_id = None
    if q.category_slug:
        # The id as a constant, not a join on the slug: PostgreSQL then uses the per-category
        # statistics and can walk an index on ``category_id`` in the sort order.
        category_id = session.scalar(
            select(Category.id).where(Category.slug == q.category_slug, Category.is_active)
        )
        if category_id is None:
            return SearchPage(items=[], total=0, page=1, per_page=max(1, q.per_page))
    conditions, joins = _conditions(q, category_id)
    return _page(session, conditions, joins, _order(q.sort), q.page, q.per_page)


def umkm_products(session: Session, umkm_id: int, page: int = 1, per_page: int = 24) -> SearchPage:
    """Active products (in active categories) of one UMKM, by name; visibility is checked by
    the caller, so an admin can look at the products of an UMKM not yet verified."""
    conditions = [Product.umkm_id == umkm_id, Product.is_active, Category.is_active]
    return _page(session, conditions, [Category], _order("name"), page, per_page)
