"""Pure rules of the catalog search: the query, its words, its pages. No Flask, no SQLAlchemy.

``parse_search_args`` turns whatever a browser sent into a valid ``SearchQuery`` plus the
messages to show: a bad value never fails the page, it falls back to the default.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from procure.input_rules import parse_page as parse_page  # the one rule for every list
from procure.paging import PageNav
from procure.umkm.rules import RuleError, parse_rupiah

SORTS: dict[str, str] = {
    "name": "Nama (A–Z)",
    "price_asc": "Harga termurah",
    "price_desc": "Harga termahal",
}
MAX_WORDS = 8
MIN_WORD_LENGTH = 2
MAX_TEXT_LENGTH = 200
# Above any real unit price, below what every database integer holds.
MAX_PRICE = 10**15
# Punctuation people type around words ("batik," "(kemeja)") that names rarely end with.
_EDGE_PUNCTUATION = ".,;:!?\"'()[]{}"


@dataclass(frozen=True)
class SearchQuery:
    """What to look for in the catalog; every field optional."""

    text: str = ""
    category_slug: str | None = None
    kind_id: int | None = None  # a kind of the chosen category (``jenis``)
    kecamatan_id: int | None = None
    min_price: int | None = None
    max_price: int | None = None
    scale: str | None = None
    sort: str = "name"  # one of SORTS
    page: int = 1
    per_page: int = 24


@dataclass(frozen=True)
class ProductCard:
    """One search result: the columns a card shows, no ORM object."""

    id: int
    name: str
    unit: str
    unit_price: int
    min_order: int
    lead_time_days: int
    monthly_capacity: int
    photo_id: int | None
    category_name: str
    kind_name: str
    umkm_id: int
    business_name: str
    kecamatan_name: str
    scale: str


@dataclass(frozen=True)
class SearchPage(PageNav):
    """One page of results: the page numbers of ``PageNav`` with the items and the messages."""

    items: Sequence[Any] = field(default=())
    messages: tuple[str, ...] = field(default=())
    is_capped: bool = False  # more matches than were counted: ``total`` is a lower bound


def clamp_page(page: int, total: int, per_page: int) -> int:
    """A page number inside ``1..pages`` (page 1 when there is nothing)."""
    pages = math.ceil(total / per_page) if total and per_page > 0 else 1
    return min(max(page, 1), pages)


def escape_like(word: str) -> str:
    r"""Make ``%``, ``_`` and ``\`` literal in a LIKE pattern whose escape character is ``\``."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def clean_text(text: str | None) -> str:
    """Search text as typed, without control characters (PostgreSQL refuses NUL) and with
    runs of spaces collapsed."""
    printable = "".join(ch if ch.isprintable() else " " for ch in (text or "")[:MAX_TEXT_LENGTH])
    return " ".join(printable.split())


def search_words(text: str) -> list[str]:
    """The lower-cased words of a search text, unique, at most ``MAX_WORDS``, each >= 2 chars.

    Not escaped: ``escape_like`` is applied where the pattern is built.
    """
    words: list[str] = []
    for raw in clean_text(text).lower().split():
        word = raw.strip(_EDGE_PUNCTUATION)
        if len(word) >= MIN_WORD_LENGTH and word not in words:
            words.append(word)
        if len(words) == MAX_WORDS:
            break
    return words


def _positive_int(value: str | None) -> int | None:
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        return None
    number = int(text)
    return number if number >= 1 else None


def whatsapp_number(phone: str | None) -> str | None:
    """The digits for a ``https://wa.me/<number>`` link (``0812…`` becomes ``62812…``)."""
    digits = "".join(ch for ch in (phone or "") if ch.isascii() and ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits if len(digits) >= 8 else None


def _price(value: str | None, label: str, messages: list[str]) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        price = parse_rupiah(text)
    except RuleError as exc:
        messages.append(f"{label} diabaikan: {exc}")
        return None
    if price > MAX_PRICE:
        messages.append(f"{label} diabaikan: angkanya terlalu besar. Periksa jumlah nol.")
        return None
    return price


def _kind(
    raw: str | None, slug: str | None, kinds: Mapping[int, str], messages: list[str]
) -> tuple[str | None, int | None]:
    """(category slug, kind id) once ``jenis`` is read: an unknown kind is dropped, a kind
    alone brings its category, a kind of another category than the one chosen is dropped."""
    if not (raw or "").strip():
        return slug, None
    kind_id = _positive_int(raw)
    if kind_id is None or kind_id not in kinds:
        messages.append("Jenis barang yang dipilih tidak ada; menampilkan semua jenis.")
        return slug, None
    if slug is None:
        return kinds[kind_id], kind_id
    if kinds[kind_id] != slug:
        messages.append(
            "Jenis barang yang dipilih bukan dari kategori ini; menampilkan semua jenis "
            "di kategori ini."
        )
        return slug, None
    return slug, kind_id


def parse_search_args(
    args: Mapping[str, str],
    *,
    category_slugs: Collection[str],
    kinds: Mapping[int, str] | None = None,
    kecamatan_ids: Collection[int],
    scales: Collection[str],
    per_page: int = 24,
) -> tuple[SearchQuery, list[str]]:
    """A valid ``SearchQuery`` from query-string values; unknown values fall back to defaults.

    Keys: ``q``, ``kategori``, ``jenis``, ``kecamatan``, ``harga_min``, ``harga_max``,
    ``skala``, ``urut``, ``page``. ``kinds`` maps each kind that may be chosen to its
    category's slug: a kind alone picks its category too. Returns the messages to show for
    values that were ignored.
    """
    messages: list[str] = []
    text = clean_text(args.get("q"))

    slug = (args.get("kategori") or "").strip() or None
    if slug is not None and slug not in category_slugs:
        messages.append("Kategori yang dipilih tidak ada; menampilkan semua kategori.")
        slug = None
    slug, kind_id = _kind(args.get("jenis"), slug, kinds or {}, messages)

    kecamatan_id = _positive_int(args.get("kecamatan"))
    if kecamatan_id is not None and kecamatan_id not in kecamatan_ids:
        kecamatan_id = None

    scale = (args.get("skala") or "").strip() or None
    if scale is not None and scale not in scales:
        scale = None

    min_price = _price(args.get("harga_min"), "Harga minimum", messages)
    max_price = _price(args.get("harga_max"), "Harga maksimum", messages)
    if min_price is not None and max_price is not None and min_price > max_price:
        messages.append(
            "Harga minimum lebih besar dari harga maksimum, jadi rentang harga diabaikan. "
            "Perbaiki salah satunya."
        )
        min_price = max_price = None

    sort = args.get("urut") or "name"
    if sort not in SORTS:
        sort = "name"

    query = SearchQuery(
        text=text,
        category_slug=slug,
        kind_id=kind_id,
        kecamatan_id=kecamatan_id,
        min_price=min_price,
        max_price=max_price,
        scale=scale,
        sort=sort,
        page=parse_page(args.get("page")),
        per_page=per_page,
    )
    return query, messages


def query_args(query: SearchQuery) -> dict[str, str | int]:
    """The query-string form of a query without its page: for links that keep the filters."""
    values: dict[str, str | int | None] = {
        "q": query.text or None,
        "kategori": query.category_slug,
        "jenis": query.kind_id,
        "kecamatan": query.kecamatan_id,
        "harga_min": query.min_price,
        "harga_max": query.max_price,
        "skala": query.scale,
        "urut": query.sort if query.sort != "name" else None,
    }
    return {key: value for key, value in values.items() if value is not None}
