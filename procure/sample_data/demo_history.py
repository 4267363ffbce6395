"""The demo's history: this year's requests, decisions and orders, by the real services.

For the months of this year up to last month, the demo OPDs ask for kinds the demo UMKM offer;
each request is allocated (``run_allocation``), decided (``decide``: a couple overridden with a
reason) and its orders go through the order services (accepted, delivered, inspected, handed
over, paid; one cancelled; the latest still on their way), each at a moment in the past: the
services read the clock through the names patched by ``clock_at``, and the audit entries of a
step are dated to its moment. So documents, events, figures and the audit trail agree, as if the
year had happened. A UMKM verified after a request's moment is not yet verified for it (its
status is set back while the history is written, then restored).

Some UMKM stay without any order, each for a reason the allocation records: priced above the
HPS of every request of their kind, too slow for the requests' dates, or not reporting omzet
(ranked last), or nobody asked for their kind. This year's budget of each OPD makes the 40 %
measure show progress: most OPDs behind the pace, Dinas Pendidikan ahead.

The same every time (its own ``random.Random``); never commits.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from procure.allocation.population import MONTH_WEIGHTS
from procure.audit.models import AuditLog
from procure.auth.models import User
from procure.clock import JAKARTA, jakarta_date
from procure.documents import issuing
from procure.opd.models import Opd, OpdBudget
from procure.orders import events as order_events
from procure.orders import pass_on
from procure.orders import services as orders
from procure.payments import services as payments
from procure.payments.rules import KKPD, QRIS, SP2D_LS, TRANSFER, default_taxes
from procure.procurement import services as procurement
from procure.procurement.models import LIVE_ORDER_STATUSES, PurchaseOrder, PurchaseRequest
from procure.ranking import figures
from procure.ranking.stored_run import StoredRun
from procure.umkm.models import Product, Umkm, UmkmStatus

T = TypeVar("T")

# How many requests each OPD makes in the year (code: weight); the rest make none.
BUYERS = {
    "DISDIK": 6, "DINKES": 4, "SETDA": 4, "DISDAGKOP": 3, "DISPORA": 3, "DINSOS": 3,
    "KEC-UTARA": 2, "KEC-SELATAN": 2, "BAPPEDA": 2, "DPUPR": 1, "DISHUB": 1,
}  # fmt: skip
REQUESTS = 44
RECENT = 6  # of them, late last month
NOBODY = (
    "Tidak ada UMKM di katalog yang bisa memenuhi jumlah, harga dan tanggal kebutuhan saat "
    "ini; pengadaan dilakukan dengan metode lain."
)
# Days from BAST to payment, per OPD (its treasurer's habit); others take 10.
PAY_DAYS = {"DISDIK": 6, "DINKES": 9, "SETDA": 14, "DISDAGKOP": 5, "DINSOS": 21, "DPUPR": 25}
# The 40 % measure this year: micro and small spend so far as a share of the budget.
AHEAD = "DISDIK"
OVERRIDES = (
    "UMKM usulan pertama sedang menyelesaikan pesanan besar dan meminta dilewati bulan ini "
    "(konfirmasi lewat telepon); dipilih UMKM berikutnya di peringkat.",
    "Barang dibutuhkan untuk acara pagi hari di kecamatan; UMKM terpilih berlokasi di "
    "kecamatan yang sama sehingga pengiriman lebih pasti.",
)
CANCEL_REASON = (
    "Kegiatan ditunda oleh pimpinan karena bertepatan dengan kunjungan kerja; pesanan "
    "dibatalkan sebelum dikirim."
)
# Seen by the services as the clock while one step of the history is written.
CLOCK_NAMES: tuple[tuple[Any, str], ...] = (
    (orders, "utcnow"),
    (orders, "today_in_jakarta"),
    (order_events, "utcnow"),
    (pass_on, "utcnow"),
    (pass_on, "today_in_jakarta"),
    (issuing, "utcnow"),
    (procurement, "today_in_jakarta"),
    (payments, "utcnow"),
    (payments, "today_in_jakarta"),
)


@contextmanager
def clock_at(moment: dt.datetime) -> Iterator[None]:
    """The services' clock set to ``moment`` (aware) for the block: the names they read
    ``utcnow``/``today_in_jakarta`` through, and the time of the audit entries written in it.
    Only for loading the demo (single-threaded, before anything serves)."""
    saved = [(module, name, getattr(module, name)) for module, name in CLOCK_NAMES]
    fixed = moment.astimezone(dt.UTC)

    def stamp(_mapper: Any, _connection: Any, entry: AuditLog) -> None:
        entry.at = fixed

    for module, name in CLOCK_NAMES:
        value = (lambda: fixed) if name == "utcnow" else (lambda: jakarta_date(fixed))
        setattr(module, name, value)
    event.listen(AuditLog, "before_insert", stamp)
    try:
        yield
    finally:
        event.remove(AuditLog, "before_insert", stamp)
        for module, name, value in saved:
            setattr(module, name, value)


def _at(session: Session, moment: dt.datetime, action: Callable[[], T]) -> T:
    """Run one step of the history at ``moment`` (flushed there, audit entries included)."""
    with clock_at(moment):
        result = action()
        session.flush()
    return result


@dataclass(frozen=True)
class Maker:
    umkm_id: int
    product_id: int
    unit_price: int
    lead_time_days: int
    monthly_capacity: int
    min_order: int


def _makers(session: Session) -> dict[int, list[Maker]]:
    """Listed products of verified demo UMKM by kind (kinds with two makers or more)."""
    rows = session.execute(
        select(
            Product.kind_id,
            Product.umkm_id,
            Product.id,
            Product.unit_price,
            Product.lead_time_days,
            Product.monthly_capacity,
            Product.min_order,
        )
        .join(Umkm, Umkm.id == Product.umkm_id)
        .where(
            Umkm.status == UmkmStatus.VERIFIED.value,
            Umkm.nib.like("912%"),  # the demo's own UMKM, not a seed's
            Product.is_listed.is_(True),
        )
        .order_by(Product.id)
    ).tuples()
    by_kind: dict[int, list[Maker]] = defaultdict(list)
    for kind_id, *fields in rows:
        by_kind[kind_id].append(Maker(*fields))
    return {k: v for k, v in by_kind.items() if len({m.umkm_id for m in v}) >= 2}


def _moments(rng: random.Random, today: dt.date) -> list[dt.datetime]:
    """Working-day moments of this year's months before ``today``'s, by the replay's weights,
    and a few in last month's last two weeks (their orders are still on their way)."""
    month_start = dt.date(today.year, today.month, 1)
    days = [
        dt.date(today.year, 1, 1) + dt.timedelta(days=i)
        for i in range((month_start - dt.date(today.year, 1, 1)).days)
    ]
    days = [d for d in days if d.weekday() < 5]
    picked = rng.choices(days, weights=[MONTH_WEIGHTS[d.month - 1] for d in days], k=REQUESTS)
    picked += rng.choices([d for d in days if (month_start - d).days <= 14], k=RECENT)
    return sorted(
        dt.datetime.combine(d, dt.time(8), JAKARTA) + dt.timedelta(minutes=rng.randrange(0, 300))
        for d in picked
    )


class _Verifications:
    """UMKM verified after a moment are not verified yet at it (set back to pending)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.verified = {
            u.id: u
            for u in session.scalars(select(Umkm).where(Umkm.status == UmkmStatus.VERIFIED.value))
        }

    def as_of(self, moment: dt.datetime) -> None:
        for umkm in self.verified.values():
            want = UmkmStatus.VERIFIED if umkm.verified_at <= moment else UmkmStatus.PENDING
            if umkm.status != want.value:
                umkm.status = want.value
        self.session.flush()

    def is_verified(self, umkm_id: int) -> bool:
        umkm = self.verified.get(umkm_id)
        return umkm is not None and umkm.status == UmkmStatus.VERIFIED.value

    def restore(self) -> None:
        for umkm in self.verified.values():
            umkm.status = UmkmStatus.VERIFIED.value
        self.session.flush()


def load_history(
    session: Session, config: Mapping[str, Any], *, now: dt.datetime, admin_id: int
) -> None:
    """This year's requests and orders up to last month, and this year's OPD budgets."""
    today = jakarta_date(now)
    if today.month == 1:
        return  # no completed month this year yet
    rng = random.Random("demo-history")
    makers = _makers(session)
    if not makers:
        return
    officers = {
        u.opd.code: u
        for u in session.scalars(
            select(User).where(User.opd_id.is_not(None), User.jabatan == "Pejabat Pengadaan")
        )
    }
    codes = [c for c in BUYERS if c in officers]
    verifications = _Verifications(session)
    counter = 0
    cancelled = False
    overridden: list[int] = []
    for moment in _moments(rng, today):
        verifications.as_of(moment)
        # Kinds with a maker verified by then, weighted by how many offer them.
        ready = {
            k: n
            for k, ms in sorted(makers.items())
            if (n := len({m.umkm_id for m in ms if verifications.is_verified(m.umkm_id)}))
        }
        if not ready:
            continue
        code = rng.choices(codes, weights=[BUYERS[c] for c in codes])[0]
        kind_id = rng.choices(list(ready), weights=list(ready.values()))[0]
        counter += 1
        # Two decisions differ from the proposal, with a reason: one mid-year, one later.
        due = len(overridden) < len(OVERRIDES) and counter >= 12 + 16 * len(overridden)
        override = OVERRIDES[len(overridden)] if due else None
        orders_made = _request(
            session, config, rng, officers[code], kind_id, makers[kind_id], moment, override
        )
        if override and orders_made and orders_made[0].run.is_override:
            overridden.append(orders_made[0].run_id)
        for order in orders_made:
            cancel = not cancelled and counter >= 18
            cancelled = cancelled or cancel
            _life(session, config, rng, order, now, PAY_DAYS.get(code, 10), cancel)
    verifications.restore()
    _budgets(session, rng, today, admin_id)
    figures.rebuild(session)
    session.flush()


def _request(
    session: Session,
    config: Mapping[str, Any],
    rng: random.Random,
    officer: User,
    kind_id: int,
    makers: list[Maker],
    moment: dt.datetime,
    override: str | None,
) -> list[PurchaseOrder]:
    """Create, allocate and decide one request at ``moment``; its orders (none: nobody could
    take it then, and the officer cancelled the request saying so)."""
    day = jakarta_date(moment)
    prices = sorted(m.unit_price for m in makers)
    # The HPS covers most makers; the priciest (hand-made, premium) stay above it.
    reference = prices[min(len(prices) - 1, math.ceil(len(prices) * 0.7))]
    step = 500 if reference <= 50_000 else 1_000 if reference <= 200_000 else 5_000
    hps = math.ceil(reference * rng.uniform(1.0, 1.1) / step) * step
    capacity = sorted((m.monthly_capacity for m in makers), reverse=True)
    # Often more than one maker can make in a month, so the allocation splits it.
    low = max(max(m.min_order for m in makers[:3]), capacity[-1] // 2)
    quantity = rng.randint(low, max(low, sum(capacity[:3])))
    quantity = max(1, min(quantity, int(config["ECATALOG_VALUE_CAP"]) // hps))
    needed_by = day + dt.timedelta(days=rng.choice((7, 10, 14, 14, 21, 30)))
    product = session.get(Product, makers[0].product_id)
    assert product is not None
    konsumsi = product.category.slug == "konsumsi"
    data = procurement.RequestInput(
        title=f"{product.kind.name} untuk kegiatan {officer.opd.name}"[:200],
        kind_id=kind_id,
        specification=product.description or product.name,
        quantity=quantity,
        unit=product.unit,
        hps_unit_price=hps,
        needed_by=needed_by,
        delivery_address=officer.opd.address,
        budget_code=f"5.1.02.01.01.{day.month:02d}{officer.opd_id % 100:02d}",
        fiscal_year=day.year,
        event_name=f"Rapat koordinasi {officer.opd.name}" if konsumsi else "",
        event_date=needed_by if konsumsi else None,
        invitation_number=f"005/{rng.randint(100, 999)}/{day.year}" if konsumsi else "",
        expected_attendees=quantity if konsumsi else None,
    )
    request = _at(
        session,
        moment,
        lambda: procurement.create_request(
            session, data, opd_id=officer.opd_id, actor_id=officer.id, config=config, today=day
        ),
    )
    request.created_at = moment.astimezone(dt.UTC)
    session.flush()
    ran = moment + dt.timedelta(minutes=rng.randint(10, 40))
    run = _at(
        session,
        ran,
        lambda: procurement.run_allocation(session, request, actor_id=officer.id, config=config),
    )
    run.created_at = ran.astimezone(dt.UTC)
    stored = StoredRun.from_dict(run.result)
    if not stored.allocation:
        _at(
            session,
            ran + dt.timedelta(minutes=30),
            lambda: procurement.cancel_request(
                session, request.id, NOBODY, actor_id=officer.id, config=config
            ),
        )
        return []
    chosen, reason = None, ""
    if override is not None:
        chosen = _other_choice(stored)
        reason = override if chosen else ""
    decided = ran + dt.timedelta(minutes=rng.randint(15, 120))
    return _at(
        session,
        decided,
        lambda: procurement.decide(
            session,
            run,
            chosen,
            reason,
            actor_id=officer.id,
            decision_key=f"demo-history-{request.id}",
            config=config,
            now=decided.astimezone(dt.UTC),
        ),
    )


def _other_choice(stored: StoredRun) -> list[tuple[int, int]] | None:
    """The proposal with its first UMKM swapped for the next ranked candidate that can take
    the part (None when there is none)."""
    proposal = [(p.umkm_id, p.quantity) for p in stored.allocation]
    taken = {u for u, _ in proposal}
    first_umkm, first_quantity = proposal[0]
    for candidate in stored.ranked():
        if candidate.umkm_id in taken:
            continue
        free = candidate.free_capacity or 0
        if free >= first_quantity and (candidate.offer.min_order or 1) <= first_quantity:
            return [(candidate.umkm_id, first_quantity), *proposal[1:]]
    return None


def _life(
    session: Session,
    config: Mapping[str, Any],
    rng: random.Random,
    order: PurchaseOrder,
    now: dt.datetime,
    pay_days: int,
    cancel: bool,
) -> None:
    """Take an order as far as ``now`` lets it go, each step at its own moment."""
    # A seeded UMKM (``procure seed`` before the demo) has no account: the system answers.
    owner_id = order.umkm.owner.id if order.umkm.owner else None
    officer = order.request.created_by
    issued = order.issued_at
    step = issued + dt.timedelta(hours=rng.uniform(2, 30))
    if step > now:
        return
    _at(session, step, lambda: orders.accept_order(session, order, actor_id=owner_id))
    if cancel:
        step += dt.timedelta(hours=rng.uniform(20, 60))
        _at(
            session,
            step,
            lambda: orders.cancel_order(session, order, CANCEL_REASON, actor_id=officer.id),
        )
        return
    due = dt.datetime.combine(order.due_date, dt.time(10), JAKARTA)
    lead = dt.timedelta(days=order.product.lead_time_days * rng.uniform(0.5, 0.9))
    step = max(step + dt.timedelta(hours=3), min(step + lead, due))
    if step > now:
        return
    note = f"Surat jalan SJ-{order.id:05d}"
    _at(
        session,
        step,
        lambda: orders.mark_delivered(session, order, actor_id=owner_id, note=note),
    )
    step += dt.timedelta(hours=rng.uniform(2, 20))
    if step > now:
        return
    _at(
        session,
        step,
        lambda: orders.record_inspection(
            session,
            order,
            received_quantity=order.quantity,
            condition="baik",
            notes="",
            actor_id=officer.id,
            config=config,
        ),
    )
    step += dt.timedelta(minutes=rng.randint(20, 120))
    if step > now:
        return
    _at(
        session,
        step,
        lambda: orders.record_handover(session, order, actor_id=officer.id, config=config),
    )
    handed_on = jakarta_date(step)
    paid_on = handed_on + dt.timedelta(days=max(1, round(rng.gauss(pay_days, 2))))
    paid = dt.datetime.combine(paid_on, dt.time(10), JAKARTA)
    # How it is paid draws from its own stream: the history's own draws stay as they were.
    pay = random.Random(f"demo-payment-{order.id}")
    method = pay.choices(DEMO_METHODS, weights=DEMO_METHOD_WEIGHTS)[0]
    if method in (KKPD, QRIS) and order.value > CARD_LIMIT:
        method = SP2D_LS
    first_on = handed_on + dt.timedelta(days=max(1, (paid_on - handed_on).days // 2))
    first = dt.datetime.combine(first_on, dt.time(9, 30), JAKARTA)
    if pay.random() < PARTIAL_SHARE and first_on < paid_on and first <= now:
        _at(session, first, lambda: _part_payment(session, order, officer.id, config, first_on))
    if paid > now:
        return
    reference, reference_date = _reference(pay, method, order.id, paid_on)
    _at(
        session,
        paid,
        lambda: orders.record_payment(
            session,
            order,
            paid_on=paid_on,
            reference=reference,
            reference_date=reference_date,
            method=method,
            actor_id=officer.id,  # no amount: the net still due (value less penalty and PPh)
            config=config,
        ),
    )


DEMO_METHODS = (SP2D_LS, KKPD, QRIS, TRANSFER)
DEMO_METHOD_WEIGHTS = (70, 12, 12, 6)
CARD_LIMIT = 50_000_000  # KKPD and QRIS pay the smaller orders
PARTIAL_SHARE = 0.15  # paid in two parts: about half first (an SP2D-LS), the rest later


def _reference(
    pay: random.Random, method: str, order_id: int, day: dt.date
) -> tuple[str, dt.date | None]:
    """A payment reference as the method has it (never a card number)."""
    if method == SP2D_LS:
        return f"{order_id:05d}/SP2D-LS/{day.year}", day
    if method == KKPD:
        return "".join(pay.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=6)), None
    if method == QRIS:
        return "".join(pay.choices("0123456789", k=12)), None
    return f"TRF-{day:%Y%m%d}-{order_id:05d}", None


def _part_payment(
    session: Session, order: PurchaseOrder, officer_id: int, config: Mapping[str, Any], day: dt.date
) -> None:
    """About half of the order, by SP2D-LS, with the taxes in proportion."""
    start = payments.suggested(session, order, config, day)
    gross = int(round(start["gross"] / 2, -3)) or start["gross"] // 2
    ledger = payments.ledger_of(payments.payments_of(session, order.id))
    full = payments.order_taxes(order, config)
    lines = default_taxes(full, start["amounts"].gross, gross, ledger)
    payments.record_payment(
        session,
        order,
        method=SP2D_LS,
        reference=f"{order.id:05d}/SP2D-LS/{day.year}/1",
        reference_date=day,
        paid_on=day,
        gross=gross,
        taxes=lines,
        net=gross - sum(t.amount for t in lines),
        actor_id=officer_id,
        config=config,
    )


def _budgets(session: Session, rng: random.Random, today: dt.date, admin_id: int) -> None:
    """Every OPD's goods/services budget for this year, set in January: micro and small
    spend so far is 10-30 % of it (behind the pace), Dinas Pendidikan's 45 % (ahead)."""
    first = dt.datetime.combine(dt.date(today.year, 1, 12), dt.time(9), JAKARTA)
    spend: dict[int, int] = defaultdict(int)
    rows = session.execute(
        select(PurchaseOrder.value, Opd.id)
        .join(PurchaseOrder.request)
        .join(Opd, Opd.id == PurchaseRequest.opd_id)
        .join(Umkm, Umkm.id == PurchaseOrder.umkm_id)
        .where(
            PurchaseOrder.status.in_(LIVE_ORDER_STATUSES),
            Umkm.declared_scale.in_(("mikro", "kecil")),
            PurchaseOrder.issued_at >= first.astimezone(dt.UTC),
        )
    ).tuples()
    for value, opd_id in rows:
        spend[opd_id] += value
    for opd in session.scalars(select(Opd).order_by(Opd.id)):
        share = 0.45 if opd.code == AHEAD else rng.uniform(0.10, 0.30)
        amount = spend[opd.id] / share if spend[opd.id] else rng.randint(40, 160) * 5_000_000
        exists = session.scalar(
            select(OpdBudget).where(OpdBudget.opd_id == opd.id, OpdBudget.year == today.year)
        )
        if exists is None:
            session.add(
                OpdBudget(
                    opd_id=opd.id,
                    year=today.year,
                    amount=max(5_000_000, math.ceil(amount / 5_000_000) * 5_000_000),
                    set_by_id=admin_id,
                    set_at=first.astimezone(dt.UTC),
                )
            )
    session.flush()
