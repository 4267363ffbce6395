"""The admin lists and the dashboard hand their templates plain rows, never ORM objects, so
nothing is lazy-loaded while a page renders."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from procure.audit.services import record
from procure.extensions import db
from procure.umkm.models import UmkmStatus
from tests import factories
from tests.rendering import orm_objects

PAGES = {
    "/admin/": "board",
    "/admin/verifikasi": "rows",
    "/admin/umkm": "rows",
    "/admin/akun": "rows",
    "/admin/opd": "rows",
    "/admin/audit": "rows",
}


@pytest.mark.parametrize(("url", "name"), PAGES.items())
def test_admin_lists_get_plain_rows(
    client: FlaskClient, auth: Any, rendered: list[dict[str, Any]], url: str, name: str
) -> None:
    admin = factories.user("admin", email="admin@sukamaju.go.id")
    opd = factories.opd()
    factories.user("opd", opd=opd)
    factories.umkm(status=UmkmStatus.PENDING)  # in the queue and the UMKM list
    record(db.session, admin.id, "opd.create", opd, "OPD ditambahkan")
    db.session.commit()
    auth.login(admin.email)
    rendered.clear()
    response = client.get(url)
    assert response.status_code == 200
    context = rendered[-1]
    assert context[name], f"{url}: nothing to show"
    assert orm_objects(context[name]) == []


def test_opd_detail_gets_plain_rows(
    client: FlaskClient, auth: Any, rendered: list[dict[str, Any]]
) -> None:
    admin = factories.user("admin", email="admin@sukamaju.go.id")
    opd = factories.opd()
    factories.user("opd", opd=opd)
    db.session.commit()
    auth.login(admin.email)
    rendered.clear()
    assert client.get(f"/admin/opd/{opd.id}").status_code == 200
    context = rendered[-1]
    assert context["officers"]
    assert orm_objects([context["opd"], context["officers"]]) == []
