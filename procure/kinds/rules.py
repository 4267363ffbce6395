"""Product kinds: the default tree, the rules that place a product by its name, name checks.

Pure: no Flask, no SQLAlchemy. A purchase request names one kind and only products of that
kind are offers for it, so "200 kemeja batik lengan panjang" is never offered blouses. Sizes,
colours and motifs are a request's specification, not kinds.

How a product is placed (``kind_for``), used by migration 0010 for the products and requests
that existed before kinds, and by the admin's "sort" page as a suggestion:
1. its name (for a request: title, then specification) is lower-cased and cut into words;
2. the rules of its category are tried in the order written below; a rule matches when every
   word of one of its alternatives is in the name (a phrase such as "lengan panjang" is words
   next to each other);
3. the first rule that matches gives the kind; none: the category's catch-all kind
   "Lainnya (perlu dipilah)", which the admin is asked to sort out.
A category without rules (one an admin created) only has its catch-all kind.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from procure.input_rules import RuleError

CATCH_ALL_SLUG = "lainnya"
CATCH_ALL_NAME = "Lainnya (perlu dipilah)"
NAME_MAX = 100
NAME_MIN = 3


@dataclass(frozen=True)
class KindRule:
    """One kind of the default tree and the words that place a product in it."""

    slug: str
    name: str
    # Alternatives: a name matches when it holds every phrase of one of them.
    match: tuple[tuple[str, ...], ...]


def _k(slug: str, name: str, *match: tuple[str, ...]) -> KindRule:
    return KindRule(slug, name, match)


# The tree every Pemda starts with, by category slug, in the order the pickers show it. The
# order is also the order the rules are tried: narrower rules first ("seragam sekolah" before
# "kemeja"). Admins add, rename and retire kinds on the kinds page.
# fmt: off
DEFAULT_TREE: Mapping[str, tuple[KindRule, ...]] = {
    "batik": (
        _k("seragam-sekolah", "Seragam Batik Sekolah", ("seragam", "sekolah"),
           ("batik", "sekolah")),
        _k("blus", "Blus Batik", ("blus",), ("blouse",)),
        _k("kemeja-lengan-panjang", "Kemeja Batik Lengan Panjang", ("lengan panjang",),
           ("kemeja", "panjang")),
        _k("kemeja-lengan-pendek", "Kemeja Batik Lengan Pendek", ("lengan pendek",),
           ("kemeja", "pendek")),
        _k("kain-tulis", "Kain Batik Tulis", ("kain", "tulis")),
        _k("kain-2m", "Kain Batik 2 Meter", ("kain",)),
    ),
    "konsumsi": (
        _k("nasi-kotak", "Nasi Kotak", ("nasi kotak",), ("nasi box",)),
        _k("snack-box", "Snack Box", ("snack",), ("kue kotak",)),
        _k("prasmanan", "Prasmanan", ("prasmanan",), ("buffet",)),
        _k("tumpeng", "Tumpeng", ("tumpeng",)),
        _k("coffee-break", "Coffee Break", ("coffee break",), ("rehat kopi",)),
    ),
    "seragam": (
        _k("pdh", "Seragam PDH", ("pdh",)),
        _k("pdl", "Seragam PDL", ("pdl",)),
        _k("kemeja-sekolah", "Kemeja Seragam Sekolah", ("kemeja", "sekolah")),
        _k("celana-sekolah", "Celana / Rok Seragam Sekolah", ("celana",), ("rok",)),
        _k("kaos-olahraga", "Kaos Olahraga", ("olahraga",)),
        _k("kaos-polo", "Kaos Polo", ("polo",)),
        _k("rompi", "Rompi", ("rompi",)),
    ),
    "sepatu": (
        _k("pantofel", "Sepatu Pantofel", ("pantofel",)),
        _k("sepatu-sekolah", "Sepatu Sekolah", ("sepatu", "sekolah")),
        _k("sepatu-pdl", "Sepatu PDL", ("pdl",)),
        _k("sepatu-safety", "Sepatu Safety", ("safety",), ("keselamatan",)),
        _k("sandal", "Sandal", ("sandal",), ("selop",)),
    ),
    "atk": (
        _k("kertas", "Kertas HVS", ("kertas",), ("hvs",)),
        _k("map", "Map", ("map",)),
        _k("buku-tulis", "Buku Tulis", ("buku",)),
        _k("pulpen", "Pulpen", ("pulpen",), ("bolpoin",), ("pena",)),
        _k("paket-atk", "Paket ATK", ("paket",)),
    ),
    "percetakan": (
        _k("undangan", "Cetak Undangan", ("undangan",)),
        _k("spanduk", "Cetak Spanduk / Banner", ("spanduk",), ("banner",)),
        _k("kop-surat", "Cetak Kop Surat", ("kop",)),
        _k("sertifikat", "Cetak Sertifikat / Piagam", ("sertifikat",), ("piagam",)),
        _k("id-card", "Cetak ID Card", ("id card",), ("name tag",)),
        _k("buku", "Cetak Buku", ("buku",)),
    ),
    "kerajinan": (
        _k("tas", "Tas", ("tas",)),
        _k("plakat", "Plakat", ("plakat",)),
        _k("gantungan-kunci", "Gantungan Kunci", ("gantungan",)),
        _k("miniatur", "Miniatur", ("miniatur",)),
        _k("kotak-suvenir", "Kotak Suvenir", ("kotak",)),
    ),
}
# fmt: on


def words(text: str) -> str:
    """Lower-case words separated by single spaces, with a space at each end."""
    plain = unicodedata.normalize("NFKC", text or "").casefold()
    return " " + " ".join(re.findall(r"[0-9a-z]+", plain)) + " "


def _holds(name: str, phrase: str) -> bool:
    return f" {phrase} " in name


def kind_for(category_slug: str, *texts: str) -> str:
    """The slug of the default kind a product of this category named so belongs to.

    ``texts`` are tried in order (a request's title, then its specification): the first that
    a rule places decides. None placed: the catch-all kind.
    """
    rules = DEFAULT_TREE.get(category_slug, ())
    for text in texts:
        name = words(text)
        for rule in rules:
            if any(all(_holds(name, p) for p in alt) for alt in rule.match):
                return rule.slug
    return CATCH_ALL_SLUG


def checked_name(raw: str | None) -> str:
    """A kind's name as typed by the admin, or a RuleError in Indonesian."""
    name = " ".join((raw or "").split())
    if len(name) < NAME_MIN:
        raise RuleError(f"Nama jenis barang minimal {NAME_MIN} karakter.")
    if len(name) > NAME_MAX:
        raise RuleError(f"Nama jenis barang paling banyak {NAME_MAX} karakter.")
    if not re.search(r"[0-9A-Za-z]", name):
        raise RuleError("Nama jenis barang harus memuat huruf atau angka.")
    return name


def slug_for(name: str) -> str:
    """A URL-safe slug from a kind's name ("Kemeja Batik Lengan Panjang" → kemeja-batik-...)."""
    return "-".join(words(name).split())[:50].strip("-") or "jenis"
