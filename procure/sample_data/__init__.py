"""Fictional but plausible data for Kota Sukamaju: one source for ``procure demo`` and ``seed``.

Pure Python (no Flask, no SQLAlchemy) and driven by the caller's ``random.Random`` so the
demo is the same every time and the seed is reproducible.
"""

from procure.sample_data.people import (
    BANKS,
    CITY_CODE,
    DESCRIPTIONS,
    WILAYAH,
    Business,
    make_address,
    make_bank,
    make_business,
    make_nik,
    make_nip,
    make_npwp,
    make_phone,
    person_name,
)
from procure.sample_data.products import (
    CATEGORY_WEIGHTS,
    TEMPLATES,
    ProductTemplate,
    make_products,
    pick_category,
)

__all__ = [
    "BANKS",
    "CITY_CODE",
    "DESCRIPTIONS",
    "CATEGORY_WEIGHTS",
    "TEMPLATES",
    "WILAYAH",
    "Business",
    "ProductTemplate",
    "make_address",
    "make_bank",
    "make_business",
    "make_nik",
    "make_nip",
    "make_npwp",
    "make_phone",
    "make_products",
    "person_name",
    "pick_category",
]
