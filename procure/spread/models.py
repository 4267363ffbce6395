"""The store of built pemerataan reports: one row per (period, OPD or the whole Pemda).

Every process and server reads the same stored report (``procure.spread.store``): a page
answers from it at once and a refresh runs in the background when the data changed since.
The report is kept as JSON (``procure.spread.report_json``), exactly the ``SpreadReport`` that
``build_report`` made, with the data's fingerprint and the Jakarta day it was built for.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from procure.db import Str50, Str100
from procure.extensions import db
from procure.procurement.models import AllocationRun, PurchaseOrder


class StoredSpreadReport(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "spread_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "<period>|pemda" or "<period>|opd-<id>": unique, so one row per key (NULL-safe).
    key: Mapped[Str100] = mapped_column(unique=True)
    period: Mapped[Str50]
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))
    body: Mapped[str]  # report_json.report_to_json
    fingerprint: Mapped[str] = mapped_column(String(500))
    built_for: Mapped[dt.date] = mapped_column(Date)  # the Jakarta "today" it was built with
    computed_at: Mapped[dt.datetime]  # the report's "data per"
    # Set while one process rebuilds it (single flight); a claim older than a few minutes is
    # taken over (its process died).
    refreshing_since: Mapped[dt.datetime | None]


# Month and quarter reports read a slice of the orders and decisions by time (EXPLAIN: an index
# scan instead of a scan of every order); a year's report reads most of the table either way.
Index("ix_purchase_order_issued_at", PurchaseOrder.issued_at)
Index("ix_allocation_run_decided_at", AllocationRun.decided_at)
