"""The officer's home is a to-do list of their OPD: each step's count and deadline, the link
to the list that shows exactly those items, the most urgent first, and nothing of another OPD
(both databases)."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from dataclasses import dataclass

from flask import Flask, current_app
from flask.testing import FlaskClient

from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.formatting import tanggal
from procure.orders.services import (
    accept_order,
    mark_delivered,
    record_handover,
    record_inspection,
)
from procure.procurement.models import PurchaseOrder
from tests import factories
from tests.conftest import AuthActions

EMPTY = "Tidak ada yang menunggu Anda"
ITEM = re.compile(
    r'data-todo="(?P<key>[^"]+)">\s*(?:<a [^>]*href="(?P<href>[^"]*)">|<div class="p-3">)'
    r'.*?todo-count"[^>]*>(?P<count>[\d.]+)</span>(?P<body>.*?)</li>',
    re.S,
)


@dataclass(frozen=True)
class Shown:
    key: str
    href: str
    count: int
    text: str


def todo_items(page: str) -> list[Shown]:
    """The to-do items of a home page, in the order shown."""
    return [
        Shown(
            m["key"],
            html_lib.unescape(m["href"] or ""),
            int(m["count"].replace(".", "")),
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_lib.unescape(m["body"]))),
        )
        for m in ITEM.finditer(page)
    ]


def order_ids(page: str) -> set[int]:
    """The orders an order list page links to."""
    return {int(n) for n in re.findall(r'href="/pengadaan/pesanan/(\d+)"', page)}


def _one_order(officer):  # type: ignore[no-untyped-def]
    _, _, orders = factories.issued_orders(10, (100,), officer=officer)
    return orders[0]


def _deliver(order: PurchaseOrder) -> None:
    owner = factories.user("umkm", umkm_id=order.umkm_id)
    accept_order(db.session, order, actor_id=owner.id)
    mark_delivered(db.session, order, actor_id=owner.id)


def _inspect(order: PurchaseOrder, officer) -> None:  # type: ignore[no-untyped-def]
    record_inspection(
        db.session,
        order,
        received_quantity=order.quantity,
        condition="baik",
        notes="",
        actor_id=officer.id,
        config=current_app.config,
    )


def _world():  # type: ignore[no-untyped-def]
    """One order at each step for the officer's OPD, one request to decide, and another OPD
    with orders at the same steps."""
    officer = factories.user("opd")
    other = factories.user("opd")
    today = today_in_jakarta()
    steps: dict[str, list[int]] = {}
    for who in (officer, other):
        waiting = _one_order(who)
        to_inspect = _one_order(who)
        _deliver(to_inspect)
        to_hand_over = _one_order(who)
        _deliver(to_hand_over)
        _inspect(to_hand_over, who)
        to_pay = _one_order(who)
        _deliver(to_pay)
        _inspect(to_pay, who)
        record_handover(db.session, to_pay, actor_id=who.id, config=current_app.config)
        late = _one_order(who)
        _deliver(late)
        _inspect(late, who)
        record_handover(db.session, late, actor_id=who.id, config=current_app.config)
        late.payment_due_date = today - dt.timedelta(days=6)  # 6 days past the due date
        factories.purchase_request(who, 30, needed_by=today + dt.timedelta(days=3))
        if who is officer:
            steps = {
                "tunggu-umkm": [waiting.id],
                "periksa": [to_inspect.id],
                "serah-terima": [to_hand_over.id],
                "bayar": [to_pay.id],
                "bayar-lewat": [late.id],
            }
    db.session.commit()
    return officer, steps


def test_each_step_counted_with_its_deadline_most_urgent_first(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    officer, steps = _world()
    auth.login(officer.email)
    items = todo_items(client.get("/opd/").get_data(as_text=True))
    shown = {i.key: i for i in items}
    assert set(shown) == {"putuskan", *steps}
    # Another OPD has one order at every step and a request to decide: none is counted.
    assert {k: i.count for k, i in shown.items()} == {k: 1 for k in shown}
    assert items[0].key == "bayar-lewat"  # 6 days overdue: first
    assert "Lewat 6 hari" in items[0].text
    # Handed over today: due the term after it (moved off a weekend), set at handover.
    due = db.session.get(PurchaseOrder, steps["bayar"][0]).payment_due_date
    assert due is not None and due >= today_in_jakarta() + dt.timedelta(days=14)
    left = (due - today_in_jakarta()).days
    assert f"Sisa {left} hari" in shown["bayar"].text
    assert f"Terdekat: jatuh tempo {tanggal(due)}" in shown["bayar"].text
    assert "Terlama: jatuh tempo" in items[0].text
    assert "Sisa 3 hari" in shown["putuskan"].text  # the nearest needed-by date
    assert "Batas jawab terdekat" in shown["tunggu-umkm"].text
    # Without a deadline: last, in the order of the work.
    assert [i.key for i in items][-2:] == ["periksa", "serah-terima"]


def test_each_link_lists_exactly_the_orders_counted(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    officer, steps = _world()
    auth.login(officer.email)
    items = todo_items(client.get("/opd/").get_data(as_text=True))
    for item in items:
        page = client.get(item.href)
        assert page.status_code == 200, item.href
        if item.key == "putuskan":
            assert item.href == "/pengadaan/permintaan?langkah=putuskan"
            assert page.get_data(as_text=True).count('href="/pengadaan/permintaan/') >= 1
            continue
        assert order_ids(page.get_data(as_text=True)) == set(steps[item.key]), item.key


def test_request_filter_lists_drafts_only(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    officer = factories.user("opd")
    decided, _, _ = factories.issued_orders(10, (100,), officer=officer)
    draft = factories.purchase_request(officer, 30, title="Kemeja batik untuk lomba")
    db.session.commit()
    auth.login(officer.email)
    page = client.get("/pengadaan/permintaan?langkah=putuskan").get_data(as_text=True)
    assert f'href="/pengadaan/permintaan/{draft.id}"' in page
    assert f'href="/pengadaan/permintaan/{decided.id}"' not in page
    everything = client.get("/pengadaan/permintaan").get_data(as_text=True)
    assert f'href="/pengadaan/permintaan/{decided.id}"' in everything


def test_empty_state_and_no_product_counts(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    officer = factories.user("opd")
    factories.product()
    db.session.commit()
    auth.login(officer.email)
    page = client.get("/opd/").get_data(as_text=True)
    assert EMPTY in page and todo_items(page) == []
    assert " produk</span>" not in page  # the catalog's product counts are gone from the home


def test_the_officers_phones_are_written_as_indonesians_write_them(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    officer = factories.user("opd", phone="6281234567890")
    factories.user("opd", opd_id=officer.opd_id, phone=None, full_name="Tanpa Telepon")
    db.session.commit()
    auth.login(officer.email)
    page = client.get("/opd/").get_data(as_text=True)
    assert '<td data-label="Telepon">0812-3456-7890</td>' in page
    assert "6281234567890" not in page
    assert '<td data-label="Telepon">-</td>' in page  # the colleague without a phone
