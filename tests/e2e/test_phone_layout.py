"""Browser test: the lists on a 390 × 844 phone and at 1366 × 768, and a refused override.

On the demo data (64 UMKM, a request of Dinas Pendidikan allocated and waiting for the
officer), each converted list is opened at both widths: the page never scrolls sideways, and
the row's primary action ("Periksa", "Ubah", "Nonaktifkan", "Kirim WA", the request's link) lies
inside the window, at least 44 px tall on the phone, where every row is a card. The ranking
shows on a phone the rank, UMKM, product, quantity and reason, the figures behind "Rincian";
at 1366 px its explanations are whole (nothing cut off, no sideways scroll in their box).
A refused override reopens the page at the override form, its error summary focused and in
view. Screenshots: test-artifacts/screenshots/phone_*.png (SQLite run).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from procure.auth.models import User
from procure.extensions import db
from procure.procurement.services import run_allocation
from procure.sample_data.demo import ADMIN_EMAIL, DEMO_PASSWORD, load_demo, officer_email
from procure.umkm.models import UmkmStatus
from tests import factories
from tests.e2e.conftest import SCREENSHOTS, screenshot
from tests.e2e.test_journey_catalog import login

pytestmark = pytest.mark.e2e

VIEWPORTS = {390: 844, 1366: 768}
LONG_NAME = "Koperasi Produsen Batik Tulis Sekar Jagad Kelurahan Karanganyar Sejahtera"
LONG_PRODUCT = "Kemeja Batik Tulis Pewarna Alam Lengan Panjang Motif Parang Barong"


def _world(app: Any) -> dict[str, Any]:
    """The demo, a pending UMKM with a long name, a maker with long product names, and a
    request of Dinas Pendidikan allocated (its ranking long) and waiting for the decision."""
    assert load_demo(db.session)
    factories.umkm(status=UmkmStatus.PENDING, business_name=LONG_NAME)
    maker = factories.umkm(business_name="Batik Tulis Siti Aminah", categories=["batik"])
    for n in range(3):
        factories.product(maker, name=f"{LONG_PRODUCT} {n + 1}", unit_price=185_000)
    owner = factories.user("umkm", umkm=maker)
    officer = db.session.scalars(select(User).where(User.email == officer_email("DISDIK"))).one()
    request = factories.purchase_request(officer, 60, title="Kemeja batik seragam Jumat guru")
    run_allocation(db.session, request, actor_id=officer.id, config=app.config)
    db.session.commit()
    return {"owner": owner.email, "officer": officer.email, "request_id": request.id}


def _fits(page: Page, what: str) -> None:
    width = page.evaluate("innerWidth")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{what}: the page scrolls sideways ({scroll} px in {width} px)"


def _action_in_view(page: Page, selector: str, what: str) -> None:
    """The first row's primary action: inside the window's width, a real touch target on a
    phone, in a row that is a card there (its cells stacked)."""
    action = page.locator(selector).first
    action.scroll_into_view_if_needed()
    box = action.bounding_box()
    assert box is not None, f"{what}: {selector} is not shown"
    width = page.evaluate("innerWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (what, box, width)
    if width < 640:
        assert box["height"] >= 44, (what, box)
        row = page.locator("table.stack tbody tr").first
        shown = row.evaluate("tr => getComputedStyle(tr).display")
        assert shown == "block", f"{what}: the rows are not cards on a phone"


def _context(browser: Browser, width: int) -> Page:
    context = browser.new_context(
        viewport={"width": width, "height": VIEWPORTS[width]}, locale="id-ID"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


LISTS = [  # (who, path, selector of the first row's primary action, screenshot name)
    ("admin", "/admin/verifikasi", "td.actions a:has-text('Periksa')", "queue"),
    ("admin", "/admin/umkm", "td.actions a", "umkm_list"),
    ("admin", "/admin/akun", "td.actions summary:has-text('Nonaktifkan')", "users"),
    ("admin", "/admin/opd", "td.actions a", "opd_list"),
    ("admin", "/admin/kategori", "td.actions a:has-text('Ubah')", "categories"),
    ("admin", "/admin/jenis-barang/", "td.actions a:has-text('Ubah')", "kinds"),
    ("admin", "/omzet/kepatuhan", "td.actions a:has-text('Kirim WA')", "compliance"),
    ("admin", "/pemerataan/pagu", "td.actions button:has-text('Simpan')", "budgets"),
    ("owner", "/umkm/produk", "td.actions a:has-text('Ubah')", "products"),
    ("owner", "/umkm/produk", "td.actions button:has-text('Nonaktifkan')", "products"),
    ("officer", "/pengadaan/permintaan", "td.actions a", "requests"),
]


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_each_list_keeps_its_action_on_screen(
    browser: Browser, live_server: str, backend: str, app: Any, width: int
) -> None:
    world = _world(app)
    logins = {
        "admin": (ADMIN_EMAIL, DEMO_PASSWORD),
        "owner": (world["owner"], factories.PASSWORD),
        "officer": (world["officer"], DEMO_PASSWORD),
    }
    pages: dict[str, Page] = {}
    for who, path, selector, name in LISTS:
        if who not in pages:
            pages[who] = _context(browser, width)
            login(pages[who], live_server, *logins[who])
        page = pages[who]
        page.goto(f"{live_server}{path}")
        what = f"{path} at {width} px"
        _fits(page, what)
        _action_in_view(page, selector, what)
        if backend == "sqlite":
            screenshot(page, f"phone_{name}_{width}")

    # The product names wrap between words, never inside one.
    products = pages["owner"]
    products.goto(f"{live_server}/umkm/produk")
    name = products.locator("td[data-label='Produk'] .fw-semibold", has_text=LONG_PRODUCT).first
    lines = name.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " return Array.from(r.getClientRects()).length; }"
    )
    words = name.evaluate(
        "el => { const r = document.createRange(); const t = el.firstChild; const out = [];"
        " let at = 0; for (const w of t.textContent.split(' ')) { r.setStart(t, at);"
        " r.setEnd(t, at + w.length); out.push(r.getClientRects().length); at += w.length + 1; }"
        " return out; }"
    )
    assert all(n == 1 for n in words), f"a word of the product name is broken: {words}"
    assert lines >= 1

    # The ranking: a card per UMKM on the phone, the explanations whole at 1366 px.
    officer = pages["officer"]
    officer.goto(f"{live_server}/pengadaan/permintaan/{world['request_id']}")
    _fits(officer, f"the ranking at {width} px")
    if backend == "sqlite":
        screenshot(officer, f"phone_ranking_{width}")
    ranking = officer.locator("table#peringkat")
    first = ranking.locator("tbody tr").first
    if width < 640:
        for label in ("Peringkat", "UMKM", "Produk yang ditawarkan", "Diusulkan", "Alasan"):
            assert first.locator(f"td[data-label='{label}']").is_visible(), label
        assert first.locator(".only-phone").first.is_visible()  # the one-sentence reason
        assert not first.locator(".only-wide").first.is_visible()  # the figures: on demand
        first.locator("summary", has_text="Rincian").click()
        assert first.locator("details dl").is_visible()
    else:
        box = ranking.evaluate(
            "t => { const w = t.parentElement; return [w.scrollWidth, w.clientWidth]; }"
        )
        assert box[0] <= box[1], f"the ranking scrolls sideways inside its box: {box}"
        for right in ranking.locator("td.explanation").evaluate_all(
            "tds => tds.map(td => td.getBoundingClientRect().right)"
        ):
            assert right <= width, right
        assert first.locator("td.explanation .only-wide").is_visible()
    for page in pages.values():
        page.context.close()


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_a_refused_override_focuses_its_error_where_the_user_is(
    browser: Browser, live_server: str, backend: str, app: Any, width: int
) -> None:
    world = _world(app)
    page = _context(browser, width)
    login(page, live_server, world["officer"], DEMO_PASSWORD)
    page.goto(f"{live_server}/pengadaan/permintaan/{world['request_id']}")
    page.locator("summary", has_text="Pilih sendiri").click()
    form = page.locator("form#pilih-sendiri")
    quantities = form.locator("input[name^='jumlah_']")
    for n in range(quantities.count()):  # a choice other than the proposal, without a reason
        quantities.nth(n).fill("")
    quantities.nth(1).fill("10")
    with page.expect_navigation(wait_until="load"):
        form.get_by_role("button", name="Ya, terbitkan Surat Pesanan pilihan sendiri").click()
    assert page.url.endswith("/putuskan#pilih-sendiri-gagal"), page.url

    summary = page.locator("form#pilih-sendiri .form-error-summary")
    # The browser scrolls to the fragment just after the load event: wait for it (briefly).
    page.wait_for_function(
        "() => { const r = document.activeElement.getBoundingClientRect();"
        " return r.top >= 0 && r.top < innerHeight; }",
        timeout=3000,
    )
    assert "Alasan perubahan wajib diisi" in summary.inner_text()
    focused = page.evaluate("document.activeElement.classList.contains('form-error-summary')")
    assert focused, "the error summary does not have the focus"
    box = summary.bounding_box()
    assert box is not None
    height = page.evaluate("innerHeight")
    assert box["y"] >= 0 and box["y"] + min(box["height"], height) <= height, (box, height)
    assert page.evaluate("scrollY") > 500, "the page reopened at the top"
    _fits(page, f"the refused override at {width} px")
    if backend == "sqlite":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"phone_override_{width}.png"))  # what is in view
    page.context.close()
