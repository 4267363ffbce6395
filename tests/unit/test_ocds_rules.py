"""The OCDS release package built from plain facts (no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from procure.opendata.ocds_rules import (
    SCALE_EXTENSION,
    OrderFacts,
    PartyFacts,
    PaymentFacts,
    RequestFacts,
    build_release,
    build_release_package,
    contract_status,
    iso,
    supplier_scale,
)
from procure.opendata.params import parse_date_range
from procure.umkm.rules import RuleError

UTC = dt.UTC
OPD = PartyFacts(id="opd-1", name="Dinas Pendidikan", street_address="Jl. Merdeka No. 1")
BATIK = PartyFacts(
    id="umkm-7",
    name="Batik Sekar",
    identifier_scheme="ID-NIB",
    identifier_id="9100000000007",
    locality="Kecamatan Utara",
    declared_scale="kecil",
)
KATERING = PartyFacts(id="umkm-9", name="Dapur Ibu", declared_scale="mikro")
CREATED = dt.datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
ISSUED = dt.datetime(2026, 3, 3, 2, 0, tzinfo=UTC)


def order(id_: int = 11, supplier: PartyFacts = BATIK, **changes: Any) -> OrderFacts:
    values: dict[str, Any] = dict(
        id=id_,
        supplier=supplier,
        quantity=20,
        unit_price=175_000,
        value=3_500_000,
        status="issued",
        issued_at=ISSUED,
        due_date=dt.date(2026, 4, 1),
    )
    values.update(changes)
    return OrderFacts(**values)


def request(orders: tuple[OrderFacts, ...] = (), **changes: Any) -> RequestFacts:
    values: dict[str, Any] = dict(
        id=5,
        title="Kemeja batik seragam Jumat",
        specification="Batik cap lengan panjang",
        category_slug="batik",
        quantity=40,
        unit="potong",
        hps_unit_price=200_000,
        status="ordered" if orders else "draft",
        created_at=CREATED,
        buyer=OPD,
        decided_at=ISSUED if orders else None,
        orders=orders,
    )
    values.update(changes)
    return RequestFacts(**values)


def paid_order() -> OrderFacts:
    return order(
        status="paid",
        responded_at=ISSUED + dt.timedelta(hours=3),
        last_change_at=dt.datetime(2026, 3, 20, 4, 0, tzinfo=UTC),
        payment=PaymentFacts(dt.date(2026, 3, 20), 3_480_000),
    )


def package(*facts: RequestFacts) -> dict[str, Any]:
    return build_release_package(
        facts,
        publisher_name="Pemerintah Kota Sukamaju",
        ocid_prefix="ocds-abc123",
        published_at=dt.datetime(2026, 3, 21, 0, 0, tzinfo=UTC),
        uri="https://procure.example/ocds/releases.json?from=2026-03-01&to=2026-03-31",
    )


def empty_paths(data: Any, path: str = "") -> list[str]:
    """Every None, "", [] or {} in ``data`` (what libcoveocds reports as empty fields)."""
    if data is None or data == "" or data == [] or data == {}:
        return [path]
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in empty_paths(v, f"{path}/{k}")]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in empty_paths(v, f"{path}/{i}")]
    return []


def test_package_shape() -> None:
    result = package(request((order(),)), request(id=6))
    assert result["version"] == "1.1"
    assert result["extensions"] == [SCALE_EXTENSION]
    assert result["publisher"] == {"name": "Pemerintah Kota Sukamaju"}
    assert result["publishedDate"] == "2026-03-21T07:00:00+07:00"
    assert result["uri"].startswith("https://procure.example/ocds/releases.json")
    assert [r["ocid"] for r in result["releases"]] == ["ocds-abc123-5", "ocds-abc123-6"]
    for release in result["releases"]:
        assert {"ocid", "id", "date", "tag", "initiationType"} <= set(release)
        assert release["initiationType"] == "tender"
    assert empty_paths(result) == []


def test_release_ids_are_stable_unique_and_change_with_the_facts() -> None:
    facts = request((order(),))
    first = build_release(facts, "ocds-abc123")
    assert first["id"].startswith("ocds-abc123-5-")
    assert build_release(facts, "ocds-abc123")["id"] == first["id"]
    accepted = dataclasses.replace(
        facts, orders=(order(status="accepted", responded_at=ISSUED + dt.timedelta(hours=1)),)
    )
    assert build_release(accepted, "ocds-abc123")["id"] != first["id"]
    ids = [r["id"] for r in package(facts, request(id=6), request(id=7))["releases"]]
    assert len(set(ids)) == 3


def test_draft_request_is_an_active_tender_only() -> None:
    release = build_release(request(), "ocds-abc123")
    assert release["tag"] == ["tender"]
    assert "awards" not in release and "contracts" not in release
    tender = release["tender"]
    assert tender["status"] == "active"
    assert tender["procurementMethod"] == "limited"
    assert tender["procurementMethodDetails"] == "E-Purchasing Katalog Lokal"
    assert tender["mainProcurementCategory"] == "goods"
    assert tender["value"] == {"amount": 8_000_000, "currency": "IDR"}
    assert tender["items"][0]["quantity"] == 40
    assert tender["items"][0]["unit"] == {
        "name": "potong",
        "value": {"amount": 200_000, "currency": "IDR"},
    }
    assert tender["tenderPeriod"] == {"startDate": "2026-03-02T08:00:00+07:00"}
    assert release["buyer"] == {"id": "opd-1", "name": "Dinas Pendidikan"}
    assert release["parties"] == [
        {
            "id": "opd-1",
            "name": "Dinas Pendidikan",
            "address": {"streetAddress": "Jl. Merdeka No. 1", "countryName": "Indonesia"},
            "roles": ["buyer", "procuringEntity"],
        }
    ]


def test_catering_is_services_and_cancelled_request_says_so() -> None:
    release = build_release(request(category_slug="konsumsi", status="cancelled"), "ocds-x")
    assert release["tender"]["mainProcurementCategory"] == "services"
    assert release["tender"]["status"] == "cancelled"
    assert release["tag"] == ["tender", "tenderCancellation"]


@pytest.mark.parametrize(
    ("declared", "scale"),
    [("mikro", "micro"), ("kecil", "sme"), ("menengah", "sme"), ("Mikro", "micro"), ("", None)],
)
def test_scale_mapping(declared: str, scale: str | None) -> None:
    assert supplier_scale(declared) == scale


def test_supplier_party_carries_scale_and_no_empty_details() -> None:
    unknown = PartyFacts(id="umkm-3", name="Tanpa Skala", declared_scale=None)
    facts = request((order(), order(12, KATERING), order(13, unknown)))
    parties = {p["id"]: p for p in build_release(facts, "ocds-x")["parties"]}
    assert parties["umkm-7"]["details"] == {"scale": "sme"}
    assert parties["umkm-7"]["roles"] == ["supplier"]
    assert parties["umkm-7"]["identifier"] == {
        "scheme": "ID-NIB",
        "id": "9100000000007",
        "legalName": "Batik Sekar",
    }
    assert parties["umkm-9"]["details"] == {"scale": "micro"}
    assert "details" not in parties["umkm-3"]
    assert "details" not in parties["opd-1"]


def test_issued_order_is_an_active_award_and_a_pending_contract() -> None:
    release = build_release(request((order(),)), "ocds-x")
    assert release["tag"] == ["tender", "award", "contract"]
    assert release["tender"]["status"] == "complete"
    (award,) = release["awards"]
    assert award["id"] == "award-11"
    assert award["status"] == "active"
    assert award["suppliers"] == [{"id": "umkm-7", "name": "Batik Sekar"}]
    assert award["value"] == {"amount": 3_500_000, "currency": "IDR"}
    assert award["items"][0]["quantity"] == 20
    (contract,) = release["contracts"]
    assert contract["awardID"] == award["id"]
    assert contract["status"] == "pending"
    assert contract["period"] == {
        "startDate": "2026-03-03T09:00:00+07:00",
        "endDate": "2026-04-01T23:59:59+07:00",
    }
    assert "implementation" not in contract and "dateSigned" not in contract


def test_paid_order_becomes_a_transaction() -> None:
    release = build_release(request((paid_order(),)), "ocds-x")
    assert release["tag"] == ["tender", "award", "contract", "implementation"]
    (contract,) = release["contracts"]
    assert contract["status"] == "terminated"
    assert contract["dateSigned"] == "2026-03-03T12:00:00+07:00"
    assert contract["implementation"]["transactions"] == [
        {
            "id": "payment-11",
            "date": "2026-03-20T00:00:00+07:00",
            "value": {"amount": 3_480_000, "currency": "IDR"},
            "payer": {"id": "opd-1", "name": "Dinas Pendidikan"},
            "payee": {"id": "umkm-7", "name": "Batik Sekar"},
        }
    ]
    roles = {p["id"]: p["roles"] for p in release["parties"]}
    assert roles == {
        "opd-1": ["buyer", "procuringEntity", "payer"],
        "umkm-7": ["supplier", "payee"],
    }
    assert release["date"] == "2026-03-20T11:00:00+07:00"  # the payment was the last change


@pytest.mark.parametrize(
    ("status", "responded", "award", "contract"),
    [
        ("accepted", True, "active", "active"),
        ("received", True, "active", "active"),
        ("declined", True, "unsuccessful", "cancelled"),
        ("expired", False, "unsuccessful", "cancelled"),
        ("cancelled", False, "cancelled", "cancelled"),
        ("cancelled", True, "cancelled", "terminated"),
    ],
)
def test_order_status_mapping(status: str, responded: bool, award: str, contract: str) -> None:
    facts = order(status=status, responded_at=ISSUED + dt.timedelta(days=1) if responded else None)
    release = build_release(request((facts,)), "ocds-x")
    assert release["awards"][0]["status"] == award
    assert release["contracts"][0]["status"] == contract == contract_status(facts)
    assert ("dateSigned" in release["contracts"][0]) is (responded and status != "declined")


def test_override_is_stated_in_the_rationale() -> None:
    plain = build_release(request((order(),)), "ocds-x")["tender"]
    chosen = build_release(request((order(),), is_override=True), "ocds-x")["tender"]
    assert "pejabat pengadaan" not in plain["procurementMethodRationale"]
    assert "pejabat pengadaan" in chosen["procurementMethodRationale"]
    assert chosen["tenderPeriod"]["endDate"] == "2026-03-03T09:00:00+07:00"


def test_dates_need_a_timezone() -> None:
    assert iso(dt.datetime(2026, 1, 1, 17, 30, tzinfo=UTC)) == "2026-01-02T00:30:00+07:00"
    with pytest.raises(ValueError, match="naive"):
        iso(dt.datetime(2026, 1, 1, 17, 30))


TODAY = dt.date(2026, 3, 31)


def test_date_range_defaults_to_the_last_30_days() -> None:
    assert parse_date_range(None, None, TODAY) == (dt.date(2026, 3, 2), TODAY)
    assert parse_date_range("", "", TODAY) == (dt.date(2026, 3, 2), TODAY)
    assert parse_date_range(None, "2026-01-31", TODAY) == (
        dt.date(2026, 1, 2),
        dt.date(2026, 1, 31),
    )
    assert parse_date_range("2026-03-10", None, TODAY) == (dt.date(2026, 3, 10), TODAY)


def test_date_range_accepts_366_days() -> None:
    assert parse_date_range("2024-01-01", "2024-12-31", TODAY) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
    )


@pytest.mark.parametrize(
    ("date_from", "date_to", "message"),
    [
        ("31/03/2026", "2026-03-31", "harus berformat TTTT-BB-HH"),
        ("2026-03-01", "20260331", "harus berformat TTTT-BB-HH"),
        ("2026-02-30", "2026-03-31", "tidak ada di kalender"),
        ("2026-03-31", "2026-03-01", "tidak boleh setelah"),
        ("2025-01-01", "2026-03-31", "paling panjang 366 hari"),
    ],
)
def test_date_range_errors(date_from: str, date_to: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse_date_range(date_from, date_to, TODAY)
