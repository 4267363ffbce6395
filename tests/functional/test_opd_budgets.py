"""OPD budgets for the 40 % measure: the admin enters and changes an amount (confirmed first,
audited), inspectors read, officers are refused; amounts as people type them, bad ones refused
with Indonesian messages; a double submit changes nothing twice."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from procure.audit.models import AuditLog
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.opd.models import OpdBudget
from tests import factories
from tests.conftest import AuthActions

URL = "/pemerataan/pagu"


def _year() -> int:
    return today_in_jakarta().year


def _admin(auth: AuthActions) -> Any:
    admin = factories.user("admin")
    db.session.commit()
    assert auth.login(admin.email).status_code == 302
    return admin


def _post(client: FlaskClient, opd_id: int, amount: str, **extra: Any) -> Any:
    data = {"opd_id": str(opd_id), "year": str(extra.pop("year", _year())), "amount": amount}
    data.update(extra)
    return client.post(URL, data=data)


def _stored(opd_id: int, year: int | None = None) -> int | None:
    db.session.expire_all()
    return db.session.scalar(
        select(OpdBudget.amount).where(
            OpdBudget.opd_id == opd_id, OpdBudget.year == (year or _year())
        )
    )


def _audits() -> list[AuditLog]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == "opd_budget.set")))


def test_page_lists_active_opds_and_explains(client: FlaskClient, auth: AuthActions) -> None:
    opd = factories.opd(name="Dinas Pendidikan")
    retired = factories.opd(name="Dinas Lama")
    retired.is_active = False
    db.session.add(OpdBudget(opd_id=opd.id, year=_year(), amount=2_500_000_000))
    _admin(auth)
    page = client.get(URL).get_data(as_text=True)
    assert "Dinas Pendidikan" in page and "Rp 2.500.000.000" in page
    assert "Dinas Lama" not in page
    assert "Perpres 12 Tahun 2021 pasal 65" in page and "40&nbsp;%" in page
    other = client.get(URL, query_string={"tahun": _year() + 1}).get_data(as_text=True)
    assert "belum diisi" in other and "Rp 2.500.000.000" not in other
    assert client.get(URL, query_string={"tahun": "1900"}).status_code == 200


def test_enter_an_amount_typed_with_rp_and_dots(client: FlaskClient, auth: AuthActions) -> None:
    opd = factories.opd()
    admin = _admin(auth)
    response = _post(client, opd.id, "Rp 1.500.000.000")
    assert response.status_code == 302
    assert _stored(opd.id) == 1_500_000_000
    (entry,) = _audits()
    assert entry.actor_id == admin.id
    assert entry.data["amount"] == [None, 1_500_000_000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "tersimpan: Rp 1.500.000.000" in page


def test_double_submit_is_harmless(client: FlaskClient, auth: AuthActions) -> None:
    opd = factories.opd()
    _admin(auth)
    assert _post(client, opd.id, "1500000000").status_code == 302
    assert _post(client, opd.id, "1500000000").status_code == 302
    assert _stored(opd.id) == 1_500_000_000
    assert len(_audits()) == 1


def test_a_change_is_confirmed_first_and_audited(client: FlaskClient, auth: AuthActions) -> None:
    opd = factories.opd(name="Dinas Kesehatan")
    _admin(auth)
    _post(client, opd.id, "1.000.000.000")
    asked = _post(client, opd.id, "1.200.000.000")
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert "Pagu Dinas Kesehatan tahun" in page and "sudah diisi Rp 1.000.000.000" in page
    assert "Ya, ubah menjadi Rp 1.200.000.000" in page
    assert _stored(opd.id) == 1_000_000_000
    confirmed = dict(confirm="y", seen="1000000000")
    assert _post(client, opd.id, "1200000000", **confirmed).status_code == 302
    assert _stored(opd.id) == 1_200_000_000
    assert [e.data["amount"] for e in _audits()] == [
        [None, 1_000_000_000],
        [1_000_000_000, 1_200_000_000],
    ]
    # The confirmation clicked twice: the second finds the amount already there.
    assert _post(client, opd.id, "1200000000", **confirmed).status_code == 302
    assert len(_audits()) == 2


def test_a_stale_confirmation_is_refused(client: FlaskClient, auth: AuthActions) -> None:
    opd = factories.opd()
    _admin(auth)
    _post(client, opd.id, "1000000000")
    stale = _post(client, opd.id, "900000000", confirm="y", seen="800000000")
    assert stale.status_code == 200
    assert "baru saja diubah" in stale.get_data(as_text=True)
    assert _stored(opd.id) == 1_000_000_000


def test_bad_amounts_and_years_are_refused(client: FlaskClient, auth: AuthActions) -> None:
    opd = factories.opd()
    _admin(auth)
    cases = {
        "": "Isi pagu belanja barang/jasa",
        "0": "harus lebih dari Rp 0",
        "-5000000": "tidak boleh negatif",
        "satu miliar": "angka bulat",
        "1.500.000,50": "angka bulat",
        "99999999999999": "Pagu terlalu besar",
        "9" * 40: "terlalu besar",
    }
    for typed, message in cases.items():
        response = _post(client, opd.id, typed)
        assert response.status_code == 200, typed
        assert message in response.get_data(as_text=True), typed
    for year in (_year() - 6, _year() + 6, "dua ribu"):
        response = _post(client, opd.id, "1000000", year=year)
        assert "Tahun anggaran harus antara" in response.get_data(as_text=True)
    assert _post(client, 999_999, "1000000").status_code == 200
    assert db.session.scalar(select(OpdBudget.id)) is None
    assert _audits() == []


def test_years_within_five_either_side(client: FlaskClient, auth: AuthActions) -> None:
    opd = factories.opd()
    _admin(auth)
    for year in (_year() - 5, _year() + 5):
        assert _post(client, opd.id, "1000000", year=year).status_code == 302
        assert _stored(opd.id, year) == 1_000_000


def test_inspector_reads_officer_is_refused(client: FlaskClient, auth: AuthActions) -> None:
    opd = factories.opd()
    inspector = factories.user("inspector")
    officer = factories.user("opd", opd=opd)
    db.session.commit()
    auth.login(inspector.email)
    page = client.get(URL)
    assert page.status_code == 200 and "Simpan" not in page.get_data(as_text=True)
    assert _post(client, opd.id, "1000000").status_code == 403
    auth.logout()
    auth.login(officer.email)
    assert client.get(URL).status_code == 403
    assert _post(client, opd.id, "1000000").status_code == 403
    assert _stored(opd.id) is None
