"""Browser journey: a UMKM files last month's omzet, corrects it, and sees the history."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.omzet.rules import Period
from tests import factories
from tests.e2e.conftest import screenshot
from tests.e2e.test_journey_catalog import login

pytestmark = pytest.mark.e2e


def test_file_correct_and_read_history(page: Page, live_server: str, backend: str) -> None:
    registered = dt.datetime.now(dt.UTC) - dt.timedelta(days=200)
    business = factories.umkm(business_name="Katering Bu Harti", submitted_at=registered)
    owner = factories.user("umkm", umkm=business)
    admin = factories.user("admin")
    db.session.commit()
    last_month = Period.of(today_in_jakarta()).shift(-1)
    shots = backend == "sqlite"

    login(page, live_server, owner.email)
    page.get_by_role("link", name="Laporkan omzet").click()
    expect(page.get_by_label("Bulan", exact=True)).to_have_value(str(last_month))
    page.get_by_label("Omzet (Rp)").fill("12.500.000")
    page.get_by_role("button", name="Laporkan").click()
    expect(page.get_by_text(re.compile(r"Rp 12\.500\.000")).first).to_be_visible()
    if shots:
        screenshot(page, "10-omzet-filed")

    page.get_by_role("link", name=f"Koreksi omzet {last_month.label}").click()
    page.get_by_label("Omzet (Rp)").fill("13.750.000")
    page.get_by_label("Alasan koreksi").fill("Ada nota katering rapat yang belum tercatat")
    page.get_by_role("button", name="Simpan koreksi").click()
    expect(page.get_by_text("koreksi ke-1").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"Rp 13\.750\.000")).first).to_be_visible()
    if shots:
        screenshot(page, "11-omzet-corrected")

    # The admin reads every revision, with who, when and why.
    page.context.clear_cookies()
    login(page, live_server, admin.email)
    page.goto(f"{live_server}/omzet/umkm/{business.id}")
    expect(page.get_by_text("Ada nota katering rapat yang belum tercatat")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Rp 12\.500\.000")).first).to_be_visible()
    if shots:
        screenshot(page, "12-omzet-history-admin")
