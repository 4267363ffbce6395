"""Browser journey: 200 batik shirts from request to payment.

The officer requests, sees the ranking with its reasons, accepts; each UMKM accepts and
delivers; the officer inspects, records the handover and the payment.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.omzet.rules import Period
from procure.payments.rules import KKPD, METHODS, SP2D_LS
from tests import factories
from tests.e2e.conftest import screenshot
from tests.e2e.test_journey_catalog import login

pytestmark = pytest.mark.e2e


def confirm(page: Page, label: str) -> None:
    """Open a confirmation step (<details>) and press its "Ya, …" button."""
    page.locator("summary", has_text=label).first.click()
    page.get_by_role("button", name=f"Ya, {label.lower()}").first.click()


def test_request_allocate_accept_deliver_inspect_pay(
    page: Page, live_server: str, backend: str
) -> None:
    officer = factories.user("opd", full_name="Hadi Nugroho")
    owners = []
    for name, omzet in [("Batik Sekar", 4_000_000), ("Batik Parang", 9_000_000)]:
        maker = factories.umkm(business_name=name, categories=["batik"])
        factories.product(maker, unit_price=175_000, monthly_capacity=120, lead_time_days=7)
        for months_ago in (1, 2, 3):
            period = Period.of(today_in_jakarta()).shift(-months_ago)
            factories.omzet_report(maker, str(period), omzet)
        owners.append(factories.user("umkm", umkm=maker))
    factories.product(
        factories.umkm(business_name="Batik Mahal"), unit_price=450_000, monthly_capacity=500
    )
    db.session.commit()
    shots = backend == "sqlite"
    needed_by = today_in_jakarta() + dt.timedelta(days=30)

    login(page, live_server, officer.email)
    page.goto(f"{live_server}/pengadaan/permintaan/baru")
    page.get_by_label("Nama paket").fill("Kemeja batik seragam Jumat pegawai")
    page.get_by_label("Jenis barang", exact=True).select_option(label="Kemeja Batik Lengan Panjang")
    page.get_by_label("Spesifikasi barang").fill("Kemeja batik cap lengan panjang, ukuran S-XXL")
    page.get_by_label("Jumlah", exact=True).fill("200")
    page.get_by_label("Satuan", exact=True).select_option("potong")
    page.get_by_label("HPS per satuan (Rp)").fill("200.000")
    page.get_by_label("Tanggal kebutuhan").fill(needed_by.isoformat())
    page.get_by_label("Alamat pengiriman").fill("Jl. Pemuda No. 5, Sukamaju")
    page.get_by_label("Kode rekening / kegiatan").fill("5.1.02.01.01.0024")
    page.get_by_role("button", name=re.compile("Simpan")).click()
    page.get_by_role("button", name="Jalankan alokasi").click()
    expect(page.get_by_text("harga di atas HPS").first).to_be_visible()
    # The less-served maker (lower omzet) is ranked first, and the page says why: on a phone
    # the first clause of the reason, the rest (its omzet) under "Rincian".
    ranking = page.locator("table").filter(has_text="Penjelasan").first
    first_row = ranking.locator("tbody tr").first
    expect(first_row).to_contain_text("Batik Sekar")
    expect(
        first_row.locator(".only-phone").get_by_text(re.compile("Belum mendapat pesanan"))
    ).to_be_visible()
    first_row.get_by_text("Rincian").click()
    reason = re.compile(r"rata-rata omzet .*Rp 4\.000\.000", re.IGNORECASE)
    expect(first_row.locator("details").get_by_text(reason).first).to_be_visible()
    if shots:
        screenshot(page, "20-allocation-ranking")
    confirm(page, "Terima usulan")
    expect(
        page.get_by_text(re.compile("Surat Pesanan diterbitkan|diterbitkan")).first
    ).to_be_visible()
    if shots:
        screenshot(page, "21-orders-issued")

    # Each UMKM answers and delivers.
    for owner in owners:
        page.context.clear_cookies()
        login(page, live_server, owner.email)
        expect(page.locator("[data-todo=jawab]")).to_be_visible()  # the home's to-do
        page.goto(f"{live_server}/pengadaan/pesanan-masuk")
        page.get_by_role("link", name=re.compile("Kemeja batik seragam")).first.click()
        confirm(page, "Terima pesanan")
        page.locator("summary", has_text="Tandai sudah dikirim").first.click()
        page.get_by_label(re.compile("surat jalan", re.IGNORECASE)).fill("SJ-0042/2026")
        page.get_by_role("button", name="Ya, tandai sudah dikirim").click()
        expect(page.get_by_text(re.compile("Dikirim, menunggu pemeriksaan")).first).to_be_visible()
    if shots:
        screenshot(page, "22-umkm-order-delivered")

    # The officer inspects, hands over and pays the first order.
    page.context.clear_cookies()
    login(page, live_server, officer.email)
    page.goto(f"{live_server}/pengadaan/pesanan")
    if shots:
        screenshot(page, "24-officer-orders")
    page.get_by_role("link", name=re.compile(r"SP #\d+")).first.click()
    ordered = re.search(r"Dipesan ([\d.]+)", page.locator("#received_quantity-help").inner_text())
    assert ordered is not None
    page.get_by_label("Jumlah diterima").fill(ordered.group(1).replace(".", ""))
    page.get_by_label("Kondisi barang").select_option("baik")
    # The Tim Pemeriksa: prefilled with the officer's name; the NIP is typed here.
    expect(page.get_by_label("Nama anggota 1")).to_have_value("Hadi Nugroho")
    page.get_by_label("NIP anggota 1").fill("198503122010011003")
    page.get_by_role("button", name="Simpan pemeriksaan").click()
    confirm(page, "Catat serah terima")
    page.locator("summary", has_text="Catat pembayaran").first.click()
    # Prefilled: the gross still owed, its PPh and the net; the officer says how it was paid.
    sp2d_date = page.get_by_label("Tanggal SP2D (hanya untuk SP2D-LS)")
    method = page.get_by_role("group", name="Cara pembayaran")
    method.get_by_role("radio", name=METHODS[KKPD].label, exact=True).check()
    expect(sp2d_date).to_be_hidden()  # only SP2D-LS has a date (payment.js)
    method.get_by_role("radio", name=METHODS[SP2D_LS].label, exact=True).check()
    expect(sp2d_date).to_be_visible()
    page.get_by_label("Referensi pembayaran").fill("0001/SP2D-LS/2026")
    sp2d_date.fill(today_in_jakarta().isoformat())
    page.get_by_label("Tanggal bayar").fill(today_in_jakarta().isoformat())
    page.get_by_role("button", name="Ya, catat pembayaran").click()
    expect(page.get_by_text("Lunas").first).to_be_visible()
    if shots:
        screenshot(page, "23-order-paid")
