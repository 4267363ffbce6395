"""A large category's run through the pages: the top of the ranking stored and shown, the rest
summed up in words, the decision and the pass-on working on the stored top (both databases).

"Large" is made small here: the fast path from 5 offers on, 3 candidates stored, no reserve.
"""

from __future__ import annotations

import html as html_lib
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from procure.auth.models import User
from procure.clock import today_in_jakarta
from procure.documents.models import Document
from procure.documents.stored import content_from_dict
from procure.extensions import db
from procure.omzet.rules import Period
from procure.orders.services import decline_order
from procure.procurement.models import AllocationRun, PurchaseOrder
from procure.ranking import evaluate as ranking
from procure.ranking.stored_run import REST_OF_RANKING
from procure.umkm.models import Umkm
from tests import factories
from tests.functional.test_requests_pages import allocate, create, decision_form, page


@pytest.fixture
def large(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[Umkm]:
    """Eight batik makers, needs 1, 2, ... 8 juta (reported last month), 60 shirts each."""
    app.config["ALLOCATION_FAST_PATH_MIN_OFFERS"] = 5
    monkeypatch.setattr(ranking, "STORED", 3)
    monkeypatch.setattr(ranking, "RESERVE", 0)
    last_month = str(Period.of(today_in_jakarta()).shift(-1))
    makers = []
    for n in range(1, 9):
        maker = factories.umkm(business_name=f"Batik Nomor {n}")
        factories.product(
            maker, name=f"Kemeja {n} Lengan Panjang", unit_price=175_000, monthly_capacity=60
        )
        factories.omzet_report(maker, last_month, n * 1_000_000)
        makers.append(maker)
    db.session.commit()
    return makers


@pytest.fixture
def officer(client: FlaskClient, auth: Any) -> User:
    user = factories.user("opd", full_name="Sri Pejabat")
    db.session.commit()
    auth.login(user.email)
    return user


def test_the_page_shows_the_stored_top_and_says_the_rest_in_words(
    client: FlaskClient, officer: User, large: list[Umkm]
) -> None:
    purchase = create(client, quantity="100")
    html = html_lib.unescape(allocate(client, purchase.id))
    run = db.session.scalars(select(AllocationRun)).one()
    rest = run.result[REST_OF_RANKING]
    assert rest["more"] is True and rest["stored"] == 3
    assert [c["offer"]["umkm_id"] for c in run.result["candidates"]] == [m.id for m in large[:3]]
    assert "Peringkat teratas" in html
    assert "Menampilkan 3 dari 3 UMKM teratas yang disimpan rinci." in html
    assert (
        "… dan penawaran lain yang memenuhi syarat di bawah peringkat ini, dengan kebutuhan "
        "lebih tinggi (kebutuhan mulai Rp 4.000.000)."
    ) in html
    assert html.count("· peringkat ") == 3
    assert "Hanya UMKM di peringkat tersimpan yang dapat dipilih." in html
    # Accept: two orders (60 + 40), as on any run.
    response = client.post(f"{page(purchase.id)}/putuskan", data=decision_form(html))
    assert response.status_code == 302
    orders = db.session.scalars(select(PurchaseOrder).order_by(PurchaseOrder.id)).all()
    assert [(o.umkm_id, o.quantity, o.rank) for o in orders] == [
        (large[0].id, 60, 1),
        (large[1].id, 40, 2),
    ]
    # The Laporan Alokasi says the same about what was not stored in detail.
    report = db.session.scalars(select(Document).where(Document.kind == "LA")).one()
    rows = {r.label: r.value for r in content_from_dict(report.content).allocation.request}
    assert rows["Peringkat berikutnya"] == (
        "3 UMKM teratas disimpan rinci; penawaran lain yang memenuhi syarat menyusul dengan "
        "kebutuhan lebih tinggi (kebutuhan mulai Rp 4.000.000) dan tidak mengubah usulan."
    )


def test_choosing_a_umkm_outside_the_stored_top_is_refused_with_a_reason(
    client: FlaskClient, officer: User, large: list[Umkm]
) -> None:
    purchase = create(client, quantity="50")
    html = allocate(client, purchase.id)
    form = decision_form(
        html,
        "sendiri",
        reason="UMKM ini dekat dengan lokasi acara kami",
        **{f"jumlah_{large[6].id}": "50"},
    )
    answer = html_lib.unescape(
        client.post(f"{page(purchase.id)}/putuskan", data=form).get_data(as_text=True)
    )
    assert "Pilih UMKM dari peringkat yang tersimpan di halaman ini" in answer
    assert db.session.scalar(select(PurchaseOrder.id)) is None


def test_a_decline_passes_the_part_down_the_stored_top(
    app: Flask, client: FlaskClient, officer: User, large: list[Umkm]
) -> None:
    purchase = create(client, quantity="50")
    html = allocate(client, purchase.id)
    client.post(f"{page(purchase.id)}/putuskan", data=decision_form(html))
    (first,) = db.session.scalars(select(PurchaseOrder)).all()
    assert first.umkm_id == large[0].id
    owner = factories.user("umkm", umkm_id=first.umkm_id)
    (second,) = decline_order(
        db.session,
        first,
        "Kapasitas produksi bulan ini sudah penuh",
        actor_id=owner.id,
        config=app.config,
    )
    assert (second.umkm_id, second.rank, second.quantity) == (large[1].id, 2, 50)
    (third,) = decline_order(
        db.session,
        second,
        "Kapasitas produksi bulan ini sudah penuh",
        actor_id=owner.id,
        config=app.config,
    )
    assert (third.umkm_id, third.rank) == (large[2].id, 3)
    # The stored top is used up: the rest of the ranking is not walked, the part is a shortfall.
    assert (
        decline_order(
            db.session,
            third,
            "Kapasitas produksi bulan ini sudah penuh",
            actor_id=owner.id,
            config=app.config,
        )
        == []
    )
    assert third.events[-1].data["shortfall"] == 50
