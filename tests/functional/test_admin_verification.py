"""UMKM verification through the admin pages: queue, checklist, decisions, who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.admin.dashboard import dashboard
from procure.audit.models import AuditLog
from procure.auth.models import User
from procure.db import utcnow
from procure.extensions import db
from procure.umkm.models import Umkm, UmkmReview
from tests import factories

TICKED = {"own_production": "y", "address_in_city": "y"}


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _fresh(umkm_id: int) -> Umkm:
    db.session.expire_all()
    found = db.session.get(Umkm, umkm_id)
    assert found is not None
    return found


@pytest.fixture
def admin(auth):  # type: ignore[no-untyped-def]
    user = factories.user("admin")
    db.session.commit()
    auth.login(user.email)
    return user


def test_queue_lists_pending_oldest_first(client: FlaskClient, admin: User) -> None:
    now = utcnow()
    newer = factories.umkm(status="pending", business_name="Batik Baru", submitted_at=now)
    older = factories.umkm(
        status="pending", business_name="Batik Lama", submitted_at=now - dt.timedelta(days=3)
    )
    factories.umkm(status="verified", business_name="Sudah Terverifikasi")
    db.session.commit()
    html = client.get("/admin/verifikasi").get_data(as_text=True)
    assert html.index("Batik Lama") < html.index("Batik Baru")
    assert "Sudah Terverifikasi" not in html
    assert f"/admin/umkm/{older.id}" in html and f"/admin/umkm/{newer.id}" in html


def test_empty_queue_says_so(client: FlaskClient, admin: User) -> None:
    assert "Belum ada pendaftaran yang menunggu" in client.get("/admin/verifikasi").get_data(
        as_text=True
    )


def test_detail_shows_application_checklist_products_and_history(
    client: FlaskClient,
    admin: User,
) -> None:
    umkm = factories.umkm(status="pending", business_name="Konveksi Sejahtera", nik="12345")
    factories.product(umkm, name="Seragam PDH")
    db.session.commit()
    html = client.get(f"/admin/umkm/{umkm.id}").get_data(as_text=True)
    assert "Konveksi Sejahtera" in html and umkm.nib in html
    assert "Seragam PDH" in html
    assert "NIK harus 16 digit" in html  # the failed automatic check, with its reason
    assert "Belum ada keputusan." in html
    assert f'action="/admin/umkm/{umkm.id}/verifikasi"' in html
    assert f'action="/admin/umkm/{umkm.id}/tolak"' in html


def test_verify_happy_path(client: FlaskClient, admin: User) -> None:
    umkm = factories.umkm(status="pending")
    db.session.commit()
    response = client.post(f"/admin/umkm/{umkm.id}/verifikasi", data=TICKED)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/verifikasi"
    fresh = _fresh(umkm.id)
    assert fresh.status == "verified"
    assert fresh.verified_at is not None
    review = db.session.scalars(select(UmkmReview)).one()
    assert (review.action, review.from_status, review.to_status) == (
        "verify",
        "pending",
        "verified",
    )
    assert review.actor_id == admin.id
    assert review.checklist["manual"] == {"own_production": True, "address_in_city": True}
    assert all(review.checklist["automatic"].values())
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "umkm.verify")).one()
    assert (entry.entity_type, entry.entity_id, entry.actor_id) == ("umkm", umkm.id, admin.id)
    assert entry.data["status"] == ["pending", "verified"]
    history = client.get(f"/admin/umkm/{umkm.id}").get_data(as_text=True)
    assert "Menunggu verifikasi &rarr; Terverifikasi" in history


@pytest.mark.parametrize(
    ("data", "missing"),
    [
        ({"own_production": "y"}, "Alamat usaha sudah dipastikan"),
        ({"address_in_city": "y"}, "Produksi sendiri sudah dipastikan"),
        ({}, "Produksi sendiri sudah dipastikan"),
    ],
)
def test_verify_refused_when_a_manual_box_is_unticked(
    client: FlaskClient,
    admin: User,
    data: dict[str, str],
    missing: str,
) -> None:
    umkm = factories.umkm(status="pending")
    db.session.commit()
    response = client.post(f"/admin/umkm/{umkm.id}/verifikasi", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Belum bisa diverifikasi" in html and missing in html
    assert _fresh(umkm.id).status == "pending"
    assert _fresh(umkm.id).verified_at is None
    assert _count(UmkmReview) == 0
    assert _count(AuditLog) == 0


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("nib", "91200012345", "NIB harus 13 digit"),
        ("npwp", "1234", "NPWP harus 15 atau 16 digit"),
        ("nik", "3374019904850001", "NIK tidak valid"),
    ],
)
def test_verify_refused_when_an_automatic_check_fails(
    client: FlaskClient,
    admin: User,
    field: str,
    value: str,
    words: str,
) -> None:
    umkm = factories.umkm(status="pending", **{field: value})
    db.session.commit()
    html = client.post(f"/admin/umkm/{umkm.id}/verifikasi", data=TICKED).get_data(as_text=True)
    assert "Belum bisa diverifikasi" in html and words in html
    fresh = _fresh(umkm.id)
    assert (fresh.status, fresh.verified_at) == ("pending", None)
    assert getattr(fresh, field) == value  # not "corrected" behind the admin's back
    assert _count(UmkmReview) == 0 and _count(AuditLog) == 0


def test_verify_refused_when_nib_is_used_by_another_umkm(client: FlaskClient, admin: User) -> None:
    first = factories.umkm(status="verified", nib="9120009999999")
    second = factories.umkm(status="pending", nib="9120.0099.99999")
    db.session.commit()
    html = client.post(f"/admin/umkm/{second.id}/verifikasi", data=TICKED).get_data(as_text=True)
    assert "sudah dipakai UMKM lain" in html
    assert (_fresh(second.id).status, _fresh(second.id).verified_at) == ("pending", None)
    assert _fresh(first.id).status == "verified"
    assert _count(UmkmReview) == 0 and _count(AuditLog) == 0


@pytest.mark.parametrize("reason", ["", "pendek"])
def test_reject_without_a_real_reason_is_refused(
    client: FlaskClient,
    admin: User,
    reason: str,
) -> None:
    umkm = factories.umkm(status="pending")
    db.session.commit()
    response = client.post(f"/admin/umkm/{umkm.id}/tolak", data={"reason": reason})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Alasan wajib diisi." in html or "Alasan 10 sampai 2000 karakter." in html
    assert _fresh(umkm.id).status == "pending"
    assert _count(UmkmReview) == 0 and _count(AuditLog) == 0


def test_reject_with_reason(client: FlaskClient, admin: User) -> None:
    umkm = factories.umkm(status="pending")
    db.session.commit()
    reason = "Foto KTP tidak terbaca, unggah ulang yang jelas."
    response = client.post(f"/admin/umkm/{umkm.id}/tolak", data={"reason": reason})
    assert response.status_code == 302
    fresh = _fresh(umkm.id)
    assert (fresh.status, fresh.status_reason, fresh.verified_at) == ("rejected", reason, None)
    review = db.session.scalars(select(UmkmReview)).one()
    assert (review.action, review.reason) == ("reject", reason)
    assert review.checklist["manual"] == {}
    assert db.session.scalar(select(AuditLog.action)) == "umkm.reject"


def test_suspend_then_reinstate(client: FlaskClient, admin: User) -> None:
    umkm = factories.umkm(status="verified")
    db.session.commit()
    assert client.post(f"/admin/umkm/{umkm.id}/bekukan", data={"reason": ""}).status_code == 200
    assert _fresh(umkm.id).status == "verified"

    response = client.post(
        f"/admin/umkm/{umkm.id}/bekukan", data={"reason": "Pesanan fiktif sedang diperiksa."}
    )
    assert response.status_code == 302
    assert _fresh(umkm.id).status == "suspended"
    assert _fresh(umkm.id).status_reason == "Pesanan fiktif sedang diperiksa."

    response = client.post(
        f"/admin/umkm/{umkm.id}/pulihkan", data={"reason": "Pemeriksaan selesai, tidak terbukti."}
    )
    assert response.status_code == 302
    assert _fresh(umkm.id).status == "verified"
    reviews = db.session.scalars(select(UmkmReview).order_by(UmkmReview.id)).all()
    assert [(r.action, r.from_status, r.to_status) for r in reviews] == [
        ("suspend", "verified", "suspended"),
        ("reinstate", "suspended", "verified"),
    ]
    actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["umkm.suspend", "umkm.reinstate"]


@pytest.mark.parametrize(
    ("status", "path", "data"),
    [
        ("rejected", "verifikasi", TICKED),
        ("verified", "verifikasi", TICKED),
        ("verified", "tolak", {"reason": "Alasan yang cukup panjang."}),
        ("pending", "bekukan", {"reason": "Alasan yang cukup panjang."}),
        ("rejected", "bekukan", {"reason": "Alasan yang cukup panjang."}),
        ("verified", "pulihkan", {"reason": "Alasan yang cukup panjang."}),
        ("pending", "pulihkan", {"reason": "Alasan yang cukup panjang."}),
    ],
)
def test_impossible_transitions_are_refused(
    client: FlaskClient,
    admin: User,
    status: str,
    path: str,
    data: dict[str, str],
) -> None:
    umkm = factories.umkm(status=status)
    db.session.commit()
    response = client.post(f"/admin/umkm/{umkm.id}/{path}", data=data)
    assert response.status_code == 200
    assert "Tidak bisa" in response.get_data(as_text=True)
    assert _fresh(umkm.id).status == status
    assert _count(UmkmReview) == 0 and _count(AuditLog) == 0


def test_inspector_reads_queue_and_detail_but_cannot_decide(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    inspector = factories.user("inspector")
    umkm = factories.umkm(status="pending", business_name="Katering Bu Sri")
    db.session.commit()
    auth.login(inspector.email)
    assert "Katering Bu Sri" in client.get("/admin/verifikasi").get_data(as_text=True)
    detail = client.get(f"/admin/umkm/{umkm.id}")
    assert detail.status_code == 200
    html = detail.get_data(as_text=True)
    assert "Katering Bu Sri" in html and "Lulus" in html
    assert f'action="/admin/umkm/{umkm.id}/' not in html  # no decision form for inspectors
    assert "Tolak pendaftaran" not in html and 'type="checkbox"' not in html
    for path, data in [
        ("verifikasi", TICKED),
        ("tolak", {"reason": "Alasan yang cukup panjang."}),
    ]:
        assert client.post(f"/admin/umkm/{umkm.id}/{path}", data=data).status_code == 403
    assert _fresh(umkm.id).status == "pending"
    assert _count(UmkmReview) == 0 and _count(AuditLog) == 0


@pytest.mark.parametrize("role", ["umkm", "opd"])
def test_umkm_and_opd_accounts_get_403(client: FlaskClient, auth, role: str) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(role)
    umkm = factories.umkm(status="pending")
    db.session.commit()
    auth.login(user.email)
    for path in ["/admin/", "/admin/verifikasi", f"/admin/umkm/{umkm.id}", "/admin/umkm"]:
        assert client.get(path).status_code == 403, path
    assert client.post(f"/admin/umkm/{umkm.id}/verifikasi", data=TICKED).status_code == 403
    assert _fresh(umkm.id).status == "pending"


def test_anonymous_sees_nothing_and_changes_nothing(client: FlaskClient) -> None:
    umkm = factories.umkm(status="pending", business_name="Rahasia Dapur")
    db.session.commit()
    # The login redirect itself is web.py's business (tested with auth); here: no admin page.
    response = client.get(f"/admin/umkm/{umkm.id}")
    assert response.status_code in (302, 401)
    assert "Rahasia Dapur" not in response.get_data(as_text=True)
    assert client.post(f"/admin/umkm/{umkm.id}/verifikasi", data=TICKED).status_code in (302, 401)
    assert _fresh(umkm.id).status == "pending"


def test_umkm_list_filters_and_paginates(client: FlaskClient, admin: User) -> None:
    kel = factories.kelurahan("Sukamaju Selatan", "Pandean")
    factories.umkm(
        status="verified",
        business_name="Sepatu Kulit Jaya",
        categories=["sepatu"],
        kecamatan_id=kel.kecamatan_id,
        kelurahan_id=kel.id,
    )
    factories.umkm(status="suspended", business_name="Batik Dibekukan", nib="9129990000001")
    for i in range(26):
        factories.umkm(status="pending", business_name=f"Antre {i:02d}")
    db.session.commit()

    everything = client.get("/admin/umkm").get_data(as_text=True)
    assert "Halaman 1 dari 2" in everything and "28 hasil" in everything

    def names(**args: str) -> str:
        return client.get("/admin/umkm", query_string=args).get_data(as_text=True)

    by_status = names(status="suspended")
    assert "Batik Dibekukan" in by_status and "Sepatu Kulit Jaya" not in by_status
    assert "Dibekukan</span>" in by_status  # the status badge
    by_kecamatan = names(kecamatan=str(kel.kecamatan_id))
    assert "Sepatu Kulit Jaya" in by_kecamatan and "Antre 00" not in by_kecamatan
    by_category = names(category=str(factories.category("sepatu").id))
    assert "Sepatu Kulit Jaya" in by_category and "Batik Dibekukan" not in by_category
    by_text = names(q="kulit")
    assert "Sepatu Kulit Jaya" in by_text and "Antre 01" not in by_text
    by_nib = names(q="912999")
    assert "Batik Dibekukan" in by_nib and "Sepatu Kulit Jaya" not in by_nib
    assert "Tidak ada UMKM yang cocok" in names(q="tidak-ada-yang-begini")
    second = client.get("/admin/umkm", query_string={"status": "pending", "page": 2})
    assert "Halaman 2 dari 2" in second.get_data(as_text=True)


def test_dashboard_counts(client: FlaskClient, admin: User) -> None:
    verified = factories.umkm(status="verified")
    factories.product(verified)
    factories.product(verified, is_active=False)
    factories.umkm(status="pending")
    factories.opd()
    db.session.commit()
    client.post(
        f"/admin/umkm/{factories.umkm(status='pending').id}/tolak",
        data={"reason": "Data usaha tidak lengkap sama sekali."},
    )
    html = client.get("/admin/").get_data(as_text=True)
    assert "Beranda Admin" in html
    assert "<svg" in html and "Sukamaju Utara" in html
    assert "umkm.reject" in html  # the latest audit entries
    board = dashboard(db.session)
    assert {c.key: c.count for c in board.umkm_by_status} == {
        "pending": 1,
        "verified": 1,
        "rejected": 1,
        "suspended": 0,
    }
    assert board.active_products == 1  # the inactive product does not count
    assert board.verified_by_kecamatan == [("Sukamaju Utara", 1)]
    assert {c.key: c.count for c in board.accounts_by_role}["admin"] == 1
