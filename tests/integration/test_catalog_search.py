"""The catalog search service on SQLite and PostgreSQL: visibility, words, filters, order, pages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from procure.catalog.models import Category
from procure.catalog.services import (
    SearchQuery,
    category_counts,
    product_detail,
    search_products,
    umkm_products,
    umkm_profile,
)
from procure.extensions import db
from procure.umkm.models import ProductPhoto, UmkmStatus
from tests import factories


def names(q: SearchQuery) -> list[str]:
    return [card.name for card in search_products(db.session, q).items]


@contextmanager
def counted_selects() -> Iterator[list[str]]:
    statements: list[str] = []

    def grab(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", grab)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", grab)


def test_only_verified_umkm_and_active_products_in_active_categories(session) -> None:
    shown = factories.product(name="Tampil")
    for status in (UmkmStatus.PENDING, UmkmStatus.SUSPENDED, UmkmStatus.REJECTED):
        factories.product(owner=factories.umkm(status=status), name=f"Usaha {status}")
    factories.product(name="Produk Nonaktif", is_active=False)
    old = factories.category("lama")
    old.is_active = False
    factories.product(name="Kategori Nonaktif", category_slug="lama")
    session.commit()

    page = search_products(session, SearchQuery())

    assert [card.name for card in page.items] == ["Tampil"]
    assert page.total == 1
    card = page.items[0]
    assert card.id == shown.id
    assert card.business_name == shown.umkm.business_name
    assert card.kecamatan_name == "Sukamaju Utara"
    assert card.category_name == "Batik"
    assert card.unit_price == 175_000
    assert card.scale == "mikro"
    assert card.photo_id is None


def test_card_carries_photo_id(session) -> None:
    product = factories.product(name="Berfoto")
    photo = ProductPhoto(
        product=product, content_type="image/jpeg", data=b"x", sha256="ab", width=4, height=3
    )
    session.add(photo)
    session.commit()

    assert search_products(session, SearchQuery()).items[0].photo_id == photo.id


def test_text_matches_product_name_and_business_name_case_insensitive(session) -> None:
    sekar = factories.umkm(business_name="Batik Sekar Arum")
    factories.product(owner=sekar, name="Kemeja Lengan Panjang")
    factories.product(name="Nasi Kotak Ayam", category_slug="konsumsi")
    factories.product(name="Seragam Sekolah", category_slug="seragam")
    session.commit()

    assert names(SearchQuery(text="NASI")) == ["Nasi Kotak Ayam"]
    assert names(SearchQuery(text="sekar")) == ["Kemeja Lengan Panjang"]
    assert names(SearchQuery(text="  Kemeja   ARUM ")) == ["Kemeja Lengan Panjang"]
    # Every word must match (AND), not any word.
    assert names(SearchQuery(text="kemeja ayam")) == []
    # A substring inside a word matches; one-letter words are ignored.
    assert names(SearchQuery(text="ragam x")) == ["Seragam Sekolah"]


def test_like_wildcards_in_the_query_are_literal(session) -> None:
    factories.product(name="Kaos Diskon 50% Putih")
    factories.product(name="Kaos Diskon 500 Putih")
    factories.product(name="Map kode_a")
    factories.product(name="Map kodexa")
    factories.product(name="Stempel a\\b")
    factories.product(name="Stempel ab")
    session.commit()

    assert names(SearchQuery(text="50%")) == ["Kaos Diskon 50% Putih"]
    assert len(names(SearchQuery(text="%"))) == 6  # one character: ignored, not "match all"
    assert names(SearchQuery(text="e_a")) == ["Map kode_a"]
    assert names(SearchQuery(text="a\\b")) == ["Stempel a\\b"]
    assert names(SearchQuery(text="%%")) == []


def test_filters_category_kecamatan_scale(session) -> None:
    north = factories.umkm(declared_scale="kecil")
    kel = factories.kelurahan("Sukamaju Selatan", "Pandean")
    south = factories.umkm(kecamatan_id=kel.kecamatan_id, kelurahan_id=kel.id)
    factories.product(owner=north, name="Batik Utara")
    factories.product(owner=north, name="Nasi Utara", category_slug="konsumsi")
    factories.product(owner=south, name="Batik Selatan")
    session.commit()

    assert names(SearchQuery(category_slug="konsumsi")) == ["Nasi Utara"]
    assert names(SearchQuery(category_slug="tidak-ada")) == []
    assert names(SearchQuery(kecamatan_id=kel.kecamatan_id)) == ["Batik Selatan"]
    assert names(SearchQuery(scale="kecil")) == ["Batik Utara", "Nasi Utara"]
    assert names(SearchQuery(scale="menengah")) == []
    assert names(SearchQuery(text="batik", category_slug="batik", scale="mikro")) == [
        "Batik Selatan"
    ]


def test_inactive_category_filter_finds_nothing(session) -> None:
    factories.product(name="Kerajinan Lama", category_slug="kerajinan")
    session.query(Category).filter_by(slug="kerajinan").update({"is_active": False})
    session.commit()

    assert names(SearchQuery(category_slug="kerajinan")) == []


def test_price_range_is_inclusive(session) -> None:
    for name, price in (("Murah", 10_000), ("Sedang", 100_000), ("Mahal", 1_000_000)):
        factories.product(name=name, unit_price=price)
    session.commit()

    assert names(SearchQuery(min_price=100_000)) == ["Mahal", "Sedang"]
    assert names(SearchQuery(max_price=100_000)) == ["Murah", "Sedang"]
    assert names(SearchQuery(min_price=10_000, max_price=100_000)) == ["Murah", "Sedang"]
    assert names(SearchQuery(min_price=100_001, max_price=999_999)) == []


def test_sort_orders_break_ties_by_id(session) -> None:
    first = factories.product(name="Charlie", unit_price=20_000)
    second = factories.product(name="Alpha", unit_price=20_000)
    factories.product(name="Bravo", unit_price=5_000)
    factories.product(name="Delta", unit_price=90_000)
    session.commit()
    assert first.id < second.id

    assert names(SearchQuery()) == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert names(SearchQuery(sort="price_asc")) == ["Bravo", "Charlie", "Alpha", "Delta"]
    assert names(SearchQuery(sort="price_desc")) == ["Delta", "Charlie", "Alpha", "Bravo"]
    assert names(SearchQuery(sort="bogus")) == ["Alpha", "Bravo", "Charlie", "Delta"]


def test_pagination_totals_and_pages(session) -> None:
    for n in range(5):
        factories.product(name=f"Produk {n}")
    session.commit()

    first = search_products(session, SearchQuery(per_page=2))
    assert (first.total, first.pages, first.page) == (5, 3, 1)
    assert [c.name for c in first.items] == ["Produk 0", "Produk 1"]
    assert (first.has_prev, first.has_next, first.prev_num, first.next_num) == (
        False,
        True,
        None,
        2,
    )
    assert list(first.iter_pages()) == [1, 2, 3]

    last = search_products(session, SearchQuery(per_page=2, page=3))
    assert [c.name for c in last.items] == ["Produk 4"]
    assert (last.has_prev, last.has_next, last.prev_num) == (True, False, 2)

    # A page past the end shows the last page instead of an empty one.
    beyond = search_products(session, SearchQuery(per_page=2, page=99))
    assert beyond.page == 3
    assert [c.name for c in beyond.items] == ["Produk 4"]

    nothing = search_products(session, SearchQuery(text="tidak ada", page=4))
    assert (nothing.total, nothing.pages, nothing.page, nothing.items) == (0, 0, 1, [])


def test_query_count_does_not_grow_with_results(session) -> None:
    for n in range(30):
        factories.product(name=f"Produk {n:02d}", category_slug="atk")
    session.commit()

    with counted_selects() as statements:
        page = search_products(session, SearchQuery(text="produk", category_slug="atk"))
    assert len(page.items) == 24
    # The category's id, then the page with its capped count: never one query per card.
    assert len(statements) == 2


def test_umkm_products_lists_active_products_of_one_umkm(session) -> None:
    owner = factories.umkm(status=UmkmStatus.PENDING)
    factories.product(owner=owner, name="Aktif")
    factories.product(owner=owner, name="Nonaktif", is_active=False)
    factories.product(name="Punya Orang Lain")
    session.commit()

    page = umkm_products(session, owner.id)
    assert [c.name for c in page.items] == ["Aktif"]


def test_category_counts_count_only_what_the_catalog_shows(session) -> None:
    factories.product(name="A")
    factories.product(name="B")
    factories.product(name="C", is_active=False)
    factories.product(owner=factories.umkm(status=UmkmStatus.PENDING), name="D")
    factories.product(name="E", category_slug="konsumsi")
    session.commit()

    counts = {c.slug: c.product_count for c in category_counts(session)}
    assert counts["batik"] == 2
    assert counts["konsumsi"] == 1
    assert counts["sepatu"] == 0


def test_product_detail_and_profile_data(session) -> None:
    owner = factories.umkm(status=UmkmStatus.SUSPENDED, phone="081234567890")
    product = factories.product(owner=owner, name="Sepatu Kulit", category_slug="sepatu")
    session.commit()

    detail = product_detail(session, product.id)
    assert detail is not None
    assert detail.name == "Sepatu Kulit"
    assert detail.category_slug == "sepatu"
    assert detail.whatsapp == "6281234567890"
    assert not detail.is_listed
    assert detail.hidden_reasons == ("status UMKM: Dibekukan",)
    assert product_detail(session, 999_999) is None

    public = umkm_profile(session, owner.id, with_identifiers=False)
    assert public is not None
    assert (public.nib, public.npwp) == (None, None)
    staff = umkm_profile(session, owner.id, with_identifiers=True)
    assert staff is not None
    assert (staff.nib, staff.npwp) == (owner.nib, owner.npwp)
    assert "nik" not in {f for f in staff.__dataclass_fields__}


def test_broad_searches_count_up_to_the_cap(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Past the cap the total is a lower bound and the page says so."""
    from procure.catalog import search as search_module
    from procure.catalog.rules import SearchQuery
    from procure.extensions import db as _db

    monkeypatch.setattr(search_module, "COUNT_CAP", 2)
    owner = factories.umkm()
    for n in range(3):
        factories.product(owner, name=f"Nasi kotak {n}")
    result = search_module.search_products(_db.session, SearchQuery(text="nasi", per_page=1))
    assert (result.total, result.is_capped, result.pages) == (2, True, 2)
    monkeypatch.setattr(search_module, "COUNT_CAP", 3)
    result = search_module.search_products(_db.session, SearchQuery(text="nasi", per_page=1))
    assert (result.total, result.is_capped) == (3, False)
