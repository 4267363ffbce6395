"""The dashboard's downloads (CSV, XLSX, PDF): who may have which, and the same figures in
every output: dashboard, public page, CSV, XLSX, PDF and ``procure report fairness``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
from dataclasses import dataclass
from fractions import Fraction as F

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient
from openpyxl import load_workbook

from procure.auth.models import User
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.formatting import rupiah
from procure.opd.models import Opd
from procure.orders.services import record_payment
from procure.spread import tables
from procure.spread.periods import ReportPeriod
from procure.spread.report import SpreadReport
from procure.spread.services import build_report
from tests import factories
from tests.browser import browser
from tests.conftest import AuthActions
from tests.payment_clock_world import handed_over
from tests.spread_sample import csv_blocks


@dataclass
class World:
    admin: User
    inspector: User
    officer: User
    other_officer: User
    owner: User
    opd: Opd
    other: Opd


@pytest.fixture
def world(app: Flask) -> World:
    opd = factories.opd(name="Dinas Ekspor Satu")
    other = factories.opd(name="Dinas Ekspor Dua")
    officer = factories.user("opd", opd=opd)
    other_officer = factories.user("opd", opd=other)
    for price, scale in ((150_000, "mikro"), (160_000, "kecil"), (170_000, "menengah")):
        factories.product(factories.umkm(declared_scale=scale), unit_price=price)
    # Verified four months ago and never ordered from: "waiting for a first order".
    factories.umkm(verified_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=120))
    factories.decided_orders(officer, quantity=30)
    factories.decided_orders(other_officer, quantity=8)
    world = World(
        factories.user("admin"),
        factories.user("inspector"),
        officer,
        other_officer,
        factories.user("umkm"),
        opd,
        other,
    )
    db.session.commit()
    return world


def year_report(opd_id: int | None = None) -> SpreadReport:
    """What the dashboard shows for this year: the year so far."""
    today = today_in_jakarta()
    period = ReportPeriod.year(today.year).clipped(today)
    report = build_report(db.session, period, today=today, opd_id=opd_id)
    db.session.rollback()
    return report


def sections(body: bytes) -> dict[str, list[list[str]]]:
    """The sectioned CSV's tables by title."""
    return {block[0][0]: block[1:] for block in csv_blocks(body)[1:] if block}


@pytest.mark.parametrize(
    ("fmt", "mimetype", "magic"),
    [
        ("csv", "text/csv", b"\xef\xbb\xbf"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_admin_and_inspector_download_every_format(
    client: FlaskClient, auth: AuthActions, world: World, fmt: str, mimetype: str, magic: bytes
) -> None:
    year = today_in_jakarta().year
    for user in (world.admin, world.inspector):
        auth.login(user.email)
        response = client.get(f"/pemerataan/unduh/{fmt}?periode={year}")
        assert response.status_code == 200
        assert response.mimetype == mimetype
        assert response.data.startswith(magic)
        assert f'filename="pemerataan-{year}.{fmt}"' in response.headers["Content-Disposition"]
        assert response.headers["Cache-Control"] == "private, max-age=60"
        auth.logout()


def test_an_officer_gets_their_own_opd_only(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login(world.officer.email)
    response = client.get("/pemerataan/unduh/csv")
    assert response.status_code == 200
    found = sections(response.data)
    assert found["Ringkasan"][0] == ["Ukuran", "Dinas Ekspor Satu", "Seluruh Pemda"]
    assert [row[1] for row in found["Belanja per OPD"][1:]] == ["Dinas Ekspor Satu"]
    assert [row[0] for row in found["Kinerja OPD"][1:]] == ["Dinas Ekspor Satu"]
    assert f"opd-{world.opd.id}" in response.headers["Content-Disposition"]
    assert client.get(f"/pemerataan/unduh/csv?opd={world.opd.id}").status_code == 200
    for fmt in ("csv", "xlsx", "pdf"):
        assert client.get(f"/pemerataan/unduh/{fmt}?opd={world.other.id}").status_code == 403
    # The admin may look at one OPD the same way.
    auth.logout()
    auth.login(world.admin.email)
    scoped = sections(client.get(f"/pemerataan/unduh/csv?opd={world.other.id}").data)
    assert scoped["Ringkasan"][0] == ["Ukuran", "Dinas Ekspor Dua", "Seluruh Pemda"]


def test_refusals(client: FlaskClient, auth: AuthActions, world: World) -> None:
    assert client.get("/pemerataan/unduh/csv").status_code == 302  # to the login page
    auth.login(world.owner.email)
    assert client.get("/pemerataan/unduh/csv").status_code == 403
    auth.logout()
    auth.login(world.admin.email)
    assert client.get("/pemerataan/unduh/docx").status_code == 404
    assert client.get("/pemerataan/unduh/csv?tabel=tidak-ada").status_code == 404
    assert client.get("/pemerataan/unduh/csv?opd=abc").status_code == 404
    assert client.get(f"/pemerataan/unduh/csv?opd={2**63}").status_code == 404
    assert client.get(f"/pemerataan/unduh/csv?opd={'9' * 5000}").status_code == 404
    assert client.get("/pemerataan/unduh/csv?opd=١٢").status_code == 404  # non-ASCII digits
    wrong = client.get("/pemerataan/unduh/csv?periode=kemarin")
    assert wrong.status_code == 400 and "Periode ditulis" in wrong.get_data(as_text=True)
    future = client.get(f"/pemerataan/unduh/xlsx?periode={today_in_jakarta().year + 1}")
    assert future.status_code == 400 and "belum dimulai" in future.get_data(as_text=True)
    assert client.get("/pemerataan/unduh/pdf?opd=999999").status_code == 400


def test_one_table_alone_is_a_plain_csv(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login(world.inspector.email)
    response = client.get("/pemerataan/unduh/csv?tabel=belanja-per-skala")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Kode", "Skala usaha", "Belanja (Rp)", "Pesanan", "UMKM penerima",
                       "Porsi belanja (%)"]  # fmt: skip
    assert "belanja-per-skala.csv" in response.headers["Content-Disposition"]


def spaced(html: str) -> str:
    return html.replace("\xa0", " ").replace("&nbsp;", " ").replace("&#160;", " ")


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                         check=True)  # fmt: skip
    return " ".join(out.stdout.decode().split())


def _paid(officer: User, *, waited: int, late_by: int) -> None:
    """An order of the officer's OPD paid today ``waited`` days after its BAST, ``late_by``
    days after its payment due date (0: on the due date itself)."""
    today = today_in_jakarta()
    order = handed_over(officer, bast=today - dt.timedelta(days=waited))
    order.payment_due_date = today - dt.timedelta(days=late_by)
    record_payment(
        db.session,
        order,
        paid_on=today,
        reference=f"SP2D-{order.id}/2026",
        actor_id=officer.id,
        config=current_app.config,
    )


def test_the_same_figures_everywhere(app: Flask, world: World) -> None:
    """One report; the dashboard, the public page, the CSV, the XLSX, the PDF and the CLI
    show its headline figures, rounded the same way."""
    # Paid this year: 3 and 10 days after BAST, one on its due date, one 4 days after it; and
    # the other OPD 6 days after BAST, on time.
    _paid(world.officer, waited=3, late_by=0)
    _paid(world.officer, waited=10, late_by=4)
    _paid(world.other_officer, waited=6, late_by=-2)
    db.session.commit()
    report = year_report()
    pemda = report.pemda
    assert pemda.spend > 0 and 0 < pemda.gini < 1
    spend = rupiah(pemda.spend)  # Rp 1.234.000
    gini = tables.shown(tables.index(pemda.gini))  # 0,42
    with_orders = tables.shown(tables.percent(pemda.share_with_orders))  # 66,7
    top10 = tables.shown(tables.percent(pemda.top10_share))
    shown = (spend, gini, with_orders + " %", top10 + " %")
    year = str(report.period)

    admin = browser(app)
    admin.post("/masuk", data={"email": world.admin.email, "password": factories.PASSWORD})
    # A page may keep "66,7 %" on one line with a no-break space: the same figure.
    dashboard = spaced(admin.get(f"/pemerataan/?periode={year}").get_data(as_text=True))
    public = spaced(browser(app).get(f"/transparansi/?periode={year}").get_data(as_text=True))
    for page in (dashboard, public):
        assert all(text in page for text in shown), [t for t in shown if t not in page]

    summary = {row[0]: row[1] for row in sections(admin.get("/pemerataan/unduh/csv").data)[
        "Ringkasan"][1:]}  # fmt: skip
    assert summary["Belanja (Rp)"] == str(pemda.spend)
    assert summary["Indeks Gini (0 merata, 1 terpusat)"] == gini
    assert summary["UMKM yang mendapat pesanan (%)"] == with_orders
    assert summary["Porsi 10 % UMKM teratas (%)"] == top10
    assert summary["Jumlah pesanan"] == str(pemda.order_count)
    assert report.never_ordered >= 1
    assert summary[tables.NEVER_ORDERED_LABEL] == str(report.never_ordered)
    waiting = f"{report.never_ordered} UMKM</"
    assert waiting in dashboard and waiting in public
    public_csv = browser(app).get(f"/transparansi/data.csv?periode={year}").data
    assert sections(public_csv)["Ringkasan"] == sections(admin.get("/pemerataan/unduh/csv").data)[
        "Ringkasan"]  # fmt: skip

    book = load_workbook(io.BytesIO(admin.get("/pemerataan/unduh/xlsx").data))
    cells = {r[0]: r[1] for r in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert cells["Belanja (Rp)"] == pemda.spend
    assert f"{cells['Indeks Gini (0 merata, 1 terpusat)']:.2f}".replace(".", ",") == gini
    assert f"{cells['UMKM yang mendapat pesanan (%)']:.1f}".replace(".", ",") == with_orders

    pdf = pdf_text(admin.get("/pemerataan/unduh/pdf").data)
    assert all(text in pdf for text in shown), [t for t in shown if t not in pdf]

    result = app.test_cli_runner().invoke(args=["report", "fairness", "--period", year])
    assert result.exit_code == 0, result.output
    cli = " ".join(result.output.split())
    assert tables.shown(pemda.spend) in cli and gini in cli and with_orders in cli
    assert top10 in cli

    # The payment clock: per OPD and in total, days from BAST to payment and the share paid
    # by the due date, the same in every output.
    *_, mine, total = (p for p in report.payments() if p.opd_id in (world.opd.id, None))
    assert (mine.paid_orders, mine.days_to_payment, mine.paid_on_time) == (2, F(13, 2), 1)
    assert (total.paid_orders, total.days_to_payment) == (3, F(19, 3))
    assert (total.paid_with_due, total.paid_on_time) == (3, 2)
    paid_days = tables.shown(tables.days(total.days_to_payment))  # 6,3
    on_time = tables.shown(tables.percent(total.on_time_share))  # 66,7
    assert (paid_days, on_time) == ("6,3", "66,7")
    row = ["Seluruh OPD", "3", paid_days, "3", "2", on_time]
    for body in (admin.get("/pemerataan/unduh/csv").data, public_csv):
        assert sections(body)["Ketepatan bayar per OPD"][-1] == row
    sheet = [r for r in book["Ketepatan bayar per OPD"].iter_rows(values_only=True)]
    assert sheet[-1][:2] == ("Seluruh OPD", 3)
    assert f"{sheet[-1][2]:.1f}".replace(".", ",") == paid_days
    assert f"{sheet[-1][5]:.1f}".replace(".", ",") == on_time
    for page in (dashboard, public):
        flat = " ".join(re.sub(r"<[^>]+>", " ", page).split())
        assert f"Seluruh OPD 3 {paid_days} 2 dari 3 {on_time} %" in flat
    assert f"Seluruh OPD 3 {paid_days} 3 2 {on_time}" in pdf
    assert f"Seluruh OPD 3 {paid_days} 3 2 {on_time} %" in cli
