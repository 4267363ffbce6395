"""``product.is_listed``: whether a product shows in the catalog, kept as one column.

A product is listed when it is active, its UMKM is verified and its category is active. The
catalog search reads this one flag instead of joining 100,000 ``umkm`` rows on every query,
and partial indexes (``WHERE is_listed``) hold only what the catalog can show. See
``docs/decisions/0002-catalog-search.md``.

The flag is recomputed in SQL, never set by hand:
- after every ORM flush that adds a product or changes a product's ``is_active`` /
  ``category_id``, a UMKM's ``status`` or a category's ``is_active`` (session listeners below);
- by :func:`refresh_listing` after bulk ``UPDATE`` statements that bypass the ORM (the admin's
  conditional status update) and after bulk inserts (seed).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, event, exists, inspect, or_, select, update
from sqlalchemy.orm import Session

from procure.catalog.kept_results import mark_changed
from procure.catalog.models import Category
from procure.umkm.models import Product, Umkm, UmkmStatus

_PENDING = "procure.listing.pending"


def _listed_expression() -> Any:
    return and_(
        Product.is_active,
        exists(
            select(Umkm.id).where(
                Umkm.id == Product.umkm_id, Umkm.status == UmkmStatus.VERIFIED.value
            )
        ),
        exists(select(Category.id).where(Category.id == Product.category_id, Category.is_active)),
    )


def refresh_listing(
    session: Session,
    *,
    product_ids: Iterable[int] = (),
    umkm_ids: Iterable[int] = (),
    category_ids: Iterable[int] = (),
    everything: bool = False,
) -> int:
    """Recompute ``is_listed`` for the products named, or of the UMKM/categories named.

    Writes only rows whose flag changes; returns how many changed."""
    scopes = []
    for column, ids in (
        (Product.id, product_ids),
        (Product.umkm_id, umkm_ids),
        (Product.category_id, category_ids),
    ):
        wanted = sorted(set(ids))
        if wanted:
            scopes.append(column.in_(wanted))
    if not scopes and not everything:
        return 0
    mark_changed(session)  # the kept search results are stale from this commit on
    listed = _listed_expression()
    stmt = update(Product).values(is_listed=listed).where(Product.is_listed != listed)
    if not everything:
        stmt = stmt.where(or_(*scopes))
    result = session.execute(stmt.execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


def _changed(obj: object, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context: object) -> None:
    """Note what the flush changed that can change a listing (history is still visible here)."""
    pending = session.info.setdefault(
        _PENDING, {"product": set(), "umkm": set(), "category": set()}
    )
    for obj in session.new:
        if isinstance(obj, Product):
            pending["product"].add(obj.id)
    for obj in session.dirty:
        if isinstance(obj, Product) and _changed(obj, "is_active", "category_id", "umkm_id"):
            pending["product"].add(obj.id)
        elif isinstance(obj, Umkm) and _changed(obj, "status"):
            pending["umkm"].add(obj.id)
        elif isinstance(obj, Category) and _changed(obj, "is_active"):
            pending["category"].add(obj.id)


@event.listens_for(Session, "after_flush_postexec")
def _apply(session: Session, _context: object) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending or not any(pending.values()):
        return
    refresh_listing(
        session,
        product_ids=pending["product"],
        umkm_ids=pending["umkm"],
        category_ids=pending["category"],
    )
    # Objects in the session still hold the value they were flushed with.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Product):
            session.expire(obj, ["is_listed"])
