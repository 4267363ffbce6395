"""The to-do list's pure rules: days left and their words, the answer time in hours on the last
day, omzet months due, new red flags, the order of items."""

from __future__ import annotations

import datetime as dt

from procure.todo import rules
from procure.todo.rules import Item

TODAY = dt.date(2026, 12, 3)


def test_days_text() -> None:
    assert rules.days_text(-3) == "lewat 3 hari"
    assert rules.days_text(0) == "batas hari ini"
    assert rules.days_text(1) == "batas besok"
    assert rules.days_text(9) == "sisa 9 hari"
    assert rules.days_left(dt.date(2026, 12, 1), TODAY) == -2
    assert rules.deadline_text(dt.date(2026, 12, 5), TODAY) == "batas 5 Desember 2026 (sisa 2 hari)"
    assert rules.by_date(dt.date(2026, 12, 5)) == "batas 5 Desember 2026"


def test_answer_time_in_hours_on_the_last_day() -> None:
    morning = dt.datetime(2026, 12, 3, 9, 30)
    assert rules.hours_left(TODAY, morning) == 14
    assert rules.answer_time_text(TODAY, morning) == "sisa 14 jam (sampai akhir 3 Desember 2026)"
    assert rules.answer_time_text(dt.date(2026, 12, 6), morning).endswith("(sisa 3 hari)")
    assert "sudah lewat" in rules.answer_time_text(dt.date(2026, 12, 2), morning)


def test_omzet_months_due_are_the_window_not_filed() -> None:
    window = ["2026-09", "2026-10", "2026-11"]
    assert rules.omzet_months_due(TODAY, window, ["2026-10"], "2025-01") == ["2026-09", "2026-11"]
    assert rules.omzet_months_due(TODAY, window, window, "2025-01") == []
    # Months before the first the UMKM may file are never asked for.
    assert rules.omzet_months_due(TODAY, window, [], "2026-10") == ["2026-10", "2026-11"]


def test_new_flags_are_those_of_the_last_30_days_or_since_the_last_visit() -> None:
    flags = [
        ("override", TODAY),
        ("override", TODAY - dt.timedelta(days=30)),
        ("override", TODAY - dt.timedelta(days=31)),
        ("slow_payment", TODAY - dt.timedelta(days=2)),
    ]
    assert rules.new_flag_counts(flags, TODAY) == {"override": 2, "slow_payment": 1}
    since = TODAY - dt.timedelta(days=1)
    assert rules.new_flag_counts(flags, TODAY, since) == {"override": 1}


def test_most_urgent_first_and_nothing_without_a_count() -> None:
    items = [
        Item("a", "Tanpa batas", 3),
        Item("b", "Sisa 4 hari", 1, days_left=4),
        Item("c", "Kosong", 0, days_left=-9),
        Item("d", "Lewat 2 hari", 2, days_left=-2),
        Item("e", "Tanpa batas juga", 1),
        Item("f", "Hari ini", 1, days_left=0),
    ]
    assert [i.key for i in rules.to_do(items)] == ["d", "f", "b", "a", "e"]
    assert rules.to_do([]) == []
    late = Item("d", "x", 2, days_left=-2)
    assert late.is_overdue and late.badge == "lewat 2 hari"
    assert Item("a", "x", 1).badge == "" and not Item("a", "x", 1).is_overdue
    assert rules.with_href(late, "/x").href == "/x"
    assert rules.EMPTY_TEXT == "Tidak ada yang menunggu Anda"
