"""The store of built pemerataan reports (``procure.spread.store``): exact JSON round trip, a
page served from the store, a stale report served and refreshed in the background, one refresh
per key, the cold path, the maximum age, and the "Data per" time of a stored report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from procure import clock
from procure.extensions import db
from procure.procurement.services import run_allocation
from procure.spread import services, store
from procure.spread.models import StoredSpreadReport
from procure.spread.periods import ReportPeriod
from procure.spread.report_json import report_from_json, report_to_dict, report_to_json
from procure.spread.services import build_report
from tests import factories
from tests.integration.test_spread_report import TODAY, UNIT, World, wib, world  # noqa: F401
from tests.redis_server import redis_url_or_skip

OCTOBER = ReportPeriod.parse("2026-10")


@pytest.fixture
def counted(app: Flask, world: World, monkeypatch: pytest.MonkeyPatch) -> list[str]:  # noqa: F811
    """The store switched on (the testing config builds afresh); every build counted."""
    db.session.commit()
    monkeypatch.setitem(app.config, "SPREAD_MAX_AGE_SECONDS", 900)
    builds: list[str] = []
    build = services._build

    def counting(*args: Any) -> Any:
        builds.append(threading.current_thread().name)
        return build(*args)

    monkeypatch.setattr(services, "_build", counting)
    return builds


def _new_october_order(app: Flask, world: World) -> None:  # noqa: F811
    officer = factories.user("opd", opd=world.c)
    request = factories.purchase_request(officer, 10, kind_id=world.long_kind)
    run = run_allocation(db.session, request, actor_id=officer.id, config=app.config)
    product = factories.product(world.u[4], unit_price=UNIT)
    factories.live_order(product, request=request, run=run, issued_at=wib(2026, 10, 9), quantity=3)
    db.session.commit()


def _row(period: ReportPeriod = OCTOBER, opd_id: int | None = None) -> Any:
    db.session.rollback()
    return db.session.execute(
        select(StoredSpreadReport.__table__).where(
            StoredSpreadReport.key == store.key_of(period, opd_id)
        )
    ).one_or_none()


def test_a_full_report_round_trips_exactly(world: World) -> None:  # noqa: F811
    for period, opd_id in ((OCTOBER, None), (ReportPeriod.parse("2026"), world.a.id)):
        report = build_report(db.session, period, today=TODAY, opd_id=opd_id)
        text = report_to_json(report)
        assert report_from_json(text) == report
        # Exact fractions as "num/den" strings, never floats.
        assert json.loads(text)["pemda"]["gini"] == (
            f"{report.pemda.gini.numerator}/{report.pemda.gini.denominator}"
        )
        assert "." not in json.dumps(report_to_dict(report)["pemda"]["lorenz"])
    assert report.by_kind and report.months and report.opds and report.targets
    with pytest.raises(ValueError, match="format"):
        report_from_json(json.dumps({**report_to_dict(report), "format": 0}))


def test_the_cold_path_builds_and_stores_then_pages_read_the_store(
    app: Flask, counted: list[str]
) -> None:
    assert _row() is None
    first = store.report(db.session, OCTOBER, today=TODAY)
    assert counted == ["MainThread"]
    fresh = build_report(db.session, OCTOBER, today=TODAY)
    assert dataclasses.replace(first, computed_at=fresh.computed_at) == fresh  # same figures
    row = _row()
    assert row is not None and row.refreshing_since is None and row.built_for == TODAY
    assert report_from_json(row.body) == first
    counted.clear()
    again = store.report(db.session, OCTOBER, today=TODAY)
    assert again == first and counted == []  # current: from the store, nothing built


def test_a_stale_report_is_served_at_once_and_refreshed_in_the_background(
    app: Flask,
    world: World,  # noqa: F811
    counted: list[str],
) -> None:
    before = store.report(db.session, OCTOBER, today=TODAY)
    assert before.pemda.spend == 61 * UNIT
    _new_october_order(app, world)
    counted.clear()
    shown = store.report(db.session, OCTOBER, today=TODAY)
    assert shown == before  # the stored figures, with their own "data per"
    store.wait_for_refreshes()
    assert len(counted) == 1 and counted[0].startswith("spread-")  # built off the request
    assert _row().refreshing_since is None
    counted.clear()
    after = store.report(db.session, OCTOBER, today=TODAY)
    assert after.pemda.spend == 64 * UNIT and after.computed_at >= before.computed_at
    assert counted == []  # the refreshed report, from the store


def test_with_redis_a_worker_refreshes_the_stale_report(
    app: Flask,
    world: World,  # noqa: F811
    counted: list[str],
) -> None:
    from redis import Redis
    from rq import Queue, SimpleWorker

    url = redis_url_or_skip()
    app.config.update(REDIS_URL=url, SPREAD_QUEUE="procure-test-spread")
    connection = Redis.from_url(url)
    queue = Queue("procure-test-spread", connection=connection)
    queue.empty()
    before = store.report(db.session, OCTOBER, today=TODAY)
    _new_october_order(app, world)
    assert store.report(db.session, OCTOBER, today=TODAY) == before  # served at once
    assert queue.count == 1 and _row().refreshing_since is not None  # claimed, queued
    assert store.report(db.session, OCTOBER, today=TODAY) == before
    assert queue.count == 1  # the claim holds: no second job
    SimpleWorker([queue], connection=connection).work(burst=True, with_scheduler=False)
    db.session.expire_all()
    assert _row().refreshing_since is None
    assert store.report(db.session, OCTOBER, today=TODAY).pemda.spend == 64 * UNIT


def test_a_changed_report_older_than_the_maximum_age_is_built_in_the_request(
    app: Flask,
    world: World,  # noqa: F811
    counted: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = store.report(db.session, OCTOBER, today=TODAY)
    later = before.computed_at + dt.timedelta(seconds=901)
    monkeypatch.setattr(clock, "now", lambda: later)
    counted.clear()
    # Unchanged but old (an edit no fingerprint sees): served, and refreshed off the request.
    assert store.report(db.session, OCTOBER, today=TODAY) == before
    store.wait_for_refreshes()
    assert len(counted) == 1 and counted[0].startswith("spread-")
    later = later + dt.timedelta(seconds=901)
    _new_october_order(app, world)
    counted.clear()
    fresh = store.report(db.session, OCTOBER, today=TODAY)
    assert counted == ["MainThread"] and fresh.pemda.spend == 64 * UNIT


def test_another_day_refreshes_the_report(app: Flask, counted: list[str]) -> None:
    before = store.report(db.session, OCTOBER, today=TODAY)
    counted.clear()
    tomorrow = TODAY + dt.timedelta(days=1)
    assert store.report(db.session, OCTOBER, today=tomorrow) == before
    store.wait_for_refreshes()
    assert len(counted) == 1 and _row().built_for == tomorrow


def test_one_refresh_per_key_at_a_time(
    app: Flask, counted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store.report(db.session, OCTOBER, today=TODAY)
    key = store.key_of(OCTOBER, None)
    results: list[bool] = []
    engine = db.engine  # the processes' shared database

    def try_claim() -> None:
        results.append(store.claim(engine, key))

    racers = [threading.Thread(target=try_claim) for _ in range(4)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert sorted(results) == [False, False, False, True]
    # Held: a page that finds the data changed starts no second refresh.
    assert store.start_refresh(OCTOBER, None, TODAY) is None
    # A claim left by a process that died is taken over after CLAIM_SECONDS.
    later = clock.now() + dt.timedelta(seconds=store.CLAIM_SECONDS + 1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert store.claim(db.engine, key) is True
    store.release(db.engine, key)
    assert _row().refreshing_since is None


def test_refresh_usual_stores_the_usual_periods(app: Flask, world: World) -> None:  # noqa: F811
    db.session.commit()
    done = store.refresh_usual(db.session, TODAY, opd_ids=[world.a.id])
    periods = store.usual_periods(TODAY)
    assert [str(p) for p in periods] == ["2026", "2026-T4", "2026-12", "2026-11"]
    assert done == 2 * len(periods)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(StoredSpreadReport)) == done
    stored = report_from_json(_row(periods[0], world.a.id).body)
    assert stored.opd_id == world.a.id and stored.period.end == TODAY


def test_the_public_page_shows_the_stored_report_with_its_time(
    app: Flask, client: FlaskClient, counted: list[str]
) -> None:
    assert client.get("/transparansi/?periode=2026-10").status_code == 200
    assert len(counted) == 1
    # The stored report as read at 08:00 UTC on 1 December (15.00 WIB), data unchanged since.
    then = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    stored = report_from_json(_row().body)
    with db.engine.begin() as conn:
        conn.execute(
            update(StoredSpreadReport.__table__)
            .where(StoredSpreadReport.key == store.key_of(OCTOBER, None))
            .values(body=report_to_json(dataclasses.replace(stored, computed_at=then)))
        )
    html = client.get("/transparansi/?periode=2026-10").get_data(as_text=True)
    shown = app.jinja_env.filters["waktu"](then)
    assert f"Data per {shown}" in html
    assert len(counted) == 1  # served from the store


def test_the_refresh_command_stores_the_usual_reports(app: Flask, world: World) -> None:  # noqa: F811
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["report", "refresh-spread"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    stored = db.session.scalar(select(func.count()).select_from(StoredSpreadReport))
    assert stored and f"{stored} laporan pemerataan diperbarui." in result.output
