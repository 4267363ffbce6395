"""The OPD's office phone and e-mail: entered on the admin's OPD form (checked, normalised,
audited), printed in the kop of every document issued afterwards, never in one issued before
(both databases)."""

from __future__ import annotations

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.audit.models import AuditLog
from procure.auth.models import User
from procure.documents.issuing import current_document, issue_order_document
from procure.documents.jobs import dispatch
from procure.documents.numbering import DocumentKind
from procure.documents.pdf import render_document
from procure.documents.stored import content_from_dict
from procure.extensions import db
from procure.input_rules import CONTACT_PHONE_MESSAGE, MADE_UP_PHONE_MESSAGE
from procure.opd.models import Opd
from tests import factories
from tests.functional.test_opd_treasurer_contact import _form as treasurer_form
from tests.integration.test_documents import pdf_text


@pytest.fixture
def admin(auth):  # type: ignore[no-untyped-def]
    user = factories.user("admin", email="admin@sukamaju.go.id")
    db.session.commit()
    auth.login(user.email)
    return user


def _form(opd: Opd, **change: str) -> dict[str, str]:
    """The OPD form as the Bendahara's test fills it, with the office's phone and e-mail."""
    office = {"phone": "(0285) 421-100", "email": " Disdik@Sukamaju.go.id "}
    return treasurer_form(opd, **{**office, **change})


def _saved(opd_id: int) -> Opd:
    db.session.expire_all()
    opd = db.session.get(Opd, opd_id)
    assert opd is not None
    return opd


def test_the_office_contact_is_saved_normalised_audited_and_shown(
    client: FlaskClient, admin: User
) -> None:
    opd = factories.opd(code="DISDIK", name="Dinas Pendidikan")
    db.session.commit()
    form = client.get(f"/admin/opd/{opd.id}/ubah").get_data(as_text=True)
    assert "Telepon kantor (boleh kosong)" in form and "E-mail kantor (boleh kosong)" in form
    assert 'name="phone" type="tel"' in form and 'name="email" type="email"' in form
    page = client.get(f"/admin/opd/{opd.id}").get_data(as_text=True)
    assert "Belum diisi (tidak tercetak di kop dokumen)" in page

    assert client.post(f"/admin/opd/{opd.id}/ubah", data=_form(opd)).status_code == 302
    changed = _saved(opd.id)
    assert (changed.phone, changed.email) == ("62285421100", "disdik@sukamaju.go.id")
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "opd.update")).one()
    assert entry.data["phone"] == [None, "62285421100"]
    assert entry.data["email"] == [None, "disdik@sukamaju.go.id"]
    page = client.get(f"/admin/opd/{opd.id}").get_data(as_text=True)
    assert "(0285) 421100" in page and "disdik@sukamaju.go.id" in page

    # A mobile is an office phone too; emptied again, the kop prints neither.
    client.post(f"/admin/opd/{opd.id}/ubah", data=_form(opd, phone="0812 3456 7890"))
    assert _saved(opd.id).phone == "6281234567890"
    client.post(f"/admin/opd/{opd.id}/ubah", data=_form(opd, phone="", email=""))
    emptied = _saved(opd.id)
    assert (emptied.phone, emptied.email) == (None, None)


def test_a_new_opd_takes_its_office_contact(client: FlaskClient, admin: User) -> None:
    data = {
        "code": "DINKES",
        "name": "Dinas Kesehatan",
        "address": "Jl. Dr. Sutomo No. 21",
        "head_name": "dr. Sri Rahayu Lestari, M.Kes.",
        "is_active": "y",
        "phone": "+62 24 3581234",
        "email": "dinkes@sukamaju.go.id",
    }
    assert client.post("/admin/opd/baru", data=data).status_code == 302
    opd = db.session.scalars(select(Opd).where(Opd.code == "DINKES")).one()
    assert (opd.phone, opd.email) == ("62243581234", "dinkes@sukamaju.go.id")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"phone": "421100"}, CONTACT_PHONE_MESSAGE),  # no area code
        ({"phone": "0285-42"}, CONTACT_PHONE_MESSAGE),
        ({"phone": "telepon kantor"}, CONTACT_PHONE_MESSAGE),
        ({"phone": "(024) 000-0000"}, MADE_UP_PHONE_MESSAGE),
        ({"email": "disdik@sukamaju"}, "E-mail tidak valid, contoh: disdik@sukamaju.go.id."),
        ({"email": "disdik sukamaju.go.id"}, "E-mail tidak valid"),
        ({"email": "d@" + "x" * 200 + ".id"}, "E-mail paling panjang 200 karakter."),
    ],
)
def test_a_bad_office_contact_is_refused_and_nothing_is_saved(
    client: FlaskClient, admin: User, change: dict[str, str], message: str
) -> None:
    opd = factories.opd(code="DISDIK", name="Dinas Pendidikan")
    db.session.commit()
    response = client.post(f"/admin/opd/{opd.id}/ubah", data=_form(opd, **change))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    unchanged = _saved(opd.id)
    assert (unchanged.phone, unchanged.email) == (None, None)
    assert db.session.scalar(select(func.count()).select_from(AuditLog)) == 0


def _kop_text(pdf: bytes) -> str:
    """The letterhead: the text above the document's title."""
    text = " ".join(pdf_text(pdf).split())
    return text.split("BERITA ACARA SERAH TERIMA")[0]


def test_a_new_document_prints_the_office_contact_and_an_issued_one_keeps_its_kop(
    app: Flask,
) -> None:
    order, _, officer = factories.paid_order()
    db.session.commit()
    dispatch()
    before = current_document(db.session, order.id, DocumentKind.BAST)
    before_content, before_bytes = dict(before.content), before.file.data
    assert (before.content["kop"]["phone"], before.content["kop"]["email"]) == (None, None)
    assert "Telepon" not in _kop_text(before_bytes)

    opd = order.request.opd
    opd.phone, opd.email = "62285421100", "disdik@sukamaju.go.id"
    db.session.commit()
    after = issue_order_document(
        db.session, order, DocumentKind.BAST, actor=officer, config=current_app.config
    )
    db.session.commit()
    dispatch()
    assert (after.content["kop"]["phone"], after.content["kop"]["email"]) == (
        "(0285) 421100",
        "disdik@sukamaju.go.id",
    )
    kop = _kop_text(after.file.data)
    assert opd.name.upper() in kop
    assert "Telepon (0285) 421100 · Pos-el disdik@sukamaju.go.id" in kop

    # The earlier BAST keeps the content and the PDF it was issued with, and a PDF made again
    # from what it stored (as for a document whose PDF is still to be made) has no contact.
    db.session.expire_all()
    db.session.refresh(before)
    assert before.content == before_content and before.file.data == before_bytes
    again = render_document(content_from_dict(before.content))
    assert "Telepon" not in _kop_text(again) and "disdik@" not in _kop_text(again)
