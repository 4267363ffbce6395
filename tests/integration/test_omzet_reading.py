"""Read-side omzet queries against the database: months, scale, flags, history."""

from __future__ import annotations

import datetime as dt

from procure.extensions import db
from procure.omzet import reading
from procure.omzet.rules import FilingWindow, Period
from tests import factories

REGISTERED = dt.datetime(2026, 1, 15, 3, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 5)


def business(**kwargs: object):  # type: ignore[no-untyped-def]
    return factories.umkm(submitted_at=REGISTERED, **kwargs)


def test_overview_lists_the_months_the_window_opens_with_their_status(app) -> None:  # type: ignore[no-untyped-def]
    umkm = business()  # registered January 2026: the window opens January 2025
    factories.omzet_report(umkm, "2026-10", 4_000_000)
    factories.omzet_report(umkm, "2026-09", 3_000_000, is_late=True)
    factories.omzet_report(umkm, "2026-08", 9_000_000)
    factories.omzet_report(umkm, "2026-08", 2_000_000, revision=2)
    factories.omzet_report(umkm, "2025-06", 1_000_000)  # before registration, in the window
    factories.omzet_report(umkm, "2024-06", 1_000_000)  # an old import, out of the window
    overview = reading.overview(db.session, umkm, TODAY)
    assert [str(m.period) for m in overview.months][:4] == [
        "2026-10",
        "2026-09",
        "2026-08",
        "2026-07",
    ]
    assert str(overview.months[-1].period) == "2025-11"  # the last 12 completed months
    by_key = {m.key: m for m in overview.months}
    assert by_key["2026-10"].statuses == ["dilaporkan"]
    assert by_key["2026-09"].statuses == ["terlambat"]
    assert by_key["2026-08"].statuses == ["dilaporkan", "koreksi ke-1"]
    assert by_key["2026-08"].amount == 2_000_000
    assert by_key["2026-07"].statuses == ["belum dilaporkan"]
    assert by_key["2025-12"].statuses == ["belum dilaporkan"]  # before registration
    assert overview.chart[-3:] == [
        ("Agu 26", 2_000_000),
        ("Sep 26", 3_000_000),
        ("Okt 26", 4_000_000),
    ]
    assert overview.chart[0] == ("Nov 25", None)
    expected = [
        Period(2026, 7).shift(-i) for i in range(19) if Period(2026, 7).shift(-i) != Period(2025, 6)
    ]
    assert overview.choices == expected  # July 2026 back to January 2025, June 2025 filed
    assert overview.choices[-1] == Period(2025, 1)
    assert overview.missing == list(reversed(overview.choices))
    assert overview.older_missing == 0
    assert overview.window_open
    assert (
        overview.window_sentence == "Omzet dapat dilaporkan mulai Januari 2025 sampai Oktober 2026."
    )
    assert overview.derived_scale == "mikro"


def test_a_business_registered_this_month_may_file_the_twelve_months_before(app) -> None:  # type: ignore[no-untyped-def]
    umkm = factories.umkm(submitted_at=dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC))
    overview = reading.overview(db.session, umkm, TODAY)
    assert overview.choices == [Period(2026, 10).shift(-i) for i in range(12)]
    assert [str(m.period) for m in overview.months][-1] == "2025-11"
    assert reading.invited_months(db.session, umkm, TODAY) == [
        Period(2026, 8), Period(2026, 9), Period(2026, 10),
    ]  # fmt: skip
    factories.omzet_report(umkm, "2026-01", 1_000_000)
    assert reading.invited_months(db.session, umkm, TODAY) == []  # it has filed: no prompt


def test_filing_choices_stop_at_24_months(app) -> None:  # type: ignore[no-untyped-def]
    window = FilingWindow.of(dt.date(2026, 11, 5), dt.date(2020, 1, 15))
    choices = reading.filing_choices(window, {Period(2026, 10)})
    assert choices[0] == Period(2026, 9)
    assert choices[-1] == Period(2024, 10)
    assert len(choices) == 24
    umkm = factories.umkm(submitted_at=dt.datetime(2020, 1, 15, 3, 0, tzinfo=dt.UTC))
    overview = reading.overview(db.session, umkm, TODAY)
    assert len(overview.choices) == 24
    assert overview.older_missing == (2026 - 2019) * 12 + 10 - 24  # January 2019 .. October 2026


def test_derived_scale_uses_the_latest_revision_in_the_12_months_before(app) -> None:  # type: ignore[no-untyped-def]
    umkm = business()
    other = business()
    for month in range(1, 11):
        factories.omzet_report(umkm, f"2026-{month:02d}", 170_000_000)
    factories.omzet_report(umkm, "2026-10", 100_000_000, revision=2)
    factories.omzet_report(umkm, "2026-11", 5_000_000_000)  # the current month: not counted
    factories.omzet_report(other, "2026-10", 5_000_000_000)
    # (9 × 170 jt + 100 jt) / 10 × 12 = 1,956 M → mikro; the first figure (170 jt) → kecil.
    assert reading.derived_scale_for(db.session, umkm.id, Period(2026, 11)) == "mikro"
    assert reading.derived_scale_for(db.session, umkm.id, Period(2026, 12)) == "kecil"
    assert reading.derived_scale_for(db.session, umkm.id, Period(2028, 1)) is None
    assert reading.derived_scale_for(db.session, other.id, Period(2026, 11)) == "besar"
    assert reading.scale_label("besar") == "Usaha Besar"
    assert reading.scale_label("kecil") == "Usaha Kecil"


def test_flags_for_takes_platform_sales_as_a_parameter(app) -> None:  # type: ignore[no-untyped-def]
    umkm = business()
    for month, amount in ((6, 10_000_000), (7, 10_000_000), (8, 10_000_000), (9, 1_000_000)):
        factories.omzet_report(umkm, f"2026-{month:02d}", amount)
    assert [(str(f.period), f.kind) for f in reading.flags_for(db.session, umkm.id)] == [
        ("2026-09", "sharp_drop")
    ]
    sales = {Period(2026, 7): 12_000_000}
    flags = reading.flags_for(db.session, umkm.id, platform_sales=lambda s, i: sales)
    assert [(str(f.period), f.kind) for f in flags] == [
        ("2026-07", "below_platform_sales"),
        ("2026-09", "sharp_drop"),
    ]
    assert reading.platform_sales_by_month(db.session, umkm.id) == {}


def test_platform_sales_come_from_live_orders_and_raise_the_flag(app) -> None:  # type: ignore[no-untyped-def]
    """A month reported below the government orders the platform saw is flagged."""
    from procure.clock import today_in_jakarta

    _, _, orders = factories.issued_orders(quantity=40, capacities=(100,), unit_price=175_000)
    (order,) = orders
    this_month = Period.of(today_in_jakarta())
    assert reading.platform_sales_by_month(db.session, order.umkm_id) == {this_month: 7_000_000}
    factories.omzet_report(order.umkm, str(this_month), 5_000_000)
    flags = reading.flags_for(db.session, order.umkm_id)
    assert [(f.period, f.kind) for f in flags] == [(this_month, "below_platform_sales")]
    order.status = "cancelled"  # a cancelled order is no sale
    db.session.flush()
    assert reading.platform_sales_by_month(db.session, order.umkm_id) == {}


def test_history_names_who_filed_and_marks_the_current_revision(app) -> None:  # type: ignore[no-untyped-def]
    user = factories.user("umkm", full_name="Siti Aminah")
    factories.omzet_report(user.umkm, "2026-10", 1_000_000, filed_by_id=user.id)
    factories.omzet_report(user.umkm, "2026-10", 2_000_000, revision=2, filed_by_id=user.id)
    factories.omzet_report(user.umkm, "2026-09", 3_000_000, source="import", source_file="a.xlsx")
    rows = reading.history(db.session, user.umkm_id)
    assert [(str(r.period), r.revision, r.is_current) for r in rows] == [
        ("2026-10", 2, True),
        ("2026-10", 1, False),
        ("2026-09", 1, True),
    ]
    assert rows[0].filed_by == "Siti Aminah (Pelaku UMKM)"
    assert rows[2].filed_by == "Sistem (impor lewat CLI)"
    assert rows[2].source == "Impor: a.xlsx"
    assert [r.revision for r in reading.history(db.session, user.umkm_id, Period(2026, 10))] == [
        2,
        1,
    ]
