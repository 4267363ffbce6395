"""The compliance page's two counts (UMKM that owe last month, and those that have not filed
it), kept per process for a short while (``procure.kept``).

At 100,000 UMKM the two counts read the whole verified register against a month of reports
(about 90,000 rows) on every page view, several times the cost of the page's 50 rows. They
are kept per (month, kecamatan, category) for ``OMZET_COMPLIANCE_COUNT_TTL`` seconds
(default 60); a filing, an edit of a report or of a UMKM flushed through this process drops
them at once, the other worker processes see it within the TTL. The list is always live.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from procure.kept import Kept
from procure.omzet import compliance
from procure.omzet.models import OmzetReport
from procure.omzet.rules import Period
from procure.umkm.models import Umkm


@dataclass(frozen=True)
class Counts:
    obliged: int  # verified UMKM (in the filters) that owe the month
    non_filers: int  # of those, the ones that have not filed it


KEPT: Kept[Counts] = Kept(
    "omzet_compliance_counts", (OmzetReport, Umkm), "OMZET_COMPLIANCE_COUNT_TTL", 60.0
)


def read_counts(session: Session, period: Period, filters: compliance.ComplianceFilter) -> Counts:
    return Counts(
        obliged=compliance.obliged_count(session, period, filters),
        non_filers=compliance.non_filer_count(session, period, filters),
    )


def counts(session: Session, period: Period, filters: compliance.ComplianceFilter) -> Counts:
    """The two counts, read at most once per TTL (or after a change made here)."""
    key = (str(period), filters.kecamatan_id, filters.category_id)
    return KEPT.get(key, lambda: read_counts(session, period, filters))
