"""Browser journey: a UMKM asks for a Surat Keterangan, copies its access code, and a "bank"
opens the verification page with the number and the code and sees the figures; after an
order is cancelled the bank sees the change."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from procure.extensions import db
from procure.orders.services import cancel_order
from procure.statements.models import Statement
from tests.e2e.axe import violations
from tests.e2e.conftest import screenshot
from tests.e2e.test_journey_catalog import login
from tests.statement_samples import a_month, statement_world

pytestmark = pytest.mark.e2e

EMAIL = "batik.kredit@contoh.id"


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A phone's page that lets axe-core be injected inline (bypass_csp), as the
    accessibility sweep's pages do."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="id-ID", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_umkm_asks_for_a_statement_and_a_bank_verifies_it(
    page: Page, live_server: str, backend: str
) -> None:
    world = statement_world(email=EMAIL)
    db.session.commit()
    shots = backend == "sqlite"
    start, end = a_month()

    login(page, live_server, EMAIL)
    page.goto(f"{live_server}/umkm/surat-keterangan/")
    page.get_by_label("Periode dari tanggal").fill(start.isoformat())
    page.get_by_label("Sampai tanggal").fill(end.isoformat())
    page.get_by_label("Keperluan (tidak wajib)").fill("Kredit modal kerja Bank Jateng")
    page.get_by_role("button", name="Minta surat keterangan").click()
    code_box = page.locator("[data-access-code]")
    expect(code_box).to_be_visible()
    code = code_box.inner_text().strip()
    assert len(code) == 14
    found = violations(page, "umkm detail")
    if shots:
        screenshot(page, "60-statement-access-code")
    statement = db.session.scalar(select(Statement).where(Statement.umkm_id == world.umkm.id))
    assert statement is not None and statement.number is not None
    page.reload()
    expect(page.locator("[data-access-code]")).to_have_count(0)  # shown once

    page.context.clear_cookies()  # the bank: another browser, no account
    page.goto(f"{live_server}/verifikasi/surat-keterangan/{statement.number}")
    found += violations(page, "verify form")
    page.get_by_label("Kode akses").fill(code.lower().replace("-", " "))
    page.get_by_label("Nama bank / petugas (tidak wajib)").fill("Bank Jateng Cabang Sukamaju")
    page.get_by_role("button", name="Periksa").click()
    expect(page.locator("#tidak-berubah")).to_be_visible()
    expect(page.get_by_text("Batik Kredit Lancar")).to_be_visible()
    expect(page.locator("#sha256")).to_have_text(str(statement.document.file.sha256))
    found += violations(page, "verified")
    if shots:
        screenshot(page, "61-statement-verified")

    cancel_order(
        db.session,
        world.orders["accepted"],
        "Kegiatan ditunda tahun depan",
        actor_id=world.officer.id,
    )
    db.session.commit()
    page.goto(f"{live_server}/verifikasi/surat-keterangan/{statement.number}")
    page.get_by_label("Kode akses").fill(code)
    page.get_by_role("button", name="Periksa").click()
    expect(page.locator("#ada-perubahan")).to_contain_text("berakhir tanpa serah terima")
    found += violations(page, "verified, changed")
    if shots:
        screenshot(page, "62-statement-changed")

    page.context.clear_cookies()
    login(page, live_server, EMAIL)
    page.goto(f"{live_server}/umkm/surat-keterangan/{statement.id}")
    expect(page.get_by_text("Bank Jateng Cabang Sukamaju").first).to_be_visible()
    page.goto(f"{live_server}/umkm/surat-keterangan/")
    found += violations(page, "umkm list")
    assert not found, "\n".join(found)
