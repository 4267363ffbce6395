"""The stored ranking figures always equal what the policy computes from the raw rows.

Every change of omzet or orders goes through a service; after each one, on both databases, the
row of every UMKM must be exactly ``need_for`` of its facts as ``facts.load_facts`` reads them
(months reported, their floored sum, floors, latest month, awards since, 6 x need, tier).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from procure.admin.rules import MANUAL_CHECKS, Action
from procure.admin.services_umkm import review_umkm
from procure.allocation.policy import need6, need_for, window_for
from procure.auth.models import User
from procure.clock import JAKARTA
from procure.extensions import db
from procure.omzet.imports.importer import ImportSettings, import_omzet
from procure.omzet.models import OmzetReport
from procure.omzet.services import OmzetSettings, correct_omzet, file_omzet
from procure.orders.services import cancel_order, decline_order, expire_overdue_orders
from procure.procurement.models import LIVE_ORDER_STATUSES, PurchaseOrder
from procure.procurement.services import decide, run_allocation
from procure.ranking import facts, figures
from procure.sample_data.seed import SeedError, seed
from procure.umkm.models import Product, Umkm
from tests import allocation_market, factories

OMZET = OmzetSettings(deadline_day=10, max_monthly=50_000_000_000)
IMPORT = ImportSettings(deadline_day=10, max_monthly=50_000_000_000, max_bytes=10_000_000)
REASON = "Kapasitas produksi bulan ini sudah penuh"


def _today() -> dt.date:
    return dt.datetime.now(JAKARTA).date()


def _expected() -> dict[tuple[int, int], tuple[Any, ...]]:
    """The rows as the pure policy derives them from the raw rows: one per UMKM and category
    it has a product in (no grace: the stored row is the need outside it)."""
    t = _today()
    window = window_for(t)
    offered = db.session.execute(select(Product.umkm_id, Product.category_id).distinct()).all()
    ids = sorted({u for u, _ in offered})
    verified = dict(db.session.execute(select(Umkm.id, Umkm.verified_at)).all())
    latest = dict(
        db.session.execute(
            select(PurchaseOrder.umkm_id, func.max(PurchaseOrder.issued_at))
            .where(PurchaseOrder.status.in_(LIVE_ORDER_STATUSES))
            .group_by(PurchaseOrder.umkm_id)
        ).all()
    )
    per_umkm = {}
    for f in facts.load_facts(db.session, 0, t, umkm_ids=ids):
        need = need_for(f, window, t, grace_days=0)
        per_umkm[f.umkm_id] = (
            *(f.omzet_by_month.get(p) for p in window),
            len(need.months),
            sum(m.used for m in need.months),
            sum(1 for m in need.months if m.is_floored),
            str(need.months[-1].period) if need.months else None,
            need.awards_since,
            need6(need),
            need.tier,
        )
    return {(u, c): (verified[u], *per_umkm[u], latest.get(u)) for u, c in offered}


def _assert_current(step: str) -> None:
    db.session.flush()
    # What the ranking does before it reads: catch up with verifications and bulk inserts.
    assert figures.ensure_current(db.session, window_for(_today()))
    stored = figures.figure_rows(db.session)
    expected = _expected()
    wrong = {
        key: (stored.get(key), expected.get(key))
        for key in stored.keys() | expected.keys()
        if stored.get(key) != expected.get(key)
    }
    assert wrong == {}, f"after {step}: (stored, expected) differ for {wrong}"


def test_rebuilt_figures_equal_the_policy(app: Flask) -> None:
    for number in (11, 12):
        allocation_market.build(random.Random(number), 40)
    figures.rebuild(db.session)
    _assert_current("rebuild")


def test_need6_is_exact_and_orders_like_the_fraction(app: Flask) -> None:
    rng = random.Random(5)
    allocation_market.build(rng, 60)
    figures.rebuild(db.session)
    t = _today()
    window = window_for(t)
    needs = {
        f.umkm_id: need_for(f, window, t, 0)
        for f in facts.load_facts(
            db.session, 0, t, umkm_ids=list(db.session.scalars(select(Umkm.id)))
        )
    }
    rows = {u: row for (u, _), row in figures.figure_rows(db.session).items()}
    by_fraction = sorted(rows, key=lambda u: (needs[u].tier, needs[u].value, u))
    by_integer = sorted(rows, key=lambda u: (rows[u][10], rows[u][9], u))
    assert by_fraction == by_integer
    assert any(n.value.denominator > 1 for n in needs.values())  # thirds and halves occur


def _random_step(rng: random.Random, app: Flask, officer_id: int, makers: list[Umkm]) -> str:
    """One change through a service; returns what it did."""
    window = window_for(_today())
    maker = rng.choice([m for m in makers if m.status == "verified"])
    kinds = ["file", "correct", "import", "allocate", "decline", "cancel", "expire"]
    kind = rng.choice([*kinds, "verify", "product", "move"])
    if kind == "verify":  # the admin's conditional UPDATE, which the ORM does not see
        pending = [m for m in makers if m.status == "pending"]
        if not pending:
            return "nobody to verify"
        chosen = rng.choice(pending)
        ticks = dict.fromkeys(MANUAL_CHECKS, True)
        review_umkm(db.session, chosen, Action.VERIFY, officer_id, ticked=ticks)
        return f"verify {chosen.id}"
    if kind == "product":  # maybe in a category the UMKM had no product in
        product = factories.product(maker, rng.choice(["batik", "seragam"]))
        return f"product {product.id}"
    if kind == "move":
        product = rng.choice(maker.products)
        product.category_id = factories.category(rng.choice(["batik", "seragam", "atk"])).id
        db.session.flush()
        return f"move {product.id}"
    if kind in ("file", "correct"):
        period = rng.choice(window)
        current = db.session.scalar(
            select(OmzetReport.amount)
            .where(OmzetReport.umkm_id == maker.id, OmzetReport.period == str(period))
            .order_by(OmzetReport.revision.desc())
            .limit(1)
        )
        amount = rng.choice(allocation_market.AMOUNTS) + rng.choice([0, 500_000])
        if current is None:
            file_omzet(db.session, maker, period, amount, actor_id=officer_id, settings=OMZET)
            return f"file {maker.id} {period}"
        # Never the current figure (that is refused, rightly): any refusal here is a failure.
        corrected = amount + 7 if amount + 7 != current else amount + 14
        correct_omzet(
            db.session,
            maker,
            period,
            corrected,
            "Salah ketik angka",
            actor_id=officer_id,
            settings=OMZET,
        )
        return f"correct {maker.id} {period}"
    if kind == "import":
        chosen = rng.sample([m for m in makers if m.status == "verified"], 5)
        lines = ["NIB;periode;omzet"] + [
            f"{m.nib};{rng.choice(window)};{rng.choice(allocation_market.AMOUNTS)}" for m in chosen
        ]
        data = "\n".join(dict.fromkeys(lines)).encode()  # no duplicate rows
        result = import_omzet(
            db.session,
            data,
            "impor.csv",
            actor_id=None,
            settings=IMPORT,
            dry_run=False,
            today=_today(),
        )
        assert result.ok, result.errors
        return "import"
    officer = db.session.get(User, officer_id)
    if kind == "allocate":
        request = factories.purchase_request(officer, rng.choice([5, 30, 90]))
        run = run_allocation(db.session, request, actor_id=officer_id, config=app.config)
        if run.result["allocation"]:
            decide(
                db.session,
                run,
                None,
                "",
                actor_id=officer_id,
                decision_key=f"k{rng.random()}",
                config=app.config,
            )
        return "allocate"
    live = list(
        db.session.scalars(
            select(PurchaseOrder).where(PurchaseOrder.status == "issued", PurchaseOrder.run_id != 0)
        )
    )
    live = [o for o in live if o.run.result.get("candidates")]
    if not live:
        return "nothing to answer"
    order = rng.choice(live)
    if kind == "decline":
        decline_order(db.session, order, REASON, actor_id=officer_id, config=app.config)
    elif kind == "cancel":
        cancel_order(db.session, order, "Kegiatan dibatalkan oleh pimpinan", actor_id=officer_id)
    else:
        expire_overdue_orders(
            db.session, order.response_deadline + dt.timedelta(days=1), app.config
        )
    return f"{kind} {order.id}"


def test_services_keep_the_figures_current(app: Flask) -> None:
    rng = random.Random(2026)
    market = allocation_market.build(rng, 25)
    figures.rebuild(db.session)
    _assert_current("rebuild")
    steps = []
    for _ in range(45):
        steps.append(_random_step(rng, app, market.officer_id, market.umkm))
        _assert_current(" / ".join(steps[-3:]))
    done = {s.split()[0] for s in steps}
    assert {"file", "correct", "import", "allocate"} <= done
    assert db.session.scalar(
        select(PurchaseOrder.id).where(
            PurchaseOrder.status.in_(("declined", "cancelled", "expired"))
        )
    )
    assert db.session.scalar(
        select(PurchaseOrder.id).where(PurchaseOrder.status.in_(LIVE_ORDER_STATUSES))
    )


def test_the_seed_builds_one_category_with_its_figures(app: Flask) -> None:
    result = seed(db.session, 30, omzet_months=4, progress=False, single_category="batik")
    batik = factories.category("batik").id
    assert result.counts["umkm"] == 30
    assert set(db.session.scalars(select(Product.category_id).distinct())) == {batik}
    assert {c for _, c in figures.figure_rows(db.session)} == {batik}
    assert len(figures.figure_rows(db.session)) == 30
    _assert_current("seed")
    with pytest.raises(SeedError, match="tidak dikenal"):
        seed(db.session, 1, progress=False, single_category="bukan-kategori")


def test_refresh_figures_command_rebuilds_this_months_window(app: Flask) -> None:
    allocation_market.build(random.Random(4), 12)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["refresh-figures"])
    assert result.exit_code == 0, result.output
    window = window_for(_today())
    assert f"untuk omzet {window[0].label} – {window[-1].label}" in result.output
    assert figures.stored_window(db.session) == str(window[0])
    _assert_current("refresh-figures")
