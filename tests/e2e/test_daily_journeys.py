"""Each role's daily journey at phone (390 × 844) and laptop (1366 × 768) width.

On the demo's Kota Sukamaju: the officer decides a ranking, a UMKM answers and delivers an
order and files its omzet, the admin verifies an applicant, the inspector goes from the
portal to the red flags and downloads a document. After that, the pages used most: the UMKM
marks an order delivered with its note and a photo and asks for a statement, the officer
inspects (BAP with its team), hands over (BAST on a past day) and records the payment
(Kuitansi) while the home to-do list counts each step, the admin reads the notifications
outbox and sends a reset link. At each step the page may not scroll sideways and the step's
primary action must lie inside the viewport once scrolled to; a refused submit must open the
page at its error summary, focused.
Screenshots of every step go to pytest's tmp_path and, when PROCURE_SCREENSHOTS=<dir> is
set, to that directory too (to look at them).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from procure.clock import today_in_jakarta
from procure.formatting import number, tanggal
from procure.notify.rules import mask_email
from procure.payments.rules import METHODS, TRANSFER
from procure.sample_data.demo import ADMIN_EMAIL, INSPECTOR_EMAIL
from tests import factories
from tests.conftest import BACKENDS
from tests.e2e.demo_site import (
    CHROMIUM_CONTEXT,
    OFFICER,
    VIEWPORTS,
    DemoSite,
    accepted_order,
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

    def refused(self, name: str) -> Locator:
        """A refused submit: the page opens at its error summary, focused and in view."""
        page = self.page
        summary = page.locator(".form-error-summary")
        expect(summary).to_have_count(1)
        expect(summary).to_be_visible()
        expect(summary).to_be_focused()
        # The page scrolls to it by itself (smoothly: wait until it is in view, at most 5 s).
        in_view = (
            "el => { const r = el.getBoundingClientRect();"
            " return r.top >= 0 && r.top < window.innerHeight; }"
        )
        try:
            page.wait_for_function(in_view, arg=summary.element_handle(), timeout=5_000)
        except PlaywrightTimeout:
            pytest.fail(
                f"{name}: the page does not open at its error summary: {summary.bounding_box()}"
            )
        self.check(name, summary)
        return summary

    def todo(self, *steps: str) -> dict[str, int]:
        """The count of each of ``steps`` on the officer's home to-do list (0: not listed)."""
        self.go("/opd/")
        counts = {}
        for step in steps:
            item = self.page.locator(f"[data-todo='{step}']")
            text = item.locator(".todo-count").inner_text() if item.count() else "0"
            counts[step] = int(text.replace(".", ""))
        return counts

    def orders_of_step(self, step: str) -> set[int]:
        """Open the to-do item ``step`` from the officer's home: the orders it lists, every
        page of them."""
        self.go("/opd/")
        self.page.locator(f"[data-todo='{step}'] a").click()
        expect(self.page.get_by_role("status").filter(has_text="Langkah:")).to_be_visible()
        listed: set[int] = set()
        while True:
            table = self.page.locator("main table").first
            for text in table.locator("td[data-label='SP'] a").all_inner_texts():
                listed.add(int(text.strip().removeprefix("SP #")))
            following = self.page.locator("a[aria-label='Berikutnya']")
            if not following.count() or following.get_attribute("href") == "#":
                return listed
            following.click()

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
    jump = page.get_by_role("link", name=re.compile("^Ke keputusan"))
    journey.check("usulan", jump)
    jump.click()  # past the whole ranking to the decision, without scrolling by hand
    accept = page.locator("summary", has_text="Terima usulan").first
    page.wait_for_function(
        "el => { const r = el.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }",
        arg=accept.element_handle(),
        timeout=5_000,
    )
    journey.check("peringkat", accept)
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
    # The demo's documents are rendered when first opened ("Sedang dibuat…" until then), those
    # issued through a page at once ("Buka"): either link must serve the PDF.
    open_pdf = page.get_by_role("link", name=re.compile("^(Buka|Sedang dibuat)")).first
    journey.check("dokumen", open_pdf)
    href = open_pdf.get_attribute("href")
    assert href is not None
    pdf = page.request.get(f"{journey.site.base}{href}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf", pdf.headers
    assert pdf.body().startswith(b"%PDF")


def _in_days(days: int) -> str:
    return (today_in_jakarta() + dt.timedelta(days=days)).isoformat()


def test_umkm_delivers_with_a_note_and_a_photo_and_asks_for_a_statement(
    journey: Journey,
) -> None:
    title = f"Kemeja batik lomba desa {journey.width}"
    order_id, owner = accepted_order(journey.site.app, title)
    page = journey.page
    journey.login(owner)
    journey.go(f"/pengadaan/pesanan/{order_id}")
    summary = page.locator("summary", has_text="Tandai sudah dikirim").first
    journey.check("pesanan-diterima", summary)
    summary.click()
    page.get_by_label(re.compile("surat jalan", re.IGNORECASE)).fill("SJ-044/2026, diantar Pak Tri")
    photo = page.get_by_label(re.compile("Foto barang terkirim"))
    photo.set_input_files(
        {"name": "kiriman.png", "mimeType": "image/png", "buffer": b"bukan gambar"}
    )
    send = page.get_by_role("button", name="Ya, tandai sudah dikirim")
    journey.check("kirim-isian", send)
    send.click()
    journey.refused("kirim-foto-ditolak")
    expect(page.get_by_label(re.compile("surat jalan", re.IGNORECASE))).to_have_value(
        "SJ-044/2026, diantar Pak Tri"
    )
    photo = page.get_by_label(re.compile("Foto barang terkirim"))
    photo.set_input_files(
        {"name": "kiriman.png", "mimeType": "image/png", "buffer": factories.png(320, 240)}
    )
    page.get_by_role("button", name="Ya, tandai sudah dikirim").click()
    expect(page.get_by_text(re.compile("Dikirim, menunggu pemeriksaan")).first).to_be_visible()
    expect(page.get_by_text("SJ-044/2026, diantar Pak Tri", exact=True)).to_be_visible()
    image = page.get_by_role(
        "img", name=re.compile(f"Foto barang yang dikirim untuk SP #{order_id}")
    )
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    journey.check("terkirim-dengan-foto", image)

    journey.go("/umkm/surat-keterangan/")
    ask = page.get_by_role("button", name="Minta surat keterangan")
    journey.check("surat-keterangan", ask)
    page.get_by_label("Periode dari tanggal").fill(_in_days(-90))
    page.get_by_label("Sampai tanggal").fill(_in_days(10))  # past today: refused
    ask.click()
    journey.refused("surat-keterangan-ditolak")
    journey.check(
        "surat-keterangan-isian", page.get_by_role("button", name="Minta surat keterangan")
    )


def test_officer_inspects_hands_over_and_records_the_payment(journey: Journey) -> None:
    title = f"Kemeja batik paskibraka {journey.width}"
    order_id, _ = accepted_order(journey.site.app, title, delivered_days_ago=6)
    page = journey.page
    steps = ("periksa", "serah-terima", "bayar")
    journey.login(OFFICER)
    before = journey.todo(*steps)
    journey.check("beranda-tugas", page.locator("[data-todo='periksa'] a"))
    listed = journey.orders_of_step("periksa")
    assert order_id in listed and len(listed) == before["periksa"], (listed, before)
    link = page.get_by_role("link", name=f"SP #{order_id}", exact=True)
    journey.check("langkah-periksa", link)
    link.click()

    # The inspection (BAP) with its team; a NIP too short is refused first.
    save = page.get_by_role("button", name="Simpan pemeriksaan")
    journey.check("pemeriksaan", save)
    page.get_by_label("Jumlah diterima").fill("10")
    page.get_by_label("Kondisi barang").select_option("baik")
    page.get_by_label("Catatan pemeriksaan").fill("Jahitan rapi, ukuran sesuai daftar.")
    page.get_by_label("Nama anggota 1", exact=True).fill("Drs. Bambang Wicaksono")
    page.get_by_label("NIP anggota 1", exact=True).fill("19750817")
    page.get_by_label("Nama anggota 2", exact=True).fill("Siti Rahmawati, S.E.")
    page.get_by_label("NIP anggota 2", exact=True).fill("198203142009022003")
    save.click()
    journey.refused("pemeriksaan-ditolak")
    page.get_by_label("NIP anggota 1", exact=True).fill("197508172000031002")
    page.get_by_role("button", name="Simpan pemeriksaan").click()
    expect(page.get_by_text(f"Hasil pemeriksaan SP #{order_id} dicatat.")).to_be_visible()
    team = page.locator("#pelaksanaan").locator("xpath=..")
    expect(team.get_by_text("Siti Rahmawati, S.E.")).to_be_visible()
    expect(team.get_by_text("Drs. Bambang Wicaksono")).to_be_visible()
    middle = journey.todo(*steps)
    assert middle == {
        **before,
        "periksa": before["periksa"] - 1,
        "serah-terima": before["serah-terima"] + 1,
    }
    assert order_id in journey.orders_of_step("serah-terima")
    journey.go(f"/pengadaan/pesanan/{order_id}")

    # The handover (BAST): a day in the future is refused, then a past day after the delivery.
    summary = page.locator("summary", has_text="Catat serah terima").first
    journey.check("serah-terima", summary)
    summary.click()
    page.get_by_label("Tanggal serah terima").fill(_in_days(3))
    page.get_by_role("button", name="Ya, catat serah terima").click()
    journey.refused("serah-terima-ditolak")
    page.get_by_label("Tanggal serah terima").fill(_in_days(-3))
    confirm = page.get_by_role("button", name="Ya, catat serah terima")
    journey.check("serah-terima-isian", confirm)
    confirm.click()
    expect(page.get_by_text(f"Serah terima SP #{order_id} dicatat.")).to_be_visible()
    handed = today_in_jakarta() - dt.timedelta(days=3)
    expect(page.locator("#pelaksanaan").locator("xpath=..")).to_contain_text(tanggal(handed))
    after_handover = journey.todo(*steps)
    assert after_handover == {
        **middle,
        "serah-terima": before["serah-terima"],
        "bayar": before["bayar"] + 1,
    }
    assert order_id in journey.orders_of_step("bayar")
    journey.go(f"/pengadaan/pesanan/{order_id}")

    # The payment: a net that is not gross minus the taxes is refused, then the right one.
    summary = page.locator("summary", has_text="Catat pembayaran").first
    journey.check("pembayaran", summary)
    summary.click()
    page.get_by_role("radio", name=METHODS[TRANSFER].label, exact=True).check()
    page.get_by_label("Referensi pembayaran").fill("TRF-BJTG/2026/000417")
    gross = int(page.get_by_label("Nilai bruto (Rp)").input_value().replace(".", ""))
    taxes = sum(
        int(value.replace(".", "") or 0)
        for value in (
            page.get_by_label(f"Jumlah pajak ke-{i} (Rp)").input_value() for i in range(1, 4)
        )
    )
    page.get_by_label(re.compile("^Dibayar neto")).fill(number(gross))
    page.get_by_role("button", name="Ya, catat pembayaran").click()
    refusal = journey.refused("pembayaran-ditolak")
    if taxes:
        expect(refusal).to_contain_text(f"Rp {number(gross - taxes)}")
    # What was typed comes back as typed, with its thousands separated.
    expect(page.get_by_label("Nilai bruto (Rp)")).to_have_value(number(gross))
    expect(page.get_by_label(re.compile("^Dibayar neto"))).to_have_value(number(gross))
    page.get_by_label(re.compile("^Dibayar neto")).fill(number(gross - taxes))
    record = page.get_by_role("button", name="Ya, catat pembayaran")
    journey.check("pembayaran-isian", record)
    record.click()
    expect(page.get_by_text(f"Pembayaran SP #{order_id} dicatat. Pesanan lunas.")).to_be_visible()
    payments = page.locator("#pembayaran")
    expect(payments).to_contain_text("TRF-BJTG/2026/000417")
    expect(payments).to_contain_text(f"Rp {number(gross - taxes)}")
    receipt = page.locator("section[aria-labelledby='dokumen']").get_by_text("Kuitansi").first
    journey.check("kuitansi", receipt)
    assert journey.todo(*steps) == {**before, "periksa": before["periksa"] - 1}


def test_admin_reads_the_outbox_and_sends_a_reset_link(journey: Journey) -> None:
    page = journey.page
    journey.login(ADMIN_EMAIL)
    journey.go("/admin/notifikasi/")
    journey.check("notifikasi", page.get_by_role("button", name="Tampilkan"))
    journey.go("/admin/akun?role=opd")
    row = (
        page.locator("main table tbody tr")
        .filter(has=page.locator("summary", has_text="Kirim tautan sandi"))
        .first
    )
    email = row.locator("td[data-label='E-mail']").inner_text().strip()
    summary = row.locator("summary", has_text="Kirim tautan sandi")
    journey.check("akun", summary)
    summary.click()
    send = row.get_by_role("button", name="Ya, kirim tautan sandi")
    journey.check("kirim-tautan", send)
    send.click()
    expect(page.get_by_text(f"Tautan atur ulang kata sandi dikirim ke {email}")).to_be_visible()
    journey.check("tautan-terkirim", page.get_by_role("heading", level=1).first)
    journey.go("/admin/notifikasi/")
    newest = page.locator("main table tbody tr").first  # the outbox shows its newest first
    expect(newest.locator("td[data-label='Jenis']")).to_contain_text("Atur ulang kata sandi")
    expect(newest.locator("td[data-label='Penerima']")).to_have_text(  # masked
        mask_email(email)
    )
    journey.check("notifikasi-tautan", newest.locator("td[data-label='Penerima']"))
