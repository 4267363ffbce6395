"""The portal's filters the pemerataan dashboard links with: product kind (``jenis``), the
UMKM's kecamatan and scale (``skala``), and orders that count as spend (``belanja``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import current_app
from flask.testing import FlaskClient

from procure.db import utcnow
from procure.extensions import db
from procure.procurement.services import run_allocation
from tests import factories
from tests.conftest import AuthActions


@dataclass(frozen=True)
class Orders:
    long_mikro: int  # long-sleeved shirts from a micro UMKM in Sukamaju Utara, issued
    short_menengah: int  # short-sleeved shirts from a medium UMKM in Sukamaju Selatan, paid
    long_kecil_cancelled: int  # long-sleeved shirts from a small UMKM in Utara, cancelled
    long_kind: int
    short_kind: int
    utara: int
    selatan: int


def _orders() -> Orders:
    officer = factories.user("opd")
    selatan = factories.kelurahan("Sukamaju Selatan", "Pandean")
    mikro = factories.umkm(declared_scale="mikro")
    menengah = factories.umkm(
        declared_scale="menengah", kecamatan_id=selatan.kecamatan_id, kelurahan_id=selatan.id
    )
    kecil = factories.umkm(declared_scale="kecil")
    long_kind = factories.kind("batik", "kemeja-lengan-panjang")
    short_kind = factories.kind("batik", "kemeja-lengan-pendek")
    long_shirt = factories.product(mikro, kind_id=long_kind)
    short_shirt = factories.product(
        menengah, name="Kemeja Batik Cap Lengan Pendek", kind_id=short_kind
    )
    small_shirt = factories.product(kecil, kind_id=long_kind)
    made = []
    for kind_id, product, status in (
        (long_kind, long_shirt, "issued"),
        (short_kind, short_shirt, "paid"),
        (long_kind, small_shirt, "cancelled"),
    ):
        request = factories.purchase_request(officer, 10, kind_id=kind_id)
        run = run_allocation(db.session, request, actor_id=officer.id, config=current_app.config)
        made.append(
            factories.live_order(
                product, request=request, run=run, issued_at=utcnow(), status=status
            )
        )
    return Orders(
        *(o.id for o in made),
        long_kind=long_kind,
        short_kind=short_kind,
        utara=mikro.kecamatan_id,
        selatan=selatan.kecamatan_id,
    )


def _listed(client: FlaskClient, **args: object) -> set[int]:
    response = client.get("/pemeriksaan/pesanan", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    return {int(n) for n in re.findall(r">SP #(\d+)</a>", response.get_data(as_text=True))}


@pytest.fixture
def orders(auth: AuthActions) -> Orders:
    made = _orders()
    inspector = factories.user("inspector")
    db.session.commit()
    auth.login(inspector.email)
    return made


def test_each_new_filter_narrows_the_list(client: FlaskClient, orders: Orders) -> None:
    every = {orders.long_mikro, orders.short_menengah, orders.long_kecil_cancelled}
    assert _listed(client) == every
    assert _listed(client, jenis=orders.long_kind) == {
        orders.long_mikro,
        orders.long_kecil_cancelled,
    }
    assert _listed(client, jenis=orders.short_kind) == {orders.short_menengah}
    assert _listed(client, kecamatan=orders.selatan) == {orders.short_menengah}
    assert _listed(client, kecamatan=orders.utara) == every - {orders.short_menengah}
    assert _listed(client, skala="mikro") == {orders.long_mikro}
    assert _listed(client, skala="kecil") == {orders.long_kecil_cancelled}
    assert _listed(client, skala="menengah") == {orders.short_menengah}
    assert _listed(client, skala="kecil_mikro") == {
        orders.long_mikro,
        orders.long_kecil_cancelled,
    }
    # Spend: issued to paid; a cancelled order never counted.
    assert _listed(client, belanja="ya") == {orders.long_mikro, orders.short_menengah}
    assert _listed(client, belanja="tidak") == {orders.long_kecil_cancelled}
    # Together, as the dashboard links them: small businesses' spend on long sleeves.
    assert _listed(client, jenis=orders.long_kind, skala="kecil_mikro", belanja="ya") == {
        orders.long_mikro
    }


def test_the_exports_follow_the_new_filters(client: FlaskClient, orders: Orders) -> None:
    response = client.get("/pemeriksaan/pesanan.csv", query_string={"skala": "menengah"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 2  # the header and the one medium business's order


def test_the_form_offers_the_choices_and_keeps_them(client: FlaskClient, orders: Orders) -> None:
    html = client.get(
        "/pemeriksaan/pesanan", query_string={"kecamatan": orders.selatan, "skala": "kecil_mikro"}
    ).get_data(as_text=True)
    assert "Kemeja Batik Lengan Pendek" in html  # a kind, named with its category
    assert re.search(rf'<option selected value="{orders.selatan}">Sukamaju Selatan', html)
    assert re.search(r'<option selected value="kecil_mikro">Mikro dan kecil', html)
    assert re.search(r'<option value="ya">Ya', html)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"jenis": "999999"}, "Pilih jenis barang dari daftar."),
        ({"jenis": "abc"}, "Pilih jenis barang dari daftar."),
        ({"kecamatan": "999999"}, "Pilih kecamatan dari daftar."),
        ({"skala": "raksasa"}, "Pilih skala usaha dari daftar."),
        ({"belanja": "mungkin"}, "Pilihan belanja harus"),
    ],
)
def test_bad_values_are_told_not_queried(
    client: FlaskClient, orders: Orders, args: dict[str, str], message: str
) -> None:
    response = client.get("/pemeriksaan/pesanan", query_string=args)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "SP #" not in html
