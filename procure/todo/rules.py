"""Pure rules of the home pages' to-do lists: deadlines, days left or overdue, the wording,
and which item comes first.

No Flask, no SQLAlchemy. Dates are Asia/Jakarta calendar dates; a deadline date is inclusive
(the whole day still counts). The counts come from ``procure.todo.queries``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from procure.formatting import tanggal

EMPTY_TEXT = "Tidak ada yang menunggu Anda"
NEW_FLAG_DAYS = 30  # the inspector's "new" red flags: raised in the last 30 days
RECENT_DOCUMENT_DAYS = 30  # the UMKM's "documents issued recently"


@dataclass(frozen=True)
class Item:
    """One line of a to-do list: what to do, how many, by when, and where it is done.

    ``days_left`` is the nearest deadline among the counted things: negative when it has
    passed (``-3``: three days overdue), None when the item has no deadline. ``href`` is set
    by the view (``url_for``); the rules never build URLs.
    """

    key: str
    title: str
    count: int
    note: str = ""
    days_left: int | None = None
    href: str = ""
    action: str = "Buka"

    @property
    def is_overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def badge(self) -> str:
        """The short urgency word beside the count ("" when there is no deadline)."""
        return days_text(self.days_left) if self.days_left is not None else ""


def days_left(deadline: dt.date, today: dt.date) -> int:
    """Whole days from ``today`` to ``deadline`` (0: the deadline is today, -2: two days ago)."""
    return (deadline - today).days


def days_text(left: int) -> str:
    """ "lewat 3 hari", "batas hari ini", "besok", "sisa 5 hari"."""
    if left < 0:
        return f"lewat {-left} hari"
    if left == 0:
        return "batas hari ini"
    if left == 1:
        return "batas besok"
    return f"sisa {left} hari"


def by_date(deadline: dt.date) -> str:
    """The words "batas 5 Desember 2026" (the item's badge already says "sisa 2 hari")."""
    return f"batas {tanggal(deadline)}"


def deadline_text(deadline: dt.date, today: dt.date) -> str:
    """ "batas 5 Desember 2026 (sisa 2 hari)"."""
    return f"batas {tanggal(deadline)} ({days_text(days_left(deadline, today))})"


def hours_left(deadline: dt.date, now: dt.datetime) -> int:
    """Whole hours until the end of ``deadline`` (inclusive) from ``now``, a naive Jakarta
    time; 0 or less once it has ended."""
    end = dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time())
    return int((end - now).total_seconds() // 3600)


def answer_time_text(deadline: dt.date, now: dt.datetime) -> str:
    """How long a UMKM still has to answer an order: in hours on the last day, else in days."""
    hours = hours_left(deadline, now)
    if hours <= 0:
        return f"batas {tanggal(deadline)} sudah lewat"
    if hours < 24:
        return f"sisa {hours} jam (sampai akhir {tanggal(deadline)})"
    return deadline_text(deadline, now.date())


def omzet_months_due(
    today: dt.date,
    window: Sequence[str],
    filed: Iterable[str],
    fileable_from: str,
) -> list[str]:
    """The months ("YYYY-MM") of the allocation window not yet filed, oldest first.

    ``window`` is W, the months the allocation reads (the three before today's month), so last
    month is due from the 1st; ``fileable_from`` is the first month the UMKM may file (months
    before it are never asked for)."""
    done = set(filed)
    return [m for m in sorted(window) if m not in done and m >= fileable_from and m < _month(today)]


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def new_flag_counts(
    flags: Iterable[tuple[str, dt.date]], today: dt.date, seen_since: dt.date | None = None
) -> Counter[str]:
    """Red flags raised since the inspector's last visit, or in the last ``NEW_FLAG_DAYS`` days
    when there is no visit (or it is longer ago), counted by kind. ``flags``: (kind, day)."""
    since = today - dt.timedelta(days=NEW_FLAG_DAYS)
    if seen_since is not None and seen_since > since:
        since = seen_since
    return Counter(kind for kind, on in flags if on >= since)


def to_do(items: Iterable[Item]) -> list[Item]:
    """The items with something to do (count above 0), most urgent first: the most overdue,
    then the nearest deadline, then the items without a deadline in the order given."""
    kept = [i for i in items if i.count > 0]
    return sorted(kept, key=lambda i: (i.days_left is None, i.days_left or 0))


def with_href(item: Item, href: str) -> Item:
    return replace(item, href=href)
