"""Public UMKM registration through the real form."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.audit.models import AuditLog
from procure.auth.models import User
from procure.catalog.models import Category, Kelurahan
from procure.extensions import db
from procure.umkm import services
from procure.umkm.models import Umkm
from tests import factories

URL = "/umkm/daftar"
SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def places(app: Flask) -> dict[str, Any]:
    """Two kecamatan with a kelurahan each, and two categories, before the form is shown."""
    home = factories.kelurahan("Sukamaju Utara", "Karanganyar")
    elsewhere = factories.kelurahan("Sukamaju Selatan", "Pandean")
    batik = factories.category("batik")
    konsumsi = factories.category("konsumsi")
    db.session.commit()
    return {"home": home, "elsewhere": elsewhere, "categories": [batik, konsumsi]}


def form_data(places: dict[str, Any], **changes: Any) -> dict[str, Any]:
    home: Kelurahan = places["home"]
    data: dict[str, Any] = {
        "email": "Siti.Batik@Contoh.id",
        "password": "BatikTulis2026",
        "password_confirm": "BatikTulis2026",
        "owner_name": "Siti Aminah",
        "nik": "3374 0152 0485 0001",
        "business_name": "Batik Tulis Siti",
        "nib": "9120001234567",
        "npwp": "01.234.567.8-901.000",
        "declared_scale": "mikro",
        "is_own_production": "y",
        "address": "Jl. Melati No. 5 RT 02/RW 03",
        "kecamatan_id": str(home.kecamatan_id),
        "kelurahan_id": str(home.id),
        "phone": "0812-3456-7890",
        "bank_name": "Bank Jateng",
        "bank_account_number": "1234 5678 90",
        "bank_account_name": "Siti Aminah",
        "categories": [str(c.id) for c in places["categories"]],
        "description": "Batik tulis pewarna alam sejak 2009.",
    }
    data.update(changes)
    return data


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_form_groups_kelurahan_by_kecamatan_and_lists_categories(
    client: FlaskClient, places: dict[str, Any]
) -> None:
    page = client.get(URL).get_data(as_text=True)
    assert '<optgroup label="Kecamatan Sukamaju Utara">' in page
    home = places["home"]
    assert (
        f'<option data-kecamatan="{home.kecamatan_id}" value="{home.id}">Karanganyar</option>'
        in page
    )
    assert 'data-follows="kecamatan_id"' in page and "/static/region.js" in page
    assert '<optgroup label="Kecamatan Sukamaju Selatan">' in page
    for category in places["categories"]:
        assert f'value="{category.id}"' in page
        assert category.name in page
    assert 'inputmode="numeric"' in page
    assert 'autocomplete="new-password"' in page


def test_inactive_categories_are_not_offered(client: FlaskClient, places: dict[str, Any]) -> None:
    closed = factories.category("sepatu")
    closed.is_active = False
    db.session.commit()
    page = client.get(URL).get_data(as_text=True)
    assert f'name="categories" type="checkbox" value="{closed.id}"' not in page
    response = client.post(URL, data=form_data(places, categories=[str(closed.id)]))
    assert "Pilih kategori dari daftar." in response.get_data(as_text=True)
    assert count(Umkm) == 0


def test_successful_registration_creates_pending_umkm_and_logs_in(
    client: FlaskClient, places: dict[str, Any]
) -> None:
    response = client.post(URL, data=form_data(places))
    assert response.status_code == 302
    assert response.headers["Location"] == "/umkm/"

    umkm = db.session.scalars(select(Umkm)).one()
    assert umkm.status == "pending"
    assert (umkm.nib, umkm.npwp, umkm.nik) == (
        "9120001234567",
        "012345678901000",
        "3374015204850001",
    )
    assert umkm.phone == "6281234567890"
    assert umkm.bank_account_number == "1234567890"
    assert umkm.kelurahan_id == places["home"].id
    assert umkm.is_own_production is True
    assert sorted(c.slug for c in umkm.categories) == ["batik", "konsumsi"]

    user = db.session.scalars(select(User)).one()
    assert (user.email, user.role, user.umkm_id) == ("siti.batik@contoh.id", "umkm", umkm.id)
    assert user.check_password("BatikTulis2026")

    actions = {(a.action, a.entity_type, a.entity_id) for a in db.session.scalars(select(AuditLog))}
    assert ("umkm.register", "umkm", umkm.id) in actions
    assert ("user.create", "user_account", user.id) in actions
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "umkm.register")).one()
    assert entry.actor_id == user.id
    assert "BatikTulis2026" not in str(entry.data)

    home = client.get("/umkm/")
    page = home.get_data(as_text=True)
    assert home.status_code == 200
    assert "menunggu verifikasi oleh Dinas Koperasi &amp; UKM" in page
    assert "Batik Tulis Siti" in page


def test_logged_in_user_is_sent_home(
    client: FlaskClient, auth: Any, places: dict[str, Any]
) -> None:
    user = factories.user("umkm")
    db.session.commit()
    auth.login(user.email)
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nib", "91200012345", "NIB harus 13 digit angka; yang diisi 11 digit."),
        ("nib", "912000123456X", "NIB hanya boleh berisi angka"),
        ("npwp", "01.234.567.8-901", "NPWP harus 15 atau 16 digit angka"),
        ("nik", "3374013204850001", "NIK tidak valid: tanggal lahir (digit ke-7 dan ke-8)"),
        ("nik", "0974015204850001", "NIK tidak valid: kode provinsi"),
        ("nik", "3374015213850001", "NIK tidak valid: bulan lahir"),
        ("nib", "0000 0000 00000", "NIB ini tidak mungkin nomor sungguhan"),
        ("nib", "1111111111111", "NIB ini tidak mungkin nomor sungguhan"),
        ("npwp", "00.000.000.0-000.000", "NPWP ini tidak mungkin nomor sungguhan"),
        ("phone", "0812 0000 0000", "tidak mungkin nomor sungguhan"),
        ("nik", "337401520485", "NIK harus 16 digit angka"),
        ("phone", "021 555 1234", "Nomor HP/WhatsApp tidak valid"),
        ("email", "siti-at-contoh", "Alamat e-mail tidak valid"),
        ("bank_account_number", "12AB", "Nomor rekening hanya boleh berisi angka"),
        ("password", "pendek1", "Kata sandi minimal 10 karakter"),
        ("password_confirm", "BatikTulis2027", "Kedua kata sandi tidak sama"),
        ("declared_scale", "raksasa", "Pilih skala usaha dari daftar."),
        ("business_name", "", "Nama usaha wajib diisi."),
        ("business_name", "B" * 201, "Nama usaha paling panjang 200 karakter."),
        ("kelurahan_id", "", "Pilih kelurahan."),
        ("kelurahan_id", "999999", "Pilih kelurahan dari daftar."),
        ("categories", [], "Pilih minimal satu kategori usaha."),
    ],
)
def test_invalid_input_gives_its_message_and_saves_nothing(
    client: FlaskClient, places: dict[str, Any], field: str, value: Any, message: str
) -> None:
    response = client.post(URL, data=form_data(places, **{field: value}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page or field == "categories"
    assert count(Umkm) == 0
    assert count(User) == 0


def test_duplicate_nib_is_refused_on_the_field(client: FlaskClient, places: dict[str, Any]) -> None:
    factories.umkm(nib="9120001234567")
    db.session.commit()
    response = client.post(URL, data=form_data(places, nib="912-000-123-4567"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "NIB ini sudah terdaftar" in page
    assert 'id="nib-error"' in page
    assert count(Umkm) == 1
    assert count(User) == 0


def test_duplicate_email_is_refused_and_no_umkm_is_left_behind(
    client: FlaskClient, places: dict[str, Any]
) -> None:
    factories.user("admin", email="siti.batik@contoh.id")
    db.session.commit()
    response = client.post(URL, data=form_data(places))
    page = response.get_data(as_text=True)
    assert "E-mail ini sudah terdaftar" in page
    assert 'id="email-error"' in page
    assert count(Umkm) == 0
    assert count(AuditLog) == 0


def test_kelurahan_outside_the_kecamatan_is_refused(
    client: FlaskClient, places: dict[str, Any]
) -> None:
    data = form_data(places, kelurahan_id=str(places["elsewhere"].id))
    response = client.post(URL, data=data)
    assert "tidak berada di kecamatan yang dipilih" in response.get_data(as_text=True)
    assert count(Umkm) == 0


def test_service_also_refuses_a_kelurahan_outside_the_kecamatan(
    app: Flask, places: dict[str, Any]
) -> None:
    data = services.Registration(
        email="a@contoh.id",
        password="BatikTulis2026",
        owner_name="A",
        nik="3374015204850001",
        business_name="A",
        nib="9120001234567",
        npwp="012345678901000",
        address="Jl. A",
        kecamatan_id=places["home"].kecamatan_id,
        kelurahan_id=places["elsewhere"].id,
        phone="6281234567890",
        bank_name="BRI",
        bank_account_number="1234567",
        bank_account_name="A",
        declared_scale="mikro",
        category_ids=(places["categories"][0].id,),
        description=None,
        is_own_production=True,
    )
    with pytest.raises(services.UmkmError) as caught:
        services.register_umkm(db.session, data)
    assert "kelurahan_id" in caught.value.errors
    assert count(Umkm) == 0


def test_nib_race_caught_by_the_database_shows_the_message(
    client: FlaskClient, places: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check passes, then another request takes the NIB: the unique constraint decides."""
    factories.umkm(nib="9120001234567")
    db.session.commit()
    real = services.find_duplicates
    calls: list[int] = []

    def first_check_misses(*args: Any, **kwargs: Any) -> dict[str, str]:
        calls.append(1)
        return {} if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(services, "find_duplicates", first_check_misses)
    response = client.post(URL, data=form_data(places))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "NIB ini sudah terdaftar" in page
    assert count(Umkm) == 1
    assert count(User) == 0


def test_html_in_text_fields_is_stored_as_typed_and_shown_escaped(
    client: FlaskClient, places: dict[str, Any]
) -> None:
    text_fields = [
        "owner_name",
        "business_name",
        "address",
        "bank_name",
        "bank_account_name",
        "description",
    ]
    data = form_data(places, **{name: f"{SCRIPT} {name}" for name in text_fields})
    response = client.post(URL, data=data)
    assert response.status_code == 302
    umkm = db.session.scalars(select(Umkm)).one()
    for name in text_fields:
        assert getattr(umkm, name) == f"{SCRIPT} {name}"
    page = client.get("/umkm/").get_data(as_text=True)
    assert "&lt;script&gt;" in page
    assert "<script>alert" not in page
    for name in text_fields:
        assert f"&lt;/script&gt; {name}" in page

    profile = client.get("/umkm/profil").get_data(as_text=True)
    assert "<script>alert" not in profile
    assert "&lt;script&gt;" in profile


def test_invalid_post_with_html_echoes_it_escaped(
    client: FlaskClient, places: dict[str, Any]
) -> None:
    response = client.post(URL, data=form_data(places, nib="salah", business_name=SCRIPT))
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_missing_csrf_token_is_refused(
    app: Flask, client: FlaskClient, places: dict[str, Any]
) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(URL, data=form_data(places))
    assert response.status_code == 400
    assert "token CSRF" in response.get_data(as_text=True)
    assert count(Umkm) == 0


def test_category_rows_are_the_ones_chosen(client: FlaskClient, places: dict[str, Any]) -> None:
    batik = places["categories"][0]
    client.post(URL, data=form_data(places, categories=[str(batik.id)]))
    umkm = db.session.scalars(select(Umkm)).one()
    assert [c.id for c in umkm.categories] == [batik.id]
    assert count(Category) >= 2


def test_registration_stores_the_tax_status(client: FlaskClient, places: dict[str, Any]) -> None:
    page = client.get(URL).get_data(as_text=True)
    assert "Usaha saya Pengusaha Kena Pajak (PKP)" in page
    assert "Surat Keterangan PP 55/2022 (PPh final 0,5%)" in page
    assert 'name="is_pkp" type="checkbox"' in page
    data = form_data(places, is_pkp="y", has_pp55_certificate="y")
    assert client.post(URL, data=data).status_code == 302
    umkm = db.session.scalars(select(Umkm)).one()
    assert (umkm.is_pkp, umkm.has_pp55_certificate) == (True, True)
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "umkm.register")).one()
    assert (entry.data["is_pkp"], entry.data["has_pp55_certificate"]) == (True, True)
    home = client.get("/umkm/").get_data(as_text=True)
    assert "PKP (PPN dipisahkan)" in home
    assert "punya Surat Keterangan PP 55/2022" in home


def test_registration_without_the_boxes_is_not_pkp(
    client: FlaskClient, places: dict[str, Any]
) -> None:
    assert client.post(URL, data=form_data(places)).status_code == 302
    umkm = db.session.scalars(select(Umkm)).one()
    assert (umkm.is_pkp, umkm.has_pp55_certificate) == (False, False)
    assert "Bukan PKP" in client.get("/umkm/").get_data(as_text=True)
