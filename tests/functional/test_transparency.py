"""The public page /transparansi and its CSV: aggregates only, nothing private, cached sensibly."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.omzet.rules import Period
from procure.opd.models import OpdBudget
from procure.spread import services, store, tables
from tests import factories
from tests.conftest import AuthActions

# A distinctive value in every private column of Umkm, User, Opd and OmzetReport (and the
# request's and product's own words): none may reach the public page or its CSV.
UMKM_PRIVATE = {
    "business_name": "Usaha Rahasia Zebra",
    "owner_name": "Pemilik Rahasia Xaverius",
    "nik": "3374099988877766",
    "nib": "9120001112223",
    "npwp": "019876543210999",
    "address": "Jl. Rahasia Kenanga 13",
    "phone": "6289911223344",
    "bank_name": "Bank Rahasia Zamrud",
    "bank_account_number": "5550001112223",
    "bank_account_name": "Rekening Rahasia Wulan",
    "description": "Deskripsi Rahasia Topaz",
    "status_reason": "Alasan Rahasia Safir",
}
OPD_PRIVATE = {
    "code": "KODERAHASIA9",
    "address": "Jl. Rahasia Wortel 77",
    "head_name": "Kepala Rahasia Quintus",
    "head_nip": "199912312020121999",
    "treasurer_name": "Bendahara Rahasia Yolanda",
    "treasurer_nip": "198811112011011888",
}
OFFICER_PRIVATE = {
    "email": "petugas.rahasia@dinas.example",
    "full_name": "Petugas Rahasia Ursula",
    "nip": "197707072000071777",
    "jabatan": "Jabatan Rahasia Violet",
    "phone": "6281199988877",
}
OWNER_PRIVATE = {
    "email": "pemilik.rahasia@usaha.example",
    "full_name": "Akun Rahasia Pemilik Tiberius",
    "phone": "6285544433322",
}
OMZET_AMOUNT = 43_217_659  # a month under the micro ceiling: the UMKM stays eligible
OMZET_PRIVATE = {
    "reason": "Alasan Omzet Rahasia Onyx",
    "source_file": "berkas-rahasia-omzet.xlsx",
}
OTHER_PRIVATE = {
    "product name": "Produk Rahasia Rubidium",
    "request title": "Permintaan Rahasia Nila",
}
OPD_NAME = "Dinas Terbuka Contoh"
BUDGET = 5_000_000_000


def forbidden() -> dict[str, str]:
    """Every private value and the ways a page or a file could write the omzet."""
    values = {f"umkm.{k}": v for k, v in UMKM_PRIVATE.items()}
    values |= {f"opd.{k}": v for k, v in OPD_PRIVATE.items()}
    values |= {f"officer.{k}": v for k, v in OFFICER_PRIVATE.items()}
    values |= {f"owner.{k}": v for k, v in OWNER_PRIVATE.items()}
    values |= {f"omzet.{k}": v for k, v in OMZET_PRIVATE.items()}
    values |= OTHER_PRIVATE
    values |= {
        "omzet.amount": str(OMZET_AMOUNT),
        "omzet.amount grouped": "43.217.659",
        "omzet.amount en": "43.217.659",
    }
    return values


@dataclass
class Secrets:
    spend: int
    kecamatan: str
    category: str


@pytest.fixture
def secrets(app: Flask) -> Secrets:
    opd = factories.opd(name=OPD_NAME, code=OPD_PRIVATE["code"])
    for name, value in OPD_PRIVATE.items():
        setattr(opd, name, value)
    officer = factories.user("opd", opd=opd, **{k: v for k, v in OFFICER_PRIVATE.items()})
    owner = factories.umkm(**UMKM_PRIVATE)
    factories.user("umkm", umkm=owner, **OWNER_PRIVATE)
    product = factories.product(
        owner, name=OTHER_PRIVATE["product name"], unit_price=150_000, kind_id=factories.kind()
    )
    last_month = Period.of(today_in_jakarta()).shift(-1)
    factories.omzet_report(owner, str(last_month), OMZET_AMOUNT, **OMZET_PRIVATE)
    db.session.add(OpdBudget(opd_id=opd.id, year=today_in_jakarta().year, amount=BUDGET))
    _, _, orders = factories.decided_orders(
        officer, quantity=10, title=OTHER_PRIVATE["request title"]
    )
    assert [o.umkm_id for o in orders] == [owner.id]
    db.session.commit()
    return Secrets(sum(o.value for o in orders), owner.kecamatan.name, product.category.name)


def keep_reports(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Production's stored reports and HTTP caching (the testing config builds afresh)."""
    monkeypatch.setitem(app.config, "TRANSPARENCY_CACHE_SECONDS", 300)
    monkeypatch.setitem(app.config, "SPREAD_MAX_AGE_SECONDS", 900)


def leaks(text: str) -> list[str]:
    return [f"{name}: {value}" for name, value in forbidden().items() if value in text]


def csv_text(client: FlaskClient, **args: str) -> str:
    response = client.get("/transparansi/data.csv", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data().decode("utf-8-sig")


def test_the_public_page_shows_the_figures_and_nothing_private(
    client: FlaskClient, secrets: Secrets
) -> None:
    response = client.get("/transparansi/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert not leaks(html), leaks(html)
    # It does show the aggregates: the spend, where it went, the OPD's 40 % measure.
    assert "Rp " + tables.shown(secrets.spend) in html
    assert secrets.kecamatan in html and secrets.category in html
    assert OPD_NAME in html and tables.shown(BUDGET) in html
    assert "Usaha Mikro" in html
    assert "Data per" in html and "CC BY 4.0" in html
    assert html.count("<svg") >= 5  # Lorenz, trend, three bar charts (and the 40 % bars)


def test_the_public_csv_holds_nothing_private_in_any_table(
    client: FlaskClient, secrets: Secrets
) -> None:
    whole = csv_text(client)
    assert not leaks(whole), leaks(whole)
    assert "CC BY 4.0" in whole
    assert str(secrets.spend) in whole and secrets.kecamatan in whole
    for name in tables.PUBLIC_NAMES:
        one = csv_text(client, tabel=name)
        assert not leaks(one), (name, leaks(one))
        header = next(csv.reader(io.StringIO(one), delimiter=";"))
        assert len(header) >= 2 and "Rahasia" not in one
    # Tables the public does not get are not there by name either.
    assert client.get("/transparansi/data.csv?tabel=kinerja-opd").status_code == 404
    assert client.get("/transparansi/data.csv?tabel=belanja-per-opd").status_code == 404


def test_a_logged_in_user_sees_the_page_too_and_it_is_not_shared(
    app: Flask,
    client: FlaskClient,
    auth: AuthActions,
    secrets: Secrets,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keep_reports(app, monkeypatch)
    anonymous = client.get("/transparansi/")
    assert anonymous.headers["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in anonymous.headers["Vary"]
    assert auth.login(OFFICER_PRIVATE["email"]).status_code == 302
    response = client.get("/transparansi/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("private")
    # The officer's own name is in the menu and the welcome (their page), never in the figures.
    html = response.get_data(as_text=True)
    figures = html.split('<div class="transparency">', 1)[1].split("<footer", 1)[0]
    assert not leaks(figures), leaks(figures)


def test_the_period_selector_and_its_refusals(client: FlaskClient, secrets: Secrets) -> None:
    today = today_in_jakarta()
    html = client.get("/transparansi/").get_data(as_text=True)
    assert f'<option value="{today.year}" selected>Tahun {today.year}</option>' in html
    month = Period.of(today)
    response = client.get(f"/transparansi/?periode={month}")
    assert response.status_code == 200
    assert f"<strong>{month.label}</strong>" in response.get_data(as_text=True)
    quarter = f"{today.year}-T{(today.month - 1) // 3 + 1}"
    assert client.get(f"/transparansi/?periode={quarter}").status_code == 200
    # Dates written in the address (a link from elsewhere) are shown and kept selected.
    custom = f"{today.year}-01-05..{today.year}-02-10"
    html = client.get(f"/transparansi/?periode={custom}").get_data(as_text=True)
    assert (
        f'<option value="{custom}" selected>5 Januari – 10 Februari {today.year}</option>' in html
    )
    future = client.get(f"/transparansi/?periode={today.year + 1}")
    assert future.status_code == 400
    assert "belum dimulai" in future.get_data(as_text=True)
    wrong = client.get("/transparansi/?periode=kemarin")
    assert wrong.status_code == 400
    assert "Periode ditulis" in wrong.get_data(as_text=True)
    assert client.get("/transparansi/data.csv?periode=kemarin").status_code == 400


def test_a_report_is_kept_while_its_data_is_unchanged(
    app: Flask, client: FlaskClient, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_reports(app, monkeypatch)
    builds: list[str] = []
    build = services._build

    def counted(*args: Any) -> Any:
        builds.append("built")
        return build(*args)

    monkeypatch.setattr(services, "_build", counted)
    first = csv_text(client)
    client.get("/transparansi/")
    assert csv_text(client) == first and len(builds) == 1  # one computation for three visits
    officer = factories.user("opd", opd_id=factories.opd().id)
    factories.product(factories.umkm(), unit_price=90_000, kind_id=factories.kind())
    factories.decided_orders(officer, quantity=5)
    db.session.commit()
    assert csv_text(client) == first  # a new order: the stored figures at once ...
    store.wait_for_refreshes()  # ... while they are built again in the background
    assert len(builds) == 2
    fresh = csv_text(client)
    assert len(builds) == 2
    line = f"Belanja (Rp);{secrets.spend}\r\n"
    assert line in first and line not in fresh
    app.config["SPREAD_MAX_AGE_SECONDS"] = 0
    csv_text(client)
    assert len(builds) == 3  # keeping switched off
