"""The owner's home page and profile: status messages, what may change, re-submission."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from procure.audit.models import AuditLog
from procure.extensions import db
from procure.umkm.models import Product, Umkm
from tests import factories

URL = "/umkm/profil"


def login_owner(auth: Any, **umkm_fields: Any) -> Umkm:
    umkm = factories.umkm(**umkm_fields)
    user = factories.user("umkm", umkm=umkm)
    db.session.commit()
    auth.login(user.email)
    return db.session.get(Umkm, umkm.id)


def profile_data(umkm: Umkm, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "business_name": umkm.business_name,
        "owner_name": umkm.owner_name,
        "nik": umkm.nik,
        "nib": umkm.nib,
        "npwp": umkm.npwp,
        "declared_scale": umkm.declared_scale,
        "is_own_production": "y",
        "address": umkm.address,
        "kecamatan_id": str(umkm.kecamatan_id),
        "kelurahan_id": str(umkm.kelurahan_id),
        "phone": umkm.phone,
        "bank_name": umkm.bank_name,
        "bank_account_number": umkm.bank_account_number,
        "bank_account_name": umkm.bank_account_name,
        "categories": [str(c.id) for c in umkm.categories],
        "description": umkm.description or "",
    }
    data.update(changes)
    return data


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        ("pending", None, "menunggu verifikasi"),
        ("rejected", "Foto KTP buram, unggah ulang", "Foto KTP buram, unggah ulang"),
        ("suspended", "Pesanan tidak dikirim dua kali", "Pesanan tidak dikirim dua kali"),
        ("verified", None, "sudah terverifikasi"),
    ],
)
def test_home_explains_the_status(
    client: FlaskClient, auth: Any, status: str, reason: str | None, expected: str
) -> None:
    umkm = login_owner(auth, status=status, status_reason=reason)
    factories.product(umkm)
    factories.product(umkm, is_active=False)
    db.session.commit()
    response = client.get("/umkm/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert expected in page
    assert umkm.business_name in page
    assert "Produk aktif" in page
    assert 'href="/umkm/produk"' in page
    if status == "rejected":
        assert "Dinas Koperasi &amp; UKM" in page  # who to contact


def test_verified_umkm_cannot_change_identity_but_can_change_contact(
    client: FlaskClient, auth: Any
) -> None:
    umkm = login_owner(auth, business_name="Batik Lama")
    factories.product(umkm, name="Kemeja")
    db.session.commit()
    old_nib = umkm.nib
    page = client.get(URL).get_data(as_text=True)
    assert 'name="nib"' not in page
    assert old_nib in page  # shown, not editable

    data = profile_data(
        umkm, business_name="Batik Baru", nib="9999999999999", phone="0813 1111 2222"
    )
    response = client.post(URL, data=data)
    assert response.status_code == 302
    db.session.expire_all()
    umkm = db.session.get(Umkm, umkm.id)
    assert umkm.nib == old_nib
    assert (umkm.business_name, umkm.phone, umkm.status) == (
        "Batik Baru",
        "6281311112222",
        "verified",
    )
    product = db.session.scalars(select(Product)).one()
    assert product.search_text == "kemeja batik baru"
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "umkm.profile")).one()
    assert entry.data["business_name"] == ["Batik Lama", "Batik Baru"]
    assert "nib" not in entry.data


def test_rejected_application_is_fixed_and_resubmitted(client: FlaskClient, auth: Any) -> None:
    umkm = login_owner(auth, status="rejected", status_reason="NIB tidak cocok dengan OSS")
    page = client.get(URL).get_data(as_text=True)
    assert 'name="nib"' in page
    response = client.post(URL, data=profile_data(umkm, nib="9120009990001"))
    assert response.status_code == 302
    db.session.expire_all()
    umkm = db.session.get(Umkm, umkm.id)
    assert (umkm.nib, umkm.status, umkm.status_reason) == ("9120009990001", "pending", None)
    assert actions()[-2:] == ["umkm.profile", "umkm.resubmit"]
    resubmit = db.session.scalars(select(AuditLog).where(AuditLog.action == "umkm.resubmit")).one()
    assert resubmit.data["rejected_reason"] == "NIB tidak cocok dengan OSS"


def test_resubmission_with_a_taken_nib_changes_nothing(client: FlaskClient, auth: Any) -> None:
    taken = factories.umkm().nib
    umkm = login_owner(auth, status="rejected", status_reason="NIB salah")
    response = client.post(URL, data=profile_data(umkm, nib=taken))
    assert response.status_code == 200
    assert "NIB ini sudah terdaftar" in response.get_data(as_text=True)
    db.session.expire_all()
    umkm = db.session.get(Umkm, umkm.id)
    assert (umkm.status, umkm.status_reason) == ("rejected", "NIB salah")
    assert umkm.nib != taken
    assert "umkm.resubmit" not in actions() and "umkm.profile" not in actions()


@pytest.mark.parametrize(
    ("nib", "message"),
    [
        ("912000999000", "NIB harus 13 digit angka; yang diisi 12 digit."),
        ("91200O9990001", "NIB hanya boleh berisi angka (13 digit)."),
    ],
)
def test_resubmission_with_a_wrong_nib_changes_nothing(
    client: FlaskClient, auth: Any, nib: str, message: str
) -> None:
    umkm = login_owner(auth, status="rejected", status_reason="NIB salah")
    old = (umkm.nib, umkm.business_name)
    response = client.post(URL, data=profile_data(umkm, nib=nib, business_name="Batik Baru"))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    fresh = db.session.get(Umkm, umkm.id)
    assert (fresh.nib, fresh.business_name) == old != (nib, "Batik Baru")
    assert (fresh.status, fresh.status_reason) == ("rejected", "NIB salah")
    assert actions() == []


def test_profile_refuses_a_kelurahan_outside_the_kecamatan(client: FlaskClient, auth: Any) -> None:
    umkm = login_owner(auth)
    elsewhere = factories.kelurahan("Sukamaju Selatan", "Pandean")
    db.session.commit()
    data = profile_data(umkm, kelurahan_id=str(elsewhere.id), phone="0813 1111 2222")
    response = client.post(URL, data=data)
    assert "tidak berada di kecamatan yang dipilih" in response.get_data(as_text=True)
    db.session.expire_all()
    fresh = db.session.get(Umkm, umkm.id)
    assert fresh.kelurahan_id != elsewhere.id
    assert fresh.phone != "6281311112222"  # the valid fields of a refused form are not saved
    assert "umkm.profile" not in actions()


def test_profile_changes_categories(client: FlaskClient, auth: Any) -> None:
    umkm = login_owner(auth, categories=["batik"])
    konsumsi = factories.category("konsumsi")
    db.session.commit()
    client.post(URL, data=profile_data(umkm, categories=[str(konsumsi.id)]))
    db.session.expire_all()
    assert [c.slug for c in db.session.get(Umkm, umkm.id).categories] == ["konsumsi"]


def test_verified_owner_changes_the_tax_status_and_it_is_audited(
    client: FlaskClient, auth: Any
) -> None:
    """Tax status is not identity: it stays editable after verification."""
    umkm = login_owner(auth)
    page = client.get(URL).get_data(as_text=True)
    assert 'name="nib"' not in page  # identity locked ...
    assert 'name="is_pkp"' in page and 'name="has_pp55_certificate"' in page  # ... tax is not

    response = client.post(URL, data=profile_data(umkm, is_pkp="y"))
    assert response.status_code == 302
    db.session.expire_all()
    umkm = db.session.get(Umkm, umkm.id)
    assert (umkm.is_pkp, umkm.has_pp55_certificate, umkm.status) == (True, False, "verified")
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "umkm.profile")).one()
    assert entry.data == {"is_pkp": [False, True]}
    assert "PKP (PPN dipisahkan)" in client.get("/umkm/").get_data(as_text=True)

    # Both boxes unticked: the certificate off again, the PKP status cleared.
    client.post(URL, data=profile_data(umkm, has_pp55_certificate="y"))
    client.post(URL, data=profile_data(umkm))
    db.session.expire_all()
    umkm = db.session.get(Umkm, umkm.id)
    assert (umkm.is_pkp, umkm.has_pp55_certificate) == (False, False)
    entries = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "umkm.profile").order_by(AuditLog.id)
    ).all()
    assert [e.data for e in entries[1:]] == [
        {"is_pkp": [True, False], "has_pp55_certificate": [False, True]},
        {"has_pp55_certificate": [True, False]},
    ]


def test_edit_form_shows_the_stored_tax_status_ticked(client: FlaskClient, auth: Any) -> None:
    login_owner(auth, is_pkp=False, has_pp55_certificate=True)
    page = client.get(URL).get_data(as_text=True)
    ticked = {
        re.findall(r'name="(\w+)"', tag)[0]
        for tag in re.findall(r"<input[^>]*>", page)
        if re.search(r"\schecked\b", tag)
    }
    assert "has_pp55_certificate" in ticked
    assert "is_pkp" not in ticked


def test_admin_sees_the_tax_status_read_only(client: FlaskClient, auth: Any) -> None:
    umkm = factories.umkm(is_pkp=True, has_pp55_certificate=False)
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    page = client.get(f"/admin/umkm/{umkm.id}").get_data(as_text=True)
    assert "Ya, menurut pemilik · PPN dipisahkan pada dokumen" in page
    assert "Tidak ada, dipotong PPh 22/23" in page
    assert 'name="is_pkp"' not in page
