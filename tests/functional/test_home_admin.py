"""The admin's and the inspector's homes are to-do lists: the verification queue (oldest
waiting days), UMKM not filing omzet, kinds to sort, failed notifications; new red flags by
kind (both databases)."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient

from procure.clock import now, today_in_jakarta
from procure.extensions import db
from procure.inspection.rules import FLAG_KINDS
from procure.notify.models import OutboxMessage
from procure.todo.rules import NEW_FLAG_DAYS
from procure.umkm.models import UmkmStatus
from tests import factories
from tests.conftest import AuthActions
from tests.functional.test_home_opd import EMPTY, todo_items


def test_admin_items_with_counts_and_links(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    admin = factories.user("admin")
    factories.umkm(status=UmkmStatus.PENDING, submitted_at=now() - dt.timedelta(days=5))
    factories.umkm(status=UmkmStatus.PENDING)
    # Verified two months ago, no omzet filed: owes last month.
    factories.umkm(submitted_at=now() - dt.timedelta(days=70))
    factories.product(name="Barang tanpa jenis yang jelas xyz")  # the catch-all kind
    for n, status in enumerate(("failed", "failed", "sent")):
        db.session.add(
            OutboxMessage(
                channel="email",
                recipient="a@contoh.id",
                topic="order.new",
                body="-",
                dedupe_key=f"uji-{n}",
                status=status,
            )
        )
    db.session.commit()
    auth.login(admin.email)
    items = {i.key: i for i in todo_items(client.get("/admin/").get_data(as_text=True))}
    assert items["verifikasi"].count == 2
    assert "Terlama menunggu 5 hari" in items["verifikasi"].text
    assert items["verifikasi"].href == "/admin/verifikasi"
    assert items["omzet"].count >= 1 and items["omzet"].href == "/omzet/kepatuhan"
    assert items["pilah"].count >= 1 and items["pilah"].href == "/admin/jenis-barang/pilah"
    assert items["notifikasi"].count == 2
    # The outbox page, filtered to the failed messages.
    assert items["notifikasi"].href == "/admin/notifikasi/?status=failed"
    for item in items.values():
        assert client.get(item.href).status_code == 200, item.href


def test_admin_empty_state(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    page = client.get("/admin/").get_data(as_text=True)
    assert todo_items(page) == [] and EMPTY in page


def test_inspector_lands_on_new_red_flags_and_the_dashboard_link(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    inspector = factories.user("inspector")
    officer = factories.user("opd")
    new = factories.purchase_request(officer, 30)
    new.is_split_suspect = True
    old = factories.purchase_request(officer, 30)
    old.is_split_suspect = True
    old.created_at = now() - dt.timedelta(days=45)  # raised long ago: not new
    db.session.commit()
    auth.login(inspector.email)
    home = client.get("/").headers["Location"]
    assert home == "/pemeriksaan/"
    page = client.get(home).get_data(as_text=True)
    assert 'href="/pemerataan/"' in page
    items = todo_items(page)
    assert [(i.key, i.count) for i in items] == [("flag-split_suspect", 1)]
    # The link lists what the item counts: the flags raised in the same last days.
    since = today_in_jakarta() - dt.timedelta(days=NEW_FLAG_DAYS)
    assert items[0].href == (
        f"/pemeriksaan/tanda-bahaya?jenis=split_suspect&sejak={since.isoformat()}"
    )
    listed = client.get(items[0].href).get_data(as_text=True)
    assert listed.count(FLAG_KINDS["split_suspect"] + "</span>") == 1
    assert f'value="{since.isoformat()}"' in listed  # the filter says so, and can be cleared
    every = client.get("/pemeriksaan/tanda-bahaya?jenis=split_suspect").get_data(as_text=True)
    assert every.count(FLAG_KINDS["split_suspect"] + "</span>") == 2  # newest first, both


def test_a_wrong_since_day_is_refused_in_words(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    inspector = factories.user("inspector")
    db.session.commit()
    auth.login(inspector.email)
    response = client.get("/pemeriksaan/tanda-bahaya?sejak=31-02-2026")
    assert response.status_code == 400
    assert "Tanggal muncul" in response.get_data(as_text=True)


def test_inspector_empty_state(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    inspector = factories.user("inspector")
    db.session.commit()
    auth.login(inspector.email)
    page = client.get("/pemeriksaan/").get_data(as_text=True)
    assert todo_items(page) == [] and EMPTY in page
