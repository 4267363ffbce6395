"""Browser journey: a UMKM registers, an admin verifies it, its product appears in a search."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from procure.extensions import db
from tests import factories
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def login(page: Page, base: str, email: str, password: str = factories.PASSWORD) -> None:
    page.goto(f"{base}/masuk")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def logout(page: Page) -> None:
    """Log out the way a phone user does: open the collapsed menu, then press Keluar."""
    page.get_by_role("button", name="Buka menu").click()
    menu = page.locator("#menu.show")
    expect(menu).to_be_visible()
    menu.get_by_role("button", name="Keluar").click()
    expect(page.get_by_text("Anda sudah keluar.")).to_be_visible()


def test_register_verify_and_find_in_catalog(page: Page, live_server: str, backend: str) -> None:
    factories.kelurahan("Sukamaju Barat", "Pandean")
    factories.category("batik")
    admin = factories.user("admin", email="admin@sukamaju.go.id")
    officer = factories.user("opd", email="pengadaan@sukamaju.go.id")
    db.session.commit()
    shots = backend == "sqlite"  # one set of screenshots is enough to look at

    # 1. The owner registers on the public page, from a phone-sized screen.
    page.goto(live_server)
    if shots:
        screenshot(page, "01-landing")
    page.get_by_role("link", name="Daftarkan usaha (UMKM)").click()
    page.get_by_label("E-mail").fill("batik.ayu@contoh.id")
    page.get_by_label("Kata sandi", exact=True).fill("BatikAyu2026")
    page.get_by_label("Ulangi kata sandi").fill("BatikAyu2026")
    page.get_by_label("Nama pemilik (sesuai KTP)").fill("Sri Rahayu")
    page.get_by_label("NIK pemilik (16 digit)").fill("3374 0152 0890 0003")
    page.get_by_label("Nama usaha").fill("Batik Ayu Pandean")
    page.get_by_label("NIB (13 digit)").fill("1234567890123")
    page.get_by_label("NPWP (15 atau 16 digit)").fill("01.234.567.8-901.000")
    page.get_by_label("Skala usaha").select_option("mikro")
    page.get_by_label("Saya memproduksi sendiri").check()
    page.get_by_label("Alamat usaha").fill("Jl. Pandean Gg. 3 No. 7")
    page.get_by_label("Kecamatan").select_option(label="Sukamaju Barat")
    page.get_by_label("Kelurahan").select_option(label="Pandean")
    page.get_by_label("Nomor HP/WhatsApp").fill("0812 3456 7890")
    page.get_by_label("Nama bank").fill("Bank Jateng")
    page.get_by_label("Nomor rekening").fill("2012345678")
    page.get_by_label("Nama pemilik rekening").fill("Sri Rahayu")
    page.get_by_label("Batik").check()
    if shots:
        screenshot(page, "02-registration-form")
    page.get_by_role("button", name="Kirim pendaftaran").click()
    expect(page.get_by_text(re.compile("menunggu verifikasi", re.I)).first).to_be_visible()
    if shots:
        screenshot(page, "03-umkm-home-pending")
    logout(page)

    # 2. The admin verifies it from the queue.
    login(page, live_server, admin.email)
    page.goto(f"{live_server}/admin/verifikasi")
    if shots:
        screenshot(page, "04-admin-queue")
    page.get_by_role("link", name="Periksa Batik Ayu Pandean").click()
    page.get_by_label("Produksi sendiri sudah dipastikan").check()
    page.get_by_label("Alamat usaha sudah dipastikan").check()
    if shots:
        screenshot(page, "05-admin-application")
    page.get_by_role("button", name="Verifikasi UMKM").click()
    expect(page.get_by_text("Batik Ayu Pandean sudah diverifikasi")).to_be_visible()
    logout(page)

    # 3. The owner adds a product.
    login(page, live_server, "batik.ayu@contoh.id", "BatikAyu2026")
    page.goto(f"{live_server}/umkm/produk")
    page.get_by_role("link", name="+ Tambah produk").click()
    page.get_by_label("Nama produk").fill("Kemeja Batik Tulis Motif Parang")
    page.get_by_label("Jenis barang", exact=True).select_option(label="Kemeja Batik Lengan Panjang")
    page.get_by_label("Satuan", exact=True).select_option("potong")
    page.get_by_label("Harga satuan (Rp)").fill("275.000")
    page.get_by_label("Kapasitas per bulan").fill("120")
    page.get_by_label("Waktu pengerjaan (hari)").fill("10")
    page.get_by_role("button", name="Simpan produk").click()
    expect(page.get_by_text("Kemeja Batik Tulis Motif Parang").first).to_be_visible()
    if shots:
        screenshot(page, "06-umkm-products")
    logout(page)

    # 4. An OPD officer finds it in the catalog.
    login(page, live_server, officer.email)
    page.goto(f"{live_server}/katalog/")
    page.get_by_role("searchbox").first.fill("parang ayu")
    page.get_by_role("searchbox").first.press("Enter")
    card = page.get_by_role("link", name=re.compile("Kemeja Batik Tulis Motif Parang"))
    expect(card.first).to_be_visible()
    expect(page.get_by_text("Rp 275.000").first).to_be_visible()
    if shots:
        screenshot(page, "07-catalog-search")
    card.first.click()
    expect(page.get_by_text("Batik Ayu Pandean").first).to_be_visible()
    if shots:
        screenshot(page, "08-product-page")
