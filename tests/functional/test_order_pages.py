"""Order pages through the test client: who sees what, the actions, the figures (both DBs)."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.audit.models import AuditLog
from procure.clock import JAKARTA, today_in_jakarta
from procure.extensions import db
from procure.orders.services import (
    accept_order,
    mark_delivered,
)
from procure.procurement.models import OrderEvent, PurchaseOrder
from tests import factories
from tests.conftest import AuthActions

REASON = "Kapasitas produksi bulan ini sudah penuh"


def _setup(capacities: tuple[int, ...] = (100, 100)):  # type: ignore[no-untyped-def]
    """One issued order (Rp 10.000.000) and the people around it, committed."""
    request, run, (order,) = factories.issued_orders(50, capacities, unit_price=200_000)
    owner = factories.user("umkm", umkm_id=order.umkm_id)
    officer = request.created_by
    db.session.commit()
    return request, order, owner, officer


def _url(order: PurchaseOrder, action: str = "") -> str:
    return f"/pengadaan/pesanan/{order.id}" + (f"/{action}" if action else "")


def _status(order_id: int) -> str:
    db.session.expire_all()
    found = db.session.get(PurchaseOrder, order_id)
    assert found is not None
    return found.status


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _deliver(order: PurchaseOrder, owner) -> None:  # type: ignore[no-untyped-def]
    accept_order(db.session, order, actor_id=owner.id)
    mark_delivered(db.session, order, actor_id=owner.id)
    db.session.commit()


def test_umkm_sees_incoming_orders_and_the_count_on_its_home(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    request, order, owner, _ = _setup()
    auth.login(owner.email)
    home = client.get("/umkm/").get_data(as_text=True)
    assert 'data-todo="jawab"' in home and "Pesanan yang perlu Anda jawab" in home
    assert "/pengadaan/pesanan-masuk" in home
    page = client.get("/pengadaan/pesanan-masuk")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "1 pesanan menunggu jawaban Anda" in html
    assert f"SP #{order.id}" in html and request.title in html
    assert "Jawab paling lambat" in html
    detail = client.get(_url(order)).get_data(as_text=True)
    assert "Terima pesanan" in detail and "Tolak pesanan" in detail
    assert "Catat pembayaran" not in detail and "Batalkan pesanan" not in detail


def test_accept_twice_records_one_answer(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _, order, owner, _ = _setup()
    auth.login(owner.email)
    first = client.post(_url(order, "terima"))
    assert first.status_code == 302
    second = client.post(_url(order, "terima"), follow_redirects=True)
    assert "sudah berstatus" in second.get_data(as_text=True)
    assert _status(order.id) == "accepted"
    events = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)).all()
    assert [e.to_status for e in events] == ["issued", "accepted"]
    assert events[-1].actor_id == owner.id
    home = client.get("/umkm/").get_data(as_text=True)
    assert 'data-todo="jawab"' not in home and 'data-todo="kirim"' in home


def test_decline_passes_on_and_the_reason_is_escaped(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _, order, owner, officer = _setup()
    auth.login(owner.email)
    reason = "<script>alert('x')</script> kapasitas penuh"
    response = client.post(_url(order, "tolak"), data={"reason": reason}, follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html
    assert _status(order.id) == "declined"
    new = db.session.scalars(
        select(PurchaseOrder).where(PurchaseOrder.passed_from_id == order.id)
    ).one()
    auth.logout()
    auth.login(officer.email)
    detail = client.get(_url(new)).get_data(as_text=True)
    assert f"dialihkan dari SP #{order.id} (ditolak)" in detail
    assert f'href="/pengadaan/pesanan/{order.id}"' in detail
    old = client.get(_url(order)).get_data(as_text=True)
    assert "&lt;script&gt;" in old and "<script>alert" not in old
    assert f"SP #{new.id}" in old


def test_a_short_decline_reason_is_explained_and_nothing_changes(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _, order, owner, _ = _setup()
    auth.login(owner.email)
    response = client.post(_url(order, "tolak"), data={"reason": "penuh"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Alasan minimal 10" in html
    assert '<details class="d-block mb-2" open>' in html  # the form stays open with the text
    assert _status(order.id) == "issued"
    assert _count(PurchaseOrder) == 1


def test_another_umkm_cannot_see_or_answer_the_order(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _, order, _, _ = _setup()
    stranger = factories.user("umkm")
    db.session.commit()
    audits = _count(AuditLog)
    auth.login(stranger.email)
    assert client.get(_url(order)).status_code == 404
    assert client.post(_url(order, "terima")).status_code == 404
    assert client.post(_url(order, "tolak"), data={"reason": REASON}).status_code == 404
    assert f"SP #{order.id}" not in client.get("/pengadaan/pesanan-masuk").get_data(as_text=True)
    assert _status(order.id) == "issued"
    assert _count(AuditLog) == audits


def test_an_officer_of_another_opd_cannot_see_or_act(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _, order, _, _ = _setup()
    other = factories.user("opd")
    db.session.commit()
    auth.login(other.email)
    assert client.get(_url(order)).status_code == 404
    response = client.post(_url(order, "batal"), data={"reason": "Kegiatan dibatalkan pimpinan"})
    assert response.status_code == 404
    assert _status(order.id) == "issued"
    assert f"SP #{order.id}" not in client.get("/pengadaan/pesanan").get_data(as_text=True)


def test_roles_that_may_only_read(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    _, order, owner, officer = _setup()
    admin = factories.user("admin")
    inspector = factories.user("inspector")
    db.session.commit()
    assert client.get(_url(order)).status_code == 302  # anonymous: log in first
    assert client.get("/pengadaan/pesanan").status_code == 302
    for reader in (admin, inspector):
        auth.login(reader.email)
        detail = client.get(_url(order))
        assert detail.status_code == 200
        assert "Terima pesanan" not in detail.get_data(as_text=True)
        assert client.get("/pengadaan/pesanan").status_code == 200
        assert client.get("/pengadaan/pesanan-masuk").status_code == 403
        reason = {"reason": "Kegiatan dibatalkan pimpinan"}
        assert client.post(_url(order, "batal"), data=reason).status_code == 403
        assert client.post(_url(order, "terima")).status_code == 403
        auth.logout()
    auth.login(owner.email)
    assert client.get("/pengadaan/pesanan").status_code == 403
    assert client.post(_url(order, "batal"), data=reason).status_code == 403
    auth.logout()
    auth.login(officer.email)
    assert client.get("/pengadaan/pesanan-masuk").status_code == 403
    assert client.post(_url(order, "terima")).status_code == 403
    assert _status(order.id) == "issued"


def test_an_impossible_transition_is_refused_with_a_message(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _, order, _, officer = _setup()
    auth.login(officer.email)
    response = client.post(
        _url(order, "serah-terima"), data={"handover_date": today_in_jakarta().isoformat()}
    )
    assert response.status_code == 200
    assert "tidak bisa diubah" in response.get_data(as_text=True)
    assert _status(order.id) == "issued"
    paid = client.post(_url(order, "bayar"), data=_payment("SP2D 1", "1", "0", "1"))
    assert "sudah diserahterimakan (BAST)" in paid.get_data(as_text=True)
    assert _status(order.id) == "issued"


def _payment(reference: str, gross: str, tax: str, net: str, **more: str) -> dict[str, str]:
    """The payment form as an officer fills it for an SP2D-LS transfer paid today."""
    today = today_in_jakarta().isoformat()
    return {
        "method": "sp2d_ls",
        "reference": reference,
        "reference_date": today,
        "paid_on": today,
        "gross": gross,
        "tax_label_1": "PPh Pasal 22 (1,5%)",
        "tax_amount_1": tax,
        "net": net,
        **more,
    }


def test_officer_inspects_hands_over_and_pays(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    request, order, owner, officer = _setup()
    _deliver(order, owner)
    auth.login(officer.email)
    detail = client.get(_url(order)).get_data(as_text=True)
    assert "Catat hasil pemeriksaan" in detail and "Catat serah terima" not in detail
    team = {"member_name_1": "Rina Wulandari", "member_nip_1": "198503122010012001"}
    bad = client.post(
        _url(order, "periksa"), data={"received_quantity": "60", "condition": "baik", **team}
    )
    assert "antara 0 dan 50" in bad.get_data(as_text=True)
    inspection = {"received_quantity": "50", "condition": "baik", "notes": "Sesuai contoh", **team}
    client.post(_url(order, "periksa"), data=inspection)
    again = client.post(_url(order, "periksa"), data=inspection, follow_redirects=True)
    assert "sudah tercatat" in again.get_data(as_text=True)  # a double submit records once
    inspections = select(func.count()).where(
        OrderEvent.order_id == order.id,
        OrderEvent.from_status == "delivered",
        OrderEvent.to_status == "delivered",
    )
    assert db.session.scalar(inspections) == 1
    assert "Catat serah terima" in client.get(_url(order)).get_data(as_text=True)
    handover = {"handover_date": today_in_jakarta().isoformat()}
    assert client.post(_url(order, "serah-terima"), data=handover).status_code == 302
    assert _status(order.id) == "received"
    page = client.get(_url(order)).get_data(as_text=True)
    # Filled in: the gross still owed, PPh 22 1,5 % (Rp 150.000) and the net to transfer.
    assert 'value="10.000.000"' in page and 'value="150.000"' in page
    assert 'value="9.850.000"' in page
    paid = client.post(
        _url(order, "bayar"),
        data=_payment("SP2D 0042/2026", "10.000.000", "150.000", "9.850.000"),
        follow_redirects=True,
    )
    assert "Pesanan lunas" in paid.get_data(as_text=True)
    assert _status(order.id) == "paid"
    listing = client.get("/pengadaan/pesanan").get_data(as_text=True)
    assert "Lama pembayaran setelah serah terima" in listing
    assert request.opd.name in listing


def test_late_penalty_payment_difference_and_days_to_payment_are_shown(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    request, order, owner, officer = _setup()
    _deliver(order, owner)
    today = today_in_jakarta()
    order.due_date = today - dt.timedelta(days=10)
    order.delivered_at = dt.datetime.combine(
        today - dt.timedelta(days=7), dt.time(9), JAKARTA
    ).astimezone(dt.UTC)
    factories.inspected_and_handed_over(order, officer, handover_date=today - dt.timedelta(days=4))
    db.session.commit()
    auth.login(officer.email)
    detail = client.get(_url(order)).get_data(as_text=True)
    assert "Terlambat 3 hari" in detail and "Rp 30.000" in detail
    assert "Rp 9.970.000" in detail
    assert "4 hari (belum dibayar" in detail
    paid = client.post(
        _url(order, "bayar"),
        # The penalty not withheld: Rp 10.000.000 - PPh Rp 150.000, Rp 30.000 above the net.
        data=_payment("SP2D 7", "10.000.000", "150.000", "9.850.000"),
        follow_redirects=True,
    )
    html = paid.get_data(as_text=True)
    assert "jumlahnya lebih Rp 30.000 dari nilai pesanan dikurangi denda" in html
    assert _status(order.id) == "paid"
    listing = client.get("/pengadaan/pesanan?status=paid").get_data(as_text=True)
    assert f"SP #{order.id}" in listing
    assert "3 hari terlambat" in listing and "Denda Rp 30.000" in listing
    # One paid order, four days from handover to payment: sum 4, average 4,0.
    assert 'class="text-end fw-semibold">4</td>' in listing
    assert "4,0" in listing


def test_admin_filters_by_opd_and_sees_every_opd_total(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    first, order, _, _ = _setup()
    second, other, _, _ = _setup()
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    everything = client.get("/pengadaan/pesanan").get_data(as_text=True)
    assert f"SP #{order.id}" in everything and f"SP #{other.id}" in everything
    only = client.get(f"/pengadaan/pesanan?opd={first.opd_id}").get_data(as_text=True)
    assert f"SP #{order.id}" in only and f"SP #{other.id}" not in only
    issued = client.get("/pengadaan/pesanan?status=paid").get_data(as_text=True)
    assert "Tidak ada pesanan yang cocok" in issued
