"""A year of orders for ``procure seed --orders N``: requests, decided runs, orders, their history.

Shaped like the what-if replay's stream (``procure.allocation.population.make_requests``): the
replay's month weights over the working days of the 12 months up to last month (Asia/Jakarta),
a request size and HPS drawn from the product template, each OPD with its own taste in kinds.
The orders go to the seeded UMKM (NIB 8…) that offer the kind, each UMKM with a fixed
attractiveness drawn from a log-normal: a few win many orders, most few or none (a Gini of
spend of about 0.7 over all seeded UMKM, zeros included), as happens when officers pick
whom they know. Values are quantity × the product's unit price.

Each request has one decided ``AllocationRun`` with a small stored result (the chosen UMKM as
its candidates, the proposal, the final choice; about 3 % overridden with a reason); each order
runs its life on a clock (answer, delivery, inspection, BAST, payment days later, by an
OPD's own habit) and stops where ``now`` finds it: most are paid, the recent ones on their
way, a few declined (passed on to the next UMKM) or cancelled. Every step is an ``OrderEvent``.
No Surat Pesanan or other document rows and no audit entries are written for seeded orders.

Rows are plain dicts for the seed's bulk writers, built a chunk of requests at a time.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import Table, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session
from tqdm import tqdm

from procure.allocation import population
from procure.allocation.population import MONTH_WEIGHTS
from procure.auth.models import Role, User
from procure.catalog.models import Category, ProductKind
from procure.clock import JAKARTA, jakarta_date, midnight
from procure.documents.models import Document, DocumentFile
from procure.formatting import tanggal
from procure.omzet.rules import Period, last_months
from procure.opd.models import Opd, OpdBudget
from procure.orders.rules import add_working_days
from procure.payments.calendar import PaymentTerm
from procure.payments.models import Payment
from procure.payments.rules import KKPD, QRIS, SP2D_LS, TRANSFER, method_label
from procure.procurement.models import (
    AllocationRun,
    OrderEvent,
    OrderStatus,
    PurchaseOrder,
    PurchaseRequest,
    RequestStatus,
)
from procure.sample_data.products import CATEGORY_WEIGHTS, TEMPLATES, ProductTemplate
from procure.umkm.models import Product, Umkm, UmkmStatus

RowDicts = list[dict[str, Any]]

# Seeded OPDs are told apart by their code (``--reset`` finds them again); names differ from
# the demo's so ``procure demo`` can run on a seeded database.
SEED_OPD_PREFIX = "SEED-"
SEED_OPDS: tuple[tuple[str, str, str], ...] = (
    ("DIKBUD", "Dinas Pendidikan dan Kebudayaan", "Jl. Pahlawan No. 4"),
    ("KESDALDUK", "Dinas Kesehatan, Pengendalian Penduduk dan KB", "Jl. Gatot Subroto No. 8"),
    ("PERINDAG", "Dinas Perindustrian dan Perdagangan", "Jl. Hasanuddin No. 15"),
    ("KOMINFO", "Dinas Komunikasi dan Informatika", "Jl. Ahmad Yani No. 30"),
    ("DLH", "Dinas Lingkungan Hidup", "Jl. Cendrawasih No. 2"),
    ("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", "Jl. Sudirman No. 61"),
    ("DPMPTSP", "Dinas Penanaman Modal dan PTSP", "Jl. Imam Bonjol No. 19"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "Jl. Slamet Riyadi No. 5"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", "Jl. Pemuda No. 11"),
    ("RSUD", "Rumah Sakit Umum Daerah Kota", "Jl. Dr. Wahidin No. 1"),
    ("DISPERTAN", "Dinas Pertanian dan Ketahanan Pangan", "Jl. Kenanga No. 23"),
    ("SETWAN", "Sekretariat DPRD", "Jl. Pemuda No. 2"),
)
SEED_EMAIL_DOMAIN = "seed.procure.invalid"
UNUSABLE_PASSWORD = "!"  # noqa: S105 - no password hash matches it: seeded officers cannot log in

# How spread the UMKM's attractiveness is (sigma of a log-normal): 1.0 gives a Gini of spend
# of about 0.7 over every seeded UMKM, zeros included.
CONCENTRATION = 1.0
OVERRIDE_RATE = 0.03
DECLINE_RATE = 0.02
CANCEL_RATE = 0.025
SLOW_PAYMENT_RATE = 0.05
# How orders are paid (procure/payments/rules.py): mostly SP2D-LS; KKPD or QRIS with the
# government card for orders up to CARD_LIMIT; now and then from the Bendahara's account.
METHOD_WEIGHTS = ((SP2D_LS, 75), (KKPD, 10), (QRIS, 10), (TRANSFER, 5))
CARD_LIMIT = 50_000_000
PARTIAL_RATE = 0.08  # paid in two parts: about half first, the rest later
APPROVAL_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
VALUE_CAP = 50_000_000  # the e-catalog's cap per request (config ECATALOG_VALUE_CAP's default)
RESPONSE_WORKING_DAYS = 3
# Parts per request: most requests go to one UMKM, some are split (K = 3).
PARTS = (1, 2, 3)
PART_WEIGHTS = (0.62, 0.26, 0.12)

OVERRIDE_REASONS = (
    "UMKM usulan pertama sedang renovasi dapur, konfirmasi lewat telepon; dipilih UMKM berikutnya.",
    "Barang dibutuhkan untuk acara pagi hari; UMKM terpilih lokasinya dekat tempat acara.",
    "Contoh barang UMKM usulan tidak sesuai spesifikasi teknis pada uji petik.",
    "UMKM usulan meminta pengiriman bertahap, sedangkan kegiatan butuh sekaligus.",
)
DECLINE_REASONS = (
    "Kapasitas produksi bulan ini sudah penuh oleh pesanan swasta.",
    "Bahan baku sedang sulit didapat; tidak sanggup memenuhi tanggal kebutuhan.",
    "Pemilik sedang sakit, usaha tutup sementara.",
)
CANCEL_REASONS = (
    "Kegiatan ditunda oleh pimpinan; anggaran digeser ke triwulan berikutnya.",
    "Spesifikasi diubah setelah rapat koordinasi; dibuat permintaan baru.",
    "Jumlah peserta berkurang jauh; pesanan dibatalkan sebelum dikirim.",
)


@dataclass(frozen=True)
class Offer:
    """One seeded product of a verified seeded UMKM, as the orders need it."""

    product_id: int
    umkm_id: int
    kind_id: int
    unit_price: int
    min_order: int
    lead_time_days: int
    monthly_capacity: int
    product_name: str
    umkm_name: str
    verified_at: dt.datetime
    is_micro_small: bool


@dataclass
class KindOffers:
    """A kind's offers with cumulative attractiveness, for weighted draws by bisection."""

    offers: list[Offer] = field(default_factory=list)
    cumulative: list[float] = field(default_factory=list)

    def add(self, offer: Offer, weight: float) -> None:
        self.offers.append(offer)
        self.cumulative.append((self.cumulative[-1] if self.cumulative else 0.0) + weight)

    def draw(self, rng: random.Random) -> Offer:
        point = rng.random() * self.cumulative[-1]
        return self.offers[min(bisect.bisect_right(self.cumulative, point), len(self.offers) - 1)]


@dataclass(frozen=True)
class SeedOpd:
    id: int
    officer_id: int
    address: str
    name: str
    pay_days: float  # the OPD's usual days from BAST to payment
    taste: tuple[float, ...]  # weight of each stream template


@dataclass
class OrderCounts:
    requests: int = 0
    runs: int = 0
    orders: int = 0
    events: int = 0
    budgets: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    write_seconds: Counter[str] = field(default_factory=Counter)  # per table


@dataclass
class Stream:
    """Everything one chunk of requests is built from, and the ids handed out so far."""

    rng: random.Random
    now: dt.datetime
    opds: list[SeedOpd]
    templates: list[tuple[ProductTemplate, int, str]]  # (template, kind id, kind name)
    kinds: dict[int, KindOffers]
    category_of_kind: dict[int, int]
    next_id: dict[str, int]
    counts: OrderCounts = field(default_factory=OrderCounts)
    micro_small_spend: Counter[int] = field(default_factory=Counter)  # OPD id -> this year
    owed: int = 0  # parts a request could not place (too few UMKM): the next ones take them
    term: PaymentTerm = field(default_factory=lambda: PaymentTerm(14))  # the payment clock

    def new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value


@dataclass
class Chunk:
    """Rows of a chunk of requests, in writing order."""

    requests: RowDicts = field(default_factory=list)
    runs: RowDicts = field(default_factory=list)
    orders: RowDicts = field(default_factory=list)
    events: RowDicts = field(default_factory=list)
    payments: RowDicts = field(default_factory=list)

    def tables(self) -> list[tuple[Table, RowDicts]]:
        return [
            (PurchaseRequest.__table__, self.requests),
            (AllocationRun.__table__, self.runs),
            (PurchaseOrder.__table__, self.orders),
            (OrderEvent.__table__, self.events),
            (Payment.__table__, self.payments),
        ]


# --- reference data: OPDs, their officers, the offers -------------------------------------


def ensure_seed_opds(session: Session, rng: random.Random) -> list[tuple[Opd, User]]:
    """The seeded OPDs and one procurement officer each (made if missing)."""
    found = []
    for suffix, name, address in SEED_OPDS:
        code = f"{SEED_OPD_PREFIX}{suffix}"
        opd = session.scalar(select(Opd).where(Opd.code == code))
        if opd is None:
            opd = Opd(
                code=code,
                name=name,
                address=f"{address}, Kota Sukamaju",
                head_name=f"Kepala {name}",
            )
            session.add(opd)
            session.flush()
        email = f"pengadaan.{suffix.lower()}@{SEED_EMAIL_DOMAIN}"
        officer = session.scalar(select(User).where(User.email == email))
        if officer is None:
            officer = User(
                email=email,
                full_name=f"Pejabat Pengadaan {suffix}",
                role=Role.OPD.value,
                opd_id=opd.id,
                jabatan="Pejabat Pengadaan",
                password_hash=UNUSABLE_PASSWORD,
            )
            session.add(officer)
            session.flush()
        found.append((opd, officer))
    rng.random()  # keeps the draws below the same however the OPDs came to be
    return found


def load_offers(session: Session, umkm_rng: random.Random) -> dict[int, KindOffers]:
    """Active products of verified seeded UMKM by kind, each UMKM with its attractiveness."""
    rows = session.execute(
        select(
            Product.id,
            Product.umkm_id,
            Product.kind_id,
            Product.unit_price,
            Product.min_order,
            Product.lead_time_days,
            Product.monthly_capacity,
            Product.name,
            Umkm.business_name,
            Umkm.verified_at,
            Umkm.declared_scale,
        )
        .join(Umkm, Umkm.id == Product.umkm_id)
        .where(
            Umkm.nib.like("8%"),
            Umkm.status == UmkmStatus.VERIFIED.value,
            Product.is_active.is_(True),
            Product.kind_id.is_not(None),
        )
        .order_by(Product.id)
    ).tuples()
    weight: dict[int, float] = {}
    kinds: dict[int, KindOffers] = defaultdict(KindOffers)
    for pid, uid, kind_id, price, min_order, lead, capacity, pname, uname, verified, scale in rows:
        if uid not in weight:
            weight[uid] = umkm_rng.lognormvariate(0.0, CONCENTRATION)
        offer = Offer(
            pid, uid, kind_id, price, min_order or 1, lead or 7, capacity or 100, pname, uname,
            verified, scale in ("mikro", "kecil"),
        )  # fmt: skip
        kinds[kind_id].add(offer, weight[uid])
    return dict(kinds)


def stream_templates(session: Session, kinds: dict[int, KindOffers]) -> list[tuple[Any, ...]]:
    """(template, kind id, kind name, weight) of the replay's templates whose kind has offers."""
    by_slug = {
        (cat, slug): (kind_id, name)
        for cat, slug, kind_id, name in session.execute(
            select(Category.slug, ProductKind.slug, ProductKind.id, ProductKind.name).join(
                ProductKind.category
            )
        ).tuples()
    }
    per_category = Counter(t.category for t in TEMPLATES)
    found = []
    for template in TEMPLATES:
        kind = by_slug.get((template.category, template.kind))
        if kind is None or kind[0] not in kinds:
            continue
        weight = CATEGORY_WEIGHTS[template.category] / per_category[template.category]
        found.append((template, kind[0], kind[1], weight))
    return found


# --- the stream ---------------------------------------------------------------------------


def request_moments(rng: random.Random, today: dt.date, count: int) -> list[dt.datetime]:
    """``count`` moments on working days of the 12 months before ``today``'s month (Jakarta),
    by the replay's month weights, 08:00-15:00, in time order."""
    months = last_months(Period.of(today), 12)
    days = [
        day
        for period in months
        for day in (period.first_day + dt.timedelta(days=i) for i in range(31))
        if Period.of(day) == period and day.weekday() < 5
    ]
    weights = list(itertools.accumulate(MONTH_WEIGHTS[d.month - 1] for d in days))
    picked = rng.choices(days, cum_weights=weights, k=count)
    return sorted(
        dt.datetime.combine(day, dt.time(), JAKARTA) + dt.timedelta(minutes=rng.randrange(480, 900))
        for day in picked
    )


def request_terms(rng: random.Random, template: ProductTemplate) -> tuple[int, int]:
    """(quantity, HPS per unit) as the replay draws them (``population.request_terms``), within
    the value cap."""
    quantity, hps = population.request_terms(rng, template)
    return max(1, min(quantity, VALUE_CAP // hps)), hps


def _split(rng: random.Random, quantity: int, parts: int) -> list[int]:
    parts = max(1, min(parts, quantity))
    shares = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    total = sum(shares)
    split = [max(1, int(quantity * s / total)) for s in shares]
    split[0] += quantity - sum(split)
    while split[0] < 1:  # rounding took too much from the first: give it back from others
        donor = split.index(max(split))
        split[donor] -= 1
        split[0] += 1
    return split


def _pick(
    rng: random.Random, kind: KindOffers, hps: int, before: dt.datetime, taken: set[int]
) -> Offer | None:
    """A UMKM of the kind, by attractiveness, verified before the request, at or under the HPS
    and not yet in this request; None when a few draws find none."""
    for _ in range(12):
        offer = kind.draw(rng)
        if offer.umkm_id not in taken and offer.verified_at < before and offer.unit_price <= hps:
            return offer
    return None


def build_chunk(stream: Stream, planned: list[tuple[dt.datetime, int, int, bool]]) -> Chunk:
    """Requests at the planned moments: (moment, OPD index, parts, one of them declined)."""
    chunk = Chunk()
    rng = stream.rng
    for created, opd_index, wanted, declines in planned:
        opd = stream.opds[opd_index]
        template, kind_id, kind_name = rng.choices(stream.templates, weights=opd.taste)[0]
        quantity, hps = request_terms(rng, template)
        needed_by = jakarta_date(created) + dt.timedelta(days=rng.randint(10, 30))
        kind = stream.kinds[kind_id]
        chosen: list[Offer] = []
        taken: set[int] = set()
        extra = min(stream.owed, max(PARTS) - wanted)
        wanted += extra
        stream.owed -= extra
        for _ in range(wanted):
            offer = _pick(rng, kind, hps, created, taken)
            if offer is None:
                break
            chosen.append(offer)
            taken.add(offer.umkm_id)
        quantity = max(quantity, len(chosen))
        stream.owed += wanted - len(chosen)
        if not chosen:
            stream.owed += declines
            continue
        proposed = _pick(rng, kind, hps, created, taken) if rng.random() < OVERRIDE_RATE else None
        if proposed is not None:
            taken.add(proposed.umkm_id)
        replacement = _pick(rng, kind, hps, created, taken) if declines else None
        stream.owed += declines and replacement is None
        request_id = stream.new_id("purchase_request")
        category_id = stream.category_of_kind[kind_id]
        chunk.requests.append(
            _request_row(request_id, opd, created, template, kind_id, kind_name, quantity, hps,
                         needed_by, category_id)
        )  # fmt: skip
        run_created = created + dt.timedelta(minutes=rng.randint(5, 90))
        # Decided the same day (by 18:30 in Jakarta): an order counts in its request's month.
        decided = min(run_created + dt.timedelta(minutes=rng.randint(10, 120)), stream.now)
        parts = list(zip(chosen, _split(rng, quantity, len(chosen)), strict=False))
        run_id = stream.new_id("allocation_run")
        chunk.runs.append(
            _run_row(run_id, request_id, opd, created, run_created, decided, (category_id,
                     kind_id), quantity, hps, template.unit, needed_by, parts, proposed, rng)
        )  # fmt: skip
        first_rank = 2 if proposed else 1
        for index, (offer, part_quantity) in enumerate(parts):
            _order_life(
                stream, chunk, opd, request_id, run_id, offer, part_quantity, needed_by,
                decided, first_rank + index, template.unit,
                replacement if index == 0 else None,
            )  # fmt: skip
        stream.counts.requests += 1
        stream.counts.runs += 1
    return chunk


def _request_row(
    request_id: int,
    opd: SeedOpd,
    created: dt.datetime,
    template: ProductTemplate,
    kind_id: int,
    kind_name: str,
    quantity: int,
    hps: int,
    needed_by: dt.date,
    category_id: int,
) -> dict[str, Any]:
    return {
        "id": request_id,
        "opd_id": opd.id,
        "created_by_id": opd.officer_id,
        "title": f"{kind_name} untuk kegiatan {opd.name}"[:200],
        "category_id": category_id,
        "kind_id": kind_id,
        "specification": template.description,
        "quantity": quantity,
        "unit": template.unit,
        "hps_unit_price": hps,
        "needed_by": needed_by,
        "delivery_address": opd.address,
        "budget_code": f"5.1.02.01.01.{created.year % 100:02d}{opd.id % 100:02d}",
        "fiscal_year": needed_by.year,
        "notes": None,
        "event_name": None,
        "event_date": None,
        "invitation_number": None,
        "expected_attendees": None,
        "excess_reason": None,
        "is_excess_portions": False,
        "is_split_suspect": False,
        "split_note": None,
        "status": RequestStatus.ORDERED.value,
        "created_at": created.astimezone(dt.UTC),
    }


def _candidate(offer: Offer, rank: int, quantity: int) -> dict[str, Any]:
    return {
        "rank": rank,
        "offer": {
            "product_id": offer.product_id,
            "umkm_id": offer.umkm_id,
            "umkm_name": offer.umkm_name,
            "product_name": offer.product_name,
            "unit_price": offer.unit_price,
            "lead_time_days": offer.lead_time_days,
            "monthly_capacity": offer.monthly_capacity,
            "min_order": offer.min_order,
            "kind_id": offer.kind_id,
        },
        "free_capacity": max(offer.monthly_capacity, quantity),
        "tier": 0,
        "need": str(Fraction(rank * 1_000_000)),
        "count_365": 0,
        "explanation": f"Data contoh (seed): peringkat {rank}",
    }


def _part(offer: Offer, quantity: int) -> dict[str, Any]:
    return {
        "umkm_id": offer.umkm_id,
        "product_id": offer.product_id,
        "quantity": quantity,
        "unit_price": offer.unit_price,
        "value": quantity * offer.unit_price,
    }


def _run_row(
    run_id: int,
    request_id: int,
    opd: SeedOpd,
    created: dt.datetime,
    run_created: dt.datetime,
    decided: dt.datetime,
    kind: tuple[int, int],
    quantity: int,
    hps: int,
    unit: str,
    needed_by: dt.date,
    parts: list[tuple[Offer, int]],
    proposed: Offer | None,
    rng: random.Random,
) -> dict[str, Any]:
    """A small but valid stored run (``StoredRun.from_dict`` reads it): the chosen UMKM as the
    ranking; an overridden run ranks the proposed UMKM first and proposed it the whole request."""
    settings = {
        "max_suppliers": 3,
        "annual_award_cap": None,
        "new_supplier_grace_days": 60,
        "split_mode": "capacity",
        "min_lot": 1,
    }
    ranked = ([(proposed, quantity)] if proposed else []) + parts
    candidates = [_candidate(o, rank, q) for rank, (o, q) in enumerate(ranked, start=1)]
    proposal = [_part(proposed, quantity)] if proposed else [_part(o, q) for o, q in parts]
    day = jakarta_date(created)
    result = {
        "policy": "pemerataan-v2",
        "version": 2,
        "request": {
            "id": request_id,
            "opd_id": opd.id,
            "category_id": kind[0],
            "quantity": quantity,
            "unit": unit,
            "hps_unit_price": hps,
            "needed_by": needed_by.isoformat(),
            "created_at": created.astimezone(dt.UTC).isoformat(),
            "kind_id": kind[1],
        },
        "settings": settings,
        "request_date": day.isoformat(),
        "window": _window(day),
        "candidates": candidates,
        "exclusions": [],
        "allocation": proposal,
        "steps": [],
        "shortfall": 0,
        "summary": f"Terpenuhi {quantity} {unit} oleh {len(proposal)} UMKM.",
        "seeded": True,
    }
    final = [
        {"umkm_id": o.umkm_id, "product_id": o.product_id, "quantity": q, "value": q * o.unit_price}
        for o, q in parts
    ]
    return {
        "id": run_id,
        "request_id": request_id,
        "policy": "pemerataan-v2",
        "policy_version": 2,
        "settings": settings,
        "result": result,
        "shortfall": 0,
        "created_by_id": opd.officer_id,
        "created_at": run_created,
        "final_choice": final,
        "is_override": proposed is not None,
        "override_reason": rng.choice(OVERRIDE_REASONS) if proposed else None,
        "decided_by_id": opd.officer_id,
        "decided_at": decided,
        "decision_key": f"seed-{run_id}",
    }


@functools.cache
def _window(day: dt.date) -> list[str]:
    return [str(p) for p in last_months(Period.of(day), 3)]


@functools.cache
def _tanggal(day: dt.date) -> str:
    return tanggal(day)


def _rupiah(amount: int) -> str:
    """``formatting.rupiah`` without Babel's per-call cost (a test holds them equal)."""
    return f"Rp {amount:,}".replace(",", ".")


def _hours(rng: random.Random, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(hours=rng.uniform(low, high))


def _order_life(
    stream: Stream,
    chunk: Chunk,
    opd: SeedOpd,
    request_id: int,
    run_id: int,
    offer: Offer,
    quantity: int,
    due: dt.date,
    issued: dt.datetime,
    rank: int,
    unit: str,
    replacement: Offer | None,
    passed_from: int | None = None,
) -> None:
    """One order and its events, its life cut where ``now`` finds it."""
    rng, now = stream.rng, stream.now
    order_id = stream.new_id("purchase_order")
    value = quantity * offer.unit_price
    row: dict[str, Any] = {
        "id": order_id,
        "request_id": request_id,
        "run_id": run_id,
        "umkm_id": offer.umkm_id,
        "product_id": offer.product_id,
        "quantity": quantity,
        "unit_price": offer.unit_price,
        "value": value,
        "due_date": due,
        "rank": rank,
        "passed_from_id": passed_from,
        "status": OrderStatus.ISSUED.value,
        "issued_by_id": opd.officer_id,
        "issued_at": issued,
        "response_deadline": add_working_days(jakarta_date(issued), RESPONSE_WORKING_DAYS),
        "responded_at": None,
        "decline_reason": None,
        "delivered_at": None,
        "inspected_at": None,
        "received_quantity": None,
        "condition": None,
        "inspection_notes": None,
        "handed_over_at": None,
        "paid_on": None,
        "payment_reference": None,
        "payment_amount": None,
        "payment_gross": None,
        "payment_withheld": None,
        "payment_due_date": None,
        "cancelled_at": None,
        "cancel_reason": None,
    }
    chunk.orders.append(row)
    note = f"Dialihkan dari SP #{passed_from} (ditolak)" if passed_from else None
    _event(stream, chunk, order_id, None, "issued", opd.officer_id, issued, note)
    responded = issued + _hours(rng, 1, 40)
    if responded > now:
        stream.owed += replacement is not None  # not declined yet: no order passed on
        return _done(stream, row, opd, issued, offer)
    if replacement is not None:  # the UMKM declines; the part goes to the next one
        reason = rng.choice(DECLINE_REASONS)
        passed_id = stream.next_id["purchase_order"]
        row.update(status="declined", responded_at=responded, decline_reason=reason)
        _event(
            stream, chunk, order_id, "issued", "declined", None, responded,
            f"Alasan: {reason}. Dialihkan ke SP #{passed_id} ({quantity} {unit}).",
            {"reason": reason, "passed_to": [passed_id], "shortfall": 0, "skipped": []},
        )  # fmt: skip
        stream.counts.statuses["declined"] += 1
        _order_life(
            stream, chunk, opd, request_id, run_id, replacement, quantity, due,
            responded + _hours(rng, 0.2, 3), rank + 1, unit, None, order_id,
        )  # fmt: skip
        return None
    row.update(status="accepted", responded_at=responded)
    _event(stream, chunk, order_id, "issued", "accepted", None, responded)
    if rng.random() < CANCEL_RATE:
        cancelled = responded + _hours(rng, 20, 140)
        if cancelled <= now:
            reason = rng.choice(CANCEL_REASONS)
            row.update(status="cancelled", cancelled_at=cancelled, cancel_reason=reason)
            _event(
                stream, chunk, order_id, "accepted", "cancelled", opd.officer_id, cancelled,
                f"Alasan: {reason}", {"reason": reason},
            )  # fmt: skip
            stream.counts.statuses["cancelled"] += 1
            return None
    latest = midnight(due) + dt.timedelta(hours=rng.uniform(8, 15))
    delivered = max(
        responded + _hours(rng, 2, 8),
        min(responded + dt.timedelta(days=offer.lead_time_days * rng.uniform(0.5, 1.0)), latest),
    )
    if delivered > now:
        return _done(stream, row, opd, issued, offer)
    row.update(status="delivered", delivered_at=delivered)
    _event(stream, chunk, order_id, "accepted", "delivered", None, delivered)
    inspected = delivered + _hours(rng, 1, 30)
    if inspected > now:
        return _done(stream, row, opd, issued, offer)
    row.update(inspected_at=inspected, received_quantity=quantity, condition="baik")
    _event(
        stream, chunk, order_id, "delivered", "delivered", opd.officer_id, inspected,
        f"Pemeriksaan: {quantity} dari {quantity} {unit} diterima, kondisi baik.",
        {"received_quantity": quantity, "condition": "baik"},
    )  # fmt: skip
    handed_over = inspected + _hours(rng, 0.2, 3)
    if handed_over > now:
        return _done(stream, row, opd, issued, offer)
    handed_day = jakarta_date(handed_over)
    row.update(
        status="received",
        handed_over_at=handed_over,
        payment_due_date=stream.term.due_date(handed_day),
    )
    _event(
        stream, chunk, order_id, "delivered", "received", opd.officer_id, handed_over,
        f"Serah terima {quantity} {unit}",
    )  # fmt: skip
    days = max(1, round(rng.gauss(opd.pay_days, opd.pay_days / 3)))
    if rng.random() < SLOW_PAYMENT_RATE:
        days += rng.randint(20, 60)
    paid_on = handed_day + dt.timedelta(days=days)
    paid_at = midnight(paid_on) + dt.timedelta(hours=rng.uniform(9, 15))
    # The payments draw from their own stream: the orders' own draws stay as they were.
    pay = random.Random(f"payment-{order_id}")
    first_share = pay.uniform(0.4, 0.6) if pay.random() < PARTIAL_RATE else 0.0
    first_day = handed_day + dt.timedelta(days=max(1, (paid_on - handed_day).days // 2))
    first_at = midnight(first_day) + dt.timedelta(hours=9.5)
    left = value
    if first_share and first_day < paid_on and first_at <= now:
        part = int(round(value * first_share, -3))
        part = part if 0 < part < value else value // 2
        if part > 0:
            _payment(stream, chunk, pay, row, opd, part, first_day, first_at, settles=False)
            left -= part
    if paid_at > now:
        return _done(stream, row, opd, issued, offer)
    _payment(stream, chunk, pay, row, opd, left, paid_on, paid_at, settles=True)
    return _done(stream, row, opd, issued, offer)


def _payment(
    stream: Stream,
    chunk: Chunk,
    pay: random.Random,
    row: dict[str, Any],
    opd: SeedOpd,
    amount: int,
    day: dt.date,
    at: dt.datetime,
    *,
    settles: bool,
) -> None:
    """One payment of a seeded order (no tax withheld: seeded orders have no Kuitansi), its row
    and its event; ``settles``: the last, the order is paid."""
    order_id, value = row["id"], row["value"]
    methods = [m for m, _ in METHOD_WEIGHTS]
    method = pay.choices(methods, weights=[w for _, w in METHOD_WEIGHTS])[0]
    if method in (KKPD, QRIS) and value > CARD_LIMIT:
        method = SP2D_LS
    reference_date = None
    if method == SP2D_LS:
        reference, reference_date = f"{order_id:07d}/SP2D-LS/{day.year}", day
    elif method == KKPD:
        reference = "".join(pay.choices(APPROVAL_CHARS, k=6))
    elif method == QRIS:
        reference = "".join(pay.choices("0123456789", k=12))
    else:
        reference = f"TRF-{day:%Y%m%d}-{order_id % 10_000:04d}"
    chunk.payments.append(
        {
            "order_id": order_id,
            "kind": "payment",
            "method": method,
            "reference": reference,
            "reference_date": reference_date,
            "paid_on": day,
            "gross": amount,
            "withheld": 0,
            "net": amount,
            "taxes": [],
            "reverses_id": None,
            "reason": None,
            "recorded_by_id": opd.officer_id,
            "recorded_at": at.astimezone(dt.UTC),
        }
    )
    paid = (row["payment_gross"] or 0) + amount
    row.update(
        payment_reference=reference,
        payment_amount=paid,
        payment_gross=paid,
        payment_withheld=0,
    )
    what = method_label(method)
    if settles:
        row.update(status="paid", paid_on=day)
        _event(
            stream, chunk, order_id, "received", "paid", opd.officer_id, at,
            f"Dibayar {_rupiah(amount)} pada {_tanggal(day)} ({what}), referensi {reference}",
            {"amount": amount, "expected": amount, "difference": 0, "method": method},
        )  # fmt: skip
        return
    _event(
        stream, chunk, order_id, "received", "received", opd.officer_id, at,
        f"Pembayaran sebagian pada {_tanggal(day)} ({what}), referensi {reference}: "
        f"{_rupiah(amount)}. Sisa yang belum dibayar {_rupiah(value - paid)}",
        {"amount": amount, "method": method, "outstanding": value - paid},
    )  # fmt: skip


def _done(
    stream: Stream, row: dict[str, Any], opd: SeedOpd, issued: dt.datetime, offer: Offer
) -> None:
    """Count a live order (not declined or cancelled) where it stands."""
    stream.counts.statuses[row["status"]] += 1
    if offer.is_micro_small and jakarta_date(issued).year == jakarta_date(stream.now).year:
        stream.micro_small_spend[opd.id] += row["value"]


def _event(
    stream: Stream,
    chunk: Chunk,
    order_id: int,
    from_status: str | None,
    to_status: str,
    actor_id: int | None,
    at: dt.datetime,
    note: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    chunk.events.append(
        {
            "id": stream.new_id("order_event"),
            "order_id": order_id,
            "from_status": from_status,
            "to_status": to_status,
            "actor_id": actor_id,
            "at": at.astimezone(dt.UTC),
            "note": note,
            "data": data or {},
        }
    )


def plan(rng: random.Random, opd_count: int, orders: int) -> list[tuple[int, int, bool]]:
    """(OPD index, parts, one part declined and passed on) per request, ``orders`` in all."""
    planned = []
    left = orders
    while left > 0:
        parts = min(left, rng.choices(PARTS, weights=PART_WEIGHTS)[0])
        declines = left > parts and rng.random() < DECLINE_RATE
        left -= parts + declines
        planned.append((rng.randrange(opd_count), parts, declines))
    return planned


def budget_rows(stream: Stream, year: int, rng: random.Random) -> RowDicts:
    """The year's goods/services budget of each seeded OPD that has none: its spend on micro
    and small businesses so far, projected over the year, is 15-55 % of it (some OPDs behind
    the 40 % target, some ahead)."""
    months_done = max(1, jakarta_date(stream.now).month - 1)
    rows = []
    for opd in stream.opds:
        projected = stream.micro_small_spend[opd.id] * 12 / months_done
        ratio = rng.uniform(0.15, 0.55)
        amount = max(100_000_000, round(projected / ratio / 1_000_000) * 1_000_000)
        rows.append(
            {
                "opd_id": opd.id,
                "year": year,
                "amount": amount,
                "set_by_id": None,
                "set_at": midnight(dt.date(year, 1, 15)).astimezone(dt.UTC),
            }
        )
    return rows


def next_ids(session: Session) -> dict[str, int]:
    tables = {
        "purchase_request": PurchaseRequest.id,
        "allocation_run": AllocationRun.id,
        "purchase_order": PurchaseOrder.id,
        "order_event": OrderEvent.id,
    }
    return {name: (session.scalar(select(func.max(col))) or 0) + 1 for name, col in tables.items()}


def reset_orders(session: Session) -> int:
    """Delete the seeded OPDs' requests, runs, orders, events, documents, budgets, officers and
    the OPDs themselves; returns how many orders went."""
    opds = select(Opd.id).where(Opd.code.like(f"{SEED_OPD_PREFIX}%")).scalar_subquery()
    requests = select(PurchaseRequest.id).where(PurchaseRequest.opd_id.in_(opds))
    orders = select(PurchaseOrder.id).where(
        PurchaseOrder.request_id.in_(requests.scalar_subquery())
    )
    documents = select(Document.id).where(Document.opd_id.in_(opds)).scalar_subquery()
    session.execute(delete(DocumentFile).where(DocumentFile.document_id.in_(documents)))
    session.execute(
        update(Document).where(Document.replaces_id.in_(documents)).values(replaces_id=None)
    )
    session.execute(delete(Document).where(Document.opd_id.in_(opds)))
    session.execute(delete(OrderEvent).where(OrderEvent.order_id.in_(orders.scalar_subquery())))
    session.execute(delete(Payment).where(Payment.order_id.in_(orders.scalar_subquery())))
    session.execute(
        update(PurchaseOrder)
        .where(PurchaseOrder.request_id.in_(requests.scalar_subquery()))
        .values(passed_from_id=None)
    )
    gone = session.execute(
        delete(PurchaseOrder).where(PurchaseOrder.request_id.in_(requests.scalar_subquery()))
    )
    session.execute(
        delete(AllocationRun).where(AllocationRun.request_id.in_(requests.scalar_subquery()))
    )
    session.execute(delete(PurchaseRequest).where(PurchaseRequest.opd_id.in_(opds)))
    session.execute(delete(OpdBudget).where(OpdBudget.opd_id.in_(opds)))
    session.execute(
        delete(User).where(or_(User.opd_id.in_(opds), User.email.like(f"%@{SEED_EMAIL_DOMAIN}")))
    )
    session.execute(delete(Opd).where(Opd.code.like(f"{SEED_OPD_PREFIX}%")))
    return int(gone.rowcount)  # type: ignore[attr-defined]


Writer = Callable[[Session, Table, RowDicts], None]
CHUNK_REQUESTS = 5_000


def seed_orders(
    session: Session,
    count: int,
    write: Writer,
    *,
    random_seed: int,
    now: dt.datetime,
    progress: bool = True,
    term: PaymentTerm | None = None,
) -> OrderCounts:
    """``count`` orders over the 12 months before this one, with their requests, runs and
    events, and this year's budget of each seeded OPD; flushes nothing it does not write."""
    rng = random.Random(f"orders-{random_seed}")
    kinds = load_offers(session, random.Random(f"umkm-weight-{random_seed}"))
    templates = stream_templates(session, kinds)
    if not templates:
        raise ValueError("no seeded UMKM offer a product kind to order")
    opds = []
    for opd, officer in ensure_seed_opds(session, rng):
        taste = tuple(weight * rng.uniform(0.2, 2.0) for *_, weight in templates)
        opds.append(SeedOpd(opd.id, officer.id, opd.address, opd.name, rng.uniform(4, 25), taste))
    category_of_kind: dict[int, int] = {
        kind_id: category_id
        for kind_id, category_id in session.execute(
            select(ProductKind.id, ProductKind.category_id).where(ProductKind.id.in_(list(kinds)))
        ).tuples()
    }
    stream = Stream(
        rng=rng,
        now=now,
        opds=opds,
        templates=[(t, kind_id, name) for t, kind_id, name, _ in templates],
        kinds=kinds,
        category_of_kind=category_of_kind,
        next_id=next_ids(session),
        term=term or PaymentTerm(14),
    )
    planned = plan(rng, len(opds), count)
    moments = request_moments(rng, jakarta_date(now), len(planned))
    requests = [(m, *p) for m, p in zip(moments, planned, strict=True)]
    with tqdm(total=count, unit=" pesanan", disable=not progress) as bar:
        for start in range(0, len(requests), CHUNK_REQUESTS):
            _write(
                session,
                write,
                stream,
                build_chunk(stream, requests[start : start + CHUNK_REQUESTS]),
                bar,
            )
        # Parts no UMKM could take at the end (a small seed): a few more requests take them,
        # so the count is what was asked for wherever enough UMKM exist.
        for _ in range(10):
            if not stream.owed:
                break
            owed, stream.owed = stream.owed, 0
            extra = plan(rng, len(opds), owed)
            moments = request_moments(rng, jakarta_date(now), len(extra))
            planned = [(m, *p) for m, p in zip(moments, extra, strict=True)]
            _write(session, write, stream, build_chunk(stream, planned), bar)
    year = jakarta_date(now).year
    have = set(
        session.scalars(
            select(OpdBudget.opd_id).where(
                OpdBudget.year == year, OpdBudget.opd_id.in_([o.id for o in opds])
            )
        )
    )
    budgets = [row for row in budget_rows(stream, year, rng) if row["opd_id"] not in have]
    if budgets:
        session.execute(insert(OpdBudget.__table__), budgets)
    stream.counts.budgets = len(budgets)
    return stream.counts


def _write(session: Session, write: Writer, stream: Stream, chunk: Chunk, bar: tqdm[Any]) -> None:
    for table, rows in chunk.tables():
        if rows:
            started = time.perf_counter()
            write(session, table, rows)
            stream.counts.write_seconds[table.name] += time.perf_counter() - started
    stream.counts.orders += len(chunk.orders)
    stream.counts.events += len(chunk.events)
    bar.update(len(chunk.orders))
