"""One live server with Kota Sukamaju's demo data, shared by all the tests of a module.

The accessibility sweep and the daily journeys look at pages as the demo shows them (64 UMKM,
this year's requests, orders and documents), so the demo is loaded once per module and backend
(about 6 s) instead of once per test. The database is a copy of the session's migrated SQLite
file, or the session's PostgreSQL database emptied again at the end of the module.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page
from sqlalchemy import select
from werkzeug.serving import make_server

from procure import create_app
from procure.auth.models import User
from procure.extensions import db
from procure.procurement.models import PurchaseOrder
from procure.procurement.services import run_allocation
from procure.sample_data.demo import DEMO_PASSWORD, load_demo, officer_email
from tests import factories

CHROMIUM_CONTEXT = {"locale": "id-ID", "bypass_csp": True}  # axe-core is injected inline
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
VIEWPORTS = {"390": PHONE, "1366": DESKTOP}


@dataclass
class DemoSite:
    base: str
    app: Flask
    backend: str
    password: str = DEMO_PASSWORD


@contextmanager
def _serving(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.daemon_threads = False  # server_close() waits for the requests still being served
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def demo_site(request: pytest.FixtureRequest, backend: str) -> Iterator[DemoSite]:
    """The demo on a database of its own, served on a free local port."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = template.with_name(f"demo-{request.module.__name__.rsplit('.', 1)[-1]}.db")
        shutil.copyfile(template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    try:
        with app.app_context():
            load_demo(db.session)
            db.session.commit()
            db.session.remove()
        with _serving(app) as base:
            yield DemoSite(base=base, app=app, backend=backend)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if backend == "postgresql":
            from tests.conftest import _truncate_all

            _truncate_all(url)


OFFICER = officer_email("DISDIK")


def browser_page(browser: Browser, site: DemoSite, width: str, email: str | None) -> Page:
    """A new browser page at ``width`` ("390" or "1366"), logged in as ``email`` (anonymous
    when None)."""
    context = browser.new_context(viewport=VIEWPORTS[width], **CHROMIUM_CONTEXT)
    page = context.new_page()
    page.set_default_timeout(15_000)
    if email is not None:
        page.goto(f"{site.base}/masuk")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Kata sandi").fill(site.password)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(lambda url: "/masuk" not in url)
    return page


def _officer() -> User:
    officer = db.session.scalar(select(User).where(User.email == OFFICER))
    assert officer is not None
    return officer


def open_request(app: Flask, title: str, *, allocate: bool) -> int:
    """A new request of DISDIK for long-sleeved batik shirts (15 demo makers offer them), with
    its ranking waiting for the officer's decision when ``allocate``; its id."""
    with app.app_context():
        officer = _officer()
        request = factories.purchase_request(officer, 60, title=title)
        if allocate:
            run_allocation(db.session, request, actor_id=officer.id, config=app.config)
        db.session.commit()
        request_id: int = request.id
        db.session.remove()
    return request_id


def order_to_answer(app: Flask, title: str) -> tuple[int, str]:
    """A request of DISDIK decided as proposed: its first order waits for the UMKM's answer.
    (order id, the e-mail of that UMKM's owner)."""
    with app.app_context():
        _, _, orders = factories.decided_orders(_officer(), quantity=10, title=title)
        db.session.commit()
        order: PurchaseOrder = orders[0]
        owner = db.session.scalar(select(User).where(User.umkm_id == order.umkm_id))
        assert owner is not None
        found = (order.id, owner.email)
        db.session.remove()
    return found


def accepted_order(
    app: Flask, title: str, *, delivered_days_ago: int | None = None
) -> tuple[int, str]:
    """A request of DISDIK decided as proposed whose first order its UMKM accepted, and marked
    delivered ``delivered_days_ago`` days ago (with a delivery note) unless that is None.
    (order id, the e-mail of that UMKM's owner)."""
    import datetime as dt

    from procure.clock import now
    from procure.orders.services import accept_order, mark_delivered

    with app.app_context():
        _, _, orders = factories.decided_orders(_officer(), quantity=10, title=title)
        order: PurchaseOrder = orders[0]
        owner = db.session.scalar(select(User).where(User.umkm_id == order.umkm_id))
        assert owner is not None
        accept_order(db.session, order, actor_id=owner.id)
        if delivered_days_ago is not None:
            mark_delivered(db.session, order, actor_id=owner.id, note="SJ-031, diantar Bu Sri")
            order.delivered_at = now() - dt.timedelta(days=delivered_days_ago)
        db.session.commit()
        found = (order.id, owner.email)
        db.session.remove()
    return found
