"""The inspector's list of flagged omzet months across verified UMKM."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient

from procure.extensions import db
from procure.omzet import reading, services
from procure.omzet.rules import Period
from tests import factories

TODAY = dt.date(2026, 11, 5)  # flags are shown for November 2025 to October 2026


@pytest.fixture(autouse=True)
def fixed_today(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    # After the app exists: a module imported while building it must not keep the stand-in.
    monkeypatch.setattr(services, "today_in_jakarta", lambda: TODAY)


def with_drop(umkm, last: str = "2026-10") -> None:  # type: ignore[no-untyped-def]
    """Three steady months then a fall of 90% in ``last``."""
    end = Period.parse(last)
    for i in (3, 2, 1):
        factories.omzet_report(umkm, str(end.shift(-i)), 10_000_000)
    factories.omzet_report(umkm, last, 1_000_000)


def test_flags_list_drops_of_verified_umkm_and_links_to_history(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    north = factories.umkm(business_name="Batik Sekar")
    south_kel = factories.kelurahan("Sukamaju Selatan", "Kauman")
    south = factories.umkm(
        business_name="Kopi Lereng", kecamatan_id=south_kel.kecamatan_id, kelurahan_id=south_kel.id
    )
    pending = factories.umkm(status="pending", business_name="Belum Diverifikasi")
    steady = factories.umkm(business_name="Stabil Jaya")
    with_drop(north)
    with_drop(south, "2026-05")
    with_drop(pending)
    for month in (7, 8, 9, 10):
        factories.omzet_report(steady, f"2026-{month:02d}", 10_000_000)
    old = factories.umkm(business_name="Turun Dulu Sekali")
    with_drop(old, "2025-06")  # outside the 12 months shown
    inspector = factories.user("inspector")
    db.session.commit()
    auth.login(inspector.email)

    html = client.get("/omzet/tanda").get_data(as_text=True)
    assert "Batik Sekar" in html and "Kopi Lereng" in html
    assert "Belum Diverifikasi" not in html and "Stabil Jaya" not in html
    assert "Turun Dulu Sekali" not in html
    assert f'href="/omzet/umkm/{north.id}"' in html
    assert "Omzet Oktober 2026 turun 90% dari rata-rata tiga bulan sebelumnya." in html
    assert html.index("Batik Sekar") < html.index("Kopi Lereng")  # newest month first

    html = client.get(f"/omzet/tanda?kecamatan={south_kel.kecamatan_id}").get_data(as_text=True)
    assert "Kopi Lereng" in html and "Batik Sekar" not in html
    html = client.get("/omzet/tanda?kind=below_platform_sales").get_data(as_text=True)
    assert "Batik Sekar" not in html and "Tidak ada tanda yang cocok" in html
    html = client.get("/omzet/tanda?kind=sharp_drop&kecamatan=abc").get_data(as_text=True)
    assert "Batik Sekar" in html and "Kopi Lereng" in html  # a bad filter value is ignored

    history = client.get(f"/omzet/umkm/{north.id}").get_data(as_text=True)
    assert "turun 90%" in history


def test_flags_are_paginated_by_50(
    client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    businesses = [factories.umkm(business_name=f"Usaha {i:02d}") for i in range(5)]
    for umkm in businesses:
        for month in range(1, 13):
            factories.omzet_report(
                umkm, f"2026-{month:02d}" if month < 11 else f"2025-{month}", 1_000
            )
    # Sales the platform saw above every reported month: 12 flags per UMKM, 60 in all.
    sales = {
        u.id: {p: 5_000 for p in reading.last_months(Period(2026, 11), 15)} for u in businesses
    }
    monkeypatch.setattr(reading, "platform_sales_by_umkm", lambda session, since: sales)
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    first = client.get("/omzet/tanda?kind=below_platform_sales").get_data(as_text=True)
    assert first.count("Di bawah penjualan lewat platform</td>") == 50
    assert "60 hasil" in first
    assert "kind=below_platform_sales" in first and "page=2" in first
    second = client.get("/omzet/tanda?kind=below_platform_sales&page=2").get_data(as_text=True)
    assert second.count("Di bawah penjualan lewat platform</td>") == 10
    beyond = client.get("/omzet/tanda?page=9")
    assert beyond.status_code == 200
