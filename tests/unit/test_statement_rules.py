"""Statement rules, worked by hand: the period, each order's value, paid and owed, the totals
and receivables of a UMKM with paid, unpaid, cancelled and partially delivered orders, the
access code and the comparison as issued vs now."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from procure.formatting import rupiah
from procure.statements.rules import (
    CODE_ALPHABET,
    OrderRow,
    PaymentRow,
    check_period,
    code_matches,
    compare,
    hash_code,
    new_access_code,
    normalise_code,
    statement_figures,
    throttled,
)
from procure.umkm.rules import RuleError

TODAY = dt.date(2026, 12, 3)
D = dt.date


def _order(order_id: int, **values: object) -> OrderRow:
    base: dict[str, object] = {
        "order_id": order_id,
        "sp_number": f"000.3.2/{order_id:03d}/SP/DISDIK/XI/2026",
        "sp_date": D(2026, 11, order_id),
        "opd": "Dinas Pendidikan",
        "item": "Kemeja batik",
        "unit": "potong",
    }
    base.update(values)
    return OrderRow(**base)  # type: ignore[arg-type]


# The fixture UMKM: six orders, every case a bank asks about.
PAID = _order(
    1,
    quantity=10,
    unit_price=100_000,
    sp_value=1_000_000,
    status="paid",
    received_quantity=10,
    delivered_on=D(2026, 11, 10),
    bast_on=D(2026, 11, 11),
    payments=(PaymentRow(D(2026, 11, 20), 1_000_000, "SP2D-1"),),
)
UNPAID = _order(
    2,
    quantity=5,
    unit_price=200_000,
    sp_value=1_000_000,
    status="received",
    received_quantity=5,
    delivered_on=D(2026, 11, 12),
    bast_on=D(2026, 11, 13),
)
CANCELLED = _order(3, quantity=3, unit_price=150_000, sp_value=450_000, status="cancelled")
PARTIAL = _order(  # 12 of 20 arrived; 250.000 paid, a mistaken 100.000 reversed
    4,
    quantity=20,
    unit_price=50_000,
    sp_value=1_000_000,
    status="received",
    received_quantity=12,
    delivered_on=D(2026, 11, 14),
    bast_on=D(2026, 11, 15),
    payments=(
        PaymentRow(D(2026, 11, 25), 250_000, "SP2D-4"),
        PaymentRow(D(2026, 11, 26), 100_000, "SP2D-4B"),
        PaymentRow(D(2026, 11, 27), -100_000, "SP2D-4B", is_reversal=True),
    ),
)
IN_PROGRESS = _order(5, quantity=4, unit_price=125_000, sp_value=500_000, status="accepted")
LATE = _order(  # delivered late: a penalty of 6.000 is withheld from what is due
    6,
    quantity=10,
    unit_price=60_000,
    sp_value=600_000,
    status="received",
    received_quantity=10,
    delivered_on=D(2026, 11, 30),
    bast_on=D(2026, 12, 1),
    penalty=6_000,
)
ROWS = [LATE, PAID, UNPAID, CANCELLED, PARTIAL, IN_PROGRESS]


def _figures(rows: list[OrderRow] = ROWS) -> dict[str, object]:
    return statement_figures(rows, D(2026, 11, 1), D(2026, 11, 30))


def test_the_fixture_umkm_gives_exactly_these_totals() -> None:
    figures = _figures()
    assert figures["totals"] == {
        "orders": 5,  # the cancelled one is listed, in no total
        "ended": 1,
        # 1.000.000 + 1.000.000 + 12 x 50.000 + 500.000 + 600.000
        "value": 3_700_000,
        # 1.000.000 + (250.000 + 100.000 - 100.000)
        "paid": 1_250_000,
        # unpaid 1.000.000 + partial 600.000 - 250.000 + late 600.000 - 6.000
        "receivables": 1_944_000,
        "in_progress": 500_000,  # accepted, not yet handed over: not yet owed
    }


def test_each_line_says_value_paid_and_owed() -> None:
    lines = {line["order_id"]: line for line in _figures()["orders"]}  # type: ignore[attr-defined]
    assert [line["order_id"] for line in _figures()["orders"]] == [1, 2, 3, 4, 5, 6]  # type: ignore[attr-defined]
    assert (lines[1]["value"], lines[1]["paid"], lines[1]["owed"]) == (1_000_000, 1_000_000, 0)
    assert (lines[2]["value"], lines[2]["paid"], lines[2]["owed"]) == (1_000_000, 0, 1_000_000)
    assert lines[3]["counts"] is False and lines[3]["status_label"] == "Dibatalkan"
    assert (lines[3]["value"], lines[3]["owed"]) == (450_000, 0)
    assert (lines[4]["value"], lines[4]["paid"], lines[4]["owed"]) == (600_000, 250_000, 350_000)
    assert len(lines[4]["payments"]) == 3 and lines[4]["payments"][2]["amount"] == -100_000
    assert (lines[5]["value"], lines[5]["amount_due"], lines[5]["owed"]) == (500_000, None, 0)
    assert (lines[6]["amount_due"], lines[6]["owed"]) == (594_000, 594_000)
    assert lines[6]["bast_on"] == "2026-12-01"


def test_an_overpaid_order_owes_nothing_rather_than_less_than_nothing() -> None:
    over = dataclasses.replace(UNPAID, payments=(PaymentRow(D(2026, 11, 20), 1_200_000, "X"),))
    (line,) = _figures([over])["orders"]  # type: ignore[misc]
    assert line["owed"] == 0 and line["paid"] == 1_200_000


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (None, D(2026, 11, 30), "Isi tanggal awal"),
        (D(2026, 11, 2), D(2026, 11, 1), "sebelum atau sama"),
        (D(2026, 11, 1), D(2026, 12, 4), "melewati hari ini"),
        (D(2024, 12, 3), D(2026, 12, 3), "paling panjang 24 bulan"),
    ],
)
def test_a_period_a_statement_cannot_cover_is_refused(
    start: dt.date | None, end: dt.date, message: str
) -> None:
    with pytest.raises(RuleError, match=message):
        check_period(start, end, TODAY)


def test_the_longest_period_is_just_under_24_months() -> None:
    check_period(D(2024, 12, 4), D(2026, 12, 3), TODAY)
    check_period(D(2026, 12, 3), D(2026, 12, 3), TODAY)


def test_the_access_code_is_grouped_unambiguous_and_random() -> None:
    code = new_access_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4]
    assert set("".join(groups)) <= set(CODE_ALPHABET)
    assert not set("01IOL") & set(CODE_ALPHABET)
    assert len({new_access_code() for _ in range(50)}) == 50


def test_the_code_is_normalised_when_typed_and_kept_only_hashed() -> None:
    stored = hash_code("ABCD-EFGH-JKMN")
    assert "ABCD" not in stored and stored.startswith("scrypt$")
    assert normalise_code(" abcd efgh-jkmn ") == "ABCDEFGHJKMN"
    assert code_matches("abcd efgh jkmn", stored)
    assert code_matches("ABCDEFGHJKMN", stored)
    assert not code_matches("ABCD-EFGH-JKMP", stored)
    assert not code_matches("ABCD-EFGH-JKMN", None)
    assert not code_matches("ABCD-EFGH-JKMN", "not-a-hash")
    assert hash_code("ABCD-EFGH-JKMN") != stored  # salted


def test_throttled_at_the_limit_per_statement_or_per_client() -> None:
    assert not throttled(4, 4, 5)
    assert throttled(5, 0, 5)
    assert throttled(0, 5, 5)


def test_nothing_changed_compares_equal() -> None:
    comparison = compare(_figures(), _figures())
    assert not comparison.changed


def test_a_cancellation_and_a_payment_since_issuance_are_named() -> None:
    issued = _figures()
    cancelled_unpaid = dataclasses.replace(UNPAID, status="cancelled")
    paid_partial = dataclasses.replace(
        PARTIAL, payments=(*PARTIAL.payments, PaymentRow(D(2026, 12, 2), 350_000, "SP2D-9"))
    )
    now = _figures([LATE, PAID, cancelled_unpaid, CANCELLED, paid_partial, IN_PROGRESS])
    comparison = compare(issued, now)
    by_id = {c.order_id: c for c in comparison.orders}
    assert set(by_id) == {2, 4}
    assert by_id[2].cancelled_since and "Status berubah" in by_id[2].notes[0]
    assert by_id[4].paid_since == 350_000
    assert f"Dibayar sejak surat terbit: {rupiah(350_000)}" in by_id[4].notes
    totals = {label: (a, b) for label, a, b in comparison.totals}
    # the cancelled order leaves the totals; the payment lowers the receivables
    assert totals["Piutang belum dibayar"] == (1_944_000, 1_944_000 - 1_000_000 - 350_000)
    assert totals["Jumlah pesanan dihitung"] == (5, 4)
