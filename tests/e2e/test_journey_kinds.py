"""Browser journey: 200 long-sleeved batik shirts on the demo data, from request to the SP.

An officer of Dinas Pendidikan asks for the product kind "Kemeja Batik Lengan Panjang" (the
request form's kind picker), runs the allocation: every proposed and every ranked product is a
long-sleeved batik shirt (the demo holds other batik kinds too: short sleeves, blouses, school
uniforms, cloth). The officer accepts, the Surat Pesanan are issued, and each SP's PDF names
the long-sleeved shirt ordered and the kind asked for, and no product of another kind.
Screenshots: /tmp/shots/kinds_*.png (SQLite run only; PROCURE_SHOTS names another folder).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from procure.catalog.models import Category, ProductKind
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.sample_data.demo import DEMO_PASSWORD, load_demo, officer_email
from procure.umkm.models import Product, Umkm, UmkmStatus
from tests.e2e.test_journey_catalog import login
from tests.e2e.test_journey_order import confirm

pytestmark = pytest.mark.e2e

KIND = "Kemeja Batik Lengan Panjang"
# /tmp/shots unless PROCURE_SHOTS names another folder.
SHOTS = Path(os.environ.get("PROCURE_SHOTS") or Path(tempfile.gettempdir()) / "shots")
MIN_MAKERS = 6  # the demo holds at least this many makers of the kind
# The HPS per shirt: 200 of them stay within the local catalog's cap (Rp 50.000.000); the
# demo's cap-printed shirts cost Rp 155.000-235.000, hand-drawn (tulis) ones more.
HPS = 240_000


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"kinds_{name}.png"), full_page=True)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text in reading order (a table cell's wrapped lines stay together), with
    whitespace collapsed."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def first_page_png(pdf: bytes, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    stem = SHOTS / f"kinds_{name}"
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", "1", "-l", "1", "-", str(stem)],
        input=pdf,
        check=True,
    )


def demo_batik() -> tuple[set[str], set[str], str]:
    """The demo's active products of the kind (names), those of the other batik kinds, and
    the unit of the kind's products; at least ``MIN_MAKERS`` verified makers sell it within
    the HPS."""
    batik = db.session.scalars(select(Category).where(Category.slug == "batik")).one()
    rows = db.session.execute(
        select(Product.name, Product.unit, Product.unit_price, ProductKind.name, Umkm.id)
        .join(ProductKind, Product.kind_id == ProductKind.id)
        .join(Umkm, Product.umkm_id == Umkm.id)
        .where(
            Product.category_id == batik.id,
            Product.is_active.is_(True),
            Umkm.status == UmkmStatus.VERIFIED.value,
        )
    ).all()
    wanted = [r for r in rows if r[3] == KIND]
    makers = {r[4] for r in wanted if r[2] <= HPS}
    assert len(makers) >= MIN_MAKERS, (
        f"blocked: the demo holds {len(makers)} verified makers of {KIND!r} within the HPS "
        f"(at least {MIN_MAKERS} expected)"
    )
    others = {r[0] for r in rows if r[3] != KIND}
    assert others, "the demo holds batik products of other kinds too"
    units = [r[1] for r in wanted]
    return {r[0] for r in wanted}, others, max(set(units), key=units.count)


def product_cells(table: Locator, header: str) -> list[str]:
    """The text of the column headed ``header`` in every body row of ``table``."""
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    column = headers.index(header)
    return [
        row.locator("td").nth(column).inner_text().strip()
        for row in table.locator("tbody tr").all()
        if row.locator("td").count() > column
    ]


def test_a_request_for_long_sleeved_batik_shirts_gets_only_long_sleeved_shirts(
    page: Page, live_server: str, backend: str
) -> None:
    assert load_demo(db.session)
    db.session.commit()
    kind_products, other_products, unit = demo_batik()
    shots = backend == "sqlite"

    login(page, live_server, officer_email("DISDIK"), DEMO_PASSWORD)
    page.goto(f"{live_server}/pengadaan/permintaan/baru")
    page.get_by_label("Nama paket").fill("Kemeja batik lengan panjang guru SD Negeri")
    kind_picker = page.locator("select[name=kind_id]")
    kind_picker.select_option(label=KIND)
    page.get_by_label("Spesifikasi barang").fill(
        "Kemeja batik lengan panjang, katun primisima, ukuran S–XXL sesuai daftar terlampir"
    )
    page.get_by_label("Jumlah", exact=True).fill("200")
    page.get_by_label("Satuan", exact=True).select_option(unit)
    page.get_by_label("HPS per satuan (Rp)").fill(f"{HPS:,}".replace(",", "."))
    page.get_by_label("Tanggal kebutuhan").fill(
        (today_in_jakarta() + dt.timedelta(days=45)).isoformat()
    )
    page.get_by_label("Alamat pengiriman").fill("Jl. Merdeka No. 12, Kota Sukamaju")
    page.get_by_label("Kode rekening / kegiatan").fill("5.1.02.01.01.0026")
    if shots:
        shot(page, "1_request_form")
    page.get_by_role("button", name=re.compile("Simpan")).click()
    expect(page.get_by_role("button", name="Jalankan alokasi")).to_be_visible()
    page.get_by_role("button", name="Jalankan alokasi").click()

    rule = page.locator("#aturan-peringkat")
    expect(rule).to_contain_text(f"jenis barang yang diminta: {KIND}")
    proposal = page.locator("table").filter(has_text="Jumlah nilai usulan").first
    ranking = page.locator("table").filter(has_text="Produk yang ditawarkan").first
    expect(proposal).to_be_visible()
    if shots:
        shot(page, "2_ranking")
    proposed = product_cells(proposal, "Produk")
    ranked = product_cells(ranking, "Produk yang ditawarkan")
    assert proposed and len(ranked) >= len(proposed)
    for name in proposed + ranked:  # every row: a long-sleeved batik shirt, nothing else
        assert name in kind_products, f"{name!r} is not a {KIND}"
        assert name not in other_products
    # Excluded offers, when there are any, are of the kind asked for too (never other kinds).
    excluded = page.locator("table").filter(has_text="Alasan").last
    if excluded.count() and excluded.locator("thead th", has_text="Produk").count():
        for name in product_cells(excluded, "Produk"):
            assert name in kind_products, f"excluded {name!r} is not a {KIND}"

    confirm(page, "Terima usulan")
    expect(page.get_by_role("heading", name="Keputusan")).to_be_visible()
    orders = page.locator("section", has=page.locator("#pesanan")).locator("tbody tr")
    expect(orders).to_have_count(len(proposed))
    if shots:
        shot(page, "3_decided")

    order_links = [
        orders.nth(i).get_by_role("link", name=re.compile(r"Pesanan #\d+")).get_attribute("href")
        for i in range(orders.count())
    ]
    named = []
    for i, href in enumerate(order_links):
        page.goto(f"{live_server}{href}")
        documents = page.locator("section", has=page.locator("#dokumen"))
        sp_row = documents.locator("tbody tr", has_text="Surat Pesanan").first
        expect(sp_row.get_by_role("link", name="Buka")).to_be_visible()
        if shots and i == 0:
            shot(page, "4_order")
        pdf_href = sp_row.get_by_role("link", name="Buka").get_attribute("href")
        response = page.request.get(f"{live_server}{pdf_href}")
        assert response.headers["content-type"] == "application/pdf"
        pdf = response.body()
        text = pdf_text(pdf)
        assert f"Jenis barang yang diminta: {KIND}" in text
        ordered = [name for name in kind_products if name in text]
        assert ordered, f"SP {i + 1} names no {KIND} product"
        assert not [name for name in other_products if name in text]
        named += ordered
        if shots and i == 0:
            first_page_png(pdf, "5_sp_page1")
    assert set(proposed) <= set(named)
