"""The demo's UMKM: the featured businesses and generated others, each with a kecamatan, a
status and a login e-mail. Pure: the same list for the same ``random.Random``."""

from __future__ import annotations

import random
import re

from procure.sample_data import DESCRIPTIONS, WILAYAH, Business, make_business
from procure.sample_data.sukamaju import (
    EXTRA_PENDING,
    FEATURED,
    OTHER_CATEGORIES,
    REJECTED,
    SUSPENDED,
)


def demo_businesses(rng: random.Random) -> list[tuple[Business, int, str, str]]:
    """(business, kecamatan index, status, e-mail) for every demo UMKM."""
    rows = [
        (
            Business(name, owner, female, cat, DESCRIPTIONS[cat], "mikro", True),
            kec,
            status,
            f"{email}@contoh.id",
        )
        for name, owner, female, cat, kec, status, email in FEATURED
    ]
    names = {b.business_name for b, *_ in rows}
    emails = {e for *_, e in rows}
    others = list(OTHER_CATEGORIES)
    rng.shuffle(others)
    statuses = ["pending"] * EXTRA_PENDING + ["rejected"] * REJECTED + ["suspended"] * SUSPENDED
    statuses += ["verified"] * (len(others) - len(statuses))
    rng.shuffle(statuses)
    for i, (category, status) in enumerate(zip(others, statuses, strict=True)):
        business = make_business(rng, category)
        while business.business_name in names:
            business = make_business(rng, category)
        names.add(business.business_name)
        rows.append((business, i % len(WILAYAH), status, _email(business.business_name, emails)))
    return rows


def _email(business_name: str, taken: set[str]) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", business_name.lower()) if w not in {"bu", "pak"}]
    local = f"{words[0]}.{words[-1]}"
    candidate, n = local, 1
    while f"{candidate}@contoh.id" in taken:
        n += 1
        candidate = f"{local}{n}"
    taken.add(f"{candidate}@contoh.id")
    return f"{candidate}@contoh.id"
