"""The OCDS export from the database (both backends), validated offline with libcoveocds."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app
from sqlalchemy import event, select, update

from procure import ROOT
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.opendata.ocds import export_package
from procure.opendata.ocds_rules import SCALE_EXTENSION
from procure.orders.services import (
    accept_order,
    decline_order,
    mark_delivered,
    record_handover,
    record_inspection,
    record_payment,
)
from procure.procurement.models import PurchaseOrder, PurchaseRequest
from procure.umkm.models import Umkm
from tests import factories

VENDORED_ZIP = ROOT / "tests" / "data" / "ocds-1.1.5-schema.zip"
# The SHA-256 of the official 1.1.5 schema zip as the Open Contracting Partnership publishes it.
OFFICIAL_SHA256 = "8429bf151e0b25a1e2e495d4f3c58803679fc0906f3eb87f136a63c86c721244"
SCHEMA_ZIP = Path(os.environ.get("OCDS_SCHEMA_ZIP", VENDORED_ZIP))
URI = "https://procure.example/ocds/releases.json"


def export(date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
    return export_package(
        db.session, date_from, date_to, publisher_name="Pemerintah Kota Sukamaju", uri=URI
    )


def last_30_days() -> dict[str, Any]:
    today = today_in_jakarta()
    return export(today - dt.timedelta(days=29), today)


def _owner(order: PurchaseOrder):  # type: ignore[no-untyped-def]
    return factories.user("umkm", umkm_id=order.umkm_id)


def build_world(app: Flask) -> dict[str, Any]:
    """A decided request (one order paid, one declined, one issued), a catering draft and a
    request made 40 days ago."""
    request, _run, orders = factories.issued_orders(50, (20, 20, 20), unit_price=180_000)
    assert len(orders) == 3
    paid, declined = orders[0], orders[1]
    db.session.execute(update(Umkm).where(Umkm.id == paid.umkm_id).values(declared_scale="kecil"))
    owner = _owner(paid)
    accept_order(db.session, paid, actor_id=owner.id)
    mark_delivered(db.session, paid, actor_id=owner.id)
    officer_id = request.created_by_id
    record_inspection(
        db.session, paid, received_quantity=paid.quantity, condition="baik", notes="",
        actor_id=officer_id, config=current_app.config,
    )  # fmt: skip
    record_handover(db.session, paid, actor_id=officer_id, config=current_app.config)
    record_payment(
        db.session,
        paid,
        paid_on=today_in_jakarta(),
        reference="SP2D 00123/2026",
        actor_id=officer_id,  # no amount: exactly the expected net
        config=current_app.config,
    )
    decline_order(
        db.session,
        declined,
        "Kapasitas produksi bulan ini sudah penuh",
        actor_id=_owner(declined).id,
        config=app.config,
    )
    officer = factories.user("opd")
    catering = factories.purchase_request(
        officer,
        100,
        title="Nasi kotak rapat koordinasi",
        category_id=factories.category("konsumsi").id,
        unit="kotak",
        hps_unit_price=35_000,
        specification="Nasi, ayam bakar, sayur, buah, air mineral",
    )
    old = factories.purchase_request(officer, 10, title="Permintaan lama")
    db.session.execute(
        update(PurchaseRequest)
        .where(PurchaseRequest.id == old.id)
        .values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=40))
    )
    db.session.commit()
    return {"request": request, "paid": paid, "catering": catering, "old": old}


def _release(package: dict[str, Any], request_id: int) -> dict[str, Any]:
    (release,) = [r for r in package["releases"] if r["ocid"].endswith(f"-{request_id}")]
    return release


def test_export_holds_requests_awards_contracts_and_payments(app: Flask) -> None:
    world = build_world(app)
    package = last_30_days()
    ocids = [r["ocid"] for r in package["releases"]]
    assert ocids == [f"ocds-procur-{world['request'].id}", f"ocds-procur-{world['catering'].id}"]
    assert package["extensions"] == [SCALE_EXTENSION]

    release = _release(package, world["request"].id)
    assert release["tag"] == ["tender", "award", "contract", "implementation"]
    orders = db.session.scalars(
        select(PurchaseOrder)
        .where(PurchaseOrder.request_id == world["request"].id)
        .order_by(PurchaseOrder.id)
    ).all()
    assert [c["id"] for c in release["contracts"]] == [f"contract-{o.id}" for o in orders]
    contracts = {c["id"]: c for c in release["contracts"]}
    paid = world["paid"]
    (transaction,) = contracts[f"contract-{paid.id}"]["implementation"]["transactions"]
    assert transaction["value"] == {"amount": paid.value, "currency": "IDR"}
    assert transaction["payee"]["id"] == f"umkm-{paid.umkm_id}"
    statuses = {o.status for o in orders}
    assert {"paid", "declined"} <= statuses
    parties = {p["id"]: p for p in release["parties"]}
    assert parties[f"umkm-{paid.umkm_id}"]["details"] == {"scale": "sme"}
    assert parties[f"umkm-{paid.umkm_id}"]["roles"] == ["supplier", "payee"]
    scales = {p["details"]["scale"] for p in parties.values() if "details" in p}
    assert scales == {"micro", "sme"}
    # Personal data stays out: no owner name, NIK, phone or bank account anywhere.
    owner = db.session.get(Umkm, paid.umkm_id)
    text = json.dumps(package)
    for private in (owner.owner_name, owner.nik, owner.phone, owner.bank_account_number):
        assert private not in text

    catering = _release(package, world["catering"].id)
    assert catering["tag"] == ["tender"]
    assert catering["tender"]["mainProcurementCategory"] == "services"


def test_date_filter_counts_jakarta_days(app: Flask) -> None:
    world = build_world(app)
    old_day = (dt.datetime.now(dt.UTC) - dt.timedelta(days=40)).astimezone(
        dt.timezone(dt.timedelta(hours=7))
    )
    only_old = export(old_day.date(), old_day.date())
    assert [r["ocid"] for r in only_old["releases"]] == [f"ocds-procur-{world['old'].id}"]
    # 17:30 UTC on 1 March is 00:30 on 2 March in Jakarta.
    evening = dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC)
    db.session.execute(
        update(PurchaseRequest)
        .where(PurchaseRequest.id == world["catering"].id)
        .values(created_at=evening)
    )
    db.session.commit()
    assert len(export(dt.date(2026, 3, 2), dt.date(2026, 3, 2))["releases"]) == 1
    assert export(dt.date(2026, 3, 1), dt.date(2026, 3, 1))["releases"] == []
    assert [r["ocid"] for r in last_30_days()["releases"]] == [f"ocds-procur-{world['request'].id}"]


def test_export_runs_a_fixed_number_of_queries(app: Flask) -> None:
    factories.issued_orders(30, (20, 20))
    db.session.commit()
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        last_30_days()
        few = len(statements)
        for _ in range(3):
            factories.issued_orders(40, (20, 20, 20))
        db.session.commit()
        statements.clear()
        assert sum(len(r.get("awards", [])) for r in last_30_days()["releases"]) >= 8
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == few <= 5


@pytest.mark.skipif(
    not SCHEMA_ZIP.is_file(),
    reason=f"the official OCDS 1.1.5 schema zip is absent ({SCHEMA_ZIP}); see tests/data",
)
def test_package_is_valid_ocds(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    build_world(app)
    package = last_30_days()
    assert package["releases"]
    # The extension's files would be fetched from the internet: validate the core schema
    # offline (``details`` is a free object there) and check the scale codes ourselves.
    offline = {key: value for key, value in package.items() if key != "extensions"}
    attempts: list[object] = []

    def no_network(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    config = LibCoveOCDSConfig({"standard_zip": f"file://{SCHEMA_ZIP}", "context": "api"})
    result = ocds_json_output(
        str(tmp_path), json_data=offline, lib_cove_ocds_config=config, record_pkg=False
    )
    monkeypatch.undo()
    assert attempts == []
    assert result["version_used"] == "1.1"
    assert result["validation_errors"] == []
    assert "conformance_errors" not in result
    assert "json_deref_error" not in result
    assert result["additional_closed_codelist_values"] == {}
    assert result["additional_checks"] == {}
    assert result["deprecated_fields"] == []
    assert "structure_warnings" not in result
    # The only field beyond the core schema is the organisation-scale extension's.
    assert {f["path"] + "/" + f["field"] for f in result["additional_fields"]} == {
        "/releases/parties/details/scale"
    }
    codes = {
        p["details"]["scale"] for r in package["releases"] for p in r["parties"] if "details" in p
    }
    assert codes and codes <= {"micro", "sme", "large"}


def test_the_vendored_schema_is_the_official_one() -> None:
    assert hashlib.sha256(VENDORED_ZIP.read_bytes()).hexdigest() == OFFICIAL_SHA256
