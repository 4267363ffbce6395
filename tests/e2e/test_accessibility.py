"""Accessibility: axe-core on every main page of every role, at phone and laptop width, and
the keyboard path to each primary action.

The pages hold the demo's Kota Sukamaju (this year's requests, orders and documents) plus a
request whose ranking waits for the officer's decision and an order waiting for its UMKM's
answer. No page may have a serious or critical violation; the assertion names each one with
its page and element.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from procure.auth.models import User
from procure.extensions import db
from procure.payments.models import Payment
from procure.procurement.models import PurchaseOrder, PurchaseRequest
from procure.sample_data.demo import ADMIN_EMAIL, INSPECTOR_EMAIL
from procure.umkm.models import Product, Umkm, UmkmStatus
from tests.e2e.axe import violations
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


@dataclass
class Sweep:
    site: DemoSite
    logins: dict[str, str]  # role -> e-mail ("anon": none)
    pages: dict[str, list[str]]  # role -> paths
    ranking: str  # the request page with a ranking to decide


# The markup is the same on both databases and a sweep takes minutes: SQLite only. The daily
# journeys (test_daily_journeys.py) drive the same pages on both.
@pytest.fixture(scope="module", params=["sqlite"])
def sweep(request: pytest.FixtureRequest) -> Iterator[Sweep]:
    with demo_site(request, request.param) as site:
        waiting = open_request(site.app, "Kemeja batik seragam guru", allocate=True)
        order_id, maker_email = order_to_answer(site.app, "Kemeja batik panitia pameran")
        with site.app.app_context():
            officer = db.session.scalar(select(User).where(User.email == OFFICER))
            assert officer is not None
            ordered = db.session.scalar(
                select(PurchaseRequest.id)
                .where(PurchaseRequest.opd_id == officer.opd_id)
                .where(PurchaseRequest.status == "ordered")
                .order_by(PurchaseRequest.id)
            )
            pending = db.session.scalar(
                select(Umkm.id).where(Umkm.status == UmkmStatus.PENDING.value).order_by(Umkm.id)
            )
            maker = db.session.scalar(select(User).where(User.email == maker_email))
            assert maker is not None and maker.umkm_id is not None
            product = db.session.scalar(
                select(Product.id).where(Product.umkm_id == maker.umkm_id).order_by(Product.id)
            )
            order = db.session.get(PurchaseOrder, order_id)
            assert order is not None and ordered is not None and pending and product
            # The officer's payment pages: an order's payments with the form or the list, and
            # the confirmation page of a reversal.
            of_officer = (
                select(PurchaseOrder.id)
                .join(PurchaseRequest, PurchaseRequest.id == PurchaseOrder.request_id)
                .where(PurchaseRequest.opd_id == officer.opd_id)
            )
            payment = db.session.execute(
                select(Payment.order_id, Payment.id)
                .where(Payment.order_id.in_(of_officer.scalar_subquery()))
                .order_by(Payment.id)
                .limit(1)
            ).first()
            to_pay = db.session.scalar(
                of_officer.where(PurchaseOrder.status == "received").order_by(PurchaseOrder.id)
            )
            assert payment is not None
            payment_pages = [
                f"/pengadaan/pesanan/{payment.order_id}",
                f"/pengadaan/pesanan/{payment.order_id}/pembayaran/{payment.id}/koreksi",
                *([f"/pengadaan/pesanan/{to_pay}"] if to_pay else []),
            ]
            db.session.remove()
        ranking = f"/pengadaan/permintaan/{waiting}"
        logins = {
            "anon": "anon",
            "admin": ADMIN_EMAIL,
            "opd": OFFICER,
            "umkm": maker_email,
            "inspector": INSPECTOR_EMAIL,
        }
        pages = {
            "anon": ["/", "/masuk", "/umkm/daftar", "/transparansi/", "/verifikasi/"],
            "admin": [
                "/admin/",
                "/admin/verifikasi",
                f"/admin/umkm/{pending}",
                "/admin/umkm",
                "/admin/akun",
                "/omzet/kepatuhan",
                "/admin/jenis-barang/",
                "/admin/jenis-barang/pilah",
                "/pemerataan/",
                "/pemerataan/tanpa-pesanan",
                "/pemerataan/pagu",
                "/pemerataan/simulasi/",
            ],
            "opd": [
                "/opd/",
                "/katalog/",
                f"/katalog/produk/{product}",
                "/pengadaan/permintaan",
                "/pengadaan/permintaan/baru",
                ranking,
                f"/pengadaan/permintaan/{ordered}",
                "/pengadaan/pesanan",
                f"/pengadaan/pesanan/{order_id}",
                *payment_pages,
                "/dokumen/",
            ],
            "umkm": [
                "/umkm/",
                "/umkm/produk",
                "/umkm/produk/baru",
                f"/umkm/produk/{product}/ubah",
                "/omzet/",
                "/pengadaan/pesanan-masuk",
                f"/pengadaan/pesanan/{order_id}",
                "/dokumen/",
            ],
            "inspector": [
                "/admin/",
                "/pemerataan/",
                "/pemeriksaan/",
                "/pemeriksaan/pesanan",
                "/pemeriksaan/tanda-bahaya",
                "/dokumen/",
            ],
        }
        yield Sweep(site=site, logins=logins, pages=pages, ranking=ranking)


def _page(browser: Browser, site: DemoSite, who: str, width: str) -> Page:
    context = browser.new_context(viewport=VIEWPORTS[width], **CHROMIUM_CONTEXT)
    page = context.new_page()
    page.set_default_timeout(15_000)
    if who != "anon":
        page.goto(f"{site.base}/masuk")
        page.get_by_label("E-mail").fill(who)
        page.get_by_label("Kata sandi").fill(site.password)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(lambda url: "/masuk" not in url)
    return page


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("role", ["anon", "admin", "opd", "umkm", "inspector"])
def test_no_serious_or_critical_violation(
    browser: Browser, sweep: Sweep, role: str, width: str
) -> None:
    who = sweep.logins[role]
    page = _page(browser, sweep.site, who, width)
    found: list[str] = []
    try:
        for path in sweep.pages[role]:
            response = page.goto(f"{sweep.site.base}{path}")
            assert response is not None
            if response.status != 200:
                found.append(f"{path}: HTTP {response.status}")
                continue
            if page.url.split("?")[0].endswith("/masuk") and who != "anon":
                found.append(f"{path}: sent to the login page")
                continue
            assert page.evaluate("document.documentElement.lang") == "id", path
            found += violations(page, f"{role} {width}px {path}")
    finally:
        page.context.close()
    assert not found, f"{len(found)} serious or critical problems:\n" + "\n".join(found)


def _tab_to(page: Page, name: str, limit: int = 80) -> int:
    """Press Tab until the focused element's accessible text contains ``name``; presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e ? (e.getAttribute('aria-label') || e.innerText || e.value || '') : ''; }"
        )
        if name in " ".join(str(text).split()):
            return presses
    raise AssertionError(f"{name!r} not reached with {limit} presses of Tab")


def _focus_is_visible(page: Page) -> None:
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.boxShadow]; }"
    )
    style, width, shadow = outline
    assert (style != "none" and width >= 2) or shadow not in ("", "none"), outline


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_skip_link_then_primary_actions_by_keyboard(
    browser: Browser, sweep: Sweep, width: str
) -> None:
    anon = _page(browser, sweep.site, "anon", width)
    try:
        anon.goto(f"{sweep.site.base}/masuk")
        anon.keyboard.press("Tab")
        expect(anon.get_by_role("link", name="Langsung ke isi")).to_be_focused()
        _focus_is_visible(anon)
        anon.keyboard.press("Enter")
        assert anon.url.endswith("#isi")
        # From the main content the form is filled and sent without a mouse.
        anon.keyboard.press("Tab")  # the first field of the main content
        expect(anon.get_by_label("E-mail")).to_be_focused()
        anon.keyboard.type(OFFICER)
        anon.keyboard.press("Tab")
        anon.keyboard.type(sweep.site.password)
        _tab_to(anon, "Masuk")
        _focus_is_visible(anon)
        anon.keyboard.press("Enter")
        anon.wait_for_url(lambda url: "/masuk" not in url)

        # The officer's decision on a ranking: "Terima usulan" is reached by Tab and opened
        # with Enter; its "Ya, terima usulan" button is the next stops away.
        anon.goto(f"{sweep.site.base}{sweep.ranking}")
        _tab_to(anon, "Terima usulan", limit=150)
        _focus_is_visible(anon)
        anon.keyboard.press("Enter")
        _tab_to(anon, "Ya, terima usulan", limit=10)
        _focus_is_visible(anon)
    finally:
        anon.context.close()

    admin = _page(browser, sweep.site, ADMIN_EMAIL, width)
    try:
        admin.goto(f"{sweep.site.base}/admin/verifikasi")
        _tab_to(admin, "Periksa", limit=60)
        _focus_is_visible(admin)
    finally:
        admin.context.close()
