"""Browser journey: a citizen, not logged in, finds /transparansi from the footer and reads it.

On the demo data with a year of orders placed over many of its UMKM: the page shows the
Pemda's figures (the service's own numbers), the Lorenz curve, the trend and the bar charts as
SVG, the 40 % progress per OPD; another period is chosen; the CSV downloads. At phone width
(390 px) nothing runs off the side. Screenshots: /tmp/shots/transparency_*.png (SQLite run
only; PROCURE_SHOTS names another folder).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from procure.auth.models import User
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.formatting import rupiah
from procure.omzet.rules import Period
from procure.opd.models import Opd, OpdBudget
from procure.sample_data.demo import load_demo, officer_email
from procure.spread import tables
from procure.spread.periods import ReportPeriod
from procure.spread.services import build_report
from procure.umkm.models import Product, Umkm, UmkmStatus
from tests import factories

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("PROCURE_SHOTS") or Path(tempfile.gettempdir()) / "shots")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"transparency_{name}.png"), full_page=True)


def a_year_of_orders(today: dt.date) -> None:
    """One real allocation by a demo officer, then live orders spread unevenly over the year's
    months and the demo's verified UMKM (some get many, most none), and two OPD budgets."""
    officer = db.session.scalars(select(User).where(User.email == officer_email("DISDIK"))).one()
    request, run, _ = factories.decided_orders(officer, quantity=20)
    rng = random.Random(13)
    products = db.session.scalars(
        select(Product)
        .join(Umkm, Umkm.id == Product.umkm_id)
        .where(Umkm.status == UmkmStatus.VERIFIED.value, Product.is_active.is_(True))
        .order_by(Product.id)
    ).all()
    favourites = products[:: max(len(products) // 12, 1)][:12]
    for month in range(1, today.month + 1):
        for _ in range(3 + month % 4):
            product = favourites[min(int(rng.expovariate(0.5)), len(favourites) - 1)]
            day = dt.date(
                today.year,
                month,
                min(3 + rng.randrange(20), today.day if month == today.month else 28),
            )
            issued = dt.datetime(day.year, day.month, day.day, 3, tzinfo=dt.UTC)
            factories.live_order(
                product, request=request, run=run, issued_at=issued, quantity=rng.randrange(5, 40)
            )
    budgeted = set(db.session.scalars(select(OpdBudget.opd_id).where(OpdBudget.year == today.year)))
    others = db.session.scalars(select(Opd.id).where(Opd.id != officer.opd_id).order_by(Opd.id))
    for opd_id, amount in ((officer.opd_id, 900_000_000), (others.first(), 2_500_000_000)):
        if opd_id not in budgeted:  # the demo may set some budgets itself
            db.session.add(OpdBudget(opd_id=opd_id, year=today.year, amount=amount))
    db.session.commit()


def test_a_citizen_reads_the_spread_of_spending_without_logging_in(
    page: Page, live_server: str, backend: str
) -> None:
    assert load_demo(db.session)
    today = today_in_jakarta()
    a_year_of_orders(today)
    report = build_report(db.session, ReportPeriod.year(today.year), today=today)
    db.session.rollback()
    assert report.pemda.spend > 0 and len(report.by_kecamatan) > 1
    shots = backend == "sqlite"

    page.goto(live_server + "/")
    page.get_by_role("link", name="Transparansi belanja").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Transparansi pemerataan belanja ke UMKM"
    )
    cards = page.locator(".spread-figures .card")
    expect(cards.filter(has=page.get_by_text("Belanja", exact=True))).to_contain_text(
        rupiah(report.pemda.spend)
    )
    expect(cards.filter(has=page.get_by_text("Indeks Gini", exact=True))).to_contain_text(
        tables.shown(tables.index(report.pemda.gini))
    )
    expect(page.locator("#data-per")).to_contain_text("CC BY 4.0")
    for chart in (
        "grafik-lorenz",
        "grafik-tren",
        "grafik-kecamatan",
        "grafik-kategori",
        "grafik-skala",
    ):
        expect(page.locator(f"svg#{chart}")).to_be_visible()
    expect(page.locator(".spread-targets svg").first).to_be_visible()
    # No link to the inspector's portal: the orders behind a figure are not the public's.
    assert page.locator("a[href*='/pemeriksaan']").count() == 0
    # At phone width nothing runs off the side: no sideways scrolling.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    if shots:
        shot(page, "phone")

    month = Period.of(today)
    page.get_by_label("Periode", exact=True).select_option(str(month))
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#data-per")).to_contain_text(month.label)

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh semua tabel (CSV)").click()
    body = Path(download.value.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    assert "CC BY 4.0" in body.decode("utf-8-sig")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server}/transparansi/")
    expect(page.locator("svg#grafik-lorenz")).to_be_visible()
    if shots:
        shot(page, "desktop")
