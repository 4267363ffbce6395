"""Pure rules of the compliance list: how long a UMKM has been silent, and its reminder.

No Flask, no SQLAlchemy, no pandas.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import quote

from procure.formatting import tanggal
from procure.omzet.rules import Period, filing_deadline


def reporting_month(today: dt.date) -> Period:
    """The month every verified UMKM should have filed by now: the last completed one."""
    return Period.of(today).shift(-1)


def missing_streak(last_filed: Period | None, registered: Period, through: Period) -> int:
    """Months in a row without a report, ending at ``through`` and starting no earlier than
    the registration month (nobody owes a month before it joined)."""
    start = registered if last_filed is None else max(last_filed.shift(1), registered)
    return max(through - start + 1, 0)


@dataclass(frozen=True)
class ReminderContext:
    city: str  # the Pemda's city, as in "Procure Sukamaju"
    filing_url: str  # where a UMKM files its omzet
    deadline_day: int
    today: dt.date


class Reminder:
    """The WhatsApp reminder of one month. Its fixed text is built and URL-quoted once, so a
    list of 100,000 UMKM quotes only each owner's and business's name."""

    def __init__(self, period: Period, ctx: ReminderContext) -> None:
        deadline = filing_deadline(period, ctx.deadline_day)
        if ctx.today <= deadline:
            ask = f"Mohon dilaporkan paling lambat tanggal {tanggal(deadline)}"
        else:  # after the deadline a date in the past reads oddly: ask for it now
            ask = f"Batas tanggal {tanggal(deadline)} sudah lewat; mohon segera dilaporkan"
        self._parts = (
            "Yth. Bapak/Ibu ",
            ", pemilik ",
            f": omzet bulan {period.label} belum dilaporkan di Procure {ctx.city}. "
            f"{ask} melalui {ctx.filing_url}. Terima kasih.",
        )
        self._quoted = tuple(quote(part, safe="") for part in self._parts)

    def message(self, owner: str, business: str) -> str:
        head, middle, tail = self._parts
        return f"{head}{owner}{middle}{business}{tail}"

    def link(self, phone: str, owner: str, business: str) -> str | None:
        """``https://wa.me/628…?text=…``; None when the number is not a usable Indonesian one."""
        number = wa_number(phone)
        if number is None:
            return None
        head, middle, tail = self._quoted
        text = f"{head}{quote(owner, safe='')}{middle}{quote(business, safe='')}{tail}"
        return f"https://wa.me/{number}?text={text}"


def wa_number(phone: str) -> str | None:
    """A stored phone as wa.me wants it (``628…``), or None when it is not a mobile number."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits if re.fullmatch(r"628\d{7,12}", digits) else None
