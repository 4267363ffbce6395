"""The payment clock on the order pages: the handover stores the due date from the configured
term, and the officer's list, the order page and the UMKM's list show it with the days overdue
or whether it was paid on time (both databases)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient

from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.orders.services import record_payment
from tests import factories
from tests.conftest import AuthActions
from tests.payment_clock_world import handed_over, owner_of

D = dt.date


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_handover_stores_the_due_date_of_the_configured_term(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "DELIVERY_PAYMENT_DAYS", 5)
    monkeypatch.setitem(app.config, "PAYMENT_TERM_WORKING_DAYS", True)
    monkeypatch.setitem(app.config, "PAYMENT_HOLIDAYS", "2026-12-24, 2026-12-25")
    # BAST Friday 18 Dec: 21, 22, 23, (24, 25 off, weekend), 28, 29.
    order = handed_over(bast=D(2026, 12, 18))
    assert order.payment_due_date == D(2026, 12, 29)
    monkeypatch.setitem(app.config, "PAYMENT_TERM_WORKING_DAYS", False)
    # 5 calendar days after Friday 18 Dec is Wednesday 23 Dec, a working day.
    assert handed_over(bast=D(2026, 12, 18)).payment_due_date == D(2026, 12, 23)
    db.session.commit()
    stored = db.session.get(type(order), order.id)
    assert stored is not None and stored.payment_due_date == D(2026, 12, 29)


def test_lists_and_order_page_show_due_date_and_days_overdue(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    today = today_in_jakarta()
    officer = factories.user("opd")
    late = handed_over(officer, bast=today - dt.timedelta(days=30))
    late.payment_due_date = today - dt.timedelta(days=6)
    waiting = handed_over(officer, bast=today)
    waiting_due = waiting.payment_due_date
    assert waiting_due is not None and waiting_due >= today + dt.timedelta(days=14)
    on_time = handed_over(officer, bast=today - dt.timedelta(days=3))
    record_payment(
        db.session,
        on_time,
        paid_on=today,
        reference="SP2D-0101/2026",
        actor_id=officer.id,
        config=current_app.config,
    )
    paid_late = handed_over(officer, bast=today - dt.timedelta(days=20))
    paid_late.payment_due_date = today - dt.timedelta(days=4)
    record_payment(
        db.session,
        paid_late,
        paid_on=today - dt.timedelta(days=1),
        reference="SP2D-0102/2026",
        actor_id=officer.id,
        config=current_app.config,
    )
    db.session.commit()

    auth.login(officer.email)
    listed = _text(client.get("/pengadaan/pesanan").get_data(as_text=True))
    assert "Terlambat 6 hari" in listed
    assert "Dibayar tepat waktu" in listed
    assert "Dibayar terlambat 3 hari" in listed
    assert listed.count("Jatuh tempo bayar:") == 4

    def detail(order_id: int) -> str:
        return _text(client.get(f"/pengadaan/pesanan/{order_id}").get_data(as_text=True))

    from procure.formatting import tanggal

    page = detail(late.id)
    assert f"Jatuh tempo bayar: {tanggal(today - dt.timedelta(days=6))}" in page
    assert "Terlambat 6 hari" in page
    page = detail(waiting.id)
    assert f"Jatuh tempo bayar: {tanggal(waiting_due)}" in page
    assert "Terlambat" not in page and "Dibayar tepat waktu" not in page
    assert "Dibayar tepat waktu" in detail(on_time.id)
    assert "Dibayar terlambat 3 hari" in detail(paid_late.id)

    # The UMKM sees the clock of its own order too.
    auth.logout()
    auth.login(owner_of(late).email)
    incoming = _text(client.get("/pengadaan/pesanan-masuk").get_data(as_text=True))
    assert "Terlambat 6 hari" in incoming


def test_an_order_not_yet_handed_over_shows_no_payment_clock(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    officer = factories.user("opd")
    _, _, (order,) = factories.issued_orders(10, (100,), officer=officer)
    db.session.commit()
    auth.login(officer.email)
    page = client.get(f"/pengadaan/pesanan/{order.id}").get_data(as_text=True)
    assert "Jatuh tempo bayar" not in page
