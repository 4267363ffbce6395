"""The page of UMKM waiting for their first order: who may open it, what it shows, the empty
state, its filters and the CSV download (formula injection guarded)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from flask.testing import FlaskClient

from procure.clock import midnight, today_in_jakarta
from procure.extensions import db
from tests import factories
from tests.conftest import AuthActions

URL = "/pemerataan/tanpa-pesanan"


def _waiting(days: int = 120, **kwargs: Any) -> Any:
    return factories.umkm(
        verified_at=midnight(today_in_jakarta() - dt.timedelta(days=days)), **kwargs
    )


def _login(auth: AuthActions, role: str) -> None:
    user = factories.user(role)
    db.session.commit()
    assert auth.login(user.email).status_code == 302


def test_admin_sees_the_umkm_and_why(client: FlaskClient, auth: AuthActions) -> None:
    owner = _waiting(business_name="Batik Sekar Jagad")
    _waiting(30, business_name="Batik Baru Terverifikasi")
    _login(auth, "admin")
    page = client.get(URL).get_data(as_text=True)
    assert "Batik Sekar Jagad" in page
    assert f"/admin/umkm/{owner.id}" in page
    assert "Belum punya produk aktif di katalog" in page
    assert "Batik Baru Terverifikasi" not in page
    assert "alasan pada halaman ini (1 UMKM)" in page
    assert "Unduh CSV" in page


def test_inspector_may_read_an_officer_may_not(client: FlaskClient, auth: AuthActions) -> None:
    _waiting()
    _login(auth, "inspector")
    assert client.get(URL).status_code == 200
    assert client.get(URL + ".csv").status_code == 200
    auth.logout()
    _login(auth, "opd")
    assert client.get(URL).status_code == 403
    assert client.get(URL + ".csv").status_code == 403


def test_empty_state(client: FlaskClient, auth: AuthActions) -> None:
    _login(auth, "admin")
    page = client.get(URL).get_data(as_text=True)
    assert "Semua UMKM terverifikasi sudah pernah mendapat pesanan." in page
    assert "Unduh CSV" not in page


def test_filter_by_kecamatan(client: FlaskClient, auth: AuthActions) -> None:
    far = factories.kelurahan("Kecamatan Jauh", "Desa Ujung")
    _waiting(business_name="Usaha Di Kota")
    _waiting(business_name="Usaha Di Ujung", kecamatan_id=far.kecamatan_id, kelurahan_id=far.id)
    _login(auth, "admin")
    page = client.get(URL, query_string={"kecamatan": far.kecamatan_id}).get_data(as_text=True)
    assert "Usaha Di Ujung" in page
    assert "Usaha Di Kota" not in page
    odd = client.get(URL, query_string={"kecamatan": "abc", "page": "-3"})
    assert odd.status_code == 200  # an odd value is no filter, an odd page the first


def test_csv_guards_against_formulas(client: FlaskClient, auth: AuthActions) -> None:
    _waiting(business_name='=HYPERLINK("http://contoh.invalid","klik")')
    _waiting(200, business_name="Batik Aman")
    _login(auth, "admin")
    response = client.get(URL + ".csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Nama usaha", "NIB", "Kategori"]
    assert [r[0] for r in rows[1:]] == [
        "Batik Aman",
        '\'=HYPERLINK("http://contoh.invalid","klik")',
    ]
    assert rows[1][6] == "200"
    assert "Belum punya produk aktif" in rows[1][7]


def test_csv_of_an_empty_list_has_its_header(client: FlaskClient, auth: AuthActions) -> None:
    _login(auth, "admin")
    text = client.get(URL + ".csv").get_data(as_text=True).lstrip("\ufeff")
    assert text.splitlines() == [
        "Nama usaha,NIB,Kategori,Jenis barang,Kecamatan,Terverifikasi,Hari menunggu,Alasan"
    ]
