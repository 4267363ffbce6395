"""``procure seed``: verified UMKM and their products at scale, for benchmarks.

Each table has one generator that turns a batch of UMKM into plain row dicts; the rows are
written in bulk (Core ``insert()`` as an executemany, or ``COPY`` on PostgreSQL), never one
ORM object at a time. Another table (12 months of omzet, say) is one more entry in
``GENERATORS``. Names, prices and identifiers come from ``procure.sample_data``, the same
source as the demo.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import click
from babel.numbers import format_decimal
from flask.cli import with_appcontext
from sqlalchemy import Table, delete, func, insert, select, text
from sqlalchemy.orm import Session
from tqdm import tqdm

from procure.catalog.models import Category, Kecamatan, Kelurahan
from procure.catalog.services import DEFAULT_CATEGORIES, ensure_default_categories
from procure.db import utcnow
from procure.demo import ensure_wilayah
from procure.extensions import db
from procure.formatting import LOCALE, number
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
from procure.umkm.models import Product, ProductPhoto, Umkm, UmkmStatus, umkm_category

# Seeded NIBs are "8" + 12 digits: the demo uses 912…, the test factories 9100…, so a seed
# never collides with them and ``--reset`` can find its own rows again.
SEED_NIB_PREFIX = "8"
RowDicts = list[dict[str, Any]]
LABELS = {"umkm": "UMKM", "umkm_category": "kategori usaha", "product": "produk"}


@dataclass
class Context:
    """What every batch shares: the random source and the reference data's ids."""

    rng: random.Random
    places: list[tuple[int, int, int]]  # (kelurahan id, kecamatan id, district number)
    place_names: dict[int, str]  # kelurahan id -> name
    category_ids: dict[str, int]
    products_per_umkm: int
    now: dt.datetime


@dataclass
class Batch:
    """One batch of UMKM rows (ids assigned) and each one's category slug."""

    umkm: RowDicts = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


def umkm_batch(ctx: Context, first_id: int, first_nib: int, count: int) -> Batch:
    """``count`` verified UMKM with explicit ids, so child rows can point at them at once."""
    rng, batch = ctx.rng, Batch()
    for i in range(count):
        category = pick_category(rng)
        business = make_business(rng, category)
        kel_id, kec_id, district = rng.choice(ctx.places)
        name = business.business_name
        if rng.random() < 0.3:  # real lists repeat names; a place name tells them apart
            name = f"{name} {ctx.place_names[kel_id]}"
        nik = make_nik(rng, district, business.is_female, first_id + i)
        bank, account = make_bank(rng)
        submitted = ctx.now - dt.timedelta(days=rng.randint(10, 720), minutes=rng.randint(0, 900))
        verified = submitted + dt.timedelta(days=rng.randint(1, 10), minutes=rng.randint(0, 600))
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
    for u, slug in zip(batch.umkm, batch.categories, strict=True):
        for fields in make_products(ctx.rng, slug, ctx.products_per_umkm):
            fields["search_text"] = f"{fields['name']} {u['business_name']}".lower()
            fields.update(
                umkm_id=u["id"],
                category_id=ctx.category_ids[slug],
                is_active=True,
                created_at=u["verified_at"],
                updated_at=u["verified_at"],
            )
            rows.append(fields)
    return rows


# Child tables of a batch, written after its UMKM rows, in this order.
GENERATORS: tuple[tuple[Table, Callable[[Context, Batch], RowDicts]], ...] = (
    (umkm_category, umkm_category_rows),
    (Product.__table__, product_rows),
)


def write_insert(session: Session, table: Table, rows: RowDicts) -> None:
    """Core executemany: SQLAlchemy batches it (multi-row VALUES on PostgreSQL)."""
    session.execute(insert(table), rows)


def write_copy(session: Session, table: Table, rows: RowDicts) -> None:
    """PostgreSQL ``COPY … FROM STDIN`` on the session's own connection (same transaction)."""
    columns = list(rows[0])
    raw = session.connection().connection.driver_connection
    names = ", ".join(f'"{c}"' for c in columns)
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


class SeedError(ValueError):
    """The seed cannot run as asked; the message is for the user."""


@dataclass
class SeedResult:
    counts: dict[str, int]
    seconds: float
    method: str

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def seed(
    session: Session,
    umkm_count: int,
    *,
    products_per_umkm: int = 2,
    batch_size: int = 10_000,
    method: str = "auto",
    reset: bool = False,
    progress: bool = True,
    random_seed: int = 2026,
) -> SeedResult:
    """Add ``umkm_count`` verified UMKM with their products; flushes, never commits."""
    started = time.perf_counter()
    dialect = session.get_bind().dialect.name
    if method == "auto":
        method = "copy" if dialect == "postgresql" else "insert"
    if method == "copy" and dialect != "postgresql":
        raise SeedError("--method copy hanya untuk PostgreSQL; di SQLite pakai --method insert.")
    write = write_copy if method == "copy" else write_insert
    if reset:
        reset_seed(session)
    ctx = _context(session, products_per_umkm, random_seed)
    first_id = (session.scalar(select(func.max(Umkm.id))) or 0) + 1
    last_nib = session.scalar(
        select(func.max(Umkm.nib)).where(Umkm.nib.like(f"{SEED_NIB_PREFIX}%"))
    )
    first_nib = int(last_nib[1:]) + 1 if last_nib else 1
    counts = {"umkm": 0} | {table.name: 0 for table, _ in GENERATORS}
    with tqdm(total=umkm_count, unit=" UMKM", disable=not progress) as bar:
        for offset in range(0, umkm_count, batch_size):
            size = min(batch_size, umkm_count - offset)
            batch = umkm_batch(ctx, first_id + offset, first_nib + offset, size)
            for table, rows in _tables(ctx, batch):
                if rows:
                    write(session, table, rows)
                    counts[table.name] += len(rows)
            bar.update(size)
    if dialect == "postgresql" and counts["umkm"]:
        # The ids were given explicitly, so the serial sequence has to be moved past them.
        session.execute(
            text("SELECT setval(pg_get_serial_sequence('umkm', 'id'), max(id)) FROM umkm")
        )
    session.flush()
    return SeedResult(counts, time.perf_counter() - started, method)


def _tables(ctx: Context, batch: Batch) -> Iterable[tuple[Table, RowDicts]]:
    yield Umkm.__table__, batch.umkm
    for table, generate in GENERATORS:
        yield table, generate(ctx, batch)


def _context(session: Session, products_per_umkm: int, random_seed: int) -> Context:
    ensure_default_categories(session)
    slugs = [slug for slug, _ in DEFAULT_CATEGORIES]
    found = session.execute(select(Category.slug, Category.id).where(Category.slug.in_(slugs)))
    category_ids = {slug: category_id for slug, category_id in found}
    if session.scalar(select(func.count()).select_from(Kelurahan)) == 0:
        ensure_wilayah(session)
    kecamatan = list(session.scalars(select(Kecamatan.id).order_by(Kecamatan.id)))
    district = {kec_id: n for n, kec_id in enumerate(kecamatan, start=1)}
    kelurahan = session.execute(select(Kelurahan.id, Kelurahan.kecamatan_id, Kelurahan.name)).all()
    return Context(
        rng=random.Random(random_seed),
        places=[(k.id, k.kecamatan_id, district[k.kecamatan_id] % 100) for k in kelurahan],
        place_names={k.id: k.name for k in kelurahan},
        category_ids=category_ids,
        products_per_umkm=products_per_umkm,
        now=utcnow(),
    )


def reset_seed(session: Session) -> int:
    """Delete every seeded UMKM (NIB 8…) and the rows that hang on it; returns how many."""
    seeded = select(Umkm.id).where(Umkm.nib.like(f"{SEED_NIB_PREFIX}%")).scalar_subquery()
    products = select(Product.id).where(Product.umkm_id.in_(seeded)).scalar_subquery()
    session.execute(delete(ProductPhoto).where(ProductPhoto.product_id.in_(products)))
    for table, _ in reversed(GENERATORS):
        session.execute(delete(table).where(table.c.umkm_id.in_(seeded)))
    result = session.execute(delete(Umkm).where(Umkm.nib.like(f"{SEED_NIB_PREFIX}%")))
    return int(result.rowcount)  # type: ignore[attr-defined]


@click.command("seed")
@click.option(
    "--umkm",
    "umkm_count",
    type=click.IntRange(min=1),
    required=True,
    help="Jumlah UMKM terverifikasi yang dibuat.",
)
@click.option(
    "--products-per-umkm", type=click.IntRange(min=1, max=20), default=2, show_default=True
)
@click.option(
    "--batch",
    "batch_size",
    type=click.IntRange(min=100),
    default=10_000,
    show_default=True,
    help="UMKM per batch tulis.",
)
@click.option(
    "--method",
    type=click.Choice(["auto", "insert", "copy"]),
    default="auto",
    show_default=True,
    help="auto: COPY di PostgreSQL, INSERT massal di SQLite.",
)
@click.option("--reset", is_flag=True, help="Hapus dulu data seed sebelumnya (NIB 8…).")
@with_appcontext
def seed_command(
    umkm_count: int, products_per_umkm: int, batch_size: int, method: str, reset: bool
) -> None:
    """Build synthetic verified UMKM and products at scale (see docs/benchmarks.md)."""
    # One commit at the end: the seed is all-or-nothing like any other command (a failed or
    # interrupted run leaves no half seed behind). Memory stays bounded anyway: each batch is
    # written and dropped, so the pending rows wait in the database, not in Python; and one
    # transaction is the fastest on SQLite (one sync to disk instead of one per batch).
    started = time.perf_counter()
    try:
        result = seed(
            db.session,
            umkm_count,
            products_per_umkm=products_per_umkm,
            batch_size=batch_size,
            method=method,
            reset=reset,
        )
    except SeedError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    seconds = time.perf_counter() - started
    parts = ", ".join(f"{number(n)} {LABELS.get(name, name)}" for name, n in result.counts.items())
    elapsed = format_decimal(seconds, format="#,##0.0", locale=LOCALE)
    rate = number(round(result.rows / seconds))
    click.echo(
        f"Selesai ({result.method}): {parts}; {number(result.rows)} baris dalam "
        f"{elapsed} detik ({rate} baris/detik)."
    )
