"""Browser journey: the documents of a paid order, then the inspector.

An order goes from decision to payment (through the services; the order journey walks the
same steps in the browser). The officer sees each document on the order page; the inspector
filters the documents, downloads a PDF and the ZIP, opens the verification page of the QR
code and checks the downloaded copy there. The first page of every kind is rendered to PNG
(pdftoppm) beside the screenshots, for people to look at.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from procure.documents.jobs import dispatch
from procure.extensions import db
from tests import factories
from tests.e2e.conftest import SCREENSHOTS, screenshot
from tests.e2e.test_journey_catalog import login

pytestmark = pytest.mark.e2e


def _paid_order():  # type: ignore[no-untyped-def]
    officer = factories.user("opd", full_name="Hadi Nugroho", nip="198204172006041012")
    order, _, _ = factories.paid_order(40, officer=officer, unit_price=175_000)
    inspector = factories.user("inspector", full_name="Yusuf Permana")
    db.session.commit()
    dispatch()
    return order, officer, inspector


def _first_page_png(pdf: bytes, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = SCREENSHOTS / name
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-singlefile", "-f", "1", "-l", "1", "-", str(stem)],
        input=pdf,
        check=True,
    )
    return stem.with_suffix(".png")


def test_documents_of_an_order_and_the_inspectors_checks(
    page: Page, live_server: str, backend: str, tmp_path: Path
) -> None:
    order, officer, inspector = _paid_order()
    shots = backend == "sqlite"

    login(page, live_server, officer.email)
    page.goto(f"{live_server}/pengadaan/pesanan/{order.id}")
    documents = page.locator("section", has=page.locator("#dokumen"))
    for kind in (
        "Surat Pesanan",
        "Berita Acara Pemeriksaan",
        "Berita Acara Serah Terima",
        "Kuitansi",
    ):
        expect(documents.get_by_text(kind, exact=True)).to_be_visible()
    if shots:
        screenshot(page, "30-order-documents")

    page.context.clear_cookies()
    login(page, live_server, inspector.email)
    page.goto(f"{live_server}/pemeriksaan/")
    expect(page.get_by_role("heading", name="Portal Pemeriksaan")).to_be_visible()
    page.goto(f"{live_server}/pemeriksaan/pesanan?status=paid")
    expect(page.locator("text=Kemeja batik seragam Jumat >> visible=true").first).to_be_visible()
    if shots:
        screenshot(page, "34-inspector-orders")
    page.goto(f"{live_server}/pemeriksaan/tanda-bahaya")
    expect(page.get_by_role("heading", name="Tanda bahaya")).to_be_visible()
    if shots:
        screenshot(page, "35-inspector-red-flags")
    page.goto(f"{live_server}/dokumen/")
    page.get_by_label("Jenis dokumen").select_option(label="Surat Pesanan")
    page.get_by_role("button", name="Tampilkan").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    if shots:
        screenshot(page, "31-inspector-documents")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Unduh semua")).click()
    archive = zipfile.ZipFile(download.value.path())
    assert [n for n in archive.namelist() if n.endswith(".pdf")][0].startswith("SP/")

    pdf_url = rows.first.get_by_role("link", name="Buka").get_attribute("href")
    pdf = page.request.get(f"{live_server}{pdf_url}")
    assert pdf.headers["content-type"] == "application/pdf"
    saved = tmp_path / "sp.pdf"
    saved.write_bytes(pdf.body())

    rows.first.get_by_role("link", name="Verifikasi").click()
    # Exact and case-sensitive: "SAH" is also inside "Usaha", "Cocok." inside "Tidak cocok.".
    expect(page.get_by_role("status").get_by_text("SAH", exact=True)).to_be_visible()
    expect(page.get_by_text("DIBATALKAN", exact=True)).to_have_count(0)
    page.get_by_label("Berkas PDF yang ingin diperiksa").set_input_files(str(saved))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_role("status").get_by_text("Cocok.", exact=True)).to_be_visible()
    expect(page.get_by_text("Tidak cocok.", exact=True)).to_have_count(0)
    if shots:
        screenshot(page, "32-verification-match")
    altered = tmp_path / "sp-diubah.pdf"
    altered.write_bytes(saved.read_bytes() + b"\n%")
    page.get_by_label("Berkas PDF yang ingin diperiksa").set_input_files(str(altered))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_role("alert").get_by_text("Tidak cocok.", exact=True)).to_be_visible()
    expect(page.get_by_text("Cocok.", exact=True)).to_have_count(0)

    if shots:  # every kind's first page, as an auditor would print it
        page.goto(f"{live_server}/dokumen/")
        links = page.locator("table tbody tr")
        for i in range(links.count()):
            row = links.nth(i)
            kind = row.locator("td").nth(1).inner_text().strip().lower().replace(" ", "-")
            href = row.get_by_role("link", name="Buka").get_attribute("href")
            body = page.request.get(f"{live_server}{href}").body()
            assert _first_page_png(body, f"33-document-{kind}").exists()
