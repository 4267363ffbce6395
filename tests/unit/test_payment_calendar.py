"""The payment clock: due dates worked out by hand on a calendar of December 2026 / January 2027.

December 2026                January 2027
Mo Tu We Th Fr Sa Su         Mo Tu We Th Fr Sa Su
    1  2  3  4  5  6                      1  2  3
 7  8  9 10 11 12 13          4  5  6  7  8  9 10
14 15 16 17 18 19 20
21 22 23 24 25 26 27
28 29 30 31
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from procure.config import ConfigError, load_config
from procure.paths import ROOT
from procure.payments.calendar import (
    PaymentTerm,
    clock_figures,
    days_overdue,
    holidays_from,
    parse_holidays,
    payment_term,
    reminder_kind,
)
from procure.umkm.rules import RuleError

D = dt.date
CHRISTMAS = frozenset({D(2026, 12, 24), D(2026, 12, 25)})  # cuti bersama + Natal
YEAR_END = CHRISTMAS | {D(2027, 1, 1)}


def test_working_days_skip_the_weekend_and_the_holidays() -> None:
    term = PaymentTerm(5, working_days=True, holidays=CHRISTMAS)
    # BAST Friday 18 Dec: Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 and Fri 25 off,
    # Sat 26 and Sun 27 off, Mon 28 (4), Tue 29 (5).
    assert term.due_date(D(2026, 12, 18)) == D(2026, 12, 29)
    # Without the holidays: 21, 22, 23, 24, 25 -> Friday 25 Dec.
    assert PaymentTerm(5, working_days=True).due_date(D(2026, 12, 18)) == D(2026, 12, 25)


def test_working_days_across_the_new_year() -> None:
    term = PaymentTerm(10, working_days=True, holidays=YEAR_END)
    # 21, 22, 23 (3), 28, 29, 30, 31 (7), Fri 1 Jan off, weekend, Mon 4 (8), Tue 5 (9), Wed 6 (10).
    assert term.due_date(D(2026, 12, 18)) == D(2027, 1, 6)


def test_a_bast_on_a_day_off_counts_from_the_next_working_day() -> None:
    # BAST Saturday 5 Dec: the first working day after it is Monday 7 Dec.
    assert PaymentTerm(1, working_days=True).due_date(D(2026, 12, 5)) == D(2026, 12, 7)
    assert PaymentTerm(3, working_days=True).due_date(D(2026, 12, 5)) == D(2026, 12, 9)
    # A term of 0 days is due the day of the BAST, or the next working day after a day off.
    assert PaymentTerm(0, working_days=True).due_date(D(2026, 12, 5)) == D(2026, 12, 7)
    assert PaymentTerm(0, working_days=True).due_date(D(2026, 12, 4)) == D(2026, 12, 4)
    assert PaymentTerm(0).due_date(D(2026, 12, 6)) == D(2026, 12, 7)


def test_calendar_days_count_every_day_but_never_end_on_a_day_off() -> None:
    # 14 calendar days after Monday 7 Dec: Monday 21 Dec, a working day.
    assert PaymentTerm(14).due_date(D(2026, 12, 7)) == D(2026, 12, 21)
    # 8 days after Friday 4 Dec is Saturday 12 Dec: moved to Monday 14 Dec.
    assert PaymentTerm(8).due_date(D(2026, 12, 4)) == D(2026, 12, 14)
    # 14 days after Friday 18 Dec is Friday 1 Jan 2027: a working day without holidays ...
    assert PaymentTerm(14).due_date(D(2026, 12, 18)) == D(2027, 1, 1)
    # ... and with New Year's Day off, the next working day is Monday 4 Jan.
    assert PaymentTerm(14, holidays=YEAR_END).due_date(D(2026, 12, 18)) == D(2027, 1, 4)
    # 6 days after Friday 18 Dec is Thursday 24 Dec (off), then 25, 26, 27 off: Monday 28.
    assert PaymentTerm(6, holidays=CHRISTMAS).due_date(D(2026, 12, 18)) == D(2026, 12, 28)


def test_the_term_in_words() -> None:
    assert PaymentTerm(5, working_days=True).describe() == "5 hari kerja"
    assert PaymentTerm(14).describe() == "14 hari kalender"


def test_days_overdue_are_calendar_days_after_the_due_date() -> None:
    due = D(2026, 12, 29)
    assert days_overdue(due, None, D(2026, 12, 29)) == 0  # due today: not late yet
    assert days_overdue(due, None, D(2026, 12, 20)) == 0  # before it
    assert days_overdue(due, None, D(2027, 1, 5)) == 7  # unpaid: until today
    assert days_overdue(due, D(2026, 12, 29), D(2027, 1, 5)) == 0  # paid on the day
    assert days_overdue(due, D(2026, 12, 30), D(2027, 1, 5)) == 1  # paid a day late
    assert days_overdue(None, None, D(2027, 1, 5)) == 0  # no due date, no clock


def test_holidays_are_read_with_commas_spaces_lines_and_comments() -> None:
    text = "2026-12-24, 2026-12-25\n# Tahun Baru\n2027-01-01  # Jumat\n\n2026-12-25"
    assert parse_holidays(text) == YEAR_END


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("25-12-2026", "'25-12-2026' bukan tanggal TTTT-BB-HH"),
        ("2026-12-24,besok", "'besok' bukan tanggal TTTT-BB-HH"),
        ("2026-2-3", "'2026-2-3' bukan tanggal TTTT-BB-HH"),
        ("2026-02-30", "'2026-02-30' bukan tanggal yang ada"),
        ("2026-13-01", "'2026-13-01' bukan tanggal yang ada"),
    ],
)
def test_a_bad_holiday_is_refused_with_its_source(text: str, message: str) -> None:
    with pytest.raises(RuleError, match=f"^PROCURE_PAYMENT_HOLIDAYS: {message}"):
        parse_holidays(text)


def test_holidays_come_from_the_setting_and_the_file(tmp_path: Path) -> None:
    path = tmp_path / "libur.txt"
    path.write_text("# libur\n2026-12-25\n2027-01-01 # Tahun Baru\n", encoding="utf-8")
    config = {"PAYMENT_HOLIDAYS": "2026-12-24", "PAYMENT_HOLIDAYS_FILE": str(path)}
    assert holidays_from(config) == YEAR_END
    path.write_text("2027-01-01\n2027-02-29\n", encoding="utf-8")
    with pytest.raises(RuleError, match=f"^{path}: '2027-02-29' bukan tanggal yang ada"):
        holidays_from(config)


def test_payment_term_reads_the_settings() -> None:
    config = {
        "DELIVERY_PAYMENT_DAYS": 5,
        "PAYMENT_TERM_WORKING_DAYS": True,
        "PAYMENT_HOLIDAYS": "2026-12-24 2026-12-25",
        "PAYMENT_HOLIDAYS_FILE": "",
    }
    assert payment_term(config) == PaymentTerm(5, True, CHRISTMAS)
    assert payment_term({"DELIVERY_PAYMENT_DAYS": 14}) == PaymentTerm(14)
    with pytest.raises(RuleError, match="tidak boleh negatif"):
        payment_term({"DELIVERY_PAYMENT_DAYS": -1})


def test_the_example_holidays_file_parses() -> None:
    path = ROOT / "docs" / "examples" / "hari-libur-2027.txt"
    days = holidays_from({"PAYMENT_HOLIDAYS_FILE": str(path)})
    assert D(2027, 8, 17) in days and D(2027, 1, 1) in days
    assert all(day.year == 2027 for day in days)


def test_a_bad_holiday_setting_stops_the_start_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from procure import config

    monkeypatch.setattr(config.Config, "PAYMENT_HOLIDAYS", "2026-12-25, 2026-12-32")
    with pytest.raises(ConfigError, match="'2026-12-32' bukan tanggal yang ada"):
        load_config(str(tmp_path), "testing")
    monkeypatch.setattr(config.Config, "PAYMENT_HOLIDAYS", "")
    monkeypatch.setattr(config.Config, "PAYMENT_HOLIDAYS_FILE", str(tmp_path / "tidak-ada.txt"))
    with pytest.raises(ConfigError, match="PROCURE_PAYMENT_HOLIDAYS_FILE tidak bisa dibaca"):
        load_config(str(tmp_path), "testing")
    monkeypatch.setattr(config.Config, "PAYMENT_HOLIDAYS_FILE", "")
    assert load_config(str(tmp_path), "testing")["PAYMENT_HOLIDAYS"] == ""


def test_reminder_days_before_on_and_every_few_days_after() -> None:
    due = D(2026, 12, 21)
    kinds = {
        day: kind
        for offset in range(-10, 12)
        if (kind := reminder_kind(due, (day := due + dt.timedelta(days=offset)), 3, 3))
    }
    assert kinds == {
        D(2026, 12, 18): "before",
        D(2026, 12, 21): "due",
        D(2026, 12, 24): "after",
        D(2026, 12, 27): "after",
        D(2026, 12, 30): "after",
    }
    # No reminder before with 0 days, none after with 0: only on the day.
    assert [o for o in range(-5, 10) if reminder_kind(due, due + dt.timedelta(o), 0, 0)] == [0]
    assert reminder_kind(due, D(2026, 12, 22), 3, 1) == "after"


def test_clock_figures_of_an_order() -> None:
    today = D(2027, 1, 5)
    assert clock_figures(None, None, today) == {
        "payment_due": None,
        "payment_days_overdue": 0,
        "paid_on_time": None,
    }
    due = D(2026, 12, 29)
    assert clock_figures(due, None, today)["payment_days_overdue"] == 7
    assert clock_figures(due, None, today)["paid_on_time"] is None
    assert clock_figures(due, D(2026, 12, 29), today)["paid_on_time"] is True
    late = clock_figures(due, D(2027, 1, 2), today)
    assert late["paid_on_time"] is False and late["payment_days_overdue"] == 4
