"""Pure catalog rules: search words, LIKE escaping, query-string parsing, page numbers."""

from __future__ import annotations

import pytest

from procure.catalog.rules import (
    MAX_WORDS,
    SearchPage,
    SearchQuery,
    clamp_page,
    escape_like,
    parse_page,
    parse_search_args,
    query_args,
    search_words,
    whatsapp_number,
)

OPTIONS = dict(
    category_slugs={"batik", "konsumsi"}, kecamatan_ids={3, 4}, scales={"mikro", "kecil"}
)


def test_search_words_lowercase_unique_and_bounded() -> None:
    assert search_words("  Nasi KOTAK nasi a (ayam), ") == ["nasi", "kotak", "ayam"]
    assert search_words("") == []
    assert search_words(" x y ") == []
    many = " ".join(f"kata{n}" for n in range(20))
    assert search_words(many) == [f"kata{n}" for n in range(MAX_WORDS)]
    # Wildcards stay in the word; escaping happens where the pattern is built.
    assert search_words("50% kode_a") == ["50%", "kode_a"]
    # Control characters split words (PostgreSQL refuses NUL in text).
    assert search_words("ab\x00cd\tef") == ["ab", "cd", "ef"]


def test_escape_like_makes_wildcards_literal() -> None:
    assert escape_like("50%") == "50\\%"
    assert escape_like("kode_a") == "kode\\_a"
    assert escape_like("a\\b") == "a\\\\b"
    assert escape_like("batik") == "batik"


def test_parse_search_args_reads_every_filter() -> None:
    query, messages = parse_search_args(
        {
            "q": "  nasi   kotak ",
            "kategori": "konsumsi",
            "kecamatan": "3",
            "harga_min": "10.000",
            "harga_max": "Rp 250.000",
            "skala": "kecil",
            "urut": "price_desc",
            "page": "2",
        },
        per_page=12,
        **OPTIONS,
    )
    assert messages == []
    assert query == SearchQuery(
        text="nasi kotak",
        category_slug="konsumsi",
        kecamatan_id=3,
        min_price=10_000,
        max_price=250_000,
        scale="kecil",
        sort="price_desc",
        page=2,
        per_page=12,
    )
    assert query_args(query) == {
        "q": "nasi kotak",
        "kategori": "konsumsi",
        "kecamatan": 3,
        "harga_min": 10_000,
        "harga_max": 250_000,
        "skala": "kecil",
        "urut": "price_desc",
    }


@pytest.mark.parametrize(
    "args",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "0"},
        {"page": "1e3"},
        {"page": "99999999999999999999999"},
        {"urut": "DROP TABLE"},
        {"kecamatan": "abc"},
        {"kecamatan": "99"},
        {"skala": "raksasa"},
    ],
)
def test_garbage_falls_back_to_defaults(args: dict[str, str]) -> None:
    query, _ = parse_search_args(args, **OPTIONS)
    assert query == SearchQuery()


def test_unknown_category_is_dropped_with_a_message() -> None:
    query, messages = parse_search_args({"kategori": "tidak-ada"}, **OPTIONS)
    assert query.category_slug is None
    assert messages == ["Kategori yang dipilih tidak ada; menampilkan semua kategori."]


def test_bad_prices_are_ignored_with_a_message() -> None:
    query, messages = parse_search_args({"harga_min": "murah", "harga_max": "-5"}, **OPTIONS)
    assert (query.min_price, query.max_price) == (None, None)
    assert len(messages) == 2
    assert messages[0].startswith("Harga minimum diabaikan")
    assert "negatif" in messages[1]

    query, messages = parse_search_args({"harga_min": "9" * 30}, **OPTIONS)
    assert query.min_price is None
    assert "terlalu besar" in messages[0]


def test_min_above_max_ignores_the_range() -> None:
    query, messages = parse_search_args({"harga_min": "500.000", "harga_max": "100.000"}, **OPTIONS)
    assert (query.min_price, query.max_price) == (None, None)
    assert "Harga minimum lebih besar dari harga maksimum" in messages[0]


def test_parse_page() -> None:
    assert parse_page("3") == 3
    assert parse_page(None) == 1
    assert parse_page("-2") == 1
    assert parse_page("٣") == 1  # a non-ASCII digit is not a page number


def test_clamp_page() -> None:
    assert clamp_page(5, total=45, per_page=10) == 5
    assert clamp_page(6, total=45, per_page=10) == 5
    assert clamp_page(0, total=45, per_page=10) == 1
    assert clamp_page(3, total=0, per_page=10) == 1


def test_iter_pages_matches_flask_sqlalchemy() -> None:
    page = SearchPage(items=[], total=200, page=10, per_page=10)
    assert page.pages == 20
    assert list(page.iter_pages(left_edge=1, right_edge=1, left_current=2, right_current=2)) == [
        1,
        None,
        8,
        9,
        10,
        11,
        12,
        None,
        20,
    ]
    assert list(SearchPage(items=[], total=0, page=1, per_page=10).iter_pages()) == []
    assert list(SearchPage(items=[], total=25, page=1, per_page=10).iter_pages()) == [1, 2, 3]


def test_whatsapp_number() -> None:
    assert whatsapp_number("6281234567890") == "6281234567890"
    assert whatsapp_number("0812-3456-7890") == "6281234567890"
    assert whatsapp_number("+62 812 3456 7890") == "6281234567890"
    assert whatsapp_number("") is None
    assert whatsapp_number("12") is None
