"""The pemerataan dashboard through the test client: its numbers for a small fixture with a
known answer, who sees what, the period selector and its messages, the links to the portal."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import current_app
from flask.testing import FlaskClient

from procure.clock import today_in_jakarta
from procure.db import utcnow
from procure.extensions import db
from procure.omzet.rules import Period
from procure.opd.models import OpdBudget
from procure.procurement.services import run_allocation
from tests import factories
from tests.conftest import AuthActions

URL = "/pemerataan/"


@dataclass(frozen=True)
class World:
    admin: str
    inspector: str
    officer_a: str
    officer_b: str
    opd_a: int
    opd_b: int
    name_a: str
    name_b: str


def _world() -> World:
    """Two OPDs, four verified micro/small/medium UMKM (one without any order).

    OPD A: Rp 600.000 to a micro UMKM and Rp 200.000 to a small one; OPD B: Rp 200.000 to a
    medium one, and a cancelled order (Rp 500.000, not spend) to the micro one. Pemda spend
    0, 200, 200, 600 thousand over four UMKM: Gini 0,45, 75 % with orders, top 10 % (one UMKM)
    60 %. OPD A over the same four: 0, 0, 200, 600: Gini 0,625 -> 0,63, 50 % with orders.
    OPD A's budget Rp 10.000.000: 40 % is Rp 4.000.000, Rp 800.000 reached (8,0 %).
    """
    admin = factories.user("admin")
    officer_a = factories.user("opd")
    officer_b = factories.user("opd")
    long_ago = utcnow() - dt.timedelta(days=200)
    mikro, kecil, menengah, _idle = (
        factories.umkm(declared_scale=scale, verified_at=long_ago)
        for scale in ("mikro", "kecil", "menengah", "mikro")
    )
    shirts = {u.id: factories.product(u, unit_price=100_000) for u in (mikro, kecil, menengah)}
    now = utcnow()
    for officer, umkm, quantity, status in (
        (officer_a, mikro, 6, "issued"),
        (officer_a, kecil, 2, "paid"),
        (officer_b, menengah, 2, "accepted"),
        (officer_b, mikro, 5, "cancelled"),
    ):
        request = factories.purchase_request(officer, quantity, hps_unit_price=100_000)
        run = run_allocation(db.session, request, actor_id=officer.id, config=current_app.config)
        factories.live_order(
            shirts[umkm.id], request=request, run=run, issued_at=now, quantity=quantity,
            status=status,
        )  # fmt: skip
    db.session.add(
        OpdBudget(
            opd_id=officer_a.opd_id,
            year=today_in_jakarta().year,
            amount=10_000_000,
            set_by_id=admin.id,
            set_at=now,
        )
    )
    inspector = factories.user("inspector")
    world = World(
        admin=admin.email,
        inspector=inspector.email,
        officer_a=officer_a.email,
        officer_b=officer_b.email,
        opd_a=officer_a.opd_id,
        opd_b=officer_b.opd_id,
        name_a=officer_a.opd.name,
        name_b=officer_b.opd.name,
    )
    db.session.commit()
    return world


@pytest.fixture
def world() -> World:
    return _world()


def _page(client: FlaskClient, status: int = 200, **args: object) -> str:
    response = client.get(URL, query_string=args)
    assert response.status_code == status, response.get_data(as_text=True)[:1500]
    return response.get_data(as_text=True)


def _this_month() -> str:
    return str(Period.of(today_in_jakarta()))


def _card(html: str, label: str) -> str:
    """The text of the headline card labelled ``label`` (tags dropped)."""
    start = html.index(f">{label}</p>") + 1
    card = html[start : html.index("</div></div>", start)]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", card)).split())


def _portal_links(html: str) -> list[dict[str, str]]:
    found = []
    for href in re.findall(r'href="(/pemeriksaan/pesanan\?[^"]*)"', html):
        query = parse_qs(urlsplit(unescape(href)).query)
        found.append({k: v[0] for k, v in query.items()})
    return found


def test_the_pemda_figures_match_the_hand_computed_answer(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login(world.admin)
    html = _page(client, periode=_this_month())
    assert _card(html, "Indeks Gini").startswith("Indeks Gini 0,45")
    assert "75,0 % 3 dari 4 UMKM" in _card(html, "UMKM yang mendapat pesanan")
    assert "60,0 %" in _card(html, "Porsi 10 % UMKM teratas")
    assert "Rp 1.000.000" in _card(html, "Belanja")
    assert _card(html, "Surat Pesanan").startswith("Surat Pesanan 3")
    assert "Seluruh Pemda:" not in html  # no second column without an OPD scope
    # The 40 % measure: OPD A has a budget, OPD B has none.
    assert "8,0 % dari pagu" in html
    assert "Rp 4.000.000" in html  # the target
    assert "Pagu belum diisi" in html
    months_left = 12 - today_in_jakarta().month + 1
    needed = -(-3_200_000 // months_left)
    assert f'perlu <span class="text-nowrap fw-semibold">Rp {needed:,}'.replace(",", ".") in html
    # Per-OPD table: both OPDs; HHI of A (600/800, 200/800): 0.625 -> 6.250 points.
    table = html[html.index("spread-opd-table") :]
    assert world.name_a in table and world.name_b in table
    assert ">6.250<" in table
    assert "1 UMKM</span> sudah terverifikasi lebih dari 90 hari" in html
    assert "Data per " in html
    # Charts: inline SVG with their numbers in tables.
    assert html.count('class="spread-chart"') >= 8
    assert "Tabel angka kurva Lorenz" in html


def test_every_figure_links_to_the_orders_behind_it(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login(world.inspector)
    html = _page(client, periode=_this_month())
    links = _portal_links(html)
    period = Period.of(today_in_jakarta())
    first = period.first_day.isoformat()
    last = today_in_jakarta().isoformat()  # the current month, so far
    spend = {"dari": first, "sampai": last, "belanja": "ya"}
    assert spend in links  # the headline figures
    assert spend | {"skala": "mikro"} in links
    assert spend | {"opd": str(world.opd_a)} in links
    assert spend | {"opd": str(world.opd_a), "override": "ya"} not in links  # no overrides
    small = {"opd": str(world.opd_a), "skala": "kecil_mikro", "belanja": "ya"}
    assert small | {"dari": f"{period.year}-01-01", "sampai": last} in links
    assert all(set(link) <= {"dari", "sampai", "belanja", "opd", "kategori", "jenis",
                             "kecamatan", "skala", "override"} for link in links)  # fmt: skip
    # The portal understands every one of them.
    for link in links[:12]:
        assert client.get("/pemeriksaan/pesanan", query_string=link).status_code == 200


def test_an_officer_sees_their_opd_beside_the_pemda(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login(world.officer_a)
    html = _page(client, periode=_this_month())
    gini = _card(html, "Indeks Gini")
    assert gini.startswith("Indeks Gini 0,63") and "Seluruh Pemda: 0,45" in gini
    assert "50,0 % 2 dari 4 UMKM" in _card(html, "UMKM yang mendapat pesanan")
    assert "Rp 800.000" in _card(html, "Belanja")
    assert f"{world.name_a}</span> dibanding seluruh Pemda" in html
    table = html[html.index("spread-opd-table") :]
    assert world.name_a in table and world.name_b not in table
    assert "/pemeriksaan/" not in html  # the portal is not theirs: no links to it
    assert 'name="opd"' not in html  # no OPD to choose
    # Their own OPD asked for by id is fine; another's is refused.
    assert "0,63" in _card(_page(client, opd=world.opd_a), "Indeks Gini")
    assert client.get(URL, query_string={"opd": world.opd_b}).status_code == 403
    assert client.get(URL, query_string={"opd": "abc"}).status_code == 403


def test_admin_and_inspector_can_look_at_one_opd(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login(world.admin)
    html = _page(client, periode=_this_month(), opd=world.opd_b)
    gini = _card(html, "Indeks Gini")
    assert gini.startswith("Indeks Gini 0,75")  # 0, 0, 0, 200 thousand
    assert "Seluruh Pemda: 0,45" in gini  # the Pemda beside it, as an officer sees it
    assert "Rp 200.000" in _card(html, "Belanja")
    html = _page(client, 400, opd="999999")
    assert "Pilih OPD dari daftar." in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"periode": "2026-13"}, "Bulan 13 tidak ada"),
        ({"periode": "kemarin"}, "Periode ditulis 2026-10 (bulan)"),
        ({"periode": "2099"}, "belum dimulai"),
        ({"periode": "2026-03-10..2026-01-01"}, "tidak boleh sebelum"),
        ({"jenis": "month", "tahun": "2026", "bulan": "13"}, "Pilih bulan dari daftar."),
        ({"jenis": "quarter", "tahun": "2026", "triwulan": "5"}, "Pilih triwulan dari daftar."),
        ({"jenis": "custom", "dari": "2026-02-30", "sampai": "2026-03-01"}, "awal tidak valid"),
        ({"jenis": "custom", "dari": "2026-03-01", "sampai": ""}, "Isi tanggal akhir"),
        ({"jenis": "custom", "dari": "2026-03-01", "sampai": "2026-02-01"}, "tidak boleh sebelum"),
        ({"jenis": "decade"}, "Pilih jenis periode dari daftar."),
    ],
)  # fmt: skip
def test_a_bad_period_is_told_plainly(
    client: FlaskClient, auth: AuthActions, args: dict[str, str], message: str
) -> None:
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    html = _page(client, 400, **args)
    assert "Periode belum bisa ditampilkan" in html
    assert message in unescape(html)
    assert 'class="spread-chart"' not in html  # no figures for a period that is not one


def test_the_selector_chooses_the_period(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login(world.admin)
    today = today_in_jakarta()
    quarter = (today.month - 1) // 3 + 1
    html = _page(client, jenis="quarter", tahun=today.year, triwulan=quarter)
    assert f"Triwulan {['I', 'II', 'III', 'IV'][quarter - 1]} {today.year}" in html
    assert "Rp 1.000.000" in _card(html, "Belanja")
    html = _page(client, jenis="custom", dari=today.isoformat(), sampai=today.isoformat())
    assert "Rp 1.000.000" in _card(html, "Belanja")
    # Without any period: this year so far.
    html = _page(client)
    assert f"Tahun {today.year}" in html
    assert "Rp 1.000.000" in _card(html, "Belanja")


def test_a_period_without_orders_says_so_and_shows_zeros(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login(world.inspector)
    last_year = str(Period.of(today_in_jakarta()).shift(-12))
    html = _page(client, periode=last_year)
    assert "Belum ada Surat Pesanan yang terbit pada" in html
    assert _card(html, "Indeks Gini").startswith("Indeks Gini 0,00")
    assert "Rp 0" in _card(html, "Belanja")


def test_who_may_open_the_dashboard(client: FlaskClient, auth: AuthActions) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    umkm = factories.user("umkm")
    db.session.commit()
    auth.login(umkm.email)
    assert client.get(URL).status_code == 403


def test_the_inspector_lands_on_the_dashboard_and_everyone_finds_it(
    client: FlaskClient, auth: AuthActions
) -> None:
    users = {role: factories.user(role) for role in ("admin", "opd", "inspector", "umkm")}
    db.session.commit()
    for role, user in users.items():
        auth.login(user.email)
        home = client.get("/").headers["Location"]
        if role == "inspector":  # the inspection portal, whose first link is this dashboard
            assert home == "/pemeriksaan/"
            assert f'href="{URL}"' in client.get(home).get_data(as_text=True)
        nav = client.get(home, follow_redirects=True).get_data(as_text=True)
        has_link = f'href="{URL}">Pemerataan</a>' in nav
        assert has_link == (role != "umkm"), role
        auth.logout()


def test_links_to_pages_not_yet_there_are_left_out(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login(world.admin)
    html = _page(client, periode=_this_month())
    for endpoint, path in (("spread.budgets", "/pemerataan/pagu"),
                           ("spread.passed_over", "/pemerataan/tanpa-pesanan")):  # fmt: skip
        exists = endpoint in current_app.view_functions
        assert (f'href="{path}' in html) == exists, endpoint
