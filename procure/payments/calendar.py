"""The payment clock, pure: when an order must be paid and how many days it is overdue.

An order must be paid ``term`` days after its BAST (serah terima) date. With working days,
Saturdays, Sundays and the configured holidays (national holidays and cuti bersama, which
the Pemda lists each year) are not counted; with calendar days every day is, but a due date
that falls on a day off moves to the next working day, when the Bendahara can pay. Days
overdue are calendar days after the due date: that is what the UMKM waits.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procure.umkm.rules import RuleError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class PaymentTerm:
    """How long after the BAST an order must be paid, and the days off."""

    days: int
    working_days: bool = False
    holidays: frozenset[dt.date] = frozenset()

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def next_working_day(self, day: dt.date) -> dt.date:
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """``days`` working days after ``start`` (``start`` itself never counts)."""
        current, added = start, 0
        while added < days:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                added += 1
        return current

    def due_date(self, handed_over_on: dt.date) -> dt.date:
        """The day the order must be paid by."""
        if self.working_days:
            # A term of 0 working days on a day off is due the next working day.
            return self.next_working_day(self.add_working_days(handed_over_on, self.days))
        return self.next_working_day(handed_over_on + dt.timedelta(days=self.days))

    def describe(self) -> str:
        """The term in words, as pages and documents print it: "14 hari kerja"."""
        return f"{self.days} hari {'kerja' if self.working_days else 'kalender'}"


def days_overdue(due: dt.date | None, paid_on: dt.date | None, today: dt.date) -> int:
    """Calendar days past the due date until paid (or until today while unpaid); 0 if on time."""
    if due is None:
        return 0
    return max(0, ((paid_on or today) - due).days)


def reminder_kind(due: dt.date, today: dt.date, days_before: int, every_days: int) -> str | None:
    """Which payment reminder an unpaid order gets ``today``: "before" exactly ``days_before``
    days ahead of the due date (none when 0 or less), "due" on it, "after" every
    ``every_days`` days after it (none when 0 or less); None on any other day."""
    if today == due:
        return "due"
    if days_before > 0 and today == due - dt.timedelta(days=days_before):
        return "before"
    late = (today - due).days
    if late > 0 and every_days > 0 and late % every_days == 0:
        return "after"
    return None


def clock_figures(
    due: dt.date | None, paid_on: dt.date | None, today: dt.date
) -> dict[str, dt.date | int | bool | None]:
    """What an order's page and lists show of the clock: ``payment_due`` (None before the
    handover), ``payment_days_overdue`` (calendar days, until paid or today) and
    ``paid_on_time`` (None while unpaid or without a due date)."""
    return {
        "payment_due": due,
        "payment_days_overdue": days_overdue(due, paid_on, today),
        "paid_on_time": None if due is None or paid_on is None else paid_on <= due,
    }


def parse_holidays(text: str, source: str = "PROCURE_PAYMENT_HOLIDAYS") -> frozenset[dt.date]:
    """Dates (YYYY-MM-DD) separated by commas, spaces or lines; "#" starts a comment."""
    days: set[dt.date] = set()
    for line in text.splitlines():
        for token in re.split(r"[,\s]+", line.split("#", 1)[0].strip()):
            if not token:
                continue
            if not _DATE.match(token):
                raise RuleError(f"{source}: {token!r} bukan tanggal TTTT-BB-HH.")
            try:
                days.add(dt.date.fromisoformat(token))
            except ValueError as exc:
                raise RuleError(f"{source}: {token!r} bukan tanggal yang ada.") from exc
    return frozenset(days)


def holidays_from(config: Mapping[str, Any]) -> frozenset[dt.date]:
    """The holidays configured inline and in the holidays file."""
    days = parse_holidays(str(config.get("PAYMENT_HOLIDAYS") or ""))
    path = str(config.get("PAYMENT_HOLIDAYS_FILE") or "")
    if path:
        days |= parse_holidays(Path(path).read_text(encoding="utf-8"), path)
    return days


def payment_term(config: Mapping[str, Any]) -> PaymentTerm:
    """The payment term the settings give (DELIVERY_PAYMENT_DAYS, working or calendar)."""
    days = int(config["DELIVERY_PAYMENT_DAYS"])
    if days < 0:
        raise RuleError(f"PROCURE_DELIVERY_PAYMENT_DAYS tidak boleh negatif ({days}).")
    return PaymentTerm(
        days=days,
        working_days=bool(config.get("PAYMENT_TERM_WORKING_DAYS")),
        holidays=holidays_from(config),
    )
