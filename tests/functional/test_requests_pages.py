"""The officer's purchase requests through the pages: create, allocate, read, decide.

Each test runs on SQLite and on PostgreSQL (see conftest).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.audit.models import AuditLog
from procure.auth.models import User
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.omzet.rules import Period
from procure.procurement.models import AllocationRun, OrderEvent, PurchaseOrder, PurchaseRequest
from procure.ranking import run_rows
from procure.umkm.models import Umkm
from tests import factories

LIST = "/pengadaan/permintaan"
NEW = "/pengadaan/permintaan/baru"


def page(request_id: int) -> str:
    return f"/pengadaan/permintaan/{request_id}"


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def audits(action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditLog.action == action)) or 0


def request_form(**changes: Any) -> dict[str, Any]:
    today = today_in_jakarta()
    data: dict[str, Any] = {
        "title": "Kemeja batik seragam Jumat",
        "kind_id": str(factories.kind()),
        "specification": "Kemeja batik cap lengan panjang, ukuran campur",
        "quantity": "200",
        "unit": "potong",
        "hps_unit_price": "200.000",
        "needed_by": (today + dt.timedelta(days=30)).isoformat(),
        "delivery_address": "Jl. Merdeka No. 1",
        "budget_code": "5.1.02.01.01.0024",
        "fiscal_year": str(today.year),
    }
    data.update(changes)
    return data


def decision_form(html: str, choice: str = "terima", **extra: str) -> dict[str, str]:
    """The hidden fields of the rendered decision form, as the browser would send them."""
    key = re.search(r'name="decision_key" value="([^"]+)"', html)
    run_id = re.search(r'name="run_id" value="(\d+)"', html)
    assert key and run_id, "the page has no decision form"
    return {"decision_key": key.group(1), "run_id": run_id.group(1), "choice": choice, **extra}


@pytest.fixture
def officer(client: FlaskClient, auth: Any) -> User:
    user = factories.user("opd", full_name="Sri Pejabat")
    factories.category("konsumsi")  # the default categories, committed for the requests to see
    db.session.commit()
    auth.login(user.email)
    return user


@pytest.fixture
def makers(app: Any) -> list[Umkm]:
    """Four batik makers with 80 shirts of free capacity each, and one priced above the HPS."""
    makers = [
        factories.umkm(business_name=f"Batik {n}") for n in ("Arum", "Bayu", "Cempaka", "Dewi")
    ]
    for m in makers:
        factories.product(
            m,
            name=f"Kemeja {m.business_name} Lengan Panjang",
            unit_price=175_000,
            monthly_capacity=80,
        )
    dear = factories.umkm(business_name="Batik Mahal Sekali")
    factories.product(dear, name="Kemeja Sutra Halus Lengan Panjang", unit_price=250_000)
    last_month = Period.of(today_in_jakarta()).shift(-1)
    factories.omzet_report(makers[0], str(last_month), 4_200_000)
    db.session.commit()
    return makers


def create(client: FlaskClient, **changes: Any) -> PurchaseRequest:
    response = client.post(NEW, data=request_form(**changes))
    assert response.status_code == 302, response.get_data(as_text=True)
    request_id = int(response.headers["Location"].rsplit("/", 1)[1])
    found = db.session.get(PurchaseRequest, request_id)
    assert found is not None
    return found


def allocate(client: FlaskClient, request_id: int) -> str:
    response = client.post(f"{page(request_id)}/alokasi")
    assert response.status_code == 302
    assert response.headers["Location"] == page(request_id)
    return client.get(page(request_id)).get_data(as_text=True)


def test_journey_create_allocate_accept(
    app: Flask, client: FlaskClient, officer: User, makers: list[Umkm]
) -> None:
    form = client.get(NEW).get_data(as_text=True)
    assert "Data acara (khusus konsumsi)" in form
    assert f'value="{today_in_jakarta().year}"' in form  # Tahun Anggaran defaults to this year

    purchase = create(client)
    assert (purchase.quantity, purchase.hps_unit_price) == (200, 200_000)
    assert purchase.opd_id == officer.opd_id
    assert audits("request.create") == 1
    before = client.get(page(purchase.id)).get_data(as_text=True)
    assert "Belum ada hasil alokasi" in before
    assert "Rp 40.000.000" in before  # value = 200 × Rp 200.000

    html = allocate(client, purchase.id)
    assert count(AllocationRun) == 1
    assert "Kebijakan: pemerataan-v2 (versi 2)" in html
    assert "jenis barang yang diminta: <strong>Kemeja Batik Lengan Panjang (Batik)</strong>" in html
    assert "Terpenuhi 200 potong oleh 3 UMKM." in html
    # Every ranking line carries the policy's sentence; the reporting maker comes first.
    assert "Rp 4.200.000 + pesanan di bulan yang belum dilaporkan Rp 0 = Rp 4.200.000" in html
    assert "Rp 4.200.000 · peringkat 1" in html
    assert "tidak melaporkan omzet" in html
    # The offer above the HPS is listed as excluded, with its reason and numbers.
    assert "Kemeja Sutra Halus" in html
    assert "harga di atas HPS" in html
    assert "Harga Rp 250.000 di atas HPS Rp 200.000." in html
    assert (
        "Surat Pesanan akan diterbitkan ke 3 UMKM; tidak bisa dibatalkan kecuali dengan alasan."
        in html
    )

    response = client.post(f"{page(purchase.id)}/putuskan", data=decision_form(html))
    assert response.status_code == 302
    orders = list(db.session.scalars(select(PurchaseOrder).order_by(PurchaseOrder.id)))
    assert sorted(o.quantity for o in orders) == [40, 80, 80]
    assert len({o.umkm_id for o in orders}) == 3
    assert makers[0].id in {o.umkm_id for o in orders}  # the only one reporting omzet: rank 1
    assert count(OrderEvent) == 3
    db.session.refresh(purchase)
    assert purchase.status == "ordered"

    done = client.get(page(purchase.id)).get_data(as_text=True)
    assert "3 Surat Pesanan diterbitkan ke UMKM." in done
    assert "Sesuai usulan" in done and "Sri Pejabat" in done
    for order in orders:
        with app.test_request_context():
            href = url_for("orders.order_detail", order_id=order.id)
        assert f'<a href="{href}">Pesanan #{order.id}</a>' in done
    assert 'name="decision_key"' not in done  # decided: no more decision form
    assert "Jalankan ulang alokasi" not in done


def test_override_needs_a_reason_then_is_marked(
    client: FlaskClient, officer: User, makers: list[Umkm]
) -> None:
    purchase = create(client)
    html = allocate(client, purchase.id)
    run = db.session.scalars(select(AllocationRun)).one()
    proposal = {p["umkm_id"]: p["quantity"] for p in run.result["allocation"]}
    left_out = next(m.id for m in makers if m.id not in proposal)
    last = run.result["allocation"][-1]["umkm_id"]
    chosen = {f"jumlah_{u}": str(q) for u, q in proposal.items() if u != last}
    chosen[f"jumlah_{left_out}"] = "40"
    url = f"{page(purchase.id)}/putuskan"

    refused = client.post(url, data=decision_form(html, "sendiri", **chosen))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "Keputusan belum disimpan." in text
    assert "Alasan perubahan wajib diisi, minimal 20 karakter." in text
    assert 'value="40"' in text  # what the officer typed is kept
    assert count(PurchaseOrder) == 0
    db.session.expire_all()
    assert db.session.get(AllocationRun, run.id).decided_at is None
    assert audits("allocation.decide") == 0

    reason = "Batik Cempaka terlambat mengirim pesanan bulan lalu."
    accepted = client.post(url, data=decision_form(html, "sendiri", reason=reason, **chosen))
    assert accepted.status_code == 302
    orders = list(db.session.scalars(select(PurchaseOrder)))
    assert {o.umkm_id: o.quantity for o in orders} == {
        **{u: q for u, q in proposal.items() if u != last},
        left_out: 40,
    }
    db.session.expire_all()
    decided = db.session.get(AllocationRun, run.id)
    assert decided.is_override is True and decided.override_reason == reason
    shown = client.get(page(purchase.id)).get_data(as_text=True)
    assert "Menyimpang dari usulan" in shown and reason in shown


def test_own_choice_with_a_bad_number_saves_nothing(
    client: FlaskClient, officer: User, makers: list[Umkm]
) -> None:
    purchase = create(client)
    html = allocate(client, purchase.id)
    data = decision_form(html, "sendiri", reason="x" * 25, **{f"jumlah_{makers[1].id}": "sepuluh"})
    response = client.post(f"{page(purchase.id)}/putuskan", data=data)
    assert response.status_code == 200
    assert "harus berupa angka bulat" in response.get_data(as_text=True)
    assert count(PurchaseOrder) == 0


def test_double_submit_issues_one_set_of_orders(
    client: FlaskClient, officer: User, makers: list[Umkm]
) -> None:
    purchase = create(client)
    data = decision_form(allocate(client, purchase.id))
    url = f"{page(purchase.id)}/putuskan"
    first = client.post(url, data=data)
    second = client.post(url, data=data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert count(PurchaseOrder) == 3
    assert audits("allocation.decide") == 1
    shown = client.get(page(purchase.id)).get_data(as_text=True)
    assert "tidak diterbitkan dua kali" in shown


def test_rerun_keeps_older_runs_and_only_the_latest_can_be_decided(
    client: FlaskClient, officer: User, makers: list[Umkm]
) -> None:
    purchase = create(client)
    stale = decision_form(allocate(client, purchase.id))
    html = allocate(client, purchase.id)
    assert count(AllocationRun) == 2
    assert "Alokasi sebelumnya (tidak dipakai)" in html
    response = client.post(f"{page(purchase.id)}/putuskan", data=stale)
    assert response.status_code == 200
    assert "Ada hasil alokasi yang lebih baru" in response.get_data(as_text=True)
    assert count(PurchaseOrder) == 0


def test_value_above_the_cap_is_refused_naming_the_other_route(
    client: FlaskClient, officer: User
) -> None:
    response = client.post(NEW, data=request_form(quantity="300"))  # 300 × 200.000 = 60 jt
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nilai paket Rp 60.000.000 melebihi batas katalog lokal Rp 50.000.000" in text
    assert "e-purchasing katalog nasional/sektoral" in text
    assert count(PurchaseRequest) == 0
    assert audits("request.create") == 0


def test_form_errors_are_in_indonesian_and_save_nothing(client: FlaskClient, officer: User) -> None:
    data = request_form(hps_unit_price="dua ratus ribu", quantity="0", title="", needed_by="")
    text = client.post(NEW, data=data).get_data(as_text=True)
    assert "Tulis jumlah rupiah dalam angka bulat" in text
    assert "Jumlah paling sedikit 1." in text
    assert "Nama paket wajib diisi." in text
    assert "Tanggal kebutuhan wajib diisi." in text
    assert count(PurchaseRequest) == 0


def test_portions_above_attendees_need_a_reason_and_stay_flagged(
    client: FlaskClient, officer: User
) -> None:
    meals = dict(
        title="Nasi kotak rapat koordinasi",
        kind_id=str(factories.kind("konsumsi", "nasi-kotak")),
        unit="porsi",
        quantity="120",
        hps_unit_price="35.000",
        event_name="Rapat koordinasi UMKM",
        event_date=(today_in_jakarta() + dt.timedelta(days=20)).isoformat(),
        invitation_number="005/123/DISKOP/2026",
        expected_attendees="100",
    )
    refused = client.post(NEW, data=request_form(**meals)).get_data(as_text=True)
    assert "Jumlah porsi (120) melebihi peserta (100)" in refused
    assert count(PurchaseRequest) == 0

    reason = "Termasuk panitia, sopir dan wartawan yang meliput."
    purchase = create(client, excess_reason=reason, **meals)
    assert purchase.is_excess_portions is True
    shown = client.get(page(purchase.id)).get_data(as_text=True)
    assert "Porsi berlebih" in shown and reason in shown
    assert "005/123/DISKOP/2026" in shown
    assert "Porsi berlebih" in client.get(LIST).get_data(as_text=True)


def test_requests_crossing_the_cap_within_14_days_are_flagged(
    client: FlaskClient, officer: User
) -> None:
    first = create(client, quantity="150")  # Rp 30 jt
    second = create(client, quantity="150")  # another Rp 30 jt: together above Rp 50 jt
    assert (first.is_split_suspect, second.is_split_suspect) == (False, True)
    shown = client.get(page(second.id)).get_data(as_text=True)
    assert "Kemungkinan pemecahan paket" in shown and f"#{first.id}" in shown
    listed = client.get(LIST).get_data(as_text=True)
    assert listed.count("Kemungkinan pemecahan paket</span>") == 1


def test_list_shows_own_opd_newest_first_with_pagination(
    client: FlaskClient, officer: User
) -> None:
    other = factories.user("opd")
    factories.purchase_request(other, 1, title="Permintaan OPD tetangga")
    db.session.commit()
    empty = client.get(LIST).get_data(as_text=True)
    assert "Belum ada permintaan pembelian." in empty
    assert "Permintaan OPD tetangga" not in empty
    for n in range(21):
        create(client, quantity="1", title=f"Paket nomor {n:02d}")
    first_page = client.get(LIST).get_data(as_text=True)
    assert first_page.index("Paket nomor 20") < first_page.index("Paket nomor 19")
    assert "Paket nomor 00" not in first_page
    assert "Paket nomor 00" in client.get(f"{LIST}?page=2").get_data(as_text=True)
    assert "Permintaan OPD tetangga" not in first_page


def test_ranking_shows_the_top_rows_with_a_link_to_all(
    client: FlaskClient, officer: User, makers: list[Umkm], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_rows, "RANKING_LIMIT", 1)
    purchase = create(client, quantity="50")  # one UMKM proposed: the ranking shows 1 of 4
    html = allocate(client, purchase.id)
    assert "Menampilkan 1 dari 4 UMKM yang memenuhi syarat." in html
    assert f"{page(purchase.id)}?semua=1" in html
    everything = client.get(f"{page(purchase.id)}?semua=1").get_data(as_text=True)
    assert "Menampilkan 4 dari 4 UMKM yang memenuhi syarat." in everything
    assert everything.count("· peringkat ") == 4


def test_another_opd_cannot_see_or_act(
    client: FlaskClient, auth: Any, officer: User, makers: list[Umkm]
) -> None:
    purchase = create(client)
    html = allocate(client, purchase.id)
    stranger = factories.user("opd")
    db.session.commit()
    auth.logout()
    auth.login(stranger.email)
    runs, logs = count(AllocationRun), count(AuditLog)
    assert client.get(page(purchase.id)).status_code == 404
    assert client.post(f"{page(purchase.id)}/alokasi").status_code == 404
    decided = client.post(f"{page(purchase.id)}/putuskan", data=decision_form(html))
    assert decided.status_code == 404
    assert "Kemeja batik seragam Jumat" not in client.get(LIST).get_data(as_text=True)
    assert (count(AllocationRun), count(AuditLog), count(PurchaseOrder)) == (runs, logs, 0)


def test_inspector_reads_everything_and_changes_nothing(
    client: FlaskClient, auth: Any, officer: User, makers: list[Umkm]
) -> None:
    purchase = create(client)
    html = allocate(client, purchase.id)
    inspector = factories.user("inspector")
    db.session.commit()
    auth.logout()
    auth.login(inspector.email)
    runs, logs = count(AllocationRun), count(AuditLog)
    shown = client.get(page(purchase.id))
    assert shown.status_code == 200 and "harga di atas HPS" in shown.get_data(as_text=True)
    assert 'name="decision_key"' not in shown.get_data(as_text=True)
    listed = client.get(LIST).get_data(as_text=True)
    assert "Kemeja batik seragam Jumat" in listed and "Semua OPD" in listed
    assert client.get(NEW).status_code == 403
    assert client.post(f"{page(purchase.id)}/alokasi").status_code == 403
    decided = client.post(f"{page(purchase.id)}/putuskan", data=decision_form(html))
    assert decided.status_code == 403
    assert (count(AllocationRun), count(AuditLog), count(PurchaseOrder)) == (runs, logs, 0)


def test_admin_reads_all_and_filters_by_opd(client: FlaskClient, auth: Any) -> None:
    first, second = factories.user("opd"), factories.user("opd")
    mine = factories.purchase_request(first, 1, title="Paket Dinas Pertama")
    factories.purchase_request(second, 1, title="Paket Dinas Kedua")
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    listed = client.get(LIST).get_data(as_text=True)
    assert "Paket Dinas Pertama" in listed and "Paket Dinas Kedua" in listed
    filtered = client.get(f"{LIST}?opd={first.opd_id}").get_data(as_text=True)
    assert "Paket Dinas Pertama" in filtered and "Paket Dinas Kedua" not in filtered
    assert client.get(page(mine.id)).status_code == 200
    assert client.get(NEW).status_code == 403
    assert client.post(f"{page(mine.id)}/alokasi").status_code == 403
    assert count(AllocationRun) == 0


def test_umkm_role_is_refused(client: FlaskClient, auth: Any) -> None:
    officer = factories.user("opd")
    purchase = factories.purchase_request(officer, 1)
    owner = factories.user("umkm")
    db.session.commit()
    auth.login(owner.email)
    for url in (LIST, NEW, page(purchase.id)):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{page(purchase.id)}/alokasi").status_code == 403
    assert client.post(f"{page(purchase.id)}/putuskan").status_code == 403
    assert count(AllocationRun) == 0


def test_anonymous_visitor_is_sent_to_log_in(client: FlaskClient) -> None:
    response = client.get(LIST)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_officer_without_an_opd_cannot_create(client: FlaskClient, auth: Any) -> None:
    loose = factories.user("opd", opd_id=None, opd=None)
    db.session.commit()
    auth.login(loose.email)
    response = client.get(NEW)
    assert response.status_code == 403
    assert "belum terhubung ke OPD" in response.get_data(as_text=True)


def test_user_text_is_escaped(client: FlaskClient, officer: User, makers: list[Umkm]) -> None:
    purchase = create(
        client,
        title='<script>alert("judul")</script>',
        specification="<b>tebal</b> & <img src=x onerror=alert(1)>",
    )
    for url in (page(purchase.id), LIST):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html
    assert "&lt;b&gt;tebal&lt;/b&gt; &amp; &lt;img" in client.get(page(purchase.id)).get_data(
        as_text=True
    )


def test_opd_home_and_menu_lead_to_the_requests(client: FlaskClient, officer: User) -> None:
    home = client.get("/opd/").get_data(as_text=True)
    assert f'href="{NEW}"' in home and "Buat permintaan pembelian" in home
    assert f'href="{LIST}"' in home
    assert f'<a class="nav-link" href="{LIST}">Permintaan</a>' in home


def test_the_kind_picker_offers_real_kinds_only(client: FlaskClient, officer: User) -> None:
    """The picker groups kinds by category and leaves out the catch-all "Lainnya (perlu
    dipilah)"; a crafted post naming it is refused and nothing is saved."""
    catch_all = factories.kind("batik", "lainnya")
    text = client.get("/pengadaan/permintaan/baru").get_data(as_text=True)
    assert 'label="Batik"' in text and "Kemeja Batik Lengan Panjang" in text
    assert "perlu dipilah" not in text
    response = client.post("/pengadaan/permintaan/baru", data=request_form(kind_id=catch_all))
    assert "Pilih jenis barang dari daftar." in response.get_data(as_text=True)
    assert count(PurchaseRequest) == 0
