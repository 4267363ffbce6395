"""The order page's payments through the test client: partial payments, refusals with their
messages, a double click, a reversal with its confirmation page, who sees what (both DBs)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.clock import today_in_jakarta
from procure.documents.models import Document
from procure.extensions import db
from procure.payments.models import Payment
from procure.procurement.models import PurchaseOrder
from tests import factories
from tests.conftest import AuthActions

TODAY = today_in_jakarta().isoformat()


def _handed_over():  # type: ignore[no-untyped-def]
    """An order of 50 x Rp 300.000 = Rp 15.000.000 (PPh 22 1,5 %: Rp 225.000), handed over."""
    order, owner, officer = factories.handed_over_order(
        50, unit_price=300_000, hps_unit_price=300_000
    )
    db.session.commit()
    return order, owner, officer


def _form(gross: str, tax: str, net: str, **more: str) -> dict[str, str]:
    return {
        "method": "sp2d_ls",
        "reference": "0123/SP2D-LS/1.02.01/2026",
        "reference_date": TODAY,
        "paid_on": TODAY,
        "gross": gross,
        "tax_label_1": "PPh Pasal 22 (1,5%)",
        "tax_amount_1": tax,
        "net": net,
        **more,
    }


def _url(order: PurchaseOrder, action: str = "") -> str:
    return f"/pengadaan/pesanan/{order.id}" + (f"/{action}" if action else "")


def _payments(order_id: int) -> list[Payment]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Payment).where(Payment.order_id == order_id).order_by("id"))
    )


def _order(order_id: int) -> PurchaseOrder:
    db.session.expire_all()
    found = db.session.get(PurchaseOrder, order_id)
    assert found is not None
    return found


def test_two_partial_payments_then_paid_in_full(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, _, officer = _handed_over()
    auth.login(officer.email)
    page = client.get(_url(order)).get_data(as_text=True)
    # Prefilled: the whole amount still owed, its PPh 22 and the net.
    assert 'value="15.000.000"' in page and 'value="225.000"' in page
    assert 'value="14.775.000"' in page
    assert "Sisa yang belum dibayar" in page and 'name="payment_key"' in page
    first = client.post(
        _url(order, "bayar"), data=_form("6.000.000", "90.000", "5.910.000"), follow_redirects=True
    )
    html = first.get_data(as_text=True)
    assert "Pembayaran sebagian SP" in html and "Rp 9.000.000" in html
    assert "Dibayar sebagian" in html
    assert "Diperiksa dan diserahterimakan (pembayaran)" in html  # the history's line
    assert _order(order.id).status == "received"
    # The next form starts from what is still owed: Rp 9.000.000, PPh Rp 135.000.
    assert 'value="9.000.000"' in html and 'value="135.000"' in html
    assert 'value="8.865.000"' in html
    second = client.post(
        _url(order, "bayar"),
        data=_form("9.000.000", "135.000", "8.865.000", method="kkpd", reference="A1B2C3"),
        follow_redirects=True,
    )
    html = second.get_data(as_text=True)
    assert "Pesanan lunas" in html
    paid = _order(order.id)
    assert paid.status == "paid" and paid.paid_on == today_in_jakarta()
    assert (paid.payment_gross, paid.payment_withheld, paid.payment_amount) == (
        15_000_000,
        225_000,
        14_775_000,
    )
    assert paid.payment_reference == "A1B2C3"
    assert [p.method for p in _payments(order.id)] == ["sp2d_ls", "kkpd"]
    assert "Kartu Kredit Pemerintah Daerah (KKPD)" in html and "Nilai bruto" in html
    assert "Pajak dipotong" in html and "Dibayar neto" in html
    kwt = db.session.scalar(
        select(func.count()).where(Document.order_id == order.id, Document.kind == "KWT")
    )
    assert kwt == 2  # one Kuitansi per payment
    assert "Catat pembayaran" not in html


def test_refusals_name_the_problem_and_record_nothing(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, _, officer = _handed_over()
    auth.login(officer.email)
    cases = [
        (
            _form(
                "15.000.000",
                "225.000",
                "14.775.000",
                method="kkpd",
                reference="4111-1111-1111-1111",
            ),
            "Nomor kartu tidak boleh disimpan",
        ),
        (_form("15.000.000", "225.000", "14.775.000", reference_date=""), "Isi tanggal SP2D"),
        (_form("15.000.000", "225.000", "15.000.000"), "Dibayar neto seharusnya Rp 14.775.000"),
        (
            _form("15.000.001", "225.000", "14.775.001"),
            "melebihi sisa yang belum dibayar Rp 15.000.000",
        ),
        (
            _form("10.000.001", "0", "10.000.001", method="cash_up", reference="BKU-1"),
            "tunai dari UP paling banyak Rp 10.000.000",
        ),
        (_form("15.000.000", "225.000", "14.775.000", method=""), "Pilih cara pembayaran"),
    ]
    for data, message in cases:
        response = client.post(_url(order, "bayar"), data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and message in html, message
    assert _payments(order.id) == []
    # A field error opens the form with the summary of what to fix.
    html = client.post(_url(order, "bayar"), data=_form("", "225.000", "")).get_data(as_text=True)
    assert "Periksa isian berikut" in html and "Isi Nilai bruto" in html


def test_a_double_click_records_one_payment(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, _, officer = _handed_over()
    auth.login(officer.email)
    page = client.get(_url(order)).get_data(as_text=True)
    match = re.search(r'name="payment_key" type="hidden" value="([^"]+)"', page)
    assert match is not None
    data = _form("6.000.000", "90.000", "5.910.000", payment_key=match.group(1))
    assert client.post(_url(order, "bayar"), data=data).status_code == 302
    again = client.post(_url(order, "bayar"), data=data, follow_redirects=True)
    assert "sudah tercatat" in again.get_data(as_text=True)
    assert len(_payments(order.id)) == 1


def test_a_reversal_after_a_confirmation_then_a_new_payment(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, owner, officer = _handed_over()
    auth.login(officer.email)
    client.post(_url(order, "bayar"), data=_form("15.000.000", "225.000", "14.775.000"))
    assert _order(order.id).status == "paid"
    (payment,) = _payments(order.id)
    url = _url(order, f"pembayaran/{payment.id}/koreksi")
    assert url in client.get(_url(order)).get_data(as_text=True)
    confirm = client.get(url).get_data(as_text=True)
    assert "Koreksi (batalkan pembayaran)" in confirm and "Rp 14.775.000" in confirm
    refused = client.post(url, data={"reason": "salah"}).get_data(as_text=True)
    assert "minimal 10" in refused and len(_payments(order.id)) == 1
    done = client.post(
        url, data={"reason": "SP2D dicatat pada pesanan yang salah"}, follow_redirects=True
    )
    html = done.get_data(as_text=True)
    assert "dibatalkan dengan koreksi" in html and "Koreksi (pembatalan)" in html
    reopened = _order(order.id)
    assert reopened.status == "received" and reopened.paid_on is None
    assert reopened.payment_gross is None and reopened.payment_amount is None
    kwt = db.session.scalar(
        select(Document).where(Document.order_id == order.id, Document.kind == "KWT")
    )
    assert kwt is not None and kwt.status == "cancelled"
    assert "SP2D dicatat pada pesanan yang salah" in (kwt.cancel_reason or "")
    # Reversed once: the page only says so; a new payment pays the order again.
    again = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert "sudah dikoreksi" in again
    client.post(_url(order, "bayar"), data=_form("15.000.000", "225.000", "14.775.000"))
    assert _order(order.id).status == "paid"
    # The UMKM reads the payments, reversal included, and cannot correct any.
    auth.logout()
    auth.login(owner.email)
    umkm_page = client.get(_url(order)).get_data(as_text=True)
    assert (
        "Koreksi (pembatalan)" in umkm_page and "SP2D dicatat pada pesanan yang salah" in umkm_page
    )
    assert "/koreksi" not in umkm_page
    assert client.get(url).status_code == 403


def test_the_inspector_reads_the_payments_without_actions(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, _, officer = _handed_over()
    auth.login(officer.email)
    client.post(_url(order, "bayar"), data=_form("6.000.000", "90.000", "5.910.000"))
    auth.logout()
    inspector = factories.user("inspector")
    db.session.commit()
    auth.login(inspector.email)
    html = client.get(_url(order)).get_data(as_text=True)
    assert "Transfer SP2D-LS" in html and "0123/SP2D-LS/1.02.01/2026" in html
    assert "Dibayar sebagian" in html and "Rp 9.000.000" in html
    assert "/koreksi" not in html and "Catat pembayaran" not in html
    # The order lists say so too.
    listing = client.get("/pengadaan/pesanan").get_data(as_text=True)
    assert "Dibayar sebagian" in listing
