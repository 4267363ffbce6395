"""UMKM verified more than 90 days ago without an order, and why: the list and its reasons
against hand-built cases (one UMKM per reason), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask

from procure.clock import midnight, today_in_jakarta
from procure.extensions import db
from procure.omzet.rules import Period
from procure.procurement.models import RequestStatus
from procure.procurement.services import run_allocation
from procure.ranking import figures
from procure.spread import passed_over
from procure.spread import passed_over_rules as rules
from procure.spread.passed_over import Filters
from procure.umkm.models import UmkmStatus
from tests import factories

HPS = 200_000


def _today() -> dt.date:
    return today_in_jakarta()


def _verified(days_ago: int, **kwargs: Any) -> Any:
    return factories.umkm(verified_at=midnight(_today() - dt.timedelta(days=days_ago)), **kwargs)


def _product(owner: Any, **kwargs: Any) -> Any:
    values: dict[str, Any] = dict(
        unit_price=175_000,
        monthly_capacity=100,
        lead_time_days=7,
        min_order=1,
        kind_id=factories.kind(),
        created_at=owner.verified_at,
    )
    values.update(kwargs)
    return factories.product(owner, **values)


def _decided_request(app: Flask, quantity: int = 50) -> tuple[Any, Any]:
    """A request of long-sleeved batik shirts, allocated (its run stored) and marked decided."""
    officer = factories.user("opd")
    request = factories.purchase_request(
        officer, quantity, hps_unit_price=HPS, needed_by=_today() + dt.timedelta(days=30)
    )
    run = run_allocation(db.session, request, actor_id=officer.id, config=app.config)
    request.status = RequestStatus.ORDERED.value
    db.session.flush()
    return request, run


def _reasons(ids: list[int]) -> dict[int, list[str]]:
    rows = passed_over.rows_for(db.session, ids, _today())
    return {row.umkm_id: [r.code for r in row.reasons] for row in rows}


def test_one_umkm_per_reason(app: Flask) -> None:
    no_product = _verified(120)
    other_kind = _verified(120)
    _product(other_kind, kind_id=factories.kind(slug="kain-tulis"))
    dear = _verified(120)
    _product(dear, unit_price=250_000)
    slow = _verified(120)
    _product(slow, lead_time_days=45)
    small = _verified(120)
    _product(small, monthly_capacity=5, min_order=10)
    big_minimum = _verified(120)
    _product(big_minimum, min_order=80)
    silent = _verified(120)
    _product(silent)
    reporting = _verified(120)
    _product(reporting)
    last_month = Period.of(_today()).shift(-1)
    factories.omzet_report(reporting, str(last_month), 40_000_000)
    declined = _verified(120)
    declined_product = _product(declined, unit_price=250_000)
    request, run = _decided_request(app)
    factories.live_order(
        declined_product,
        request=request,
        run=run,
        issued_at=midnight(_today() - dt.timedelta(days=20)),
        status="declined",
    )
    figures.rebuild(db.session)
    db.session.commit()

    cases = {
        no_product.id: [rules.NO_PRODUCT],
        other_kind.id: [rules.NO_REQUEST],
        dear.id: [rules.PRICE],
        slow.id: [rules.LEAD_TIME],
        small.id: [rules.CAPACITY],
        big_minimum.id: [rules.MIN_ORDER],
        silent.id: [rules.UNREPORTED],
        reporting.id: [rules.RANKED_BELOW],
        declined.id: [rules.PRICE, rules.NOT_CONTINUED],
    }
    assert _reasons(list(cases)) == cases
    rows = {r.umkm_id: r for r in passed_over.rows_for(db.session, list(cases), _today())}
    assert "1 dari 1 permintaan Kemeja Batik Lengan Panjang" in rows[dear.id].reasons[0].text
    assert "Rp 40.000.000" in rows[reporting.id].reasons[0].text
    assert rows[dear.id].days_waiting == 120
    assert rows[other_kind.id].kinds == "Kain Batik Tulis"
    assert rows[no_product.id].kinds == "-"


def test_requests_before_verification_or_older_than_a_year_do_not_count(app: Flask) -> None:
    request, _run = _decided_request(app)
    late = _verified(100)
    _product(late)
    # Verified after the request was made: the request was never its to win.
    late.verified_at = request.created_at + dt.timedelta(minutes=1)
    old = _verified(500)
    _product(old)
    request.created_at = midnight(_today() - dt.timedelta(days=400))
    db.session.flush()
    assert _reasons([late.id, old.id]) == {late.id: [rules.NO_REQUEST], old.id: [rules.NO_REQUEST]}


def test_membership_days_and_orders(app: Flask) -> None:
    on_91 = _verified(91)
    on_90 = _verified(90)
    on_89 = _verified(89)
    pending = factories.umkm(status=UmkmStatus.PENDING)
    suspended = _verified(200, status=UmkmStatus.SUSPENDED)
    cancelled_only = _verified(200)
    live = _verified(200)
    request, run = _decided_request(app)
    for owner, status in ((cancelled_only, "cancelled"), (live, "accepted")):
        factories.live_order(
            _product(owner),
            request=request,
            run=run,
            issued_at=midnight(_today() - dt.timedelta(days=30)),
            status=status,
        )
    db.session.commit()
    listed = list(db.session.scalars(passed_over.list_query(_today(), Filters())))
    assert listed == [cancelled_only.id, on_91.id]  # longest waiting first
    for absent in (on_90, on_89, pending, suspended, live):
        assert absent.id not in listed
    assert passed_over.count(db.session, _today(), Filters()) == 2


def test_filters_and_pagination(app: Flask) -> None:
    batik = [_verified(200 - i) for i in range(passed_over.PAGE_SIZE + 3)]
    for owner in batik[:5]:
        _product(owner)
    far = factories.kelurahan("Kecamatan Jauh", "Desa Ujung")
    meals = _verified(
        300, categories=["konsumsi"], kecamatan_id=far.kecamatan_id, kelurahan_id=far.id
    )
    nasi = factories.kind("konsumsi", "nasi-kotak")
    _product(meals, category_slug="konsumsi", kind_id=nasi, name="Nasi kotak ayam")
    db.session.commit()
    today = _today()

    first = passed_over.page(db.session, today, Filters(), 1)
    assert first.total == len(batik) + 1
    assert len(first.rows) == passed_over.PAGE_SIZE
    assert first.rows[0].umkm_id == meals.id
    second = passed_over.page(db.session, today, Filters(), 2)
    assert [r.umkm_id for r in second.rows] == [u.id for u in batik[-4:]]
    assert passed_over.page(db.session, today, Filters(), 9).rows == ()

    by_kecamatan = passed_over.page(db.session, today, Filters(kecamatan_id=far.kecamatan_id), 1)
    assert [r.umkm_id for r in by_kecamatan.rows] == [meals.id]
    konsumsi = factories.category("konsumsi").id
    assert [r.umkm_id for r in passed_over.page(db.session, today, Filters(konsumsi), 1).rows] == [
        meals.id
    ]
    shirts = passed_over.page(db.session, today, Filters(kind_id=factories.kind()), 1)
    assert [r.umkm_id for r in shirts.rows] == [u.id for u in batik[:5]]
    assert shirts.reason_counts == ((rules.NO_REQUEST, rules.REASON_LABELS[rules.NO_REQUEST], 5),)

    exported = [r.umkm_id for chunk in passed_over.export_chunks(db.session, today, Filters())
                for r in chunk]  # fmt: skip
    assert exported == [meals.id] + [u.id for u in batik]


def test_export_reads_in_chunks(app: Flask, monkeypatch: Any) -> None:
    owners = [_verified(150) for _ in range(5)]  # the same moment: the keyset's tie on id
    db.session.commit()
    monkeypatch.setattr(passed_over, "EXPORT_CHUNK", 2)
    chunks = list(passed_over.export_chunks(db.session, _today(), Filters()))
    assert [len(c) for c in chunks] == [2, 2, 1]
    assert [r.umkm_id for c in chunks for r in c] == [u.id for u in owners]


def test_a_busy_kind_is_checked_against_its_latest_requests(app: Flask, monkeypatch: Any) -> None:
    dear = _verified(120)
    _product(dear, unit_price=250_000)
    for _ in range(3):
        _decided_request(app)
    db.session.commit()
    monkeypatch.setattr(passed_over, "SAMPLE", 2)
    (row,) = passed_over.rows_for(db.session, [dear.id], _today())
    assert [r.code for r in row.reasons] == [rules.PRICE]
    assert "2 dari 2 permintaan terakhir Kemeja Batik Lengan Panjang" in row.reasons[0].text


def test_latest_requests_reach_past_the_newest_for_quiet_kinds(
    app: Flask, monkeypatch: Any
) -> None:
    officer = factories.user("opd")
    quiet_kind = factories.kind(slug="kain-tulis")
    quiet = factories.purchase_request(officer, 5, kind_id=quiet_kind, title="Kain batik tulis")
    busy = [_decided_request(app)[0] for _ in range(3)]
    quiet.status = RequestStatus.ORDERED.value
    db.session.commit()
    monkeypatch.setattr(passed_over, "RECENT", 2)
    monkeypatch.setattr(passed_over, "SAMPLE", 2)
    sample = passed_over.latest_requests(db.session, [quiet_kind, factories.kind()], _today())
    assert sorted(sample.ids) == sorted([quiet.id, busy[2].id, busy[1].id])
    assert sample.busy == {factories.kind()}
