"""``procure seed``: verified UMKM, their products and omzet at scale, for benchmarks.

The rows come from the generators in ``procure.sample_data.seed_rows`` and are written in bulk (Core
``insert()`` as an executemany, or ``COPY`` on PostgreSQL), never one ORM object at a time.
Another table is one more entry in ``GENERATORS`` there. ``--orders`` adds a year of orders over
the seeded UMKM (``procure.sample_data.seed_orders``), written the same way.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import click
from babel.numbers import format_decimal
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import JSON, Table, delete, func, insert, select, text
from sqlalchemy.orm import Session
from tqdm import tqdm

from procure.catalog.kept_results import mark_changed
from procure.extensions import db
from procure.formatting import LOCALE, number
from procure.omzet.models import OmzetReport
from procure.payments.calendar import PaymentTerm
from procure.payments.calendar import payment_term as payment_term_of
from procure.procurement.models import AllocationFigure
from procure.ranking import figures
from procure.sample_data.seed_orders import reset_orders, seed_orders
from procure.sample_data.seed_rows import (
    GENERATORS,
    SEED_NIB_PREFIX,
    Batch,
    Context,
    RowDicts,
    build_context,
    umkm_batch,
)
from procure.umkm.models import Product, ProductPhoto, Umkm

LABELS = {
    "umkm": "UMKM",
    "umkm_category": "kategori usaha",
    "product": "produk",
    "omzet_report": "laporan omzet",
    "purchase_request": "permintaan",
    "allocation_run": "alokasi diputuskan",
    "purchase_order": "pesanan",
    "order_event": "riwayat pesanan",
    "opd_budget": "pagu OPD",
}
ORDER_TABLES = ("purchase_request", "allocation_run", "purchase_order", "order_event")


def write_insert(session: Session, table: Table, rows: RowDicts) -> None:
    """Core executemany: SQLAlchemy batches it (multi-row VALUES on PostgreSQL)."""
    session.execute(insert(table), rows)


def write_copy(session: Session, table: Table, rows: RowDicts) -> None:
    """PostgreSQL ``COPY … FROM STDIN`` on the session's own connection (same transaction).
    JSON columns (dicts and lists in the rows) go as their JSON text."""
    columns = list(rows[0])
    raw = session.connection().connection.driver_connection
    names = ", ".join(f'"{c}"' for c in columns)
    json_columns = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, JSON)]
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            values = [row[c] for c in columns]
            for i in json_columns:
                values[i] = json.dumps(values[i])
            copy.write_row(values)


class SeedError(ValueError):
    """The seed cannot run as asked; the message is for the user."""


@dataclass
class SeedResult:
    counts: dict[str, int]
    seconds: float
    method: str
    omzet_missing: int = 0  # UMKM-months seeded without a report
    orders_seconds: float = 0.0  # of ``seconds``: the year of orders (``--orders``)
    statuses: dict[str, int] = field(default_factory=dict)  # seeded orders by status
    order_writes: dict[str, float] = field(default_factory=dict)  # seconds writing, per table

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
    omzet_months: int = 0,
    deadline_day: int = 10,
    single_category: str | None = None,
    orders: int = 0,
    payment_term: PaymentTerm | None = None,
) -> SeedResult:
    """Add ``umkm_count`` verified UMKM with their products and the last ``omzet_months``
    completed months of omzet (Asia/Jakarta), then ``orders`` orders over the 12 months before
    this one (``seed_orders``); flushes, never commits.

    ``omzet_months`` is 0 here (callers such as benchmarks/omzet_import.py bring their own
    omzet); the ``procure seed`` command asks for 12 unless told otherwise.
    """
    started = time.perf_counter()
    dialect = session.get_bind().dialect.name
    method = _method(method, dialect)
    write = write_copy if method == "copy" else write_insert
    if reset:
        reset_seed(session)
    ctx = build_context(session, products_per_umkm, random_seed, omzet_months, deadline_day)
    if single_category is not None:
        _check_category(ctx, single_category)
        ctx.single_category = single_category
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
    orders_seconds, statuses, order_writes = 0.0, {}, {}
    if orders:
        orders_started = time.perf_counter()
        made = seed_orders(
            session,
            orders,
            write,
            random_seed=random_seed,
            now=ctx.now,
            progress=progress,
            term=payment_term,
        )
        counts |= {
            "purchase_request": made.requests,
            "allocation_run": made.runs,
            "purchase_order": made.orders,
            "order_event": made.events,
            "opd_budget": made.budgets,
        }
        statuses, order_writes = dict(made.statuses), dict(made.write_seconds)
        orders_seconds = time.perf_counter() - orders_started
    if dialect == "postgresql" and counts["umkm"]:
        _after_postgresql_load(session, counts)
    # The allocation's per-UMKM figures, for every UMKM in one statement set (ANALYZEd): with
    # the seeded orders, their rounds and awards too.
    figures.rebuild(session)
    mark_changed(session)  # bulk rows bypass the ORM: the kept catalog results are stale
    session.flush()
    return SeedResult(
        counts,
        time.perf_counter() - started,
        method,
        ctx.omzet_missing,
        orders_seconds=orders_seconds,
        statuses=statuses,
        order_writes=order_writes,
    )


def _method(method: str, dialect: str) -> str:
    """``copy`` or ``insert``: ``auto`` picks COPY on PostgreSQL; COPY elsewhere is refused."""
    if method == "auto":
        method = "copy" if dialect == "postgresql" else "insert"
    if method == "copy" and dialect != "postgresql":
        raise SeedError("--method copy hanya untuk PostgreSQL; di SQLite pakai --method insert.")
    return method


def _check_category(ctx: Context, slug: str) -> None:
    if slug not in ctx.category_ids:
        raise SeedError(
            f"Kategori {slug} tidak dikenal; pilih salah satu: "
            + ", ".join(sorted(ctx.category_ids))
            + "."
        )


def _after_postgresql_load(session: Session, counts: dict[str, int]) -> None:
    # The ids were given explicitly, so the serial sequences have to be moved past them.
    for name in ("umkm", *ORDER_TABLES):  # fixed table names, nothing from outside
        if counts.get(name):
            sql = f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM {name}"  # noqa: S608
            session.execute(text(sql))
    # Fresh statistics for the planner (the catalog search picks its plan from them):
    # autovacuum would get there eventually, or never where it is off (as on the dev
    # server). ANALYZE counts this transaction's own new rows; about a second at 100k.
    written = ", ".join(f'"{name}"' for name, n in counts.items() if n)
    session.execute(text(f"ANALYZE {written}"))


def _tables(ctx: Context, batch: Batch) -> Iterable[tuple[Table, RowDicts]]:
    yield Umkm.__table__, batch.umkm
    for table, generate in GENERATORS:
        yield table, generate(ctx, batch)


def reset_seed(session: Session) -> int:
    """Delete every seeded UMKM (NIB 8…) and the rows that hang on it, and the seeded OPDs with
    their requests and orders (``seed_orders.reset_orders``); returns how many UMKM went."""
    reset_orders(session)
    seeded = select(Umkm.id).where(Umkm.nib.like(f"{SEED_NIB_PREFIX}%")).scalar_subquery()
    products = select(Product.id).where(Product.umkm_id.in_(seeded)).scalar_subquery()
    session.execute(delete(ProductPhoto).where(ProductPhoto.product_id.in_(products)))
    session.execute(delete(AllocationFigure).where(AllocationFigure.umkm_id.in_(seeded)))
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
@click.option(
    "--omzet-months",
    type=click.IntRange(min=0, max=36),
    default=12,
    show_default=True,
    help="Bulan omzet terakhir yang diisi per UMKM (0: tanpa omzet).",
)
@click.option(
    "--single-category",
    metavar="SLUG",
    help=(
        "Semua UMKM di satu kategori dan semua produknya di satu jenis barang (batik: "
        "Kemeja Batik Lengan Panjang), untuk benchmark alokasi."
    ),
)
@click.option(
    "--orders",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help=(
        "Pesanan setahun (12 bulan sampai bulan lalu) ke UMKM seed, dengan permintaan, "
        "alokasi yang sudah diputuskan, riwayat status dan pagu OPD seed tahun ini."
    ),
)
@click.option("--reset", is_flag=True, help="Hapus dulu data seed sebelumnya (NIB 8…, OPD SEED-…).")
@with_appcontext
def seed_command(
    umkm_count: int,
    products_per_umkm: int,
    batch_size: int,
    method: str,
    omzet_months: int,
    single_category: str | None,
    orders: int,
    reset: bool,
) -> None:
    """Build synthetic verified UMKM, products and omzet at scale (see docs/benchmarks.md)."""
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
            omzet_months=omzet_months,
            deadline_day=current_app.config["OMZET_DEADLINE_DAY"],
            single_category=single_category,
            orders=orders,
            payment_term=payment_term_of(current_app.config),
        )
    except SeedError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    seconds = time.perf_counter() - started
    parts = ", ".join(
        f"{number(n)} {LABELS.get(name, name)}"
        for name, n in result.counts.items()
        if name != OmzetReport.__tablename__ or omzet_months
    )
    if omzet_months:
        parts += f" ({number(result.omzet_missing)} bulan UMKM tanpa laporan)"
    elapsed = format_decimal(seconds, format="#,##0.0", locale=LOCALE)
    rate = number(round(result.rows / seconds))
    click.echo(
        f"Selesai ({result.method}): {parts}; {number(result.rows)} baris dalam "
        f"{elapsed} detik ({rate} baris/detik)."
    )
    if orders:
        by_status = ", ".join(f"{number(n)} {s}" for s, n in sorted(result.statuses.items()))
        seconds_orders = format_decimal(result.orders_seconds, format="#,##0.0", locale=LOCALE)
        click.echo(f"Pesanan per status: {by_status}; pesanan dibuat dalam {seconds_orders} detik.")
