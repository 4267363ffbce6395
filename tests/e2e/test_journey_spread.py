"""Browser journey: the pemerataan dashboard on the demo data, at phone and desktop width.

Orders are placed through the app's own services first (two OPDs buy batik shirts, decided as
proposed), so the charts have something to draw. The admin and an officer of Dinas Pendidikan
open ``/pemerataan/`` at 390 px and 1366 px: nothing overflows sideways, every chart fits its
column, the numbers' tables open, the figures link to the portal (admin only).
Screenshots: /tmp/shots/spread_*.png (SQLite run only; PROCURE_SHOTS names another folder).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from flask import current_app
from playwright.sync_api import Page, expect
from sqlalchemy import select

from procure.auth.models import User
from procure.clock import today_in_jakarta
from procure.db import utcnow
from procure.extensions import db
from procure.opd.models import OpdBudget
from procure.sample_data.demo import ADMIN_EMAIL, DEMO_PASSWORD, load_demo, officer_email
from tests import factories
from tests.e2e.test_journey_catalog import login

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("PROCURE_SHOTS") or Path(tempfile.gettempdir()) / "shots")
WIDTHS = (390, 1366)


def _orders() -> None:
    """Dinas Pendidikan and Dinas Kesehatan each buy long-sleeved batik shirts (the demo has
    several makers), allocated and decided as proposed: live orders of today."""
    for code, quantity in (("DISDIK", 120), ("DINKES", 60)):
        officer = db.session.scalars(select(User).where(User.email == officer_email(code))).one()
        request = factories.purchase_request(
            officer, quantity, hps_unit_price=240_000, title="Kemeja batik lengan panjang"
        )
        factories.allocated(officer, request)
    # Dinas Pendidikan's budget, so at least one OPD has its 40 % bar (unless the demo has it).
    admin = db.session.scalars(select(User).where(User.email == ADMIN_EMAIL)).one()
    disdik = db.session.scalars(select(User).where(User.email == officer_email("DISDIK"))).one()
    year = today_in_jakarta().year
    known = select(OpdBudget.id).where(OpdBudget.opd_id == disdik.opd_id, OpdBudget.year == year)
    if db.session.scalar(known) is None:
        db.session.add(
            OpdBudget(opd_id=disdik.opd_id, year=year, amount=150_000_000, set_by_id=admin.id,
                      set_at=utcnow())
        )  # fmt: skip
    db.session.commit()


def _fits(page: Page, width: int) -> None:
    """Nothing wider than the window: no sideways scrolling, every chart inside it."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways at {width} px ({scroll} px wide)"
    for box in page.locator("svg.spread-chart").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect()).map(r => [r.left, r.right, r.width])"
    ):
        left, right, drawn = box
        assert drawn > 0 and left >= 0 and right <= width + 0.5, (box, width)


def test_the_dashboard_at_phone_and_desktop_width(
    page: Page, live_server: str, backend: str
) -> None:
    assert load_demo(db.session)
    db.session.commit()
    _orders()
    shots = backend == "sqlite"
    if shots:
        SHOTS.mkdir(parents=True, exist_ok=True)
    assert current_app  # the live server's app is the test's

    for who, email in (("admin", ADMIN_EMAIL), ("opd", officer_email("DISDIK"))):
        page.context.clear_cookies()
        login(page, live_server, email, DEMO_PASSWORD)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server}/pemerataan/")
            expect(page.get_by_role("heading", name="Pemerataan belanja ke UMKM")).to_be_visible()
            expect(page.get_by_text("Indeks Gini", exact=True)).to_be_visible()
            # Lorenz, trend, the breakdowns (no per-OPD one for an officer), one 40 % bar.
            assert page.locator("svg.spread-chart").count() >= (8 if who == "admin" else 7)
            expect(page.locator("#grafik-lorenz")).to_be_visible()
            expect(page.locator("#grafik-tren")).to_be_visible()
            portal_links = page.locator("a[href^='/pemeriksaan/pesanan']").count()
            if who == "admin":
                assert portal_links > 10
            else:
                assert portal_links == 0  # the portal is not an officer's
                expect(page.get_by_text("Dinas Pendidikan dibanding seluruh Pemda")).to_be_visible()
            if shots:
                page.screenshot(path=str(SHOTS / f"spread_{who}_{width}.png"), full_page=True)
            _fits(page, width)
        # A numbers table opens under its chart (closed, it is one click away).
        summary = page.get_by_text("Tabel angka per bulan")
        summary.click()
        expect(page.locator("details[open] table").first).to_be_visible()
        if who == "admin":
            # A bar of the scale chart leads to the orders behind it, and the portal lists them.
            href = page.locator("#grafik-skala a").first.get_attribute("href")
            assert href is not None and "skala=" in href
            page.goto(f"{live_server}{href}")
            expect(page.get_by_role("heading", name="Semua pesanan")).to_be_visible()
            expect(page.get_by_text("Tidak ada pesanan yang cocok")).to_have_count(0)
