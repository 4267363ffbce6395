"""The inspector's red flag for orders past their payment due date: one per order paid after
it or still unpaid past it, naming the days; counted on the home page (both databases)."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask, current_app
from flask.testing import FlaskClient

from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.formatting import tanggal
from procure.inspection.red_flags import flag_counts, newest_flags, red_flags
from procure.orders.services import record_payment
from procure.procurement.models import PurchaseOrder
from tests import factories
from tests.conftest import AuthActions
from tests.payment_clock_world import handed_over


def _pay(order: PurchaseOrder, paid_on: dt.date) -> None:
    record_payment(
        db.session,
        order,
        paid_on=paid_on,
        reference=f"SP2D-{order.id}/2026",
        actor_id=order.request.created_by_id,
        config=current_app.config,
    )


def _world() -> dict[str, PurchaseOrder]:
    today = today_in_jakarta()
    officer = factories.user("opd")
    orders = {
        name: handed_over(officer, bast=today - dt.timedelta(days=20))
        for name in ("unpaid_late", "paid_late", "paid_on_due", "unpaid_due_today", "unpaid")
    }
    orders["unpaid_late"].payment_due_date = today - dt.timedelta(days=5)
    orders["paid_late"].payment_due_date = today - dt.timedelta(days=10)
    _pay(orders["paid_late"], today - dt.timedelta(days=3))  # 7 days after the due date
    orders["paid_on_due"].payment_due_date = today - dt.timedelta(days=2)
    _pay(orders["paid_on_due"], today - dt.timedelta(days=2))
    orders["unpaid_due_today"].payment_due_date = today
    orders["unpaid"].payment_due_date = today + dt.timedelta(days=3)
    db.session.commit()
    return orders


def test_one_flag_per_order_past_its_due_date_naming_the_days(app: Flask) -> None:
    orders = _world()
    today = today_in_jakarta()
    flags = red_flags(db.session, today, payment_days_limit=60, kind="payment_overdue")
    by_order = {f.order_id: f for f in flags}
    assert set(by_order) == {orders["unpaid_late"].id, orders["paid_late"].id}
    late = by_order[orders["unpaid_late"].id]
    due = today - dt.timedelta(days=5)
    assert late.evidence == f"Belum dibayar, 5 hari lewat jatuh tempo bayar {tanggal(due)}."
    assert late.on == due + dt.timedelta(days=1)
    paid = by_order[orders["paid_late"].id]
    assert paid.evidence == (
        f"Dibayar {tanggal(today - dt.timedelta(days=3))}, 7 hari setelah jatuh tempo bayar "
        f"{tanggal(today - dt.timedelta(days=10))}."
    )
    # Newest first; the first one only; counted the same way in SQL.
    newest, total = newest_flags(
        db.session, today, 1, payment_days_limit=60, kind="payment_overdue"
    )
    assert total == 2 and [f.order_id for f in newest] == [orders["paid_late"].id]
    counts, recent = flag_counts(
        db.session, today, today - dt.timedelta(days=2), payment_days_limit=60
    )
    assert counts["payment_overdue"] == 2
    assert recent["payment_overdue"] == 0  # raised 3 and 4 days ago
    # Since a day (the home's to-do link): listed and counted from that day, in SQL.
    since, total = newest_flags(
        db.session,
        today,
        10,
        payment_days_limit=60,
        kind="payment_overdue",
        since=today - dt.timedelta(days=3),
    )
    assert total == 1 and [f.order_id for f in since] == [orders["paid_late"].id]
    # The other OPD filter finds none of them.
    other = factories.user("opd")
    db.session.commit()
    assert not red_flags(
        db.session, today, payment_days_limit=60, kind="payment_overdue", opd_id=other.opd_id
    )


def test_the_inspector_sees_the_flag_and_its_count(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    orders = _world()
    inspector = factories.user("inspector")
    db.session.commit()
    auth.login(inspector.email)
    page = client.get("/pemeriksaan/tanda-bahaya?jenis=payment_overdue").get_data(as_text=True)
    assert f"SP #{orders['unpaid_late'].id}<" in page
    assert f"SP #{orders['paid_late'].id}<" in page
    for name in ("paid_on_due", "unpaid_due_today", "unpaid"):
        assert f"SP #{orders[name].id}<" not in page
    assert "5 hari lewat jatuh tempo bayar" in page
    assert "Lewat jatuh tempo bayar" in page
    home = " ".join(
        re.sub(r"<[^>]+>", " ", client.get("/pemeriksaan/").get_data(as_text=True)).split()
    )
    assert "Lewat jatuh tempo bayar 2" in home
