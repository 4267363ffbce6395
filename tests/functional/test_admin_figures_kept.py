"""The admin home's register figures: counted on every view for a small register, kept for
``KEEP_SECONDS`` (and said so, with the time) for a large one (both databases)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask.testing import FlaskClient

from procure.admin import dashboard
from procure.clock import now
from procure.extensions import db
from procure.umkm.models import UmkmStatus
from tests import factories
from tests.conftest import AuthActions


def _verified(html: str) -> int:
    """The figure on the "Terverifikasi" card."""
    found = re.search(r"Terverifikasi</p>\s*<p class=\"h3 mb-0\">([\d.]+)</p>", html)
    assert found, "no Terverifikasi card"
    return int(found.group(1).replace(".", ""))


def test_small_register_is_counted_on_every_view(client: FlaskClient, auth: AuthActions) -> None:
    admin = factories.user("admin")
    factories.umkm()
    db.session.commit()
    auth.login(admin.email)
    first = client.get("/admin/").get_data(as_text=True)
    assert _verified(first) == 1
    factories.umkm()
    db.session.commit()
    second = client.get("/admin/").get_data(as_text=True)
    assert _verified(second) == 2
    assert "dihitung pukul" not in second
    assert dashboard._kept == {} or all(
        sum(c.count for c in r.umkm_by_status) >= dashboard.KEEP_FROM_UMKM
        for r in dashboard._kept.values()
    )


def test_large_register_is_kept_for_a_while_and_says_when_it_was_counted(
    client: FlaskClient, auth: AuthActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard, "KEEP_FROM_UMKM", 2)  # "large" from two UMKM
    monkeypatch.setattr(dashboard, "_kept", {})
    clock = [now()]
    monkeypatch.setattr(dashboard, "now", lambda: clock[0])
    admin = factories.user("admin")
    factories.umkm()
    factories.umkm(submitted_at=now() - dt.timedelta(days=70))  # owes last month's omzet
    db.session.commit()
    auth.login(admin.email)
    first = client.get("/admin/").get_data(as_text=True)
    assert _verified(first) == 2
    assert "dihitung pukul" not in first  # counted on this view

    factories.umkm()
    factories.umkm(status=UmkmStatus.PENDING)
    db.session.commit()
    clock[0] += dt.timedelta(seconds=dashboard.KEEP_SECONDS - 1)
    kept = client.get("/admin/").get_data(as_text=True)
    assert _verified(kept) == 2  # the kept figures
    assert "dihitung pukul" in kept and "paling lama 5 menit sekali" in kept
    # The verification queue on the to-do list is always live.
    assert "UMKM menunggu verifikasi" in kept

    clock[0] += dt.timedelta(seconds=2)
    fresh = client.get("/admin/").get_data(as_text=True)
    assert _verified(fresh) == 3
    assert "dihitung pukul" not in fresh
