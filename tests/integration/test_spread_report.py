"""``build_report`` against a small fixture whose every figure is worked out by hand below,
on SQLite and PostgreSQL.

October 2026 (Jakarta days), values in units of Rp 100.000:

    UMKM  scale     kecamatan  verified        October spend (live orders)
    u1    mikro     Utara      10 Jan          10 (A, long, 1 Oct 00:30 WIB, paid) + 6 (A, long)
    u2    kecil     Utara      1 Mar           15 (A, short); 7 more on 1 Nov 00:10 WIB (A)
    u3    menengah  Selatan    1 May           20 (B, seragam, 31 Oct 23:30 WIB); 4 in Sep (A)
    u4    mikro     Selatan    20 Oct          -
    u5    mikro     Utara      15 Nov          - (after the period: not in October's population)
    u6    mikro     Utara      suspended       10 (B, long): in the population through its spend
    u7    mikro     Utara      pending         -
    u8    mikro     Utara      1 Feb           30 cancelled and 1 declined only: a zero
    u9    mikro     Utara      2 Aug 00:00 WIB - (exactly 90 days before 31 Oct: not "never")
    u10   mikro     Utara      1 Aug 23:00 WIB - (91 days: never ordered)

Population: u1 u2 u3 u4 u8 u9 u10 (verified by 31 Oct) + u6 (spend) = 8; spend 61.
Sorted: 0 0 0 0 10 15 16 20; rank-weighted sum 5·10 + 6·15 + 7·16 + 8·20 = 412;
Gini = (2·412 − 9·61) / (8·61) = 275/488. Top 10 %: ceil(0.8) = 1 UMKM: 20/61.

Smaller half (omzet 2025-11 .. 2026-10, latest revision): u4 1 jt, u2 8 jt, u1 (10 + 30) / 2
= 20 jt (its first October filing said 2 jt, corrected to 30), u3 50 jt (its 2025-10 report is
outside the window): 4 sized; the smaller two are u4 (0) and u2 (15) of 51: 15/51 = 5/17.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pytest
from flask import Flask

from procure.clock import JAKARTA
from procure.extensions import db
from procure.input_rules import RuleError
from procure.omzet.rules import Period
from procure.opd.models import OpdBudget
from procure.procurement.services import run_allocation
from procure.spread import metrics, sizes
from procure.spread.periods import ReportPeriod
from procure.spread.services import build_report
from tests import factories

UNIT = 100_000
TODAY = dt.date(2026, 12, 3)
F = Fraction


def wib(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JAKARTA)  # type: ignore[misc]


@dataclass
class World:
    a: Any
    b: Any
    c: Any
    u: dict[int, Any]
    utara: int
    selatan: int
    batik: int
    seragam: int
    long_kind: int
    short_kind: int
    pdh_kind: int


def _world(app: Flask) -> World:
    a = factories.opd(name="Dinas Alfa")
    b = factories.opd(name="Dinas Beta")
    c = factories.opd(name="Dinas Gamma")
    d = factories.opd(name="Dinas Delta")
    d.is_active = False
    selatan = factories.kelurahan("Sukamaju Selatan", "Pandean")
    south = {"kecamatan_id": selatan.kecamatan_id, "kelurahan_id": selatan.id}
    specs: dict[int, dict[str, Any]] = {
        1: dict(declared_scale="mikro", verified_at=wib(2026, 1, 10)),
        2: dict(declared_scale="kecil", verified_at=wib(2026, 3, 1)),
        3: dict(declared_scale="menengah", verified_at=wib(2026, 5, 1), **south),
        4: dict(declared_scale="mikro", verified_at=wib(2026, 10, 20), **south),
        5: dict(declared_scale="mikro", verified_at=wib(2026, 11, 15)),
        6: dict(declared_scale="mikro", status="suspended", verified_at=wib(2026, 2, 1)),
        7: dict(declared_scale="mikro", status="pending"),
        8: dict(declared_scale="mikro", verified_at=wib(2026, 2, 1)),
        9: dict(declared_scale="mikro", verified_at=wib(2026, 8, 2)),
        10: dict(declared_scale="mikro", verified_at=wib(2026, 8, 1, 23)),
    }
    u = {n: factories.umkm(**spec) for n, spec in specs.items()}
    products = {n: factories.product(owner, unit_price=UNIT) for n, owner in u.items()}
    long_kind = factories.kind("batik", "kemeja-lengan-panjang")
    short_kind = factories.kind("batik", "kemeja-lengan-pendek")
    pdh_kind = factories.kind("seragam", "pdh")

    def request(opd: Any, kind_id: int, decided_at: dt.datetime, override: bool) -> Any:
        officer = factories.user("opd", opd=opd)
        req = factories.purchase_request(officer, 10, kind_id=kind_id)
        run = run_allocation(db.session, req, actor_id=officer.id, config=app.config)
        run.decided_at, run.is_override = decided_at, override
        return req, run

    a_long = request(a, long_kind, wib(2026, 10, 1, 9), False)
    a_short = request(a, short_kind, wib(2026, 10, 15, 9), True)
    b_pdh = request(b, pdh_kind, wib(2026, 10, 1, 6), True)
    b_long = request(b, long_kind, wib(2026, 11, 2, 9), False)

    def order(n: int, where: tuple[Any, Any], quantity: int, at: dt.datetime, status: str) -> Any:
        req, run = where
        return factories.live_order(
            products[n], request=req, run=run, issued_at=at, quantity=quantity, status=status
        )

    o1 = order(1, a_long, 10, wib(2026, 10, 1, 0, 30), "paid")
    o1.handed_over_at, o1.paid_on = wib(2026, 10, 10, 0, 30), dt.date(2026, 10, 15)  # 5 days
    order(1, a_long, 6, wib(2026, 10, 15, 10), "accepted")
    order(2, a_short, 15, wib(2026, 10, 20, 10), "delivered")
    order(3, b_pdh, 20, wib(2026, 10, 31, 23, 30), "issued")
    order(6, b_long, 10, wib(2026, 10, 5, 10), "received")
    order(8, b_long, 30, wib(2026, 10, 6, 10), "cancelled")
    order(2, a_short, 7, wib(2026, 11, 1, 0, 10), "issued")
    o8 = order(3, a_long, 4, wib(2026, 9, 20, 10), "paid")
    o8.handed_over_at, o8.paid_on = wib(2026, 10, 1, 9), dt.date(2026, 10, 9)  # 8 days
    order(8, b_long, 1, wib(2026, 10, 7, 10), "declined")

    factories.omzet_report(u[1], "2026-09", 10_000_000)
    factories.omzet_report(u[1], "2026-10", 2_000_000)
    factories.omzet_report(u[1], "2026-10", 30_000_000, revision=2)
    factories.omzet_report(u[2], "2026-08", 8_000_000)
    factories.omzet_report(u[3], "2026-10", 50_000_000)
    factories.omzet_report(u[3], "2025-10", 1_000_000)
    factories.omzet_report(u[4], "2026-10", 1_000_000)
    factories.omzet_report(u[5], "2026-10", 500_000)

    db.session.add_all(
        [
            OpdBudget(opd_id=a.id, year=2026, amount=20_000_000),
            OpdBudget(opd_id=b.id, year=2025, amount=50_000_000),
            OpdBudget(opd_id=c.id, year=2026, amount=1_000_001),
            OpdBudget(opd_id=d.id, year=2026, amount=9_000_000),
        ]
    )
    db.session.flush()
    return World(
        a=a,
        b=b,
        c=c,
        u=u,
        utara=u[1].kecamatan_id,
        selatan=selatan.kecamatan_id,
        batik=factories.category("batik").id,
        seragam=factories.category("seragam").id,
        long_kind=long_kind,
        short_kind=short_kind,
        pdh_kind=pdh_kind,
    )


@pytest.fixture
def world(app: Flask) -> World:
    return _world(app)


def rows(found: Any) -> list[tuple[Any, ...]]:
    return [(r.key, r.spend // UNIT, r.orders, r.umkm, r.share) for r in found]


def test_pemda_spread_for_october(world: World) -> None:
    report = build_report(db.session, ReportPeriod.parse("2026-10"), today=TODAY)
    s = report.pemda
    assert report.scope == s and report.opd_id is None and report.opd_name is None
    assert (s.umkm_count, s.umkm_with_orders, s.share_with_orders) == (8, 4, F(1, 2))
    assert (s.spend, s.order_count) == (61 * UNIT, 5)
    assert s.gini == F(275, 488)
    assert s.top10_share == F(20, 61)
    assert (s.sized_count, s.smaller_half_share) == (4, F(5, 17))
    assert s.lorenz == tuple(
        [(F(i, 8), F(0)) for i in range(5)]
        + [(F(5, 8), F(10, 61)), (F(6, 8), F(25, 61)), (F(7, 8), F(41, 61)), (F(1), F(1))]
    )
    # The reference metrics over the whole population, zeros included, agree.
    values = [0, 0, 0, 0, 10, 15, 16, 20]
    assert s.gini == metrics.gini(values) and s.top10_share == metrics.top_share(values)
    assert list(s.lorenz) == metrics.lorenz(values)
    assert report.never_ordered == 2  # u8 (cancelled only) and u10


def test_breakdowns_for_october(world: World) -> None:
    report = build_report(db.session, ReportPeriod.parse("2026-10"), today=TODAY)
    w = world
    assert rows(report.by_opd) == [
        (str(w.a.id), 31, 3, 2, F(31, 61)),
        (str(w.b.id), 30, 2, 2, F(30, 61)),
    ]
    assert [r.label for r in report.by_opd] == ["Dinas Alfa", "Dinas Beta"]
    assert rows(report.by_category) == [
        (str(w.batik), 41, 4, 3, F(41, 61)),
        (str(w.seragam), 20, 1, 1, F(20, 61)),
    ]
    assert rows(report.by_kind) == [
        (str(w.long_kind), 26, 3, 2, F(26, 61)),
        (str(w.pdh_kind), 20, 1, 1, F(20, 61)),
        (str(w.short_kind), 15, 1, 1, F(15, 61)),
    ]
    assert report.by_kind[1].label == "Seragam / Konveksi · Seragam PDH"
    assert rows(report.by_kecamatan) == [
        (str(w.utara), 41, 4, 3, F(41, 61)),
        (str(w.selatan), 20, 1, 1, F(20, 61)),
    ]
    assert [r.label for r in report.by_kecamatan] == ["Sukamaju Utara", "Sukamaju Selatan"]
    assert rows(report.by_scale) == [
        ("mikro", 26, 3, 2, F(26, 61)),
        ("menengah", 20, 1, 1, F(20, 61)),
        ("kecil", 15, 1, 1, F(15, 61)),
    ]
    assert [r.label for r in report.by_scale] == ["Usaha Mikro", "Usaha Menengah", "Usaha Kecil"]
    for breakdown in (report.by_opd, report.by_category, report.by_kind, report.by_scale):
        assert sum(r.share for r in breakdown) == 1


def test_opd_rows_for_october(world: World) -> None:
    report = build_report(db.session, ReportPeriod.parse("2026-10"), today=TODAY)
    by_name = {r.name: r for r in report.opds}
    assert list(by_name) == ["Dinas Alfa", "Dinas Beta", "Dinas Gamma"]  # Delta is inactive
    a, b, c = by_name["Dinas Alfa"], by_name["Dinas Beta"], by_name["Dinas Gamma"]
    assert (a.spend, a.orders, a.umkm, a.hhi) == (31 * UNIT, 3, 2, F(16**2 + 15**2, 31**2))
    assert (a.runs_decided, a.overrides) == (2, 1)
    # Paid in October: 5 days (BAST 10 Oct 00:30 WIB, still 9 Oct in UTC) and 8 days.
    assert (a.paid_orders, a.days_to_payment) == (2, F(13, 2))
    assert (b.spend, b.orders, b.umkm, b.hhi) == (30 * UNIT, 2, 2, F(5, 9))
    assert (b.runs_decided, b.overrides) == (1, 1)  # the November decision is outside
    assert (b.paid_orders, b.days_to_payment) == (0, None)
    assert (c.spend, c.hhi, c.runs_decided, c.days_to_payment) == (0, 0, 0, None)


def test_targets_for_october(world: World) -> None:
    report = build_report(db.session, ReportPeriod.parse("2026-10"), today=TODAY)
    t = {r.name: r for r in report.targets}
    assert list(t) == ["Dinas Alfa", "Dinas Beta", "Dinas Gamma"]
    a, b, c = t["Dinas Alfa"], t["Dinas Beta"], t["Dinas Gamma"]
    # Alfa: micro and small from 1 Jan to 31 Oct: 10 + 6 (u1) + 15 (u2); not u3 (menengah)
    # nor the November order.
    assert (a.year, a.budget, a.small_spend, a.target) == (2026, 20_000_000, 3_100_000, 8_000_000)
    assert (a.ratio, a.months_left, a.needed_per_month) == (F(31, 200), 1, 4_900_000)
    assert (b.budget, b.small_spend, b.target, b.ratio, b.needed_per_month) == (
        None,
        1_000_000,
        None,
        None,
        None,
    )
    assert (c.budget, c.target, c.ratio, c.needed_per_month) == (1_000_001, 400_001, 0, 400_001)
    assert all(r.months_left == 1 for r in report.targets)


def test_months_of_the_fourth_quarter(world: World) -> None:
    report = build_report(db.session, ReportPeriod.parse("2026-T4"), today=TODAY)
    october, november, december = report.months
    assert [m.period for m in report.months] == [
        Period(2026, 10),
        Period(2026, 11),
        Period(2026, 12),
    ]
    assert (october.spend, october.small_spend, october.orders) == (61 * UNIT, 41 * UNIT, 5)
    assert (october.umkm_with_orders, october.gini, october.overrides) == (4, F(275, 488), 2)
    # November: u2 alone among 8 verified by 30 Nov (u5 joined): one winner, (n-1)/n.
    assert (november.spend, november.small_spend, november.umkm_with_orders) == (7 * UNIT,) * 2 + (
        1,
    )
    assert (november.gini, november.overrides) == (F(7, 8), 0)
    assert (december.spend, december.orders, december.gini) == (0, 0, 0)
    assert report.scope.spend == 68 * UNIT  # the quarter: October and November
    # More than 90 days before today (3 Dec), not the quarter's end: u8, u9 and u10.
    assert report.never_ordered == 3


def test_an_opd_sees_its_own_figures_beside_the_pemda(world: World) -> None:
    report = build_report(db.session, ReportPeriod.parse("2026-10"), today=TODAY, opd_id=world.a.id)
    assert (report.opd_id, report.opd_name) == (world.a.id, "Dinas Alfa")
    assert report.pemda.gini == F(275, 488)
    s = report.scope
    # Alfa's population: the 7 verified by 31 Oct (its spenders u1, u2 are among them).
    assert (s.umkm_count, s.umkm_with_orders, s.spend, s.order_count) == (7, 2, 31 * UNIT, 3)
    assert s.gini == F(156, 217) == metrics.gini([0, 0, 0, 0, 0, 15, 16])
    assert s.top10_share == F(16, 31)
    assert (s.sized_count, s.smaller_half_share) == (4, F(15, 31))
    assert rows(report.by_opd) == [(str(world.a.id), 31, 3, 2, F(1))]
    assert rows(report.by_scale) == [
        ("mikro", 16, 2, 1, F(16, 31)),
        ("kecil", 15, 1, 1, F(15, 31)),
        ("menengah", 0, 0, 0, F(0)),
    ]
    assert [r.name for r in report.opds] == ["Dinas Alfa"]
    assert [r.name for r in report.targets] == ["Dinas Alfa", "Dinas Beta", "Dinas Gamma"]
    (october,) = report.months
    assert (october.spend, october.orders, october.overrides) == (31 * UNIT, 3, 1)
    assert october.gini == F(156, 217)


def test_smaller_half_matches_the_reference(world: World) -> None:
    report = build_report(db.session, ReportPeriod.parse("2026-10"), today=TODAY)
    # u4, u2, u1, u3 by their mean month (1, 8, 20, 50 jt), with their October spend.
    assert report.pemda.smaller_half_share == metrics.smaller_half_share(
        [0, 15, 16, 20], [1, 8, 20, 50]
    )


def test_periods_that_have_not_begun_or_unknown_opds_are_refused(world: World) -> None:
    with pytest.raises(RuleError, match="belum dimulai"):
        build_report(db.session, ReportPeriod.parse("2027-01"), today=TODAY)
    with pytest.raises(RuleError, match="OPD"):
        build_report(db.session, ReportPeriod.parse("2026-10"), today=TODAY, opd_id=987_654)


def test_an_empty_catalog_gives_zeros(app: Flask) -> None:
    report = build_report(db.session, ReportPeriod.parse("2026"), today=TODAY)
    s = report.pemda
    assert (s.umkm_count, s.spend, s.gini, s.top10_share, s.smaller_half_share) == (
        0,
        0,
        0,
        0,
        None,
    )
    assert s.lorenz == ((F(0), F(0)), (F(1), F(1)))
    assert len(report.months) == 12 and report.by_opd == () and report.never_ordered == 0
    assert [r.key for r in report.by_scale] == ["mikro", "kecil", "menengah"]


def test_the_smaller_half_follows_new_filings_at_once(world: World) -> None:
    october = ReportPeriod.parse("2026-10")
    assert build_report(db.session, october, today=TODAY).pemda.smaller_half_share == F(5, 17)
    # u2 corrects August to Rp 100 jt: now u4 (1), u1 (20), u3 (50), u2 (100); the smaller half
    # is u4 and u1, with 0 + 16 of 51. The kept ranking reads only u2 again.
    factories.omzet_report(world.u[2], "2026-08", 100_000_000, revision=2)
    kept = build_report(db.session, october, today=TODAY).pemda
    assert (kept.sized_count, kept.smaller_half_share) == (4, F(16, 51))
    # A UMKM that starts reporting joins the ranking: u10 (verified, no spend) at Rp 5 jt.
    factories.omzet_report(world.u[10], "2026-07", 5_000_000)
    kept = build_report(db.session, october, today=TODAY).pemda
    assert (kept.sized_count, kept.smaller_half_share) == (5, F(0))  # u4 and u10: no spend
    ranked = sizes.ranking(db.session, Period(2026, 10)).umkm_ids
    sizes.forget()
    assert sizes.ranking(db.session, Period(2026, 10)).umkm_ids == ranked  # as a full read
    # Every reporting UMKM, u5 too (verified after October: outside its population).
    assert ranked == tuple(world.u[n].id for n in (5, 4, 10, 1, 3, 2))
