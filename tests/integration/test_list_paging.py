"""The long lists at scale: the capped count of a list page, and the order list's payment
summary computed by the database (the same figures as ``rules.payment_days``)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from procure import capped_paging
from procure.capped_paging import capped_page
from procure.clock import JAKARTA, jakarta_date_or_none, today_in_jakarta
from procure.extensions import db
from procure.omzet import compliance_counts
from procure.omzet.compliance_rules import reporting_month
from procure.orders import views as order_views
from procure.orders.page_data import payment_totals
from procure.orders.rules import payment_days
from procure.procurement.models import PurchaseOrder, PurchaseRequest
from procure.umkm.models import Umkm
from tests import factories
from tests.conftest import AuthActions


def _orders(count: int):  # type: ignore[no-untyped-def]
    """``count`` orders of one officer's OPD (one request and one UMKM each), oldest first."""
    officer = factories.user("opd")
    found = []
    for _ in range(count):
        request, _, (order,) = factories.issued_orders(10, (100,), officer=officer)
        found.append(order)
    db.session.commit()
    return request, found


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), JAKARTA).astimezone(dt.UTC)


def test_payment_totals_match_the_rule_per_opd(app: Flask) -> None:
    today = today_in_jakarta()
    request, orders = _orders(4)
    other, (elsewhere,) = _orders(1)
    # Paid, with the handover date chosen; paid, handed over late in the Jakarta evening (a
    # different UTC day) with no date chosen; unpaid for 9 days; never handed over.
    orders[0].handed_over_at = _at(today - dt.timedelta(days=20), 10)
    orders[0].handover_date = today - dt.timedelta(days=21)
    orders[0].paid_on = today - dt.timedelta(days=6)
    orders[1].handed_over_at = _at(today - dt.timedelta(days=12), 23)
    orders[1].paid_on = today - dt.timedelta(days=2)
    orders[2].handed_over_at = _at(today - dt.timedelta(days=9), 8)
    elsewhere.handed_over_at = _at(today - dt.timedelta(days=3), 8)
    db.session.commit()

    def expected(opd_id: int) -> tuple[int, int, int, int]:
        rows = db.session.scalars(
            select(PurchaseOrder)
            .join(PurchaseRequest, PurchaseRequest.id == PurchaseOrder.request_id)
            .where(PurchaseRequest.opd_id == opd_id, PurchaseOrder.handed_over_at.is_not(None))
        )
        pairs = [
            (o.handover_date or jakarta_date_or_none(o.handed_over_at), o.paid_on) for o in rows
        ]
        days = payment_days(pairs, today)  # type: ignore[arg-type]
        return days.paid_count, days.total_days, days.waiting_count, days.longest_wait

    (mine,) = payment_totals(db.session, request.opd_id, today)
    assert (mine["paid_count"], mine["total_days"], mine["waiting_count"]) == (2, 25, 1)
    assert mine["longest_wait"] == 9 and mine["average"] == "12,5"
    assert expected(request.opd_id) == (2, 25, 1, 9)
    every = {t["opd"]: t for t in payment_totals(db.session, None, today)}
    assert every[request.opd.name] == mine
    theirs = every[other.opd.name]
    assert (theirs["paid_count"], theirs["waiting_count"], theirs["longest_wait"]) == (0, 1, 3)
    assert theirs["average"] == "-"


def test_capped_page_counts_at_most_the_cap(app: Flask) -> None:
    _, orders = _orders(5)
    stmt = select(PurchaseOrder).order_by(PurchaseOrder.id)
    page = capped_page(db.session, stmt, PurchaseOrder.id, page=1, per_page=2, cap=3)
    assert [o.id for o in page.items] == [o.id for o in orders[:2]]
    assert page.is_capped and page.nav.total == 3 and page.nav.pages == 2
    second = capped_page(db.session, stmt, PurchaseOrder.id, page=2, per_page=2, cap=3)
    assert [o.id for o in second.items] == [o.id for o in orders[2:4]]
    beyond = capped_page(db.session, stmt, PurchaseOrder.id, page=3, per_page=2, cap=3)
    assert beyond.items == [] and beyond.nav.page == 3
    exact = capped_page(db.session, stmt, PurchaseOrder.id, page=1, per_page=2, cap=5)
    assert not exact.is_capped and exact.nav.total == 5


def test_order_list_says_more_than_the_cap(
    app: Flask, client: FlaskClient, auth: AuthActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    request, orders = _orders(4)
    auth.login(request.created_by.email)
    monkeypatch.setattr(capped_paging, "COUNT_CAP", 3)
    html = client.get("/pengadaan/pesanan").get_data(as_text=True)
    assert "Lebih dari 3 pesanan cocok" in html
    assert sum(f"SP #{o.id}<" in html for o in orders) == 4  # one page of 20 holds them
    monkeypatch.setattr(capped_paging, "COUNT_CAP", 4)
    html = client.get("/pengadaan/pesanan").get_data(as_text=True)
    assert "Lebih dari" not in html


def test_umkm_list_says_more_than_the_cap(
    app: Flask, client: FlaskClient, auth: AuthActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(4):
        factories.umkm(status="pending", business_name=f"Antre Panjang {i}")
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    monkeypatch.setattr(capped_paging, "COUNT_CAP", 3)
    html = client.get("/admin/umkm").get_data(as_text=True)
    assert "Lebih dari 3 UMKM cocok" in html and "Antre Panjang 3" in html
    exact = client.get("/admin/umkm", query_string={"q": "panjang 1"}).get_data(as_text=True)
    assert "Lebih dari" not in exact and "Antre Panjang 1" in exact


def test_compliance_counts_are_kept_until_a_change_made_here(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    long_ago = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    first = factories.umkm(status="verified", business_name="Keripik Satu", submitted_at=long_ago)
    factories.umkm(status="verified", business_name="Keripik Dua", submitted_at=long_ago)
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    app.config["OMZET_COMPLIANCE_COUNT_TTL"] = 600
    app.extensions.pop(compliance_counts.KEPT.extension_key, None)

    def summary() -> str:
        html = client.get("/omzet/kepatuhan").get_data(as_text=True)
        return html[html.index("<strong>") : html.index(" UMKM terverifikasi")]

    try:
        assert summary() == "<strong>2</strong> dari 2"
        # A change behind the application's back (a bare UPDATE): kept for the TTL.
        db.session.execute(
            Umkm.__table__.update().where(Umkm.id == first.id).values(status="suspended")
        )
        db.session.commit()
        assert summary() == "<strong>2</strong> dari 2"
        # A filing made through the application drops them at once.
        month = str(reporting_month(today_in_jakarta()))
        factories.omzet_report(db.session.get(Umkm, first.id), month, 1_000)
        db.session.commit()
        assert summary() == "<strong>1</strong> dari 1"
    finally:
        app.config["OMZET_COMPLIANCE_COUNT_TTL"] = 0


def test_payment_totals_are_kept_until_an_order_changes_here(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    today = today_in_jakarta()
    request, (order,) = _orders(1)
    order.handed_over_at = _at(today - dt.timedelta(days=5), 9)
    db.session.commit()
    auth.login(request.created_by.email)
    app.config["ORDER_PAYMENT_TOTALS_TTL"] = 600
    app.extensions.pop(order_views.PAYMENT_TOTALS.extension_key, None)

    def waiting() -> str:
        html = client.get("/pengadaan/pesanan").get_data(as_text=True)
        start = html.index('data-label="Belum dibayar"')
        return html[html.index(">", start) + 1 : html.index("</td>", start)]

    try:
        assert waiting() == "1"
        # A change behind the application's back (a bare UPDATE): kept for the TTL.
        db.session.execute(
            PurchaseOrder.__table__.update()
            .where(PurchaseOrder.id == order.id)
            .values(paid_on=today)
        )
        db.session.commit()
        assert waiting() == "1"
        # A change flushed through the application drops the kept totals at once.
        db.session.get(PurchaseOrder, order.id).payment_reference = "SP2D 9"  # type: ignore[union-attr]
        db.session.commit()
        assert waiting() == "0"
    finally:
        app.config["ORDER_PAYMENT_TOTALS_TTL"] = 0
