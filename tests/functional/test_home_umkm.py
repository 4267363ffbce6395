"""The owner's home is a to-do list of their own business: orders to answer (time left) and to
deliver (due date), omzet months of the allocation window to file, recent documents, a rejected
profile to fix; another UMKM's orders never count (both databases)."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.clock import midnight_utc, today_in_jakarta
from procure.documents.models import Document
from procure.extensions import db
from procure.omzet.rules import Period
from procure.umkm.models import UmkmStatus
from tests import factories
from tests.conftest import AuthActions
from tests.functional.test_home_opd import EMPTY, order_ids, todo_items


def _orders_of_two_umkm():  # type: ignore[no-untyped-def]
    """The owner's UMKM: one order to answer, one accepted (due in 5 days). Another UMKM: one
    order to answer."""
    request, run, (waiting,) = factories.issued_orders(10, (100,))
    owner = factories.user("umkm", umkm_id=waiting.umkm_id)
    today = today_in_jakarta()
    accepted = factories.live_order(
        waiting.product,
        request=request,
        run=run,
        issued_at=waiting.issued_at,
        status="accepted",
        due_date=today + dt.timedelta(days=5),
    )
    _, _, (other,) = factories.issued_orders(10, (100,))
    db.session.commit()
    return owner, waiting, accepted, other


def test_orders_to_answer_and_deliver_with_their_deadlines(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    owner, waiting, accepted, other = _orders_of_two_umkm()
    auth.login(owner.email)
    items = {i.key: i for i in todo_items(client.get("/umkm/").get_data(as_text=True))}
    assert items["jawab"].count == 1 and items["kirim"].count == 1  # not the other UMKM's
    left = (waiting.response_deadline - today_in_jakarta()).days
    assert "Terima atau tolak" in items["jawab"].text
    assert ("jam" in items["jawab"].text) == (left == 0)
    assert "Sisa 5 hari" in items["kirim"].text
    answer = client.get(items["jawab"].href).get_data(as_text=True)
    assert order_ids(answer) == {waiting.id}
    deliver = client.get(items["kirim"].href).get_data(as_text=True)
    assert order_ids(deliver) == {accepted.id}
    assert other.id not in order_ids(client.get("/pengadaan/pesanan-masuk").get_data(as_text=True))


def test_omzet_months_of_the_window_not_filed(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    owner = factories.user("umkm")
    today = today_in_jakarta()
    last = Period.of(today).shift(-1)
    factories.omzet_report(owner.umkm, str(last.shift(-1)), 20_000_000)
    db.session.commit()
    auth.login(owner.email)
    items = {i.key: i for i in todo_items(client.get("/umkm/").get_data(as_text=True))}
    omzet = items["omzet"]
    assert omzet.count == 2 and omzet.href == "/omzet/"
    assert last.label in omzet.text and last.shift(-2).label in omzet.text
    assert last.shift(-1).label not in omzet.text.split(".")[0]  # filed: not asked again


def test_recent_documents_link_to_the_own_list(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    owner, *_ = _orders_of_two_umkm()
    since = today_in_jakarta() - dt.timedelta(days=30)
    mine = db.session.scalar(
        select(func.count())
        .select_from(Document)
        .where(Document.umkm_id == owner.umkm_id, Document.issued_at >= midnight_utc(since))
    )
    auth.login(owner.email)
    items = {i.key: i for i in todo_items(client.get("/umkm/").get_data(as_text=True))}
    assert mine  # issuing the order issued its Surat Pesanan for the UMKM
    assert items["dokumen"].count == mine
    assert items["dokumen"].href == f"/dokumen/?start={since.isoformat()}"
    assert client.get(items["dokumen"].href).status_code == 200


def test_rejected_profile_is_a_task_and_pending_is_a_note(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    rejected = factories.user(
        "umkm",
        umkm=factories.umkm(status=UmkmStatus.REJECTED, status_reason="Foto KTP tidak terbaca"),
    )
    pending = factories.user("umkm", umkm=factories.umkm(status=UmkmStatus.PENDING))
    db.session.commit()
    auth.login(rejected.email)
    items = {i.key: i for i in todo_items(client.get("/umkm/").get_data(as_text=True))}
    assert (
        items["profil"].href == "/umkm/profil" and "Foto KTP tidak terbaca" in items["profil"].text
    )
    auth.logout()
    auth.login(pending.email)
    page = client.get("/umkm/").get_data(as_text=True)
    assert "menunggu verifikasi" in page
    assert todo_items(page) == [] and EMPTY in page
