"""The row generators of ``procure seed``: one function per table, from a batch of UMKM.

Each turns a ``Batch`` into plain row dicts for a bulk write; ``GENERATORS`` lists the child
tables in writing order. Names, prices, identifiers and omzet come from
``procure.sample_data``, the same source as the demo.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from procure.catalog.models import Category, Kecamatan, Kelurahan, ProductKind
from procure.catalog.services import DEFAULT_CATEGORIES, ensure_default_categories
from procure.clock import jakarta_date
from procure.db import utcnow
from procure.kinds.rules import CATCH_ALL_SLUG
from procure.omzet.models import OmzetReport
from procure.omzet.rules import Period, last_months
from procure.sample_data import (
    make_address,
    make_bank,
    make_business,
    make_nik,
    make_npwp,
    make_phone,
    make_products,
    pick_category,
)
from procure.sample_data.demo import ensure_wilayah
from procure.sample_data.omzet import FilingWindow, filing_moment, filing_windows, monthly_amounts
from procure.sample_data.products import single_kind
from procure.umkm.models import Product, UmkmStatus, umkm_category

# Seeded NIBs are "8" + 12 digits: the demo uses 912…, the test factories 9100…, so a seed
# never collides with them and ``--reset`` can find its own rows again.
SEED_NIB_PREFIX = "8"
RowDicts = list[dict[str, Any]]
# Most seeded UMKM registered more than a year ago, so they owe (and mostly filed) all the
# seeded months; the rest joined during the year and report from their registration month.
NEWCOMER_RATE = 0.08


@dataclass
class Context:
    """What every batch shares: the random source and the reference data's ids."""

    rng: random.Random
    places: list[tuple[int, int, int]]  # (kelurahan id, kecamatan id, district number)
    place_names: dict[int, str]  # kelurahan id -> name
    category_ids: dict[str, int]
    kind_ids: dict[tuple[str, str], int]  # (category slug, kind slug) -> kind id
    # Seeded UMKM are verified and their products active: listed unless the category is not.
    listed_categories: frozenset[int]
    products_per_umkm: int
    now: dt.datetime
    # Omzet draws from its own random source: --omzet-months changes no UMKM or product.
    omzet_rng: random.Random
    omzet_months: list[tuple[Period, str, FilingWindow]]  # oldest first
    omzet_missing: int = 0  # UMKM-months without a report (before registration, or skipped)
    # Every UMKM in this category (a slug) instead of the usual mix, and every product in one
    # kind of it (``products.single_kind``: batik's is kemeja-lengan-panjang): one kind with
    # every seeded UMKM eligible, the allocation benchmark's scale
    # (``procure seed --single-category batik``).
    single_category: str | None = None


@dataclass
class Batch:
    """One batch of UMKM rows (ids assigned) and each one's category slug."""

    umkm: RowDicts = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


def umkm_batch(ctx: Context, first_id: int, first_nib: int, count: int) -> Batch:
    """``count`` verified UMKM with explicit ids, so child rows can point at them at once."""
    rng, batch = ctx.rng, Batch()
    for i in range(count):
        category = ctx.single_category or pick_category(rng)
        business = make_business(rng, category)
        kel_id, kec_id, district = rng.choice(ctx.places)
        name = business.business_name
        if rng.random() < 0.3:  # real lists repeat names; a place name tells them apart
            name = f"{name} {ctx.place_names[kel_id]}"
        nik = make_nik(rng, district, business.is_female, first_id + i)
        bank, account = make_bank(rng)
        days = rng.randint(10, 360) if rng.random() < NEWCOMER_RATE else rng.randint(400, 1460)
        submitted = ctx.now - dt.timedelta(days=days, minutes=rng.randint(0, 900))
        verified = submitted + dt.timedelta(days=rng.randint(1, 10), minutes=rng.randint(0, 600))
        verified = min(verified, ctx.now)  # a newcomer of 10 days may not be later than now
        batch.categories.append(category)
        batch.umkm.append(
            {
                "id": first_id + i,
                "business_name": name,
                "owner_name": business.owner_name,
                "nik": nik,
                "nib": f"{SEED_NIB_PREFIX}{first_nib + i:012d}",
                "npwp": make_npwp(rng, nik),
                "address": make_address(rng),
                "kecamatan_id": kec_id,
                "kelurahan_id": kel_id,
                "phone": make_phone(rng),
                "bank_name": bank,
                "bank_account_number": account,
                "bank_account_name": business.owner_name,
                "declared_scale": business.declared_scale,
                "description": business.description,
                "is_own_production": business.is_own_production,
                "status": UmkmStatus.VERIFIED.value,
                "status_reason": None,
                "submitted_at": submitted,
                "verified_at": verified,
                "updated_at": verified,
            }
        )
    return batch


def umkm_category_rows(ctx: Context, batch: Batch) -> RowDicts:
    return [
        {"umkm_id": u["id"], "category_id": ctx.category_ids[slug]}
        for u, slug in zip(batch.umkm, batch.categories, strict=True)
    ]


def product_rows(ctx: Context, batch: Batch) -> RowDicts:
    rows: RowDicts = []
    only = single_kind(ctx.single_category) if ctx.single_category else None
    for u, slug in zip(batch.umkm, batch.categories, strict=True):
        category_id = ctx.category_ids[slug]
        for fields in make_products(ctx.rng, slug, ctx.products_per_umkm, kind=only):
            kind = fields.pop("kind")
            fields["search_text"] = f"{fields['name']} {u['business_name']}".lower()
            fields.update(
                umkm_id=u["id"],
                category_id=category_id,
                # The template's kind; the catch-all only if an admin deleted that kind.
                kind_id=ctx.kind_ids.get((slug, kind), ctx.kind_ids[(slug, CATCH_ALL_SLUG)]),
                is_active=True,
                is_listed=category_id in ctx.listed_categories,
                created_at=u["verified_at"],
                updated_at=u["verified_at"],
            )
            rows.append(fields)
    return rows


def omzet_rows(ctx: Context, batch: Batch) -> RowDicts:
    """Revision 1 of every month reported since the UMKM registered, as a bulk import."""
    rows: RowDicts = []
    rng, months = ctx.omzet_rng, ctx.omzet_months
    for u, slug in zip(batch.umkm, batch.categories, strict=True):
        # No month before the registration month: the filing form and the importer refuse it.
        registered = Period.of(jakarta_date(u["submitted_at"]))
        owed = [month for month in months if month[0] >= registered]
        amounts = monthly_amounts(rng, slug, u["declared_scale"], [p for p, _, _ in owed])
        for (_, period, window), amount in zip(owed, amounts, strict=True):
            if amount is None:
                ctx.omzet_missing += 1
                continue
            filed_at, is_late = filing_moment(rng, window)
            rows.append(
                {
                    "umkm_id": u["id"],
                    "period": period,
                    "revision": 1,
                    "amount": amount,
                    "reason": None,
                    "source": "import",
                    "source_file": "seed",
                    "filed_by_id": None,
                    "filed_at": filed_at,
                    "is_late": is_late,
                }
            )
        ctx.omzet_missing += len(months) - len(owed)
    return rows


# Child tables of a batch, written after its UMKM rows, in this order; ``reset_seed`` deletes
# them in the reverse order, by ``umkm_id``.
GENERATORS: tuple[tuple[Table, Callable[[Context, Batch], RowDicts]], ...] = (
    (umkm_category, umkm_category_rows),
    (Product.__table__, product_rows),
    (OmzetReport.__table__, omzet_rows),
)


def build_context(
    session: Session,
    products_per_umkm: int,
    random_seed: int,
    omzet_months: int,
    deadline_day: int,
) -> Context:
    """The shared random sources and reference ids (default categories and wilayah made if
    missing), and the omzet months with their filing windows."""
    ensure_default_categories(session)
    slugs = [slug for slug, _ in DEFAULT_CATEGORIES]
    found = session.execute(
        select(Category.slug, Category.id, Category.is_active).where(Category.slug.in_(slugs))
    ).all()
    category_ids = {slug: category_id for slug, category_id, _ in found}
    listed_categories = frozenset(category_id for _, category_id, active in found if active)
    kind_ids = {
        (slug, kind_slug): kind_id
        for slug, kind_slug, kind_id in session.execute(
            select(Category.slug, ProductKind.slug, ProductKind.id).join(ProductKind.category)
        ).tuples()
    }
    if session.scalar(select(func.count()).select_from(Kelurahan)) == 0:
        ensure_wilayah(session)
    kecamatan = list(session.scalars(select(Kecamatan.id).order_by(Kecamatan.id)))
    district = {kec_id: n for n, kec_id in enumerate(kecamatan, start=1)}
    kelurahan = session.execute(select(Kelurahan.id, Kelurahan.kecamatan_id, Kelurahan.name)).all()
    now = utcnow()
    # The months before the current one in Jakarta, as ``today_in_jakarta`` sees it, taken
    # from the same instant as every other seeded time.
    periods = last_months(Period.of(jakarta_date(now)), omzet_months)
    windows = filing_windows(periods, now, deadline_day)
    return Context(
        rng=random.Random(random_seed),
        places=[(k.id, k.kecamatan_id, district[k.kecamatan_id] % 100) for k in kelurahan],
        place_names={k.id: k.name for k in kelurahan},
        category_ids=category_ids,
        kind_ids=kind_ids,
        listed_categories=listed_categories,
        products_per_umkm=products_per_umkm,
        now=now,
        omzet_rng=random.Random(f"omzet-{random_seed}"),
        omzet_months=[(p, str(p), windows[p]) for p in periods],
    )
