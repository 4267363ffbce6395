"""The admin's "to sort" list: products and requests in a catch-all kind, each with the kind
the written rules suggest (when they place it), and moving one to a kind of its category.

The product's owner is not asked (the admin files it where it belongs; the move is audited).
A request is moved only while it is not decided: a decided request keeps the kind it was
decided under.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from procure.audit.services import record
from procure.catalog.models import Category, ProductKind
from procure.kinds.rules import CATCH_ALL_SLUG, kind_for
from procure.kinds.services import KindChoice, KindError, catch_all_ids
from procure.opd.models import Opd
from procure.procurement.models import PurchaseRequest, RequestStatus
from procure.umkm.models import Product, Umkm


@dataclass(frozen=True)
class SortRow:
    """One product or request to sort, with where the rules would put it."""

    id: int
    name: str
    owner: str  # the UMKM's business name, or the code of the request's OPD
    category_id: int
    category_name: str
    suggested_id: int | None
    suggested_name: str | None


@dataclass(frozen=True)
class SortList:
    rows: tuple[SortRow, ...]
    total: int
    # The kinds each category may be moved to (active, not catch-all), by category id.
    choices: dict[int, tuple[KindChoice, ...]]


def _targets(
    session: Session,
) -> tuple[dict[int, tuple[KindChoice, ...]], dict[tuple[int, str], KindChoice]]:
    by_category: dict[int, list[KindChoice]] = {}
    by_slug: dict[tuple[int, str], KindChoice] = {}
    rows = session.execute(
        select(ProductKind.category_id, ProductKind.id, ProductKind.name, ProductKind.slug)
        .where(ProductKind.is_active, ProductKind.is_catch_all.is_(False))
        .order_by(ProductKind.sort_order, ProductKind.name)
    )
    for category_id, kind_id, name, slug in rows:
        choice = KindChoice(kind_id, name)
        by_category.setdefault(category_id, []).append(choice)
        by_slug[(category_id, slug)] = choice
    return {c: tuple(k) for c, k in by_category.items()}, by_slug


def _suggest(
    by_slug: dict[tuple[int, str], KindChoice], category_id: int, category_slug: str, *texts: str
) -> KindChoice | None:
    slug = kind_for(category_slug, *texts)
    return None if slug == CATCH_ALL_SLUG else by_slug.get((category_id, slug))


def _sort_list(session: Session, rows: Sequence[Row[Any]], total: int) -> SortList:
    """``rows`` (id, name, owner, category id, name and slug, then more texts to place it by
    beside its name, each possibly None) with the kind the written rules suggest for each, and
    the kinds to move to."""
    choices, by_slug = _targets(session)
    out = []
    for row_id, name, owner, category_id, category_name, category_slug, *more in rows:
        hint = _suggest(by_slug, category_id, category_slug, name, *(t or "" for t in more))
        out.append(
            SortRow(
                row_id, name, owner, category_id, category_name,
                hint.id if hint else None, hint.name if hint else None,
            )
        )  # fmt: skip
    return SortList(tuple(out), int(total), choices)


def products_to_sort(session: Session, page: int, per_page: int) -> SortList:
    """One page of the products in a catch-all kind, oldest first."""
    where = Product.kind_id.in_(catch_all_ids(session))
    total = session.scalar(select(func.count()).select_from(Product).where(where)) or 0
    rows = session.execute(
        select(Product.id, Product.name, Umkm.business_name, Category.id, Category.name,
               Category.slug)
        .join(Umkm, Umkm.id == Product.umkm_id)
        .join(Category, Category.id == Product.category_id)
        .where(where)
        .order_by(Product.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()  # fmt: skip
    return _sort_list(session, rows, total)


def requests_to_sort(session: Session, limit: int = 50) -> SortList:
    """The undecided requests in a catch-all kind (few: officers pick a kind), oldest first."""
    where = PurchaseRequest.kind_id.in_(catch_all_ids(session)) & (
        PurchaseRequest.status == RequestStatus.DRAFT.value
    )
    total = session.scalar(select(func.count()).select_from(PurchaseRequest).where(where)) or 0
    rows = session.execute(
        select(PurchaseRequest.id, PurchaseRequest.title, Opd.code, Category.id, Category.name,
               Category.slug, PurchaseRequest.specification)
        .join(Category, Category.id == PurchaseRequest.category_id)
        .join(Opd, Opd.id == PurchaseRequest.opd_id)
        .where(where)
        .order_by(PurchaseRequest.id)
        .limit(limit)
    ).all()  # fmt: skip
    return _sort_list(session, rows, total)


def _target(session: Session, category_id: int, kind_id: int | None) -> ProductKind:
    kind = session.get(ProductKind, kind_id) if kind_id is not None else None
    if kind is None or kind.category_id != category_id:
        raise KindError("Pilih jenis barang dari kategori yang sama.", "kind_id")
    if not kind.is_active:
        raise KindError(f"Jenis barang {kind.name} sudah dipensiunkan; pilih jenis lain.")
    return kind


def _move(
    session: Session,
    item: Product | PurchaseRequest,
    label: str,
    action: str,
    kind_id: int | None,
    actor_id: int,
) -> str:
    """File ``item`` (named ``label`` in messages) under a kind of its category, audited as
    ``action``; the success message."""
    kind = _target(session, item.category_id, kind_id)
    before = item.kind_id
    if before == kind.id:
        return f"{label} memang sudah di jenis {kind.name}."
    item.kind_id = kind.id
    session.flush()
    record(
        session,
        actor_id,
        action,
        item,
        f"{label} dipindah ke jenis {kind.name} oleh admin",
        {"kind_id": [before, kind.id]},
    )
    return f"{label} sekarang di jenis {kind.name}."


def move_product(session: Session, product_id: int, kind_id: int | None, actor_id: int) -> str:
    """File a product under another kind of its category; the success message."""
    product = session.get(Product, product_id)
    if product is None:
        raise KindError("Produk itu tidak ada lagi.")
    return _move(session, product, f"Produk {product.name}", "product.kind", kind_id, actor_id)


def move_request(session: Session, request_id: int, kind_id: int | None, actor_id: int) -> str:
    """File an undecided request under another kind of its category; the success message."""
    request = session.get(PurchaseRequest, request_id)
    if request is None:
        raise KindError("Permintaan itu tidak ada lagi.")
    if request.status != RequestStatus.DRAFT.value:
        raise KindError("Permintaan yang sudah diputuskan atau dibatalkan tidak dipindah jenisnya.")
    return _move(session, request, f"Permintaan {request.title}", "request.kind", kind_id, actor_id)
