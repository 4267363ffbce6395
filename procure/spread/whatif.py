"""What-if replays of a past period: the period's requests replayed under other settings.

``load_world`` reads the period from the database into the replay's world
(``procure.allocation.population``/``simulation``): every UMKM verified by the period's end (and
any that got an order of its requests) with all its products, their omzet as filed with the day
each revision was filed, the live orders before the period (history: awards, booked capacity),
and the requests of the period that led to orders, in order of creation. ``compute`` replays
each scenario over it and measures every replay and the orders really issued for those requests
with the same function (``simulation.measure``).

A replay writes nothing: ``read_only`` gives a session on a connection of its own whose
transaction is read-only (PostgreSQL ``SET TRANSACTION READ ONLY``, SQLite ``PRAGMA
query_only``) and is rolled back at the end.

Where a replay of pemerataan-v2 can differ from what the live allocation chose for the same
requests (docs/benchmarks.md, "What-if replay"): the replay reads products as they are
today (price, capacity, lead time, active), takes an order's current status (an order declined
or cancelled later was live when later requests were run, but is not in the history or the
"Yang terjadi" column), runs the requests in order of creation (the live runs happen when the
officer presses the button, possibly in another order), reads omzet by filing day (a report
filed later on the day of a request counts), and never overrides the proposal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Engine, func, or_, select, text
from sqlalchemy.orm import Session

from procure.allocation.population import Population, Product, Supplier
from procure.allocation.records import Award, Request, Settings
from procure.allocation.simulation import (
    CHEAPEST,
    History,
    Order,
    Replay,
    measure,
    replay,
)
from procure.clock import day_bounds, jakarta_date
from procure.omzet.models import OmzetReport
from procure.omzet.rules import Period
from procure.procurement.models import (
    LIVE_ORDER_STATUSES,
    PurchaseOrder,
    PurchaseRequest,
    RequestStatus,
)
from procure.ranking.facts import policy_request
from procure.spread.periods import ReportPeriod
from procure.spread.whatif_rules import ACTUAL, RANDOM_SEED, Figures, Scenario, sentence
from procure.umkm.models import Product as ProductRow
from procure.umkm.models import Umkm, UmkmReview

HISTORY_DAYS = 400  # orders older than this before the period change no rule (365-day round)
SIZE_MONTHS = 12  # the "usual month" of a UMKM: its mean reported omzet over these months
Progress = Callable[[int, int], None]  # (requests replayed, requests to replay in all)


@dataclass(frozen=True)
class World:
    """A past period, loaded: what the replays run over."""

    population: Population
    requests: tuple[Request, ...]
    history: History
    actual: Replay  # the live orders really issued for these requests


@dataclass(frozen=True)
class Column:
    label: str
    figures: Figures
    sentence: str  # empty for "Yang terjadi"


@dataclass(frozen=True)
class Outcome:
    """What the page shows: the period, its size, and each column's figures."""

    period: str
    period_label: str
    request_count: int
    supplier_count: int
    columns: tuple[Column, ...]  # "Yang terjadi" first, then each scenario in order


@contextlib.contextmanager
def read_only(engine: Engine) -> Iterator[Session]:
    """A session that cannot write, on its own connection; rolled back when done."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA query_only = ON")
        else:
            connection.execute(text("SET TRANSACTION READ ONLY"))
        session = Session(bind=connection)
        try:
            yield session
        finally:
            session.close()
            connection.rollback()
            if sqlite:
                connection.exec_driver_sql("PRAGMA query_only = OFF")


def _bounds(period: ReportPeriod) -> tuple[dt.datetime, dt.datetime]:
    return day_bounds(period.start, period.end)


def _replayed(start: dt.datetime, end: dt.datetime) -> list[object]:
    return [
        PurchaseRequest.status == RequestStatus.ORDERED.value,
        PurchaseRequest.created_at >= start,
        PurchaseRequest.created_at < end,
    ]


def count_requests(session: Session, period: ReportPeriod) -> int:
    """The requests a replay of the period would run (created in it, decided into orders)."""
    start, end = _bounds(period)
    return int(
        session.scalar(select(func.count(PurchaseRequest.id)).where(*_replayed(start, end))) or 0
    )


def load_world(session: Session, period: ReportPeriod) -> World:
    """The period's requests and the world they were decided in, by bounded column queries."""
    start, end = _bounds(period)
    requests = tuple(
        policy_request(row)
        for row in session.execute(
            select(
                PurchaseRequest.id,
                PurchaseRequest.opd_id,
                PurchaseRequest.category_id,
                PurchaseRequest.kind_id,
                PurchaseRequest.quantity,
                PurchaseRequest.unit,
                PurchaseRequest.hps_unit_price,
                PurchaseRequest.needed_by,
                PurchaseRequest.created_at,
            )
            .where(*_replayed(start, end))
            .order_by(PurchaseRequest.created_at, PurchaseRequest.id)
        )
    )
    ids = {r.id for r in requests}
    due_of = {r.id: Period.of(r.needed_by) for r in requests}

    # Live orders: those of the replayed requests happened ("Yang terjadi"); the others issued
    # up to the period's end are the history every replay starts from.
    actual: list[Order] = []
    awards: defaultdict[int, list[Award]] = defaultdict(list)
    booked: Counter[tuple[int, Period]] = Counter()
    awarded: Counter[tuple[int, Period]] = Counter()
    platform: Counter[tuple[int, Period]] = Counter()  # every live order, by issue month
    first_month = Period.of(period.start)
    for row in session.execute(
        select(
            PurchaseOrder.request_id,
            PurchaseOrder.umkm_id,
            PurchaseOrder.product_id,
            PurchaseOrder.quantity,
            PurchaseOrder.unit_price,
            PurchaseOrder.value,
            PurchaseOrder.due_date,
            PurchaseOrder.issued_at,
        ).where(
            PurchaseOrder.status.in_(LIVE_ORDER_STATUSES),
            PurchaseOrder.issued_at >= start - dt.timedelta(days=HISTORY_DAYS),
            PurchaseOrder.issued_at < end,
        )
    ):
        issued_on = jakarta_date(row.issued_at)
        month = Period.of(issued_on)
        platform[(row.umkm_id, month)] += row.value
        if row.request_id in ids:
            actual.append(
                Order(
                    row.request_id,
                    row.umkm_id,
                    row.product_id,
                    row.quantity,
                    row.unit_price,
                    due_of[row.request_id],
                )
            )
            continue
        awards[row.umkm_id].append(Award(issued_on, row.value))
        awarded[(row.umkm_id, month)] += row.value
        due = Period.of(row.due_date)
        if due >= first_month:
            booked[(row.product_id, due)] += row.quantity
    actual.sort(key=lambda o: (o.request_id, o.umkm_id))

    population = _population(session, end, {o.umkm_id for o in actual}, period, platform)
    history = History(
        awards={u: tuple(a) for u, a in awards.items() if u in population.index},
        booked=dict(booked),
        awarded=dict(awarded),
    )
    return World(population, requests, history, Replay(ACTUAL, tuple(actual)))


def _population(
    session: Session,
    end: dt.datetime,
    with_orders: set[int],
    period: ReportPeriod,
    platform: Counter[tuple[int, Period]],
) -> Population:
    """UMKM verified by ``end`` or with an order of the replayed requests, zeros included."""
    condition = Umkm.verified_at < end
    if with_orders:
        condition = or_(condition, Umkm.id.in_(sorted(with_orders)))
    umkms = session.execute(
        select(Umkm.id, Umkm.verified_at, Umkm.status).where(condition).order_by(Umkm.id)
    ).all()
    ids = {row.id for row in umkms}
    suspended = dict(
        session.execute(
            select(UmkmReview.umkm_id, UmkmReview.at)
            .join(Umkm, Umkm.id == UmkmReview.umkm_id)
            .where(Umkm.status == "suspended", UmkmReview.to_status == "suspended", condition)
            .order_by(UmkmReview.at)
        ).all()
    )  # the latest suspension of each UMKM suspended today
    products: defaultdict[int, list[Product]] = defaultdict(list)
    for row in session.execute(
        select(
            ProductRow.id,
            ProductRow.umkm_id,
            ProductRow.category_id,
            ProductRow.kind_id,
            ProductRow.name,
            ProductRow.unit_price,
            ProductRow.monthly_capacity,
            ProductRow.lead_time_days,
            ProductRow.min_order,
            ProductRow.is_active,
        )
        .join(Umkm, Umkm.id == ProductRow.umkm_id)
        .where(condition)
        .order_by(ProductRow.id)
    ):
        products[row.umkm_id].append(
            Product(
                product_id=row.id,
                umkm_id=row.umkm_id,
                category_id=row.category_id,
                unit_price=row.unit_price,
                monthly_capacity=row.monthly_capacity,
                lead_time_days=row.lead_time_days,
                min_order=row.min_order,
                kind_id=row.kind_id,
                name=row.name,
                is_active=row.is_active,
            )
        )

    # Omzet: every revision of the months a window or the usual month can look at.
    last = Period.of(period.end)
    first = min(Period.of(period.start).shift(-3), last.shift(-SIZE_MONTHS + 1))
    revisions: defaultdict[int, defaultdict[Period, list[tuple[dt.date, int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in session.execute(
        select(
            OmzetReport.umkm_id,
            OmzetReport.period,
            OmzetReport.revision,
            OmzetReport.amount,
            OmzetReport.filed_at,
        )
        .join(Umkm, Umkm.id == OmzetReport.umkm_id)
        .where(condition, OmzetReport.period >= str(first), OmzetReport.period <= str(last))
    ):
        month = Period.parse(row.period)
        revisions[row.umkm_id][month].append((jakarta_date(row.filed_at), row.revision, row.amount))

    suppliers: list[Supplier] = []
    by_category: defaultdict[int, list[Product]] = defaultdict(list)
    by_kind: defaultdict[int, list[Product]] = defaultdict(list)
    for row in umkms:
        months = revisions.get(row.id, {})
        filed: dict[Period, tuple[tuple[dt.date, int], ...]] = {}
        usual: list[int] = []
        for month, found in months.items():
            found.sort(key=lambda f: (f[0], f[1]))  # by filing day, then revision
            # The base: what was filed less the platform orders of that month that happened.
            filed[month] = tuple(
                (day, max(0, amount - platform[(row.id, month)])) for day, _, amount in found
            )
            usual.append(max(found, key=lambda f: f[1])[2])
        own = tuple(products.get(row.id, ()))
        for product in own:
            by_category[product.category_id].append(product)
            if product.kind_id is not None:
                by_kind[product.kind_id].append(product)
        suppliers.append(
            Supplier(
                umkm_id=row.id,
                is_kecil=False,
                size=sum(usual) / len(usual) if usual else 0.0,
                verified_at=row.verified_at,
                omzet={},
                filed_on={},
                products=own,
                filings=tuple(sorted(day for found in filed.values() for day, _ in found)),
                revisions=filed,
                suspended_at=suspended.get(row.id) if row.status == "suspended" else None,
            )
        )
    assert ids == {s.umkm_id for s in suppliers}
    return Population(
        tuple(suppliers),
        {c: tuple(p) for c, p in sorted(by_category.items())},
        by_kind={k: tuple(p) for k, p in sorted(by_kind.items())},
        index={s.umkm_id: s for s in suppliers},
    )


def compute(
    world: World,
    scenarios: Sequence[Scenario],
    base: Settings,
    *,
    period: ReportPeriod,
    progress: Progress | None = None,
) -> Outcome:
    """Replay each scenario (and always-cheapest with the Pemda's settings, the premium's
    reference) and measure them beside what happened."""
    runs: list[tuple[Scenario | None, Settings]] = [
        (s, replace(base, max_suppliers=s.max_suppliers, annual_award_cap=s.annual_cap))
        for s in scenarios
    ]
    reference = next(
        (
            i
            for i, (s, settings) in enumerate(runs)
            if s and s.policy == CHEAPEST and settings == base
        ),
        None,
    )
    if reference is None:
        runs.append((None, base))
    n = len(world.requests)
    total = n * len(runs)
    replays: list[Replay] = []
    for index, (scenario, settings) in enumerate(runs):
        policy = scenario.policy if scenario else CHEAPEST

        def told(done: int, before: int = index * n) -> None:
            if progress is not None:
                progress(before + done, total)

        replayed = replay(
            world.population,
            world.requests,
            policy,
            RANDOM_SEED,
            settings,
            history=world.history,
            progress=told,
        )
        replays.append(replayed)
    # ``measure`` takes the premium's reference from the replay named always-cheapest: only
    # that one is given the name; the scenarios are told apart by their place.
    cheapest = len(runs) - 1 if reference is None else reference
    named = [
        Replay(CHEAPEST if i == cheapest else f"#{i}", r.orders) for i, r in enumerate(replays)
    ]
    metrics = measure(
        world.population, world.requests, [Replay(ACTUAL, world.actual.orders), *named]
    )
    size = len(world.population.suppliers)
    actual = Figures.of(ACTUAL, metrics[0], size)
    columns = [Column(ACTUAL, actual, "")]
    for (scenario, _), m in zip(runs, metrics[1:], strict=True):
        if scenario is None:
            continue
        figures = Figures.of(scenario.label, m, size)
        columns.append(Column(scenario.label, figures, sentence(actual, figures)))
    return Outcome(
        period=str(period),
        period_label=period.label,
        request_count=n,
        supplier_count=size,
        columns=tuple(columns),
    )


def run_whatif(
    engine: Engine,
    period: ReportPeriod,
    scenarios: Sequence[Scenario],
    base: Settings,
    progress: Progress | None = None,
) -> Outcome:
    """Load the period read-only and replay it: the one path every caller takes (the page,
    the job, the benchmark)."""
    with read_only(engine) as session:
        world = load_world(session, period)
    return compute(world, scenarios, base, period=period, progress=progress)
