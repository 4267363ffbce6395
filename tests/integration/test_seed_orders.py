"""``procure seed --orders``: a year of orders over the seeded UMKM, through the real command."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from flask import Flask
from sqlalchemy import func, select

from procure.allocation.policy import LIVE_ORDER_STATUSES
from procure.auth.models import User
from procure.clock import jakarta_date, today_in_jakarta
from procure.omzet.rules import Period, last_months
from procure.opd.models import Opd, OpdBudget
from procure.payments.models import Payment
from procure.procurement.models import (
    AllocationRun,
    OrderEvent,
    PurchaseOrder,
    PurchaseRequest,
)
from procure.ranking.stored_run import StoredRun
from procure.sample_data.demo import load_demo
from procure.spread.metrics import gini
from procure.umkm.models import Product, Umkm
from tests import factories


def _seed(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["seed", "--omzet-months", "0", *args])


def _count(session, model) -> int:  # type: ignore[no-untyped-def]
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_seed_orders_make_a_year_of_orders(app: Flask, session) -> None:  # type: ignore[no-untyped-def]
    result = _seed(app, "--umkm", "400", "--orders", "800")
    assert result.exit_code == 0, result.output
    assert "800 pesanan" in result.output and "Pesanan per status" in result.output
    session.expire_all()
    orders = list(session.scalars(select(PurchaseOrder).order_by(PurchaseOrder.id)))
    assert len(orders) == 800
    requests = {r.id: r for r in session.scalars(select(PurchaseRequest))}
    umkm = {u.id: u for u in session.scalars(select(Umkm))}
    products = {p.id: p for p in session.scalars(select(Product))}

    # The 12 months up to last month, and the replay's rush at the year's end.
    months = last_months(Period.of(today_in_jakarta()), 12)
    by_month = Counter(Period.of(jakarta_date(o.issued_at)) for o in orders)
    assert set(by_month) <= set(months) and len(by_month) >= 10
    opds = {r.opd_id for r in requests.values()}
    assert len(opds) >= 10
    assert all(o.code.startswith("SEED-") for o in session.scalars(select(Opd)))

    for o in orders:
        request, product = requests[o.request_id], products[o.product_id]
        assert umkm[o.umkm_id].nib.startswith("8") and product.umkm_id == o.umkm_id
        assert product.kind_id == request.kind_id and o.unit_price == product.unit_price
        assert o.value == o.quantity * o.unit_price and o.unit_price <= request.hps_unit_price
        assert umkm[o.umkm_id].verified_at < o.issued_at
        assert request.created_at < o.issued_at and o.due_date == request.needed_by
        if o.status == "paid":
            assert o.handed_over_at and o.paid_on and o.payment_amount == o.value
            assert jakarta_date(o.handed_over_at) < o.paid_on <= today_in_jakarta()
        if o.status in ("received", "paid"):
            assert o.inspected_at and o.received_quantity == o.quantity
            assert o.delivered_at <= o.inspected_at <= o.handed_over_at
        if o.status == "received":
            assert o.paid_on is None
        if o.status == "cancelled":
            assert o.cancel_reason and o.cancelled_at
        if o.status == "declined":
            assert o.decline_reason
            passed = [p for p in orders if p.passed_from_id == o.id]
            assert len(passed) == 1 and passed[0].umkm_id != o.umkm_id

    # Payments as they happened: rows that add up to the order's totals, mostly SP2D-LS, some
    # by card (KKPD, QRIS), some in two parts; the payment clock set at each handover.
    rows: dict[int, list[Payment]] = defaultdict(list)
    for p in session.scalars(select(Payment).order_by(Payment.id)):
        rows[p.order_id].append(p)
    for o in orders:
        assert sum(p.gross for p in rows[o.id]) == (o.payment_gross or 0)
        if o.status == "paid":
            assert sum(p.net for p in rows[o.id]) == o.value == o.payment_amount
            assert rows[o.id][-1].paid_on == o.paid_on
        if o.status in ("received", "paid"):
            assert o.payment_due_date and o.payment_due_date > jakarta_date(o.handed_over_at)
    methods = Counter(p.method for found in rows.values() for p in found)
    assert methods.most_common(1)[0][0] == "sp2d_ls" and {"kkpd", "qris"} <= set(methods)
    assert any(len(found) == 2 for found in rows.values())
    assert all(p.reference_date for found in rows.values() for p in found if p.method == "sp2d_ls")

    statuses = Counter(o.status for o in orders)
    assert statuses["paid"] > 0.75 * len(orders)
    assert 0 < statuses["cancelled"] + statuses["declined"] < 0.12 * len(orders)
    assert statuses["received"] > 0

    # Each order's history ends where the order stands, in time order.
    events: dict[int, list[OrderEvent]] = defaultdict(list)
    for e in session.scalars(select(OrderEvent).order_by(OrderEvent.id)):
        events[e.order_id].append(e)
    for o in orders:
        history = events[o.id]
        assert history[0].to_status == "issued" and history[0].at == o.issued_at
        assert history[-1].to_status == o.status
        assert [e.at for e in history] == sorted(e.at for e in history)

    # One decided run per request: its final choice is the request's first orders, and what
    # it stored reads as a run; some are overridden, each with a reason.
    runs = list(session.scalars(select(AllocationRun)))
    assert len(runs) == len(requests) and {r.request_id for r in runs} == set(requests)
    first_orders = defaultdict(list)
    for o in orders:
        if o.passed_from_id is None:
            first_orders[o.run_id].append((o.umkm_id, o.product_id, o.quantity, o.value))
    for run in runs:
        assert run.decided_at and run.final_choice
        chosen = [
            (p["umkm_id"], p["product_id"], p["quantity"], p["value"]) for p in run.final_choice
        ]
        assert chosen == first_orders[run.id]
        assert sum(p["quantity"] for p in run.final_choice) == requests[run.request_id].quantity
        stored = StoredRun.from_dict(run.result)
        assert stored.request["kind_id"] == requests[run.request_id].kind_id
        assert run.is_override == bool(run.override_reason)
        if run.is_override:
            assert stored.allocation[0].umkm_id not in {p[0] for p in chosen}
    assert any(r.is_override for r in runs) or len(runs) < 100

    # Concentrated like a real catalog: a few UMKM win much, many nothing.
    spend = Counter[int]()
    for o in orders:
        if o.status in LIVE_ORDER_STATUSES:
            spend[o.umkm_id] += o.value
    seeded = [u.id for u in umkm.values() if u.nib.startswith("8")]
    assert 0.55 < gini([spend[u] for u in seeded]) < 0.9
    assert 0.3 < sum(1 for u in seeded if spend[u]) / len(seeded) < 0.85

    # This year's budget of each seeded OPD.
    budgets = list(session.scalars(select(OpdBudget)))
    assert len(budgets) == 12 and {b.year for b in budgets} == {today_in_jakarta().year}
    assert all(b.amount >= 100_000_000 for b in budgets)


def test_seeded_orders_open_on_their_pages(app: Flask, session, client, auth) -> None:  # type: ignore[no-untyped-def]
    """What a seeded run stored reads as a run: its request page (ranking, decision, the
    override's reason) and its orders' pages render for the OPD's officer."""
    assert _seed(app, "--umkm", "100", "--orders", "200").exit_code == 0
    session.expire_all()
    paid = session.scalar(select(PurchaseOrder).where(PurchaseOrder.status == "paid").limit(1))
    declined = session.scalar(select(PurchaseOrder).where(PurchaseOrder.status == "declined"))
    override = session.scalar(select(AllocationRun).where(AllocationRun.is_override.is_(True)))
    assert paid and declined and override  # the seed is the same every time (seed 2026)
    for user in session.scalars(select(User).where(User.opd_id.is_not(None))):
        user.password_hash = factories._password_hash()
    session.commit()
    for order in (paid, declined):
        auth.login(order.request.created_by.email)
        assert client.get(f"/pengadaan/permintaan/{order.request_id}").status_code == 200
        assert client.get(f"/pengadaan/pesanan/{order.id}").status_code == 200
        auth.logout()
    auth.login(override.request.created_by.email)
    page = client.get(f"/pengadaan/permintaan/{override.request_id}")
    assert page.status_code == 200
    assert override.override_reason.encode() in page.data


def test_seeded_officers_cannot_log_in(app: Flask, session, client, auth) -> None:  # type: ignore[no-untyped-def]
    assert _seed(app, "--umkm", "20", "--orders", "10").exit_code == 0
    officer = session.scalar(select(User).where(User.email.like("%@seed.procure.invalid")))
    response = auth.login(officer.email, "!")
    assert b"Keluar" not in response.data


def test_reset_removes_the_seeded_orders_only(app: Flask, session) -> None:  # type: ignore[no-untyped-def]
    load_demo(session)
    session.commit()
    opds, users = _count(session, Opd), _count(session, User)
    demo_orders = _count(session, PurchaseOrder)
    assert _seed(app, "--umkm", "50", "--orders", "80").exit_code == 0
    assert _count(session, PurchaseOrder) == demo_orders + 80
    assert _count(session, Opd) == opds + 12 and _count(session, User) == users + 12

    result = _seed(app, "--umkm", "10", "--reset")
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert _count(session, PurchaseOrder) == demo_orders
    assert _count(session, Opd) == opds and _count(session, User) == users
    assert not session.scalars(select(Opd).where(Opd.code.like("SEED-%"))).all()
    assert not session.scalars(select(OpdBudget).join(Opd).where(Opd.code.like("SEED-%"))).all()


def test_services_still_get_free_ids_after_a_seed(app: Flask, session) -> None:  # type: ignore[no-untyped-def]
    """The seed gave the ids itself: a request decided through the services afterwards (its
    request, run, orders and events) still gets ids of its own."""
    assert _seed(app, "--umkm", "30", "--orders", "40").exit_code == 0
    seeded = max(session.scalars(select(PurchaseOrder.id)))
    _, run, orders = factories.issued_orders(quantity=20)
    session.commit()
    assert orders and min(o.id for o in orders) > seeded and run.id > 0


def test_orders_option_refuses_nonsense(app: Flask) -> None:
    assert _seed(app, "--umkm", "5", "--orders", "-1").exit_code != 0


def test_printed_counts_match(app: Flask, session) -> None:  # type: ignore[no-untyped-def]
    result = _seed(app, "--umkm", "30", "--orders", "40")
    assert result.exit_code == 0, result.output
    found = re.search(r"([\d.]+) permintaan, ([\d.]+) alokasi", result.output)
    assert found and int(found.group(1).replace(".", "")) == _count(session, PurchaseRequest)
    assert _count(session, OrderEvent) >= 40
