"""The order steps of issue 14 through the test client (both DBs): the delivery note and
photo, the Tim Pemeriksa, the chosen handover date, the net payment against Nilai bruto and
Pajak dipotong, and the contacts each party sees."""

from __future__ import annotations

import datetime as dt
import io

from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.clock import JAKARTA, today_in_jakarta
from procure.extensions import db
from procure.orders.services import accept_order, mark_delivered, record_inspection
from procure.procurement.models import DeliveryPhoto, OrderEvent, PurchaseOrder
from tests import factories
from tests.conftest import AuthActions

NIP = "198503122010012001"
TEAM = {"member_name_1": "Rina Wulandari", "member_nip_1": NIP}


def _setup():  # type: ignore[no-untyped-def]
    """One accepted order (50 × Rp 200.000, PPh 22 1,5 %), its owner and officer, committed."""
    request, _, (order,) = factories.issued_orders(50, (100, 100), unit_price=200_000)
    owner = factories.user("umkm", umkm_id=order.umkm_id)
    officer = request.created_by
    officer.nip, officer.jabatan, officer.phone = NIP, "Kepala Bidang Umum", "0224201234"
    accept_order(db.session, order, actor_id=owner.id)
    db.session.commit()
    return order, owner, officer


def _url(order: PurchaseOrder, action: str = "") -> str:
    return f"/pengadaan/pesanan/{order.id}" + (f"/{action}" if action else "")


def _order(order_id: int) -> PurchaseOrder:
    db.session.expire_all()
    found = db.session.get(PurchaseOrder, order_id)
    assert found is not None
    return found


def _photo() -> bytes:
    return factories.png(64, 48, mode="RGB", color="green")


def _events(order: PurchaseOrder) -> int:
    return int(db.session.scalar(select(func.count()).where(OrderEvent.order_id == order.id)) or 0)


def _deliver(client: FlaskClient, order: PurchaseOrder, **data: object):  # type: ignore[no-untyped-def]
    return client.post(
        _url(order, "dikirim"),
        data={"note": "SJ-0012/2026", **data},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _to_handover(client: FlaskClient, auth: AuthActions, order, owner, officer) -> None:  # type: ignore[no-untyped-def]
    auth.login(owner.email)
    _deliver(client, order)
    auth.logout()
    auth.login(officer.email)
    inspection = {"received_quantity": "50", "condition": "baik", **TEAM}
    assert client.post(_url(order, "periksa"), data=inspection).status_code == 302


def test_delivery_needs_a_note_which_is_shown_escaped_with_the_photo(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, owner, officer = _setup()
    auth.login(owner.email)
    page = client.get(_url(order)).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="note"' in page
    empty = client.post(_url(order, "dikirim"), data={"note": "  "})
    assert empty.status_code == 200 and "Isi nomor surat jalan" in empty.get_data(as_text=True)
    long = client.post(_url(order, "dikirim"), data={"note": "x" * 501})
    assert "maksimal 500 karakter" in long.get_data(as_text=True)
    assert _order(order.id).status == "accepted"
    note = '<script>alert("sj")</script> SJ-7'
    done = _deliver(client, order, note=note, photo=(io.BytesIO(_photo()), "kirim.png"))
    assert "ditandai sudah dikirim" in done.get_data(as_text=True)
    delivered = _order(order.id)
    assert delivered.status == "delivered" and delivered.delivery_note == note
    photo = db.session.scalars(select(DeliveryPhoto)).one()
    assert photo.order_id == order.id and photo.content_type == "image/jpeg"
    auth.logout()
    auth.login(officer.email)
    html = client.get(_url(order)).get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;sj&#34;)&lt;/script&gt; SJ-7" in html
    assert "<script>alert" not in html
    assert f"/pengadaan/pesanan/{order.id}/foto-kirim?v={photo.sha256[:16]}" in html
    served = client.get(_url(order, "foto-kirim"))
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.data == photo.data and "private" in served.headers["Cache-Control"]


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_changes(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, owner, _ = _setup()
    auth.login(owner.email)
    events = _events(order)
    fake = (io.BytesIO(b"%PDF-1.4 bukan gambar"), "foto.jpg")
    refused = _deliver(client, order, photo=fake)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Foto harus berupa gambar JPG, PNG atau WEBP." in html
    assert 'value="SJ-0012/2026"' in html or "SJ-0012/2026</textarea>" in html  # kept
    assert _order(order.id).status == "accepted" and _events(order) == events
    assert db.session.scalar(select(func.count()).select_from(DeliveryPhoto)) == 0


def test_a_too_large_photo_is_refused(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    order, owner, _ = _setup()
    app.config["PHOTO_MAX_BYTES"] = 1024
    auth.login(owner.email)
    big = (io.BytesIO(b"\xff\xd8" + b"0" * 4000), "besar.jpg")
    html = _deliver(client, order, photo=big).get_data(as_text=True)
    assert "Ukuran foto maksimal" in html or "terlalu besar" in html
    assert _order(order.id).status == "accepted"


def test_a_double_submit_of_delivered_records_once(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, owner, _ = _setup()
    auth.login(owner.email)
    events = _events(order)
    _deliver(client, order, photo=(io.BytesIO(_photo()), "a.png"))
    again = _deliver(client, order, note="SJ lain", photo=(io.BytesIO(_photo()), "b.png"))
    assert "sudah berstatus" in again.get_data(as_text=True)
    assert _events(order) == events + 1
    assert _order(order.id).delivery_note == "SJ-0012/2026"
    assert db.session.scalar(select(func.count()).select_from(DeliveryPhoto)) == 1


def test_the_delivery_photo_is_only_for_the_parties_admin_and_inspector(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, owner, officer = _setup()
    auth.login(owner.email)
    _deliver(client, order, photo=(io.BytesIO(_photo()), "a.png"))
    assert client.get(_url(order, "foto-kirim")).status_code == 200
    auth.logout()
    others = [
        factories.user("umkm"),  # another UMKM
        factories.user("opd"),  # an officer of another OPD
    ]
    staff = [factories.user("admin"), factories.user("inspector")]
    db.session.commit()
    for user in others:
        auth.login(user.email)
        assert client.get(_url(order, "foto-kirim")).status_code in (403, 404)
        auth.logout()
    for user in staff:
        auth.login(user.email)
        assert client.get(_url(order, "foto-kirim")).status_code == 200
        auth.logout()
    assert client.get(_url(order, "foto-kirim")).status_code == 302  # to the login page


def test_the_inspection_records_the_team_prefilled_with_the_officer(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, owner, officer = _setup()
    auth.login(owner.email)
    _deliver(client, order)
    auth.logout()
    auth.login(officer.email)
    form = client.get(_url(order)).get_data(as_text=True)
    assert f'value="{officer.full_name}"' in form and f'value="{NIP}"' in form
    base = {"received_quantity": "50", "condition": "baik"}
    for team, message in [
        ({}, "paling sedikit satu anggota"),
        ({"member_name_1": "Rina", "member_nip_1": "12345"}, "NIP harus 18 angka"),
        ({"member_name_1": "Rina", "member_nip_1": "0" * 18}, "satu angka yang diulang"),
        ({"member_name_1": "", "member_nip_1": NIP}, "Isi nama anggota tim pemeriksa ke-1"),
        (TEAM | {"member_name_2": "Budi", "member_nip_2": NIP}, "dua kali"),
    ]:
        refused = client.post(_url(order, "periksa"), data=base | team)
        assert refused.status_code == 200 and message in refused.get_data(as_text=True), team
    assert _order(order.id).inspected_at is None
    team = TEAM | {"member_name_2": "Budi Santoso", "member_nip_2": "197901012005011002"}
    assert client.post(_url(order, "periksa"), data=base | team).status_code == 302
    assert _order(order.id).inspection_team == [
        {"name": "Rina Wulandari", "nip": NIP},
        {"name": "Budi Santoso", "nip": "197901012005011002"},
    ]
    page = client.get(_url(order)).get_data(as_text=True)
    assert "Tim pemeriksa" in page and "Budi Santoso" in page
    assert "NIP 19790101 200501 1 002" in page  # in the team card and the history alike
    assert "197901012005011002" not in page.replace('value="197901012005011002"', "")
    again = client.post(_url(order, "periksa"), data=base | team, follow_redirects=True)
    assert "sudah tercatat" in again.get_data(as_text=True)  # same result, same team: once
    changed = client.post(_url(order, "periksa"), data=base | TEAM, follow_redirects=True)
    assert "dicatat" in changed.get_data(as_text=True)
    assert _order(order.id).inspection_team == [{"name": "Rina Wulandari", "nip": NIP}]


def _inspection_note(order: PurchaseOrder) -> str:
    event = db.session.scalars(
        select(OrderEvent)
        .where(OrderEvent.order_id == order.id, OrderEvent.note.like("Pemeriksaan:%"))
        .order_by(OrderEvent.id.desc())
    ).first()
    assert event is not None and event.note is not None
    return event.note


def test_the_inspection_history_entry_groups_the_nips_and_ends_with_one_full_stop(
    app: Flask,
) -> None:
    order, owner, officer = _setup()
    mark_delivered(db.session, order, actor_id=owner.id)
    unit = order.request.unit
    cases = [
        # A note that ends its own sentence, then the team: one full stop between them.
        (
            "Kemasan rapi.",
            [("Rina Wulandari, S.E.", NIP), ("Agus Santoso, A.Md.", "197901012005011002")],
            f"Pemeriksaan: 50 dari 50 {unit} diterima, kondisi baik. Catatan: Kemasan rapi. "
            "Tim pemeriksa: Rina Wulandari, S.E. (NIP 19850312 201001 2 001), "
            "Agus Santoso, A.Md. (NIP 19790101 200501 1 002).",
        ),
        # A note without a full stop and a team: each sentence gets one.
        (
            "Dua kemeja kusut",
            [("Rina Wulandari", NIP)],
            f"Pemeriksaan: 50 dari 50 {unit} diterima, kondisi baik. Catatan: Dua kemeja kusut. "
            "Tim pemeriksa: Rina Wulandari (NIP 19850312 201001 2 001).",
        ),
        # A note ending in a title's full stop and no new team (the recorded one is kept).
        (
            "Diterima oleh Agus Santoso, A.Md.",
            None,
            f"Pemeriksaan: 50 dari 50 {unit} diterima, kondisi baik. Catatan: Diterima oleh "
            "Agus Santoso, A.Md. Tim pemeriksa: Rina Wulandari (NIP 19850312 201001 2 001).",
        ),
    ]
    for notes, team, expected in cases:
        _record(order, officer, notes, team)
        note = _inspection_note(order)
        assert note == expected
        assert ".." not in note
    # A team recorded before every member needed a NIP, last a name with a title and no NIP.
    order.inspection_team = [
        {"name": "Rina Wulandari", "nip": NIP},
        {"name": "Agus Santoso, A.Md.", "nip": ""},
    ]
    _record(order, officer, "", None)
    assert _inspection_note(order) == (
        f"Pemeriksaan: 50 dari 50 {unit} diterima, kondisi baik. Tim pemeriksa: Rina Wulandari "
        "(NIP 19850312 201001 2 001), Agus Santoso, A.Md."
    )


def _record(  # type: ignore[no-untyped-def]
    order: PurchaseOrder, officer, notes: str, team: list[tuple[str, str]] | None
) -> None:
    record_inspection(
        db.session,
        order,
        received_quantity=50,
        condition="baik",
        notes=notes,
        actor_id=officer.id,
        config=current_app.config,
        team=team,
    )
    db.session.flush()


def test_the_handover_date_is_chosen_not_future_not_before_delivery(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, owner, officer = _setup()
    _to_handover(client, auth, order, owner, officer)
    today = today_in_jakarta()
    page = client.get(_url(order)).get_data(as_text=True)
    assert f'name="handover_date" type="date" value="{today.isoformat()}"' in page or (
        'name="handover_date"' in page and today.isoformat() in page
    )
    future = client.post(
        _url(order, "serah-terima"), data={"handover_date": (today + dt.timedelta(1)).isoformat()}
    )
    assert "tidak boleh setelah hari ini" in future.get_data(as_text=True)
    # Delivered three days ago: the day before that is refused, the delivery day itself is not.
    delivered_on = today - dt.timedelta(days=3)
    stored = _order(order.id)
    stored.delivered_at = dt.datetime.combine(delivered_on, dt.time(10), JAKARTA).astimezone(dt.UTC)
    db.session.commit()
    before = client.post(
        _url(order, "serah-terima"),
        data={"handover_date": (delivered_on - dt.timedelta(days=1)).isoformat()},
    )
    assert "tidak boleh sebelum barang dikirim" in before.get_data(as_text=True)
    assert _order(order.id).status == "delivered"
    done = client.post(
        _url(order, "serah-terima"), data={"handover_date": delivered_on.isoformat()}
    )
    assert done.status_code == 302
    handed = _order(order.id)
    assert handed.status == "received" and handed.handover_date == delivered_on
    # Payment dates are checked against the chosen date, not the day it was recorded.
    before_handover = (delivered_on - dt.timedelta(days=1)).isoformat()
    early = client.post(
        _url(order, "bayar"),
        data=_payment("9.850.000", paid_on=before_handover, reference_date=before_handover),
    )
    assert "sebelum serah terima" in early.get_data(as_text=True)
    paid = client.post(_url(order, "bayar"), data=_payment("9.850.000"))
    assert paid.status_code == 302 and _order(order.id).status == "paid"
    shown = client.get(_url(order)).get_data(as_text=True)
    assert "3 hari" in shown  # from the chosen handover date to the payment


def _payment(net: str, **more: str) -> dict[str, str]:
    """The payment form for the whole Rp 10.000.000 (PPh 22 Rp 150.000) by SP2D-LS today,
    with ``net`` as the amount transferred."""
    today = today_in_jakarta().isoformat()
    return {
        "method": "sp2d_ls",
        "reference": "SP2D 9",
        "reference_date": today,
        "paid_on": today,
        "gross": "10.000.000",
        "tax_label_1": "PPh Pasal 22 (1,5%)",
        "tax_amount_1": "150.000",
        "net": net,
        **more,
    }


def test_the_payment_asks_for_the_net_and_refuses_a_wrong_one(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, owner, officer = _setup()
    _to_handover(client, auth, order, owner, officer)
    today = today_in_jakarta().isoformat()
    client.post(_url(order, "serah-terima"), data={"handover_date": today})
    page = client.get(_url(order)).get_data(as_text=True)
    for text in ("Nilai bruto", "Rp 10.000.000", "Pajak dipotong", "Rp 150.000"):
        assert text in page, text
    assert "PPh Pasal 22 (1,5%)" in page and "Dibayar neto" in page
    assert 'value="9.850.000"' in page  # prefilled with bruto − pajak
    wrong = client.post(_url(order, "bayar"), data=_payment("10.000.000"))
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 200 and "Dibayar neto seharusnya Rp 9.850.000" in html
    assert _order(order.id).status == "received"
    paid = client.post(_url(order, "bayar"), data=_payment("9.850.000"), follow_redirects=True)
    assert "Pesanan lunas" in paid.get_data(as_text=True)
    stored = _order(order.id)
    assert (stored.payment_gross, stored.payment_withheld, stored.payment_amount) == (
        10_000_000,
        150_000,
        9_850_000,
    )
    shown = client.get(_url(order)).get_data(as_text=True)
    assert "Nilai bruto" in shown and "Dibayar neto" in shown and "Rp 9.850.000" in shown


def test_an_order_paid_before_the_amounts_were_recorded_shows_what_it_had(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, owner, officer = _setup()
    _to_handover(client, auth, order, owner, officer)
    client.post(_url(order, "serah-terima"), data={"handover_date": today_in_jakarta()})
    stored = _order(order.id)
    stored.status, stored.paid_on, stored.payment_reference = "paid", today_in_jakarta(), "L-1"
    stored.payment_amount = 10_000_000  # as recorded before: one amount, no gross
    db.session.commit()
    page = client.get(_url(order)).get_data(as_text=True)
    assert "Rp 10.000.000, ref." in page and "Nilai dikurangi denda" in page
    assert "Dibayar neto" not in page


def test_each_party_sees_the_other_partys_contact(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    order, owner, officer = _setup()
    umkm = order.umkm
    auth.login(officer.email)
    page = client.get(_url(order)).get_data(as_text=True)
    assert umkm.owner_name in page and owner.email in page
    assert 'href="tel:+6281234567890"' in page and "0812-3456-7890" in page
    assert "https://wa.me/6281234567890" in page
    assert "Kepala Bidang Umum" not in page  # the officer's own contact is not repeated
    auth.logout()
    auth.login(owner.email)
    page = client.get(_url(order)).get_data(as_text=True)
    assert officer.full_name in page and "Kepala Bidang Umum" in page and officer.email in page
    assert "(022) 4201234" in page and 'href="tel:+62224201234"' in page
    assert order.request.opd.address in page
    assert "mailto:" + owner.email not in page  # its own e-mail is not shown as a contact
    auth.logout()
    stranger = factories.user("umkm")
    db.session.commit()
    auth.login(stranger.email)
    assert client.get(_url(order)).status_code == 404
