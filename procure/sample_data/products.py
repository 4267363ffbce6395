"""The product catalogue behind the demo and the seed: names, units, prices, capacities.

Figures are plausible for a Central Java city in 2026 (nasi kotak Rp 25.000–45.000 a
portion, batik tulis Rp 350.000–900.000 a piece ...). Change them here only: both
``procure demo`` and ``procure seed`` read this table.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

# Catering is the largest category in real local catalogs (Blangkon, E-Peken).
CATEGORY_WEIGHTS: dict[str, int] = {
    "konsumsi": 34,
    "seragam": 20,
    "batik": 22,
    "sepatu": 10,
    "atk": 5,
    "percetakan": 5,
    "kerajinan": 4,
}

MOTIFS = (
    "Parang",
    "Kawung",
    "Truntum",
    "Sekar Jagad",
    "Jlamprang",
    "Sido Mukti",
    "Mega Mendung",
    "Buketan",
    "Tujuh Rupa",
    "Liong",
    "Semen Rama",
)


@dataclass(frozen=True)
class ProductTemplate:
    """One line of products; ``{v}`` in the name takes one of the variants. ``kind`` is the
    slug of its product kind in ``procure.kinds.rules.DEFAULT_TREE`` (never the catch-all):
    demo and seed file every product there, and the written rules place every name of the
    template in that same kind (a test checks both)."""

    category: str
    kind: str
    name: str
    variants: tuple[str, ...]
    unit: str
    price: tuple[int, int]
    capacity: tuple[int, int]
    lead_days: tuple[int, int]
    min_orders: tuple[int, ...]
    description: str


def _t(
    category: str,
    kind: str,
    name: str,
    variants: tuple[str, ...],
    unit: str,
    price: tuple[int, int],
    capacity: tuple[int, int],
    lead_days: tuple[int, int],
    min_orders: tuple[int, ...],
    description: str,
) -> ProductTemplate:
    return ProductTemplate(
        category, kind, name, variants, unit, price, capacity, lead_days, min_orders, description
    )


_KATERING = ((300, 3000), (1, 3))
# A batik cap workshop of a few people: 40–160 pieces a month (a 200-shirt order needs two
# or three of them, which is what pemerataan is for).
_BATIK_CAP = ((40, 160), (5, 14))
_BATIK_TULIS = ((20, 80), (10, 21))
# A shirt workshop (cutting and sewing next to the cap tables): 70-120 shirts a month, so
# any three of them cover an order of 200, and pemerataan has several to choose from.
_BATIK_CAP_SHIRT = ((70, 120), (5, 14))
_KONVEKSI = ((200, 1500), (7, 21))
_SEPATU = ((50, 400), (7, 21))

# The demo's journey ("200 kemeja batik lengan panjang") and the seed's one-kind benchmark
# (``procure seed --single-category batik``) use this template.
LONG_SLEEVED_CAP = _t(
    "batik", "kemeja-lengan-panjang", "Kemeja Batik Cap Lengan Panjang Motif {v}", MOTIFS,
    "potong", (155_000, 235_000), *_BATIK_CAP_SHIRT, (5, 10, 12, 20),
    "Kemeja batik cap lengan panjang bahan katun primisima, ukuran S sampai XXL, kancing "
    "batok.",
)  # fmt: skip

# A data table reads better one product per block than one argument per line.
# fmt: off
TEMPLATES: tuple[ProductTemplate, ...] = (
    # konsumsi
    _t("konsumsi", "nasi-kotak",
       "Nasi Kotak {v}", ("Ayam Bakar", "Ayam Goreng Kremes", "Rendang Sapi",
       "Ayam Bakar Madu", "Bandeng Presto", "Ayam Rica-Rica", "Empal Gepuk"), "porsi",
       (25_000, 45_000), *_KATERING, (20, 25, 30, 50),
       "Nasi putih, lauk utama, sayur, sambal, kerupuk, buah dan air mineral dalam kotak."),
    _t("konsumsi", "snack-box",
       "Snack Box {v}", ("Isi 3", "Isi 4", "Rapat", "Jajan Pasar"), "kotak",
       (12_000, 20_000), *_KATERING, (25, 30, 50),
       "Kue basah dan kue kering pilihan dengan air mineral gelas, dikemas kotak."),
    _t("konsumsi", "nasi-kotak",
       "Nasi Box {v}", ("Megono Ayam", "Garang Asem", "Soto Ayam", "Pecel Lele"),
       "porsi", (20_000, 35_000), *_KATERING, (20, 30, 50),
       "Menu khas daerah dalam kotak, cocok untuk rapat dan kegiatan lapangan."),
    _t("konsumsi", "prasmanan",
       "Prasmanan {v}", ("Paket Rapat", "Acara Dinas", "Menu Nusantara"), "porsi",
       (35_000, 60_000), (300, 1500), (2, 3), (50, 100),
       "Hidangan prasmanan lengkap dengan peralatan saji dan petugas."),
    _t("konsumsi", "tumpeng", "Tumpeng Mini {v}", ("Nasi Kuning", "Nasi Uduk"), "porsi",
       (25_000, 35_000), *_KATERING, (20, 30),
       "Tumpeng kecil per orang dengan lauk lengkap, dikemas besek."),
    _t("konsumsi", "coffee-break", "Coffee Break {v}", ("Pagi", "Sore", "Pelatihan"), "paket",
       (15_000, 25_000), *_KATERING, (20, 30, 50),
       "Dua macam kue, teh atau kopi, dan air mineral untuk jeda rapat."),
    # seragam
    _t("seragam", "pdh", "Seragam PDH {v}", ("Khaki", "Cokelat Muda", "Hitam", "Biru Dongker"),
       "potong", (180_000, 260_000), *_KONVEKSI, (10, 12, 20, 24),
       "Kemeja dan celana/rok PDH, bahan American drill, jahit sesuai ukuran."),
    _t("seragam", "pdl", "Seragam PDL {v}", ("Lapangan", "Satpol PP", "Perhubungan"), "potong",
       (200_000, 300_000), *_KONVEKSI, (10, 20),
       "Seragam lapangan bahan ripstop dengan bordir nama dan atribut."),
    _t("seragam", "kemeja-sekolah",
       "Kemeja Putih Sekolah {v}", ("SD Lengan Pendek", "SMP Lengan Pendek",
       "SMA Lengan Panjang"), "potong", (65_000, 110_000), *_KONVEKSI, (12, 24, 50),
       "Kemeja sekolah bahan katun campur, tersedia semua ukuran."),
    _t("seragam", "celana-sekolah",
       "Celana Seragam {v}", ("Merah SD", "Biru SMP", "Abu-abu SMA"), "potong",
       (70_000, 120_000), *_KONVEKSI, (12, 24, 50),
       "Celana atau rok seragam sekolah, jahitan rapi dan kuat."),
    _t("seragam", "kaos-olahraga",
       "Kaos Olahraga {v}", ("Sekolah", "Korpri", "Kegiatan Dinas"), "potong",
       (55_000, 95_000), *_KONVEKSI, (12, 24, 50),
       "Kaos olahraga bahan lotto/dry-fit dengan sablon atau bordir logo."),
    _t("seragam", "kaos-polo", "Kaos Polo Bordir {v}", ("Logo Instansi", "Logo Kegiatan"), "potong",
       (85_000, 140_000), *_KONVEKSI, (12, 24),
       "Kaos polo bahan lacoste dengan bordir logo di dada."),
    _t("seragam", "rompi", "Rompi {v}", ("Petugas Lapangan", "Relawan", "Panitia"), "potong",
       (75_000, 150_000), *_KONVEKSI, (10, 20),
       "Rompi dengan scotchlight dan sablon tulisan instansi."),
    # batik
    LONG_SLEEVED_CAP,
    _t("batik", "kemeja-lengan-pendek", "Kemeja Batik Cap Lengan Pendek Motif {v}", MOTIFS,
       "potong", (140_000, 250_000), *_BATIK_CAP_SHIRT, (5, 10, 12, 20),
       "Kemeja batik cap lengan pendek bahan katun primisima, ukuran S sampai XXL."),
    _t("batik", "kemeja-lengan-panjang", "Kemeja Batik Tulis Lengan Panjang Motif {v}", MOTIFS,
       "potong", (375_000, 900_000), *_BATIK_TULIS, (1, 2, 5),
       "Kemeja batik tulis tangan lengan panjang, pewarna alam, dikerjakan pengrajin setempat."),
    _t("batik", "kemeja-lengan-pendek", "Kemeja Batik Tulis Lengan Pendek Motif {v}", MOTIFS,
       "potong", (350_000, 850_000), *_BATIK_TULIS, (1, 2, 5),
       "Kemeja batik tulis tangan lengan pendek, pewarna alam, dikerjakan pengrajin setempat."),
    _t("batik", "kain-2m", "Kain Batik Cap {v} 2 Meter", MOTIFS, "lembar", (100_000, 200_000),
       *_BATIK_CAP, (5, 10, 20), "Kain batik cap katun 2 x 1,15 meter, siap dijahit."),
    _t("batik", "kain-tulis", "Kain Batik Tulis {v}", MOTIFS, "lembar", (350_000, 900_000),
       *_BATIK_TULIS, (1, 2), "Kain batik tulis 2,25 meter, motif khas pesisiran."),
    _t("batik", "blus", "Blus Batik Cap Motif {v}", MOTIFS, "potong", (140_000, 240_000),
       *_BATIK_CAP, (5, 10, 12), "Blus batik cap untuk seragam kantor, ukuran S sampai XXL."),
    _t("batik", "seragam-sekolah",
       "Seragam Batik Sekolah Motif {v}", MOTIFS, "potong", (90_000, 150_000),
       *_BATIK_CAP, (12, 24, 50), "Seragam batik sekolah motif khas kota, bahan katun."),
    # sepatu
    _t("sepatu", "pantofel",
       "Sepatu Pantofel Kulit {v}", ("Hitam Pria", "Hitam Wanita", "Cokelat Pria"),
       "pasang", (250_000, 450_000), *_SEPATU, (5, 10, 12),
       "Sepatu pantofel kulit sapi asli, sol karet anti slip, ukuran 36–45."),
    _t("sepatu", "sepatu-sekolah",
       "Sepatu Sekolah {v}", ("Hitam Polos", "Hitam Bertali", "Hitam Kets"),
       "pasang", (90_000, 160_000), *_SEPATU, (12, 24),
       "Sepatu sekolah hitam, jahitan sol kuat, ukuran anak sampai dewasa."),
    _t("sepatu", "sepatu-pdl",
       "Sepatu PDL {v}", ("Kulit Sapi", "Lapangan"), "pasang", (300_000, 500_000),
       *_SEPATU, (5, 10), "Sepatu PDL kulit dengan sol tebal untuk tugas lapangan."),
    _t("sepatu", "sandal",
       "Sandal Kulit {v}", ("Pria", "Wanita", "Selop"), "pasang", (60_000, 150_000),
       *_SEPATU, (10, 12, 20), "Sandal kulit buatan tangan, nyaman dipakai harian."),
    _t("sepatu", "sepatu-safety",
       "Sepatu Safety {v}", ("Ujung Besi", "Proyek"), "pasang", (200_000, 380_000),
       *_SEPATU, (5, 10), "Sepatu keselamatan kerja dengan pelindung ujung kaki."),
    # atk
    _t("atk", "kertas", "Kertas HVS {v}", ("A4 70 gram", "A4 80 gram", "F4 70 gram"), "rim",
       (42_000, 65_000), (500, 5000), (1, 3), (5, 10), "Kertas HVS putih isi 500 lembar."),
    _t("atk", "map", "Map {v}", ("Snelhecter Plastik", "Folio Karton", "Batik Berlogo"), "buah",
       (2_000, 6_000), (1000, 5000), (1, 3), (50, 100), "Map untuk arsip dan berkas rapat."),
    _t("atk", "buku-tulis",
       "Buku Tulis {v}", ("38 Lembar", "58 Lembar", "Folio 100 Lembar"), "buah",
       (3_500, 15_000), (1000, 5000), (1, 3), (24, 50),
       "Buku tulis bergaris untuk kantor dan sekolah."),
    _t("atk", "pulpen",
       "Pulpen {v}", ("Gel Hitam isi 12", "Biru isi 12"), "kotak", (25_000, 60_000),
       (500, 3000), (1, 3), (5, 10), "Satu kotak isi 12 pulpen."),
    _t("atk", "paket-atk", "Paket ATK {v}", ("Peserta Rapat", "Pelatihan", "Siswa Baru"), "paket",
       (15_000, 45_000), (500, 3000), (1, 3), (20, 50), "Map, buku catatan, pulpen dan name tag."),
    # percetakan
    _t("percetakan", "undangan", "Cetak Undangan {v}", ("Rapat Dinas", "Acara Resmi"), "lembar",
       (1_500, 5_000), (2000, 10000), (2, 5), (100, 200), "Undangan cetak offset atau digital."),
    _t("percetakan", "spanduk",
       "Cetak Spanduk {v}", ("Flexi 1 x 3 Meter", "Flexi 1 x 5 Meter"), "lembar",
       (75_000, 200_000), (100, 500), (1, 3), (1, 2), "Spanduk flexi 280 gram dengan mata ayam."),
    _t("percetakan", "kop-surat", "Cetak Kop Surat {v}", ("HVS 80 gram", "Warna"), "rim",
       (150_000, 300_000), (100, 600), (3, 7), (1, 2),
       "Kertas kop surat instansi, satu rim 500 lembar."),
    _t("percetakan", "buku",
       "Cetak Buku {v}", ("Agenda Dinas", "Laporan Tahunan", "Panduan Kegiatan"),
       "buah", (25_000, 85_000), (200, 2000), (5, 10), (50, 100),
       "Buku jilid lem panas, sampul art carton."),
    _t("percetakan", "sertifikat",
       "Cetak Sertifikat {v}", ("Art Carton 260", "Peserta Pelatihan"), "lembar",
       (3_000, 8_000), (1000, 5000), (2, 5), (50, 100),
       "Sertifikat cetak warna, nama peserta dicetak."),
    _t("percetakan", "id-card", "Cetak ID Card {v}", ("PVC dengan Tali", "Peserta Acara"), "buah",
       (8_000, 20_000), (500, 3000), (2, 5), (25, 50),
       "Kartu identitas PVC lengkap dengan tali dan holder."),
    # kerajinan
    _t("kerajinan", "tas",
       "Tas {v}", ("Anyaman Pandan", "Batik Kombinasi Kulit", "Goodie Bag Kain"),
       "buah", (35_000, 150_000), (50, 500), (5, 14), (10, 20, 50),
       "Tas buatan tangan pengrajin lokal."),
    _t("kerajinan", "plakat", "Plakat {v}", ("Kayu Jati Ukir", "Akrilik Berlogo"), "buah",
       (125_000, 400_000), (50, 300), (5, 14), (1, 5),
       "Plakat kenang-kenangan dengan logo dan tulisan."),
    _t("kerajinan", "gantungan-kunci",
       "Gantungan Kunci {v}", ("Batik", "Kayu Ukir"), "buah", (5_000, 15_000),
       (200, 500), (5, 10), (50, 100), "Suvenir kecil khas kota untuk tamu dan peserta."),
    _t("kerajinan", "miniatur",
       "Miniatur {v}", ("Becak Kayu", "Kapal Kayu"), "buah", (75_000, 250_000),
       (50, 200), (7, 14), (5, 10), "Miniatur kayu halus sebagai cendera mata resmi."),
    _t("kerajinan", "kotak-suvenir", "Kotak Suvenir {v}", ("Anyaman Bambu", "Kayu Pinus"), "buah",
       (25_000, 80_000), (100, 500), (5, 14), (20, 50), "Kotak kemasan suvenir buatan tangan."),
)
# fmt: on

BY_CATEGORY: dict[str, tuple[ProductTemplate, ...]] = {
    slug: tuple(t for t in TEMPLATES if t.category == slug) for slug in CATEGORY_WEIGHTS
}

_SLUGS = tuple(CATEGORY_WEIGHTS)
_CUM_WEIGHTS = tuple(
    sum(tuple(CATEGORY_WEIGHTS.values())[: i + 1]) for i in range(len(CATEGORY_WEIGHTS))
)


def pick_category(rng: random.Random) -> str:
    """A category slug, weighted like a real local catalog (catering first)."""
    return rng.choices(_SLUGS, cum_weights=_CUM_WEIGHTS)[0]


def _round_price(value: int, high: int) -> int:
    step = 500 if high <= 50_000 else 1_000 if high <= 200_000 else 5_000
    return max(step, round(value / step) * step)


def _round_capacity(value: int, low: int) -> int:
    step = 5 if low < 100 else 50 if low >= 500 else 10
    return max(step, round(value / step) * step)


def make_product(rng: random.Random, template: ProductTemplate) -> dict[str, Any]:
    """One product's fields (name, unit, unit_price ...) drawn from its template, and
    ``kind``: its kind's slug (not a column: the caller turns it into ``kind_id``)."""
    capacity = _round_capacity(rng.randint(*template.capacity), template.capacity[0])
    return {
        "name": template.name.format(v=rng.choice(template.variants)),
        "description": template.description,
        "unit": template.unit,
        "unit_price": _round_price(rng.randint(*template.price), template.price[1]),
        "monthly_capacity": capacity,
        "lead_time_days": rng.randint(*template.lead_days),
        "min_order": min(rng.choice(template.min_orders), capacity),
        "kind": template.kind,
    }


def single_kind(category: str) -> str:
    """The one kind ``procure seed --single-category`` files every product under: the kind
    of the category's first template (batik: kemeja-lengan-panjang)."""
    return BY_CATEGORY[category][0].kind


def make_products(
    rng: random.Random,
    category: str,
    count: int,
    *,
    kind: str | None = None,
    first: ProductTemplate | None = None,
) -> list[dict[str, Any]]:
    """``count`` products of one business in ``category`` (only of ``kind`` when given),
    different names where possible; ``first``: the first product is of that template."""
    templates = tuple(t for t in BY_CATEGORY[category] if kind is None or t.kind == kind)
    chosen = [first] if first is not None else []
    others = [t for t in templates if t is not first]
    wanted = count - len(chosen)
    chosen += rng.sample(others, min(wanted, len(others)))
    chosen += [rng.choice(templates) for _ in range(count - len(chosen))]
    products: list[dict[str, Any]] = []
    names: set[str] = set()
    for template in chosen:
        product = make_product(rng, template)
        for _ in range(3):  # a repeated template gets another variant, if one is left
            if product["name"] not in names:
                break
            product["name"] = template.name.format(v=rng.choice(template.variants))
        names.add(product["name"])
        products.append(product)
    return products
