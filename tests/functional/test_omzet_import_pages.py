"""Omzet import and compliance pages, through the test client, and ``procure import-omzet``."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import openpyxl
import pandas as pd
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.omzet.compliance_rules import reporting_month
from procure.omzet.models import OmzetImport, OmzetReport
from procure.umkm.models import Umkm
from tests import factories

LONG_AGO = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)


def last_month() -> str:
    return str(reporting_month(today_in_jakarta()))


def business(**kwargs: object) -> Umkm:
    kwargs.setdefault("submitted_at", LONG_AGO)
    return factories.umkm(**kwargs)


def report_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OmzetReport)) or 0


def upload(client: FlaskClient, text: str, name: str = "omzet.csv", **form: str):  # type: ignore[no-untyped-def]
    data = {"file": (io.BytesIO(text.encode("utf-8")), name), **form}
    return client.post("/omzet/impor", data=data, content_type="multipart/form-data")


@pytest.fixture
def admin(client: FlaskClient, auth):  # type: ignore[no-untyped-def]
    user = factories.user("admin")
    db.session.commit()
    auth.login(user.email)
    return user


# -- import page ----------------------------------------------------------------------------


def test_dry_run_then_import_through_the_page(client: FlaskClient, admin) -> None:  # type: ignore[no-untyped-def]
    a = business()
    db.session.commit()
    page = client.get("/omzet/impor")
    assert page.status_code == 200
    assert re.search(r'<input[^>]* checked [^>]*name="dry_run"', page.get_data(as_text=True))
    text = f"NIB;periode;omzet\n{a.nib};{last_month()};12.500.000\n"

    checked = upload(client, text, dry_run="y")
    body = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert "lolos pemeriksaan" in body and "Impor sekarang" in body
    assert report_count() == 0

    token = re.search(r'name="checked" value="([^"]+)"', body)
    assert token is not None
    applied = upload(client, text, checked=token.group(1))  # "Impor sekarang": no dry_run
    assert applied.status_code == 302
    assert report_count() == 1
    log = db.session.scalars(select(OmzetImport)).one()
    assert (log.file_name, log.actor_id, log.created_count) == ("omzet.csv", admin.id, 1)
    listing = client.get("/omzet/impor").get_data(as_text=True)
    assert "selesai: 1 baris: 1 baru" in listing and "omzet.csv" in listing


def test_import_now_with_another_file_only_checks_it(client: FlaskClient, admin) -> None:  # type: ignore[no-untyped-def]
    a = business()
    db.session.commit()
    first = f"NIB;periode;omzet\n{a.nib};{last_month()};1.000\n"
    body = upload(client, first, dry_run="y").get_data(as_text=True)
    token = re.search(r'name="checked" value="([^"]+)"', body)
    assert token is not None
    other = f"NIB;periode;omzet\n{a.nib};{last_month()};9.000\n"
    response = upload(client, other, checked=token.group(1))
    assert response.status_code == 200
    assert "berbeda dari yang diperiksa tadi" in response.get_data(as_text=True)
    assert report_count() == 0
    forged = upload(client, other, checked="bukan-token")
    assert forged.status_code == 200 and report_count() == 0


def test_errors_are_listed_with_spreadsheet_rows(client: FlaskClient, admin) -> None:  # type: ignore[no-untyped-def]
    a = business()
    db.session.commit()
    text = f"NIB;periode;omzet\n{a.nib};{last_month()};1000\n9999999999999;{last_month()};5\n"
    response = upload(client, text)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "tidak diimpor" in body
    assert (
        '<td data-label="Baris">3</td><td data-label="Kolom">NIB</td>'
        '<td data-label="Kesalahan">NIB 9999999999999 tidak terdaftar.'
    ) in body
    assert report_count() == 0


def test_errors_download_as_csv(client: FlaskClient, admin) -> None:  # type: ignore[no-untyped-def]
    text = "NIB;periode;omzet\n9999999999999;2020-01;dua juta\n"
    response = upload(client, text, action="errors")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    errors = pd.read_csv(io.BytesIO(response.data), sep=";", dtype=str, encoding="utf-8-sig")
    assert errors.columns.tolist() == ["baris", "kolom", "kesalahan"]
    assert errors["baris"].tolist() == ["2", "2"]
    assert errors["kolom"].tolist() == ["NIB", "omzet"]
    assert report_count() == 0


def test_errors_download_of_a_clean_file_shows_the_check(client: FlaskClient, admin) -> None:  # type: ignore[no-untyped-def]
    a = business()
    db.session.commit()
    response = upload(client, f"NIB;periode;omzet\n{a.nib};{last_month()};1\n", action="errors")
    assert response.mimetype == "text/html"
    assert "lolos pemeriksaan" in response.get_data(as_text=True)
    assert report_count() == 0


def test_missing_file_is_refused_with_a_message(client: FlaskClient, admin) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/omzet/impor", data={}, content_type="multipart/form-data")
    assert "Pilih berkas CSV atau XLSX" in response.get_data(as_text=True)


def test_template_download(client: FlaskClient, admin) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/omzet/impor/templat.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "NIB;periode;omzet"
    assert lines[1].split(";")[1] == last_month()


@pytest.mark.parametrize("role", ["inspector", "umkm", "opd"])
def test_only_admins_may_import(client: FlaskClient, auth, role: str) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(role)
    db.session.commit()
    auth.login(user.email)
    assert client.get("/omzet/impor").status_code == 403
    assert client.get("/omzet/impor/templat.csv").status_code == 403
    assert upload(client, "NIB;periode;omzet\n").status_code == 403


def test_anonymous_is_sent_to_login(client: FlaskClient) -> None:
    response = client.get("/omzet/impor")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


# -- compliance -----------------------------------------------------------------------------


def test_compliance_lists_the_non_filer_only(client: FlaskClient, admin) -> None:  # type: ignore[no-untyped-def]
    filer = business(business_name="Batik Sudah Lapor")
    silent = business(business_name="Keripik Belum Lapor", owner_name="Siti Aminah")
    business(business_name="Usaha Baru Bulan Ini", submitted_at=dt.datetime.now(dt.UTC))
    business(business_name="Usaha Menunggu", status="pending")
    factories.omzet_report(filer, last_month(), 1_000_000)
    factories.omzet_report(silent, str(reporting_month(today_in_jakarta()).shift(-3)), 500)
    db.session.commit()
    body = client.get("/omzet/kepatuhan").get_data(as_text=True)
    assert "Keripik Belum Lapor" in body
    assert "Batik Sudah Lapor" not in body
    assert "Usaha Baru Bulan Ini" not in body and "Usaha Menunggu" not in body
    assert "<strong>1</strong> dari 2 UMKM" in body
    assert "3 bulan" in body  # filed three months before last month: two gaps and last month


def test_whatsapp_link_is_well_formed(client: FlaskClient, admin) -> None:  # type: ignore[no-untyped-def]
    business(owner_name="Siti Aminah", business_name="Keripik Siti", phone="6281234567890")
    db.session.commit()
    body = client.get("/omzet/kepatuhan").get_data(as_text=True)
    start = body.index('href="https://wa.me/')
    href = body[start + 6 : body.index('"', start + 6)].replace("&amp;", "&")
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281234567890")
    text = parse_qs(parts.query)["text"][0]
    assert text == unquote(parts.query.removeprefix("text="))
    label = reporting_month(today_in_jakarta()).label
    assert text.startswith("Yth. Bapak/Ibu Siti Aminah, pemilik Keripik Siti: omzet bulan " + label)
    assert "http://localhost/omzet/" in text and text.endswith("Terima kasih.")
    assert 'target="_blank" rel="noopener"' in body


def test_inspector_reads_the_list_without_reminder_buttons(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    business(business_name="Keripik Belum Lapor")
    inspector = factories.user("inspector")
    db.session.commit()
    auth.login(inspector.email)
    response = client.get("/omzet/kepatuhan")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Keripik Belum Lapor" in body and "wa.me" not in body
    assert client.get("/omzet/kepatuhan.xlsx").status_code == 200


@pytest.mark.parametrize("role", ["umkm", "opd"])
def test_compliance_is_for_admin_and_inspector(client: FlaskClient, auth, role: str) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(role)
    db.session.commit()
    auth.login(user.email)
    assert client.get("/omzet/kepatuhan").status_code == 403
    assert client.get("/omzet/kepatuhan.xlsx").status_code == 403


def test_compliance_filters_by_kecamatan_and_category(client: FlaskClient, admin) -> None:  # type: ignore[no-untyped-def]
    north = business(business_name="Batik Utara", categories=["batik"])
    kel = factories.kelurahan("Sukamaju Selatan", "Kebonsari")
    south = business(
        business_name="Katering Selatan",
        categories=["katering"],
        kecamatan_id=kel.kecamatan_id,
        kelurahan_id=kel.id,
    )
    db.session.commit()
    by_kecamatan = client.get(f"/omzet/kepatuhan?kecamatan={south.kecamatan_id}").get_data(
        as_text=True
    )
    assert "Katering Selatan" in by_kecamatan and "Batik Utara" not in by_kecamatan
    batik = factories.category("batik")
    by_category = client.get(f"/omzet/kepatuhan?category={batik.id}").get_data(as_text=True)
    assert "Batik Utara" in by_category and "Katering Selatan" not in by_category
    # Without filters both are listed: the filters, not the data, left one out above.
    everyone = client.get("/omzet/kepatuhan").get_data(as_text=True)
    assert "Batik Utara" in everyone and "Katering Selatan" in everyone
    # Both filters at once narrow together (AND): batik in the south kecamatan is nobody.
    both = client.get(
        f"/omzet/kepatuhan?kecamatan={south.kecamatan_id}&category={batik.id}"
    ).get_data(as_text=True)
    assert "Batik Utara" not in both and "Katering Selatan" not in both
    assert north.kecamatan_id != south.kecamatan_id


def test_compliance_pages_by_fifty(client: FlaskClient, admin) -> None:  # type: ignore[no-untyped-def]
    for n in range(51):
        business(business_name=f"Usaha {n:03d}")
    db.session.commit()
    first = client.get("/omzet/kepatuhan").get_data(as_text=True)
    second = client.get("/omzet/kepatuhan?page=2").get_data(as_text=True)
    assert "Usaha 049" in first and "Usaha 050" not in first
    assert "Usaha 050" in second and "Usaha 000" not in second


def test_compliance_export_has_every_row(client: FlaskClient, admin) -> None:  # type: ignore[no-untyped-def]
    for n in range(55):
        business(business_name=f"Usaha {n:03d}", nib=f"00{n:011d}", phone="6281200000001")
    kel = factories.kelurahan("Sukamaju Selatan", "Kebonsari")
    business(business_name="Di Selatan", kecamatan_id=kel.kecamatan_id, kelurahan_id=kel.id)
    db.session.commit()
    response = client.get("/omzet/kepatuhan.xlsx")
    assert response.status_code == 200
    assert "belum-lapor-omzet" in response.headers["Content-Disposition"]
    frame = pd.read_excel(io.BytesIO(response.data), dtype=str, engine="openpyxl")
    assert len(frame) == 56
    assert {"NIB", "Nama usaha", "Pemilik", "No. HP/WA", "Terakhir lapor"} <= set(frame.columns)
    first = frame[frame["Nama usaha"] == "Usaha 000"].iloc[0]
    assert first["NIB"] == "0000000000000" and first["No. HP/WA"] == "6281200000001"
    assert first["Terakhir lapor"] == "belum pernah"
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].value == "NIB" and sheet["F1"].value == "No. HP/WA"
    assert {sheet["A2"].data_type, sheet["F2"].data_type} == {"s"}  # text cells, not numbers
    filtered = client.get(f"/omzet/kepatuhan.xlsx?kecamatan={kel.kecamatan_id}")
    names = pd.read_excel(io.BytesIO(filtered.data), engine="calamine")["Nama usaha"]
    assert names.tolist() == ["Di Selatan"]


# -- CLI ------------------------------------------------------------------------------------


def test_cli_import_with_and_without_dry_run(app: Flask, tmp_path: Path) -> None:
    a = business()
    db.session.commit()
    path = tmp_path / "omzet-oktober.csv"
    path.write_text(f"NIB;periode;omzet\n{a.nib};{last_month()};2.500.000\n", encoding="utf-8")
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["import-omzet", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "lolos pemeriksaan" in dry.output and "1 baru" in dry.output
    db.session.expire_all()
    assert report_count() == 0

    real = runner.invoke(args=["import-omzet", str(path)])
    assert real.exit_code == 0, real.output
    assert "diimpor: 1 baris: 1 baru" in real.output
    db.session.expire_all()
    row = db.session.scalars(select(OmzetReport)).one()
    assert (row.amount, row.source_file, row.filed_by_id) == (2_500_000, "omzet-oktober.csv", None)


def test_cli_exits_1_with_a_table_of_errors(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "salah.csv"
    path.write_text("NIB;periode;omzet\n9999999999999;2026-01;dua juta\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-omzet", str(path)])
    assert result.exit_code == 1
    assert "2 kesalahan; tidak ada yang disimpan" in result.output
    assert "2  NIB" in result.output and "bukan angka rupiah" in result.output
    db.session.expire_all()
    assert report_count() == 0


def test_cli_refuses_a_file_above_the_limit_before_reading_it(app: Flask, tmp_path: Path) -> None:
    app.config["OMZET_IMPORT_MAX_BYTES"] = 1024 * 1024
    path = tmp_path / "besar.csv"
    path.write_bytes(b"NIB;periode;omzet\n" + b"x" * (2 * 1024 * 1024))
    result = app.test_cli_runner().invoke(args=["import-omzet", str(path)])
    assert result.exit_code == 1
    assert "Berkas melebihi 1 MB (ukurannya 2 MB)" in result.output
