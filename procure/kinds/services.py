"""Product kinds in the database: the admin's tree (create, rename, retire, delete an unused
one), the pickers' choices, and placing a product by the written rules.

Services take the session, flush and never commit; a refusal is a ``KindError`` (a
``RuleError`` naming the form field its message belongs to). Every change is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procure.admin.rules import unique_slug
from procure.audit.services import record
from procure.catalog.models import Category, ProductKind
from procure.input_rules import RuleError
from procure.kinds.rules import CATCH_ALL_SLUG, checked_name, slug_for
from procure.procurement.models import PurchaseRequest, RequestStatus
from procure.umkm.models import Product

CATCH_ALL_FIXED = (
    "Jenis “Lainnya (perlu dipilah)” adalah penampung produk yang belum dipilah; "
    "jenis ini tidak bisa diubah, dipensiunkan, atau dihapus."
)


class KindError(RuleError):
    """A refused change to a kind; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# -- the tree as the admin sees it -------------------------------------------------------------


@dataclass(frozen=True)
class KindRow:
    id: int
    name: str
    slug: str
    is_active: bool
    is_catch_all: bool
    product_count: int
    request_count: int

    @property
    def in_use(self) -> bool:
        return bool(self.product_count or self.request_count)


@dataclass(frozen=True)
class CategoryKinds:
    id: int
    name: str
    is_active: bool
    kinds: tuple[KindRow, ...]


def _counts(session: Session, column: object, kind_column: object) -> dict[int, int]:
    rows = session.execute(
        select(kind_column, func.count()).select_from(column).group_by(kind_column)  # type: ignore[arg-type]
    )
    return dict(rows.tuples().all())


def kind_tree(session: Session) -> list[CategoryKinds]:
    """Every category (in the admin's order) with its kinds and how many products and
    requests name each; three queries whatever the size."""
    products = _counts(session, Product, Product.kind_id)
    requests = _counts(session, PurchaseRequest, PurchaseRequest.kind_id)
    kinds: dict[int, list[KindRow]] = {}
    for k in session.scalars(
        select(ProductKind).order_by(ProductKind.sort_order, ProductKind.name, ProductKind.id)
    ):
        kinds.setdefault(k.category_id, []).append(
            KindRow(
                k.id, k.name, k.slug, k.is_active, k.is_catch_all,
                products.get(k.id, 0), requests.get(k.id, 0),
            )
        )  # fmt: skip
    return [
        CategoryKinds(c.id, c.name, c.is_active, tuple(kinds.get(c.id, ())))
        for c in session.scalars(select(Category).order_by(Category.sort_order, Category.name))
    ]


def catch_all_ids(session: Session) -> list[int]:
    """The catch-all kinds (one per category). Read first and given to the product counts as
    values: PostgreSQL then counts them from the kind index (about 1 ms at 200,000 products),
    where a subquery made it guess a share of the table and scan all of it (about 35 ms)."""
    return list(session.scalars(select(ProductKind.id).where(ProductKind.is_catch_all)))


def to_sort_count(session: Session) -> int:
    """Products, and requests not yet decided, still in a catch-all kind."""
    catch_all = catch_all_ids(session)
    products = session.scalar(
        select(func.count()).select_from(Product).where(Product.kind_id.in_(catch_all))
    )
    requests = session.scalar(
        select(func.count())
        .select_from(PurchaseRequest)
        .where(
            PurchaseRequest.kind_id.in_(catch_all),
            PurchaseRequest.status == RequestStatus.DRAFT.value,
        )
    )
    return int(products or 0) + int(requests or 0)


# -- the pickers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindChoice:
    id: int
    name: str


@dataclass(frozen=True)
class KindGroup:
    """One ``<optgroup>``: a category and the kinds a product or request may be filed under."""

    category_id: int
    category_name: str
    category_slug: str
    kinds: tuple[KindChoice, ...]


def kind_groups(
    session: Session, keep: Iterable[int] = (), *, catch_all: bool = True
) -> list[KindGroup]:
    """Active kinds of active categories, grouped, in the admin's order (the catch-all last),
    plus the kinds in ``keep`` (the one a product or request already has, even retired).
    ``catch_all=False`` leaves out the "Lainnya (perlu dipilah)" kinds: a purchase request
    names a real kind (one that is missing is added by the admin first)."""
    keep = tuple(keep)
    offered = ProductKind.is_active & Category.is_active
    if not catch_all:
        offered = offered & ~ProductKind.is_catch_all
    if keep:
        offered = offered | ProductKind.id.in_(keep)
    rows = session.execute(
        select(Category.id, Category.name, Category.slug, ProductKind.id, ProductKind.name)
        .join(ProductKind, ProductKind.category_id == Category.id)
        .where(offered)
        .order_by(Category.sort_order, Category.name, ProductKind.sort_order, ProductKind.name)
    )
    groups: dict[int, tuple[str, str, list[KindChoice]]] = {}
    for category_id, category_name, category_slug, kind_id, kind_name in rows:
        kinds = groups.setdefault(category_id, (category_name, category_slug, []))[2]
        kinds.append(KindChoice(kind_id, kind_name))
    return [
        KindGroup(category_id, name, slug, tuple(kinds))
        for category_id, (name, slug, kinds) in groups.items()
    ]


def offered_kind(
    session: Session, kind_id: int | None, keep: int | None = None, *, catch_all: bool = True
) -> ProductKind:
    """The kind chosen in a picker, if it may be chosen: active in an active category (and
    not a catch-all kind with ``catch_all=False``), or the one the record already has
    (``keep``). Otherwise a ``KindError`` on ``kind_id``."""
    kind = session.get(ProductKind, kind_id) if kind_id is not None else None
    if kind is None:
        raise KindError("Pilih jenis barang dari daftar.", "kind_id")
    if kind.id != keep:
        if kind.is_catch_all and not catch_all:
            raise KindError(
                f"“{kind.name}” bukan jenis barang yang dapat diminta; pilih jenisnya, atau "
                "minta admin menambahkan jenis yang belum ada.",
                "kind_id",
            )
        if not kind.is_active:
            raise KindError(
                f"Jenis barang “{kind.name}” sudah tidak dipakai lagi; pilih jenis lain.",
                "kind_id",
            )
        if not kind.category.is_active:
            raise KindError(
                f"Kategori {kind.category.name} sedang tidak aktif; pilih jenis lain.", "kind_id"
            )
    return kind


# -- the admin's changes -----------------------------------------------------------------------


def _check_unique(session: Session, category_id: int, name: str, exclude: int | None) -> None:
    stmt = select(ProductKind.id).where(
        ProductKind.category_id == category_id, func.lower(ProductKind.name) == name.lower()
    )
    if exclude is not None:
        stmt = stmt.where(ProductKind.id != exclude)
    if session.scalar(stmt) is not None:
        raise KindError(f"Jenis “{name}” sudah ada di kategori ini; pakai nama lain.", "name")


def _checked(raw: str | None) -> str:
    try:
        return checked_name(raw)
    except RuleError as exc:
        raise KindError(str(exc), "name") from None


def create_kind(session: Session, category_id: int, raw_name: str, actor_id: int) -> ProductKind:
    """Add a kind under a category, before its catch-all kind; its slug comes from the name."""
    category = session.get(Category, category_id)
    if category is None:
        raise KindError("Pilih kategori dari daftar.", "category_id")
    name = _checked(raw_name)
    _check_unique(session, category.id, name, None)
    taken = set(
        session.scalars(select(ProductKind.slug).where(ProductKind.category_id == category.id))
    )
    last = session.scalar(
        select(func.max(ProductKind.sort_order)).where(
            ProductKind.category_id == category.id, ProductKind.is_catch_all.is_(False)
        )
    )
    kind = ProductKind(
        category_id=category.id,
        slug=unique_slug(slug_for(name), taken | {CATCH_ALL_SLUG}),
        name=name,
        sort_order=(last or 0) + 10,
    )
    session.add(kind)
    session.flush()
    record(
        session,
        actor_id,
        "kind.create",
        kind,
        f"Jenis barang {name} ditambahkan ke kategori {category.name}",
        {"name": name, "slug": kind.slug, "category_id": category.id},
    )
    return kind


def _not_catch_all(kind: ProductKind) -> None:
    if kind.is_catch_all:
        raise KindError(CATCH_ALL_FIXED)


def rename_kind(session: Session, kind: ProductKind, raw_name: str, actor_id: int) -> bool:
    """Rename a kind (its slug stays, so links and the default tree keep matching it);
    False when the name did not change."""
    _not_catch_all(kind)
    name = _checked(raw_name)
    if name == kind.name:
        return False
    _check_unique(session, kind.category_id, name, kind.id)
    before = kind.name
    kind.name = name
    session.flush()
    record(
        session,
        actor_id,
        "kind.rename",
        kind,
        f"Jenis barang {before} diganti nama menjadi {name}",
        {"name": [before, name]},
    )
    return True


def set_kind_active(session: Session, kind: ProductKind, active: bool, actor_id: int) -> bool:
    """Retire a kind (no longer offered to UMKM and officers; what uses it keeps it) or bring
    it back; False when it already was so."""
    _not_catch_all(kind)
    if kind.is_active == active:
        return False
    kind.is_active = active
    session.flush()
    verb = "diaktifkan kembali" if active else "dipensiunkan"
    record(
        session,
        actor_id,
        "kind.activate" if active else "kind.retire",
        kind,
        f"Jenis barang {kind.name} {verb}",
        {"is_active": [not active, active]},
    )
    return True


def kind_usage(session: Session, kind_id: int) -> tuple[int, int]:
    """(products, requests) that name this kind."""
    products = session.scalar(select(func.count()).where(Product.kind_id == kind_id))
    requests = session.scalar(select(func.count()).where(PurchaseRequest.kind_id == kind_id))
    return int(products or 0), int(requests or 0)


def delete_kind(session: Session, kind: ProductKind, actor_id: int) -> str:
    """Delete a kind no product or request names; returns its name. One in use is refused
    (retire it instead)."""
    _not_catch_all(kind)
    products, requests = kind_usage(session, kind.id)
    if products or requests:
        raise KindError(
            f"Jenis barang {kind.name} dipakai {products} produk dan {requests} permintaan, "
            "jadi tidak bisa dihapus. Pensiunkan saja agar tidak ditawarkan lagi."
        )
    name, category_id = kind.name, kind.category_id
    record(
        session,
        actor_id,
        "kind.delete",
        kind,
        f"Jenis barang {name} dihapus",
        {"name": name, "slug": kind.slug, "category_id": category_id},
    )
    session.delete(kind)
    session.flush()
    return name
