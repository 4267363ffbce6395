"""The inspector's portal through the test client: filters, exports, red flags, access."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy import select

from procure.clock import JAKARTA, today_in_jakarta
from procure.documents.models import Document
from procure.extensions import db
from procure.inspection import rules, services
from procure.omzet.rules import Period
from procure.orders.rules import order_figures
from procure.orders.services import (
    accept_order,
    mark_delivered,
    payment_amounts,
    record_handover,
    record_inspection,
    record_payment,
)
from procure.procurement.models import PurchaseOrder
from tests import factories
from tests.conftest import AuthActions

REASON = "UMKM usulan sedang tutup untuk renovasi dapur"
URLS = (
    "/pemeriksaan/",
    "/pemeriksaan/pesanan",
    "/pemeriksaan/pesanan.csv",
    "/pemeriksaan/pesanan.xlsx",
    "/pemeriksaan/tanda-bahaya",
)


def _inspector(auth: AuthActions) -> None:
    db.session.commit()
    auth.login(factories.user("inspector").email)
    db.session.commit()


def _html(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def _order(**kwargs: object) -> PurchaseOrder:
    """One issued order of a new OPD (50 × Rp 200.000 = Rp 10.000.000)."""
    kwargs.setdefault("hps_unit_price", 200_000)
    _, _, (order, *_) = factories.issued_orders(50, (100,), unit_price=200_000, **kwargs)
    return order


def _deliver(order: PurchaseOrder, *, days_late: int = 0) -> None:
    if days_late:  # due that many days before today, so delivering today is late
        order.due_date = today_in_jakarta() - dt.timedelta(days=days_late)
    actor = order.issued_by_id
    accept_order(db.session, order, actor_id=actor)
    mark_delivered(db.session, order, actor_id=actor)
    record_inspection(
        db.session,
        order,
        received_quantity=order.quantity,
        condition="baik",
        notes="",
        actor_id=actor,
        config=current_app.config,
    )
    record_handover(db.session, order, actor_id=actor, config=current_app.config)


def _pay(order: PurchaseOrder, amount: int | None = None) -> None:
    """Pay ``amount`` gross (default: the amount due); the net transferred is that less PPh."""
    due = int(order_figures(order, today_in_jakarta())["amount_due"] or 0)
    withheld = payment_amounts(order, current_app.config, today_in_jakarta()).withheld
    record_payment(
        db.session,
        order,
        paid_on=today_in_jakarta(),
        reference="SP2D-001",
        amount=(due if amount is None else amount) - withheld,
        actor_id=order.issued_by_id,
        config=current_app.config,
    )


def _override(officer, umkm_id: int, quantity: int = 10):  # type: ignore[no-untyped-def]
    return factories.decided_orders(officer, [(umkm_id, quantity)], quantity, REASON)


def _supplier(omzet: int, unit_price: int = 200_000, **kwargs: object) -> int:
    """A batik UMKM with one product and this omzet in each of the last three months (its
    need in the ranking); returns its id."""
    owner = factories.umkm(**kwargs)
    factories.product(owner, unit_price=unit_price)
    for back in (1, 2, 3):
        factories.omzet_report(owner, str(Period.of(today_in_jakarta()).shift(-back)), omzet)
    return owner.id


def _listed(html: str) -> str:
    """The list of flags only (the filter's OPD names stay out)."""
    return html.split('<ul class="list-group', 1)[1] if '<ul class="list-group' in html else ""


# == Access ======================================================================================


@pytest.mark.parametrize("role", ["opd", "umkm"])
def test_officers_and_umkm_are_refused(client: FlaskClient, auth: AuthActions, role: str) -> None:
    user = factories.user(role)
    db.session.commit()
    auth.login(user.email)
    for url in URLS:
        assert client.get(url).status_code == 403, url


def test_visitors_are_sent_to_log_in(client: FlaskClient) -> None:
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_admin_reads_the_portal(client: FlaskClient, auth: AuthActions) -> None:
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    for url in URLS:
        assert client.get(url).status_code == 200, url


def test_an_inspectors_post_is_refused_everywhere(client: FlaskClient, auth: AuthActions) -> None:
    order = _order()
    _inspector(auth)
    for url in (
        "/pemeriksaan/pesanan",
        "/pemeriksaan/tanda-bahaya",
        f"/pengadaan/pesanan/{order.id}/bayar",
        f"/pengadaan/pesanan/{order.id}/batal",
    ):
        assert client.post(url, data={"reason": "x" * 30}).status_code == 403, url
    db.session.expire_all()
    assert db.session.get(PurchaseOrder, order.id).status == "issued"  # type: ignore[union-attr]


# == Home ========================================================================================


def test_home_counts_orders_values_and_flags(client: FlaskClient, auth: AuthActions) -> None:
    order = _order()
    _deliver(order)
    _pay(order)
    _order()
    _inspector(auth)
    html = _html(client, "/pemeriksaan/")
    assert "Portal Pemeriksaan" in html
    assert "Lunas" in html and "Menunggu jawaban UMKM" in html
    assert "Rp 20.000.000" in html  # both orders are live
    assert "dibayar Rp 10.000.000" in html
    for label in rules.FLAG_KINDS.values():
        assert label in html
    assert "/pemeriksaan/tanda-bahaya?jenis=override" in html


# == Orders: filters =============================================================================


def _sp(order: PurchaseOrder) -> str:
    return f">SP #{order.id}<"


def test_every_order_is_listed_with_links_to_order_and_allocation(
    client: FlaskClient, auth: AuthActions
) -> None:
    order = _order()
    _inspector(auth)
    html = _html(client, "/pemeriksaan/pesanan")
    assert _sp(order) in html and _sp_number(order) in html
    assert f"/pengadaan/pesanan/{order.id}" in html
    assert f"/pengadaan/permintaan/{order.request_id}#alokasi" in html
    assert "Override" not in html.split("<tbody>")[1]


def test_filter_by_opd_umkm_and_category(client: FlaskClient, auth: AuthActions) -> None:
    first = _order()
    second = _order()
    second.umkm.business_name = "Katering Bu Sri"
    kitchen = factories.umkm(categories=["konsumsi"], business_name="Dapur Melati")
    factories.product(kitchen, "konsumsi", name="Nasi Kotak Ayam", unit="kotak", unit_price=30_000)
    officer = factories.user("opd")
    _, _, (meal,) = factories.decided_orders(
        officer,
        quantity=20,
        kind_id=factories.kind("konsumsi", "nasi-kotak"),
        unit="kotak",
        hps_unit_price=35_000,
    )
    _inspector(auth)

    opd_id = first.request.opd_id
    html = _html(client, f"/pemeriksaan/pesanan?opd={opd_id}")
    assert _sp(first) in html and _sp(second) not in html and _sp(meal) not in html

    html = _html(client, "/pemeriksaan/pesanan?umkm=bu+sri")
    assert _sp(second) in html and _sp(first) not in html
    html = _html(client, f"/pemeriksaan/pesanan?umkm={first.umkm.nib}")
    assert _sp(first) in html and _sp(second) not in html
    html = _html(client, "/pemeriksaan/pesanan?umkm=100%25")  # a % is text, not a wildcard
    assert "Tidak ada pesanan yang cocok" in html

    konsumsi = factories.category("konsumsi").id
    html = _html(client, f"/pemeriksaan/pesanan?kategori={konsumsi}")
    assert _sp(meal) in html and _sp(first) not in html and _sp(second) not in html


def test_filter_by_period_counts_jakarta_dates(client: FlaskClient, auth: AuthActions) -> None:
    january = _order()
    february = _order()
    today = _order()
    # 31 January 23.30 WIB is still January in Jakarta although 16.30 UTC; 1 February 00.30
    # WIB is 31 January in UTC.
    january.issued_at = dt.datetime(2026, 1, 31, 23, 30, tzinfo=JAKARTA)
    february.issued_at = dt.datetime(2026, 2, 1, 0, 30, tzinfo=JAKARTA)
    _inspector(auth)
    html = _html(client, "/pemeriksaan/pesanan?dari=2026-01-01&sampai=2026-01-31")
    assert _sp(january) in html and _sp(february) not in html and _sp(today) not in html
    html = _html(client, "/pemeriksaan/pesanan?dari=01/02/2026&sampai=2026-02-28")
    assert _sp(february) in html and _sp(january) not in html
    html = _html(client, "/pemeriksaan/pesanan?dari=2026-03-01")
    assert _sp(today) in html and _sp(january) not in html


def test_filter_by_status_late_and_override(client: FlaskClient, auth: AuthActions) -> None:
    waiting = _order()
    late = _order()
    _deliver(late, days_late=3)
    overdue = _order()
    accept_order(db.session, overdue, actor_id=overdue.issued_by_id)
    overdue.due_date = today_in_jakarta() - dt.timedelta(days=1)  # not delivered, past due
    officer = factories.user("opd")
    factories.product(factories.umkm(), unit_price=150_000)
    _, run, (chosen,) = _override(officer, late.umkm_id)
    assert run.is_override
    _inspector(auth)

    html = _html(client, "/pemeriksaan/pesanan?status=received")
    assert _sp(late) in html and _sp(waiting) not in html

    html = _html(client, "/pemeriksaan/pesanan?terlambat=ya")
    assert _sp(late) in html and _sp(overdue) in html
    assert _sp(waiting) not in html and _sp(chosen) not in html
    html = _html(client, "/pemeriksaan/pesanan?terlambat=tidak")
    assert _sp(waiting) in html and _sp(chosen) in html
    assert _sp(late) not in html and _sp(overdue) not in html

    html = _html(client, "/pemeriksaan/pesanan?override=ya")
    assert _sp(chosen) in html and _sp(waiting) not in html
    assert 'class="badge text-bg-danger" title="Alasan: ' + REASON in html
    assert "table-warning" in html
    html = _html(client, "/pemeriksaan/pesanan?override=tidak")
    assert _sp(waiting) in html and _sp(chosen) not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("dari=2026-02-30", "Tanggal awal tidak dikenali"),
        ("sampai=besok", "Tanggal akhir tidak dikenali"),
        ("dari=2026-03-01&sampai=2026-01-01", "Tukar kedua tanggal itu"),
        ("opd=abc", "Pilih OPD dari daftar"),
        ("opd=999999", "Pilih OPD dari daftar"),
        ("kategori=x", "Pilih kategori dari daftar"),
        ("status=hilang", "Pilih status dari daftar"),
        ("terlambat=mungkin", "Pilihan terlambat harus"),
    ],
)
def test_bad_filter_input_is_explained(
    client: FlaskClient, auth: AuthActions, query: str, message: str
) -> None:
    _order()
    _inspector(auth)
    html = _html(client, f"/pemeriksaan/pesanan?{query}", status=400)
    assert message in html and "Saringan belum benar" in html
    assert "SP #" not in html
    for export in ("csv", "xlsx"):
        response = client.get(f"/pemeriksaan/pesanan.{export}?{query}")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/pemeriksaan/pesanan?")


def test_orders_are_paginated_fifty_a_page(
    client: FlaskClient, auth: AuthActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "PAGE_SIZE", 2)
    orders = [_order() for _ in range(3)]
    _inspector(auth)
    first = _html(client, "/pemeriksaan/pesanan")
    assert _sp(orders[2]) in first and _sp(orders[0]) not in first
    assert "Halaman 1 dari 2" in first
    second = _html(client, "/pemeriksaan/pesanan?page=2")
    assert _sp(orders[0]) in second and _sp(orders[2]) not in second
    assert "SP #" not in _html(client, "/pemeriksaan/pesanan?page=9")


# == Exports =====================================================================================


def _paid_late_override():  # type: ignore[no-untyped-def]
    """An order chosen by override, delivered 4 days late and paid without the penalty."""
    officer = factories.user("opd")
    _supplier(1_000_000, 150_000)  # the lower need: the policy proposes it
    chosen = _supplier(30_000_000, business_name="Batik Pilihan")
    _, _, (order,) = _override(officer, chosen, quantity=50)
    _deliver(order, days_late=4)
    _pay(order, amount=order.value)
    return order


def _sp_number(order: PurchaseOrder) -> str:
    """The number of the order's Surat Pesanan, read straight from the documents."""
    number = db.session.scalar(
        select(Document.number).where(Document.order_id == order.id, Document.kind == "SP")
    )
    assert number
    return number


def test_csv_export_streams_the_filtered_orders_with_indonesian_headers(
    client: FlaskClient, auth: AuthActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "EXPORT_CHUNK", 1)  # several chunks: one header only
    order = _paid_late_override()
    other = _order()
    _order()
    _inspector(auth)
    response = client.get("/pemeriksaan/pesanan.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    assert text.count("Nomor pesanan") == 1
    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(table.columns) == list(rules.EXPORT_COLUMNS)
    assert len(table) == 3
    row = table[table["Nomor pesanan"] == str(order.id)].iloc[0]
    assert row["Nomor SP"] == _sp_number(order) and "/SP/" in row["Nomor SP"]
    assert row["UMKM"] == "Batik Pilihan" and row["NIB"] == order.umkm.nib
    assert row["Volume"] == "50" and row["Satuan"] == "potong"
    assert row["Harga satuan"] == "200000" and row["Nilai"] == "10000000"
    assert row["Status"] == "Lunas"
    assert row["Terlambat (hari)"] == "4" and row["Denda"] == "40000"
    assert row["Hari sampai bayar"] == "0"
    assert row["Dibayar"] == today_in_jakarta().isoformat()
    assert row["Override"] == "Ya" and row["Alasan override"] == REASON
    waiting = table[table["Nomor pesanan"] == str(other.id)].iloc[0]
    assert waiting["Hari sampai bayar"] == "" and waiting["Override"] == "Tidak"

    filtered = client.get("/pemeriksaan/pesanan.csv?override=ya").get_data().decode("utf-8-sig")
    table = pd.read_csv(io.StringIO(filtered), dtype=str)
    assert table["Nomor pesanan"].tolist() == [str(order.id)]
    empty = client.get("/pemeriksaan/pesanan.csv?umkm=tidak+ada").get_data().decode("utf-8-sig")
    assert empty.strip() == ",".join(rules.EXPORT_COLUMNS)


def test_xlsx_export_has_the_same_rows_as_integers(client: FlaskClient, auth: AuthActions) -> None:
    order = _paid_late_override()
    _order()
    _inspector(auth)
    response = client.get("/pemeriksaan/pesanan.xlsx?terlambat=ya")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    table = pd.read_excel(io.BytesIO(response.get_data()), engine="openpyxl")
    assert list(table.columns) == list(rules.EXPORT_COLUMNS)
    assert table["Nomor pesanan"].tolist() == [order.id]
    row = table.iloc[0]
    assert row["Nilai"] == 10_000_000 and row["Denda"] == 40_000
    assert str(table["Nilai"].dtype) == "int64"
    assert row["Override"] == "Ya" and row["OPD"] == order.request.opd.name


def test_xlsx_export_refuses_too_many_rows_and_points_to_csv(
    client: FlaskClient, auth: AuthActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rules, "EXPORT_XLSX_MAX_ROWS", 1)
    _order()
    _order()
    _inspector(auth)
    response = client.get("/pemeriksaan/pesanan.xlsx?status=issued")
    assert response.status_code == 302
    assert response.headers["Location"] == "/pemeriksaan/pesanan?status=issued"
    html = _html(client, response.headers["Location"])
    assert "Ada 2 pesanan, terlalu banyak untuk XLSX" in html and "unduh CSV" in html


# == Red flags ===================================================================================


def _flags(client: FlaskClient, kind: str = "", opd: int | None = None) -> str:
    query = f"?jenis={kind}" + (f"&opd={opd}" if opd else "")
    return _html(client, f"/pemeriksaan/tanda-bahaya{query}")


def test_a_clean_order_raises_no_flag(client: FlaskClient, auth: AuthActions) -> None:
    order = _order()
    _deliver(order)
    _pay(order)
    factories.omzet_report(order.umkm, str(Period.of(today_in_jakarta()).shift(-1)), 9_000_000)
    _inspector(auth)
    html = _flags(client)
    assert "Belum ada tanda bahaya." in html
    assert "list-group-item" not in html


def test_override_flag_names_reason_officer_and_choice(
    client: FlaskClient, auth: AuthActions
) -> None:
    plain = _order()
    officer = factories.user("opd", full_name="Rina Pejabat Pengadaan")
    _supplier(1_000_000, 150_000, business_name="Batik Usulan")
    chosen = _supplier(30_000_000, business_name="Batik Dipilih")
    request, _, _ = _override(officer, chosen)
    _inspector(auth)
    html = _flags(client, "override")
    assert "Override alokasi" in html and f"Permintaan #{request.id}</a>" in html
    assert REASON in html and "Rina Pejabat Pengadaan" in html
    assert "Usulan sistem: Batik Usulan. Dipilih: Batik Dipilih." in html
    assert f"Permintaan #{plain.request_id}<" not in html
    # The OPD filter keeps another OPD's flags out.
    assert "Batik Dipilih" not in _flags(client, "override", plain.request.opd_id)


def test_excess_portions_and_package_splitting_flags(
    client: FlaskClient, auth: AuthActions
) -> None:
    officer = factories.user("opd")
    kitchen = factories.umkm(categories=["konsumsi"])
    factories.product(
        kitchen, "konsumsi", name="Nasi Kotak Ayam", unit="kotak", unit_price=30_000,
        monthly_capacity=500,
    )  # fmt: skip
    meals = dict(
        kind_id=factories.kind("konsumsi", "nasi-kotak"), unit="kotak", hps_unit_price=35_000
    )
    excess = factories.purchase_request(
        officer,
        120,
        event_name="Rapat Kerja Daerah",
        expected_attendees=100,
        excess_reason="Tamu dari provinsi dan panitia tambahan",
        **meals,
    )
    exact = factories.purchase_request(officer, 100, expected_attendees=100, **meals)
    lone = factories.purchase_request(factories.user("opd"), 100)
    big = factories.purchase_request(officer, 200)  # Rp 40 juta
    split = factories.purchase_request(officer, 100)  # + Rp 20 juta within 14 days: above cap
    assert split.is_split_suspect and not big.is_split_suspect
    _inspector(auth)

    html = _flags(client, "excess_portions")
    assert "Porsi melebihi undangan" in html
    assert f"Permintaan #{excess.id}<" in html and f"Permintaan #{exact.id}<" not in html
    assert "120 kotak untuk Rapat Kerja Daerah, peserta undangan 100: lebih 20" in html
    assert "Tamu dari provinsi" in html

    html = _flags(client, "split_suspect")
    assert f"Permintaan #{split.id}<" in html
    assert f"Permintaan #{big.id}<" not in html and f"Permintaan #{lone.id}<" not in html
    assert "Nilai permintaan ini Rp 20.000.000" in html and f"#{big.id}" in html


def test_late_delivery_paid_without_penalty_is_flagged(
    client: FlaskClient, auth: AuthActions
) -> None:
    unpunished = _order()
    _deliver(unpunished, days_late=5)
    _pay(unpunished, amount=unpunished.value)
    charged = _order()
    _deliver(charged, days_late=5)
    _pay(charged)  # value minus the penalty
    on_time = _order()
    _deliver(on_time)
    _pay(on_time, amount=on_time.value)
    _inspector(auth)
    html = _flags(client, "late_no_penalty")
    assert f"SP #{unpunished.id}<" in html
    assert f"SP #{charged.id}<" not in html and f"SP #{on_time.id}<" not in html
    assert "5 hari setelah jatuh tempo" in html and "Denda Rp 50.000" in html
    assert "dibayar Rp 10.000.000, seharusnya paling banyak Rp 9.950.000" in html


def test_slow_payment_counts_paid_and_unpaid_orders(
    client: FlaskClient, auth: AuthActions, app: Flask
) -> None:
    app.config["PAYMENT_DAYS_FLAG"] = 10
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=12)
    long_ago_day = today_in_jakarta() - dt.timedelta(days=12)  # the handover date chosen
    slow = _order()
    _deliver(slow)
    slow.handed_over_at, slow.handover_date = long_ago, long_ago_day
    _pay(slow)
    waiting = _order()
    _deliver(waiting)
    waiting.handed_over_at, waiting.handover_date = long_ago, long_ago_day
    quick = _order()
    _deliver(quick)
    _pay(quick)
    recent = _order()
    _deliver(recent)
    _inspector(auth)
    html = _flags(client, "slow_payment")
    assert f"SP #{slow.id}<" in html and f"SP #{waiting.id}<" in html
    assert f"SP #{quick.id}<" not in html and f"SP #{recent.id}<" not in html
    assert "12 hari setelah serah terima" in html and "Belum dibayar 12 hari" in html
    assert "(batas 10 hari)" in html


def test_same_umkm_chosen_three_times_over_lower_needs_is_flagged(
    client: FlaskClient, auth: AuthActions
) -> None:
    _supplier(1_000_000)
    _supplier(2_000_000)
    favourite = _supplier(30_000_000)
    repeating = factories.user("opd")
    twice = factories.user("opd")
    requests = [_override(repeating, favourite)[0] for _ in range(3)]
    for _ in range(2):
        _override(twice, favourite)
    _inspector(auth)
    html = _listed(_flags(client, "repeat_umkm"))
    assert html.count("list-group-item") == 1
    assert repeating.opd.name in html and twice.opd.name not in html
    assert "Dipilih 3 kali lewat override dalam 90 hari" in html
    assert ", ".join(f"#{r.id}" for r in requests) in html
    for request in requests:  # each decision is one click away
        assert f"Permintaan #{request.id}</a>" in html
    assert "hingga 2 UMKM dilewati" in html


def test_omzet_below_platform_sales_is_flagged_with_a_link(
    client: FlaskClient, auth: AuthActions
) -> None:
    last_month = Period.of(today_in_jakarta()).shift(-1)
    mid_month = dt.datetime.combine(
        last_month.first_day + dt.timedelta(days=14), dt.time(12), JAKARTA
    )
    under, honest = _order(), _order()
    under.issued_at = honest.issued_at = mid_month
    factories.omzet_report(under.umkm, str(last_month), 2_000_000)  # sold Rp 10 juta
    factories.omzet_report(honest.umkm, str(last_month), 12_000_000)
    _inspector(auth)
    html = _flags(client, "omzet_below_sales")
    assert under.umkm.business_name in html and honest.umkm.business_name not in html
    assert f"/omzet/umkm/{under.umkm_id}" in html
    assert "lebih kecil dari pesanan pemerintah lewat platform Rp 10.000.000" in html
    # Omzet flags belong to no OPD.
    assert under.umkm.business_name not in _flags(client, "omzet_below_sales", under.request.opd_id)


def test_bad_flag_filters_are_explained(client: FlaskClient, auth: AuthActions) -> None:
    _inspector(auth)
    assert "Pilih jenis tanda dari daftar" in _html(
        client, "/pemeriksaan/tanda-bahaya?jenis=palsu", status=400
    )
    assert "Pilih OPD dari daftar" in _html(client, "/pemeriksaan/tanda-bahaya?opd=x", status=400)


def test_exports_never_hand_a_formula_to_the_spreadsheet(
    client: FlaskClient, auth: AuthActions
) -> None:
    order = _order(title='=HYPERLINK("http://contoh.invalid","klik")')
    order.umkm.business_name = "@SUM(A1)"
    db.session.commit()
    _inspector(auth)
    text = client.get("/pemeriksaan/pesanan.csv").get_data().decode("utf-8-sig")
    row = pd.read_csv(io.StringIO(text), dtype=str).iloc[0]
    assert row["Paket"] == '\'=HYPERLINK("http://contoh.invalid","klik")'
    assert row["UMKM"] == "'@SUM(A1)"
    sheet = pd.read_excel(
        io.BytesIO(client.get("/pemeriksaan/pesanan.xlsx").get_data()), engine="openpyxl"
    )
    assert sheet.iloc[0]["UMKM"] == "'@SUM(A1)"
