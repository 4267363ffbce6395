"""An officer edits or cancels a request before it is decided; the request names a kind; the
page warns when no offer can meet the needed-by date; the ranking page speaks plainly.

Each test runs on SQLite and on PostgreSQL (see conftest).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from procure.audit.models import AuditLog
from procure.auth.models import User
from procure.catalog.models import Category, ProductKind
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.procurement.models import AllocationRun, PurchaseOrder, PurchaseRequest
from procure.procurement.presenters import short_date
from procure.umkm.models import Umkm
from tests import factories
from tests.functional.test_requests_pages import (
    NEW,
    allocate,
    audits,
    count,
    create,
    decision_form,
    makers,
    officer,
    page,
    request_form,
)

__all__ = ["makers", "officer"]  # fixtures used by name below


def edit_url(request_id: int) -> str:
    return f"{page(request_id)}/ubah"


def cancel_url(request_id: int) -> str:
    return f"{page(request_id)}/batal"


def fresh(request_id: int) -> PurchaseRequest:
    db.session.expire_all()
    found = db.session.get(PurchaseRequest, request_id)
    assert found is not None
    return found


def audit_data(action: str) -> list[dict[str, Any]]:
    db.session.expire_all()
    return [a.data for a in db.session.scalars(select(AuditLog).where(AuditLog.action == action))]


# --- the kind ---------------------------------------------------------------------------------


def test_the_form_picks_a_kind_grouped_by_category(client: FlaskClient, officer: User) -> None:
    retired = db.session.scalars(select(ProductKind).where(ProductKind.slug == "blus")).first()
    assert retired is not None
    retired.is_active = False
    db.session.scalars(select(Category).where(Category.slug == "sepatu")).one().is_active = False
    db.session.commit()
    html = client.get(NEW).get_data(as_text=True)
    assert re.search(r'<select [^>]*id="kind_id" name="kind_id"', html)
    batik = html[html.index('<optgroup label="Batik">') :]
    batik = batik[: batik.index("</optgroup>")]
    assert f'<option value="{factories.kind()}">Kemeja Batik Lengan Panjang</option>' in batik
    assert "Blus Batik" not in batik  # retired
    assert '<optgroup label="Konsumsi / Katering">' in html and "Nasi Kotak" in html
    assert "Sepatu Pantofel" not in html  # its category is not active
    # A retired kind typed in anyway is refused.
    refused = client.post(NEW, data=request_form(kind_id=str(retired.id)))
    assert "Pilih jenis barang dari daftar." in refused.get_data(as_text=True)
    assert count(PurchaseRequest) == 0


def test_the_request_takes_its_category_from_the_kind_and_shows_it(
    client: FlaskClient, officer: User
) -> None:
    meals = factories.kind("konsumsi", "nasi-kotak")
    purchase = create(client, kind_id=str(meals), unit="kotak", hps_unit_price="35.000")
    assert purchase.kind_id == meals
    assert purchase.category_id == factories.category("konsumsi").id
    shown = client.get(page(purchase.id)).get_data(as_text=True)
    assert 'Jenis barang</dt><dd class="col-sm-8">Nasi Kotak (Konsumsi / Katering)</dd>' in shown
    assert "Nasi Kotak (Konsumsi / Katering)" in client.get("/pengadaan/permintaan").get_data(
        as_text=True
    )


# --- edit -------------------------------------------------------------------------------------


def test_edit_is_prefilled_audited_and_makes_the_old_run_stale(
    client: FlaskClient, officer: User, makers: list[Umkm]
) -> None:
    purchase = create(client)
    old = decision_form(allocate(client, purchase.id))
    form = client.get(edit_url(purchase.id)).get_data(as_text=True)
    assert "Ubah permintaan #" in form
    assert re.search(r'name="quantity"[^>]*value="200"', form)
    assert 'value="200.000"' in form
    assert f'<option selected value="{factories.kind()}">' in form

    response = client.post(edit_url(purchase.id), data=request_form(quantity="150"))
    assert response.status_code == 302
    assert fresh(purchase.id).quantity == 150
    (data,) = audit_data("request.edit")
    assert data["changes"] == {"quantity": [200, 150]}
    assert data["stale_runs"] == [int(old["run_id"])]

    html = client.get(page(purchase.id)).get_data(as_text=True)
    assert "Hasil alokasi tidak berlaku lagi." in html
    assert "Permintaan diubah (jumlah) setelah alokasi ini dijalankan" in html
    assert f"Permintaan #{purchase.id} sudah diubah." in html
    assert 'name="decision_key"' not in html  # no decision on a stale run
    refused = client.post(f"{page(purchase.id)}/putuskan", data=old)
    assert "Permintaan sudah diubah setelah alokasi ini dijalankan" in refused.get_data(
        as_text=True
    )
    assert count(PurchaseOrder) == 0

    rerun = allocate(client, purchase.id)
    assert "Hasil alokasi tidak berlaku lagi." not in rerun
    assert "Terpenuhi 150 potong oleh 2 UMKM." in rerun
    accepted = client.post(f"{page(purchase.id)}/putuskan", data=decision_form(rerun))
    assert accepted.status_code == 302 and count(PurchaseOrder) == 2


def test_an_edit_the_policy_does_not_read_keeps_the_run(
    client: FlaskClient, officer: User, makers: list[Umkm]
) -> None:
    purchase = create(client)
    allocate(client, purchase.id)
    client.post(edit_url(purchase.id), data=request_form(delivery_address="Jl. Pemuda No. 9"))
    assert fresh(purchase.id).delivery_address == "Jl. Pemuda No. 9"
    (data,) = audit_data("request.edit")
    assert data["changes"] == {"delivery_address": ["Jl. Merdeka No. 1", "Jl. Pemuda No. 9"]}
    assert data["stale_runs"] == []
    html = client.get(page(purchase.id)).get_data(as_text=True)
    assert "tidak berlaku lagi" not in html and 'name="decision_key"' in html


def test_edit_checks_like_a_new_request(client: FlaskClient, officer: User) -> None:
    purchase = create(client)
    response = client.post(edit_url(purchase.id), data=request_form(quantity="300"))
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Perubahan belum disimpan." in text and "melebihi batas katalog lokal" in text
    assert 'value="300"' in text  # what was typed is kept
    assert fresh(purchase.id).quantity == 200
    assert audits("request.edit") == 0


def test_edit_to_another_kind_moves_the_request_to_its_category(
    client: FlaskClient, officer: User
) -> None:
    purchase = create(client)
    meals = factories.kind("konsumsi", "snack-box")
    client.post(edit_url(purchase.id), data=request_form(kind_id=str(meals), quantity="10"))
    edited = fresh(purchase.id)
    assert (edited.kind_id, edited.category_id) == (meals, factories.category("konsumsi").id)
    (data,) = audit_data("request.edit")
    assert set(data["changes"]) == {"kind_id", "category_id", "quantity"}


# --- cancel -----------------------------------------------------------------------------------


def test_cancel_needs_a_reason_behind_a_confirmation_and_happens_once(
    client: FlaskClient, officer: User
) -> None:
    purchase = create(client)
    confirm = client.get(cancel_url(purchase.id)).get_data(as_text=True)
    assert f"Batalkan permintaan #{purchase.id}?" in confirm
    assert "Ya, batalkan permintaan" in confirm

    short = client.post(cancel_url(purchase.id), data={"reason": "batal"})
    assert short.status_code == 200
    assert "minimal 10 karakter" in short.get_data(as_text=True)
    assert fresh(purchase.id).status == "draft" and audits("request.cancel") == 0

    reason = "Acara ditunda ke tahun depan"
    first = client.post(cancel_url(purchase.id), data={"reason": reason})
    second = client.post(cancel_url(purchase.id), data={"reason": reason})
    assert (first.status_code, second.status_code) == (302, 302)
    assert fresh(purchase.id).status == "cancelled"
    assert audit_data("request.cancel") == [{"reason": reason, "split_flags_changed": []}]
    html = client.get(page(purchase.id)).get_data(as_text=True)
    assert "Dibatalkan" in html and "Permintaan ini dibatalkan" in html and reason in html
    assert "Sri Pejabat" in html
    assert "sudah dibatalkan; tidak ada yang diubah" in html  # the second submit's note
    assert "Jalankan alokasi" not in html and "Ubah permintaan" not in html
    refused = client.post(f"{page(purchase.id)}/alokasi")
    assert refused.status_code == 302 and count(AllocationRun) == 0


def test_a_decided_request_refuses_edit_and_cancel(
    client: FlaskClient, officer: User, makers: list[Umkm]
) -> None:
    purchase = create(client)
    client.post(f"{page(purchase.id)}/putuskan", data=decision_form(allocate(client, purchase.id)))
    assert fresh(purchase.id).status == "ordered"
    for url in (edit_url(purchase.id), cancel_url(purchase.id)):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"] == page(purchase.id)
    posted = client.post(cancel_url(purchase.id), data={"reason": "Acara ditunda ke tahun depan"})
    assert posted.status_code == 302
    edited = client.post(edit_url(purchase.id), data=request_form(quantity="10"))
    assert edited.status_code == 302
    html = client.get(page(purchase.id)).get_data(as_text=True)
    assert "sudah diputuskan dan Surat Pesanan sudah terbit, jadi tidak bisa dibatalkan" in html
    assert "sudah diputuskan dan Surat Pesanan sudah terbit, jadi tidak bisa diubah" in html
    got = fresh(purchase.id)
    assert (got.status, got.quantity) == ("ordered", 200)
    assert audits("request.cancel") == audits("request.edit") == 0


def test_another_opd_cannot_edit_or_cancel(client: FlaskClient, auth: Any, officer: User) -> None:
    purchase = create(client)
    stranger = factories.user("opd")
    db.session.commit()
    auth.logout()
    auth.login(stranger.email)
    assert client.get(edit_url(purchase.id)).status_code == 404
    assert client.get(cancel_url(purchase.id)).status_code == 404
    assert client.post(cancel_url(purchase.id), data={"reason": "x" * 30}).status_code == 404
    assert client.post(edit_url(purchase.id), data=request_form(quantity="1")).status_code == 404
    got = fresh(purchase.id)
    assert (got.status, got.quantity) == ("draft", 200)


# --- package splitting ------------------------------------------------------------------------


def test_a_cancelled_request_no_longer_counts_toward_the_split_flag(
    client: FlaskClient, officer: User
) -> None:
    first = create(client, quantity="150")  # Rp 30 jt
    second = create(client, quantity="150")  # with the first: above Rp 50 jt
    assert fresh(second.id).is_split_suspect
    client.post(cancel_url(first.id), data={"reason": "Salah input, diganti permintaan lain"})
    assert not fresh(second.id).is_split_suspect and fresh(second.id).split_note is None
    assert audit_data("request.cancel")[0]["split_flags_changed"] == [first.id, second.id][1:]
    third = create(client, quantity="100")  # Rp 20 jt + the second's Rp 30 jt = Rp 50 jt
    assert not fresh(third.id).is_split_suspect
    shown = client.get(page(second.id)).get_data(as_text=True)
    assert "<strong>Kemungkinan pemecahan paket.</strong>" not in shown


def test_an_edit_that_crosses_the_cap_flags_the_request(client: FlaskClient, officer: User) -> None:
    first = create(client, quantity="150")  # Rp 30 jt
    second = create(client, quantity="50")  # Rp 10 jt: together Rp 40 jt
    assert not fresh(second.id).is_split_suspect
    response = client.post(edit_url(second.id), data=request_form(quantity="150"))
    assert response.status_code == 302
    assert fresh(second.id).is_split_suspect
    assert f"#{first.id}" in (fresh(second.id).split_note or "")
    client.post(edit_url(second.id), data=request_form(quantity="50"))
    assert not fresh(second.id).is_split_suspect


# --- the needed-by date no offer can meet -----------------------------------------------------


def test_a_needed_by_date_no_offer_can_meet_is_said_before_the_run(
    client: FlaskClient, officer: User
) -> None:
    for days in (14, 21):
        factories.product(factories.umkm(), lead_time_days=days)
    db.session.commit()
    today = today_in_jakarta()
    needed = today + dt.timedelta(days=10)
    purchase = create(client, needed_by=needed.isoformat())
    html = client.get(page(purchase.id)).get_data(as_text=True)
    expected = (
        f"Tidak ada produk jenis ini yang dapat selesai sebelum {short_date(needed)}: waktu "
        f"pengerjaan tercepat 14 hari (paling cepat {short_date(today + dt.timedelta(days=14))})."
        " Ubah tanggal kebutuhan."
    )
    assert expected in html
    assert f'href="{edit_url(purchase.id)}">Ubah permintaan</a></div>' in html
    # Moved to a date the fastest maker meets: no warning, and the allocation finds it.
    later = (today + dt.timedelta(days=14)).isoformat()
    client.post(edit_url(purchase.id), data=request_form(needed_by=later))
    html = allocate(client, purchase.id)
    assert "Tidak ada produk jenis ini" not in html
    assert "oleh 1 UMKM" in html


def test_a_kind_without_listed_products_is_said_too(client: FlaskClient, officer: User) -> None:
    purchase = create(client, kind_id=str(factories.kind("batik", "kain-2m")))
    html = client.get(page(purchase.id)).get_data(as_text=True)
    assert "Belum ada produk jenis ini di katalog" in html


# --- the ranking page -------------------------------------------------------------------------


def test_ranking_page_speaks_plainly(
    app: Flask, client: FlaskClient, officer: User, makers: list[Umkm]
) -> None:
    late = factories.umkm(business_name="Batik Lambat")
    factories.product(late, name="Kemeja Lambat Lengan Panjang", lead_time_days=60)
    db.session.commit()
    purchase = create(client)
    html = allocate(client, purchase.id)
    run = db.session.scalars(select(AllocationRun)).one()
    top = html[: html.index("Usulan")]
    assert "UMKM yang paling sedikit mendapat pesanan dalam 365 hari terakhir didahulukan" in top
    assert "Kebijakan: pemerataan-v2 (versi 2)" in top
    assert "Kemeja Batik Lengan Panjang (Batik)" in top
    # Columns only where rows differ: every maker has the same price and round here.
    ranking = html[html.index("Peringkat lengkap") : html.index("Penawaran yang tidak memenuhi")]
    head = ranking[ranking.index("<thead>") : ranking.index("</thead>")]
    assert ">Kelompok<" in head and ">Kebutuhan<" in head
    assert ">Harga<" not in head and ">Putaran<" not in head
    assert "Harga semua penawaran di peringkat ini sama: Rp 175.000 per potong." in ranking
    assert "Produk yang ditawarkan" in head and "Kemeja Batik Arum Lengan Panjang" in ranking
    # The lottery only in words: no tie hash, whole or cut, anywhere on the page.
    for candidate in run.result["candidates"]:
        assert candidate["tie"][:8] not in html
    assert "urutan ditentukan undian" in ranking
    # The exclusions are counted by their true reasons.
    assert (
        "2 produk tidak memenuhi syarat: 1 harga di atas HPS, "
        "1 waktu pengerjaan melewati tanggal kebutuhan." in html
    ) or (
        "2 produk tidak memenuhi syarat: 1 waktu pengerjaan melewati tanggal kebutuhan, "
        "1 harga di atas HPS." in html
    )
    # The override table names each eligible offer's product.
    decide = html[html.index("Pilih sendiri") :]
    assert "Produk yang ditawarkan" in decide
    for maker in makers:
        assert f"Kemeja {maker.business_name} Lengan Panjang" in decide


def test_a_shortfall_names_its_true_reason(client: FlaskClient, officer: User) -> None:
    factories.product(factories.umkm(), lead_time_days=60)
    db.session.commit()
    purchase = create(client)
    html = allocate(client, purchase.id)
    alert = html[html.index("<strong>Kekurangan 200 potong</strong>") :]
    alert = alert[: alert.index("</div>")]
    assert "waktu pengerjaan melewati tanggal kebutuhan" in alert
    assert "kapasitas" not in alert


def test_a_refused_override_shows_its_error_at_the_top_and_keeps_the_form(
    client: FlaskClient, officer: User, makers: list[Umkm]
) -> None:
    purchase = create(client)
    html = allocate(client, purchase.id)
    chosen = {f"jumlah_{makers[1].id}": "37"}
    refused = client.post(
        f"{page(purchase.id)}/putuskan", data=decision_form(html, "sendiri", **chosen)
    ).get_data(as_text=True)
    error = refused.index('id="keputusan-gagal"')
    assert error < refused.index("Data permintaan")  # near the top, above the request
    assert "Alasan perubahan wajib diisi, minimal 20 karakter." in refused[error:]
    assert re.search(rf'name="jumlah_{makers[1].id}"[^>]*value="37"', refused)
    assert '<details class="d-block w-100" open>' in refused


def test_an_old_v1_run_renders_with_its_policy_and_no_hash(
    app: Flask, client: FlaskClient, officer: User, makers: list[Umkm]
) -> None:
    purchase = create(client)
    app.config["ALLOCATION_POLICY"] = "pemerataan-v1"
    try:
        html = allocate(client, purchase.id)
    finally:
        app.config["ALLOCATION_POLICY"] = "pemerataan-v2"
    run = db.session.scalars(select(AllocationRun)).one()
    assert run.result["policy"] == run.policy == "pemerataan-v1" and run.policy_version == 1
    assert "Kebijakan: pemerataan-v1 (versi 1)" in html
    ties = [c["tie"][:8] for c in run.result["candidates"]]
    assert any(f"undian {t}" in c["explanation"] for c in run.result["candidates"] for t in ties)
    for tie in ties:
        assert tie not in html
    assert "urutan ditentukan undian" in html
