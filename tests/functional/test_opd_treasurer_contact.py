"""The Bendahara's e-mail and phone on the admin's OPD form: where payment reminders go
(both databases)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.audit.models import AuditLog
from procure.auth.models import User
from procure.extensions import db
from procure.input_rules import MADE_UP_PHONE_MESSAGE, PHONE_MESSAGE
from procure.opd.models import Opd
from tests import factories


@pytest.fixture
def admin(auth):  # type: ignore[no-untyped-def]
    user = factories.user("admin", email="admin@sukamaju.go.id")
    db.session.commit()
    auth.login(user.email)
    return user


def _form(opd: Opd, **change: str) -> dict[str, str]:
    return {
        "code": opd.code,
        "name": opd.name,
        "address": opd.address,
        "head_name": opd.head_name,
        "head_nip": opd.head_nip or "",
        "is_active": "y",
        "treasurer_name": "Rahmawati Putri, S.E.",
        "treasurer_email": " Bendahara.Dinsos@Sukamaju.go.id ",
        "treasurer_phone": "+62 812-3456-7890",
        **change,
    }


def test_the_treasurer_contact_is_saved_normalised_audited_and_shown(
    client: FlaskClient, admin: User
) -> None:
    opd = factories.opd(code="DINSOS", name="Dinas Sosial")
    db.session.commit()
    form = client.get(f"/admin/opd/{opd.id}/ubah").get_data(as_text=True)
    assert "E-mail Bendahara (boleh kosong)" in form
    assert 'type="tel"' in form and 'inputmode="tel"' in form
    assert "Belum diisi (tidak ada pengingat bayar" in client.get(f"/admin/opd/{opd.id}").get_data(
        as_text=True
    )

    response = client.post(f"/admin/opd/{opd.id}/ubah", data=_form(opd))
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Opd, opd.id)
    assert changed is not None
    assert (changed.treasurer_email, changed.treasurer_phone) == (
        "bendahara.dinsos@sukamaju.go.id",
        "6281234567890",
    )
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "opd.update")).one()
    assert entry.data["treasurer_email"] == [None, "bendahara.dinsos@sukamaju.go.id"]
    assert entry.data["treasurer_phone"] == [None, "6281234567890"]
    page = client.get(f"/admin/opd/{opd.id}").get_data(as_text=True)
    assert "bendahara.dinsos@sukamaju.go.id" in page and "0812-3456-7890" in page

    # Emptied again: no reminders to the Bendahara any more.
    client.post(
        f"/admin/opd/{opd.id}/ubah", data=_form(opd, treasurer_email="", treasurer_phone="")
    )
    db.session.expire_all()
    emptied = db.session.get(Opd, opd.id)
    assert emptied is not None and (emptied.treasurer_email, emptied.treasurer_phone) == (
        None,
        None,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"treasurer_email": "bendahara@sukamaju"}, "E-mail tidak valid"),
        ({"treasurer_email": "bendahara sukamaju.go.id"}, "E-mail tidak valid"),
        ({"treasurer_email": "b@" + "x" * 200 + ".id"}, "E-mail paling panjang 200 karakter."),
        ({"treasurer_phone": "024-7654321"}, PHONE_MESSAGE),  # an office line takes no WhatsApp
        ({"treasurer_phone": "0812"}, PHONE_MESSAGE),
        ({"treasurer_phone": "0812-0000-0000"}, MADE_UP_PHONE_MESSAGE),
    ],
)
def test_a_bad_treasurer_contact_is_refused_and_nothing_is_saved(
    client: FlaskClient, admin: User, change: dict[str, str], message: str
) -> None:
    opd = factories.opd(code="DINSOS", name="Dinas Sosial")
    db.session.commit()
    response = client.post(f"/admin/opd/{opd.id}/ubah", data=_form(opd, **change))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    unchanged = db.session.get(Opd, opd.id)
    assert unchanged is not None
    assert (unchanged.treasurer_email, unchanged.treasurer_phone) == (None, None)
    assert db.session.scalar(select(func.count()).select_from(AuditLog)) == 0
