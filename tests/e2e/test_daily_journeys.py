"""Each role's daily journey at phone (390 × 844) and laptop (1366 × 768) width.

On the demo's Kota Sukamaju: the officer decides a ranking, a UMKM answers and delivers an
order and files its omzet, the admin verifies an applicant, the inspector goes from the
portal to the red flags and downloads a document. At each step the page may not scroll
sideways and the step's primary action must lie inside the viewport once scrolled to.
Screenshots of every step go to pytest's tmp_path and, when PROCURE_SCREENSHOTS=<dir> is
set, to that directory too (to look at them).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from procure.sample_data.demo import ADMIN_EMAIL, INSPECTOR_EMAIL
from tests.conftest import BACKENDS
from tests.e2e.demo_site import (
    CHROMIUM_CONTEXT,
    OFFICER,
    VIEWPORTS,
    DemoSite,
    demo_site,
    open_request,
    order_to_answer,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", params=BACKENDS)
def site(request: pytest.FixtureRequest) -> Iterator[DemoSite]:
    with demo_site(request, request.param) as site:
        yield site


class Journey:
    """A logged-in browser at one width that checks and photographs each step."""

    def __init__(self, browser: Browser, site: DemoSite, width: str, tmp_path: Path) -> None:
        self.site = site
        self.width = width
        self.viewport = VIEWPORTS[width]
        self.context = browser.new_context(viewport=self.viewport, **CHROMIUM_CONTEXT)
        self.page: Page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.dirs = [tmp_path]
        if os.environ.get("PROCURE_SCREENSHOTS"):
            self.dirs.append(Path(os.environ["PROCURE_SCREENSHOTS"]))
        self.step = 0

    def login(self, email: str) -> None:
        self.page.goto(f"{self.site.base}/masuk")
        self.page.get_by_label("E-mail").fill(email)
        self.page.get_by_label("Kata sandi").fill(self.site.password)
        self.page.get_by_role("button", name="Masuk").click()
        self.page.wait_for_url(lambda url: "/masuk" not in url)

    def go(self, path: str) -> None:
        response = self.page.goto(f"{self.site.base}{path}")
        assert response is not None and response.status == 200, (path, response)

    def check(self, name: str, primary: Locator) -> None:
        """No sideways scrolling; ``primary`` fully inside the viewport once scrolled to."""
        self.step += 1
        page = self.page
        expect(primary).to_be_visible()
        primary.scroll_into_view_if_needed()
        box = primary.bounding_box()
        assert box is not None, name
        wide = page.evaluate("document.documentElement.scrollWidth")
        shot = f"{self.site.backend}-{self.width}-{self.step:02d}-{name}.png"
        for directory in self.dirs:
            directory.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(directory / shot), full_page=True)
        assert wide <= self.viewport["width"], f"{name}: the page is {wide}px wide ({shot})"
        assert box["x"] >= 0 and box["x"] + box["width"] <= self.viewport["width"] + 0.5, (
            f"{name}: the primary action is outside the viewport sideways: {box} ({shot})"
        )
        assert box["y"] >= 0 and box["y"] + box["height"] <= self.viewport["height"] + 0.5, (
            f"{name}: the primary action is not within the viewport: {box} ({shot})"
        )

    def confirm(self, label: str) -> None:
        """Open a confirmation step (<details>) and press its "Ya, …" button."""
        self.page.locator("summary", has_text=label).first.click()
        self.page.get_by_role("button", name=f"Ya, {label.lower()}").first.click()


@pytest.fixture(params=list(VIEWPORTS))
def journey(
    request: pytest.FixtureRequest, browser: Browser, site: DemoSite, tmp_path: Path
) -> Iterator[Journey]:
    journey = Journey(browser, site, str(request.param), tmp_path)
    yield journey
    for directory in journey.dirs:  # where the journey ended, passed or not
        end = f"{site.backend}-{journey.width}-99-{request.node.originalname}.png"
        journey.page.screenshot(path=str(directory / end), full_page=True)
    journey.context.close()


def test_officer_decides_a_ranking(journey: Journey) -> None:
    title = f"Kemeja batik seragam guru {journey.width}"
    open_request(journey.site.app, title, allocate=False)
    page = journey.page
    journey.login(OFFICER)
    journey.go("/opd/")
    journey.check("beranda-opd", page.get_by_role("heading", level=1).first)
    journey.go("/pengadaan/permintaan")
    link = page.get_by_role("link", name=title).first
    journey.check("daftar-permintaan", link)
    link.click()
    allocate = page.get_by_role("button", name="Jalankan alokasi")
    journey.check("permintaan", allocate)
    allocate.click()
    journey.check("peringkat", page.locator("summary", has_text="Terima usulan").first)
    journey.confirm("Terima usulan")
    order = page.locator("main a[href*='/pengadaan/pesanan/']").first
    journey.check("pesanan-terbit", order)
    order.click()
    journey.check("pesanan", page.get_by_role("heading", level=1).first)


def test_umkm_answers_delivers_and_files_omzet(journey: Journey) -> None:
    title = f"Kemeja batik panitia pameran {journey.width}"
    _, owner = order_to_answer(journey.site.app, title)
    page = journey.page
    journey.login(owner)
    journey.go("/umkm/")
    journey.check("beranda-umkm", page.get_by_role("heading", level=1).first)
    journey.go("/pengadaan/pesanan-masuk")
    link = page.get_by_role("link", name=re.compile(re.escape(title))).first
    journey.check("pesanan-masuk", link)
    link.click()
    journey.check("jawab-pesanan", page.locator("summary", has_text="Terima pesanan").first)
    journey.confirm("Terima pesanan")
    journey.check("kirim", page.locator("summary", has_text="Tandai sudah dikirim").first)
    page.locator("summary", has_text="Tandai sudah dikirim").first.click()
    note = page.get_by_label(re.compile("surat jalan", re.IGNORECASE))
    if note.count():  # the delivery note, where the order page asks for it
        note.fill("SJ-017, diantar Pak Tri")
    page.get_by_role("button", name="Ya, tandai sudah dikirim").click()
    expect(page.get_by_text(re.compile("Dikirim, menunggu pemeriksaan")).first).to_be_visible()
    journey.go("/omzet/")
    report = page.get_by_role("button", name="Laporkan")
    if report.count():
        journey.check("omzet", report)
        page.get_by_label("Omzet (Rp)").fill("7.250.000")
        report.click()
        expect(page.get_by_text(re.compile(r"Rp 7\.250\.000")).first).to_be_visible()
    journey.check("omzet-terlapor", page.get_by_role("heading", level=1).first)


def test_admin_verifies_from_the_queue(journey: Journey) -> None:
    page = journey.page
    journey.login(ADMIN_EMAIL)
    journey.go("/admin/")
    journey.check("beranda-admin", page.get_by_role("heading", level=1).first)
    journey.go("/admin/verifikasi")
    review = page.get_by_role("link", name=re.compile("^Periksa")).first
    journey.check("antrean-verifikasi", review)
    review.click()
    for label in ("Produksi sendiri sudah dipastikan", "Alamat usaha sudah dipastikan"):
        page.get_by_label(label).check()
    verify = page.get_by_role("button", name="Verifikasi UMKM")
    journey.check("periksa-umkm", verify)
    verify.click()
    expect(page.get_by_text(re.compile("sudah diverifikasi")).first).to_be_visible()


def test_inspector_from_portal_to_red_flags_and_a_document(journey: Journey) -> None:
    page = journey.page
    journey.login(INSPECTOR_EMAIL)
    journey.go("/pemeriksaan/")
    journey.check("portal", page.get_by_role("heading", level=1).first)
    journey.go("/pemeriksaan/tanda-bahaya")
    journey.check("tanda-bahaya", page.get_by_role("heading", name="Tanda bahaya"))
    journey.go("/dokumen/")
    open_pdf = page.get_by_role("link", name=re.compile("^Buka")).first
    journey.check("dokumen", open_pdf)
    href = open_pdf.get_attribute("href")
    assert href is not None
    pdf = page.request.get(f"{journey.site.base}{href}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf", pdf.headers
    assert pdf.body().startswith(b"%PDF")
