"""The one query for "the latest omzet revision per (UMKM, month)".

Rows of ``omzet_report`` are only ever inserted: a correction is a new row with the next
revision. Every reader that wants the figure a UMKM stands by (its history page, the scale by
omzet, the inspector's flags, the ranking figures and the facts a request is evaluated on)
selects from this subquery, so the rule "the highest revision wins" is written once.

The grouping is filtered before it runs (served by the ``(period, umkm_id)`` index); the
caller selects from the result and may join ``OmzetReport`` on ``id`` for whole rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, func, select

from procure.omzet.models import OmzetReport
from procure.omzet.rules import Period

#: Narrows the UMKM: given the ``umkm_id`` column, a condition on it (e.g. ``column.in_(ids)``).
UmkmScope = Callable[[Any], ColumnElement[bool]]


def latest_omzet_revisions(
    *,
    umkm_id: int | None = None,
    umkms: UmkmScope | None = None,
    periods: Iterable[Period | str] | None = None,
    first: Period | None = None,
    last: Period | None = None,
    name: str = "latest_omzet",
) -> Subquery:
    """The current row of every (UMKM, month) in scope, as a subquery.

    Columns: ``id``, ``umkm_id``, ``period`` (``"TTTT-BB"``), ``revision``, ``amount``,
    ``is_late``. Scope (all optional, combined with AND): one UMKM (``umkm_id``) or a set
    (``umkms``, a condition on the column); the months listed (``periods``) or between
    ``first`` and ``last``, both included.
    """
    conditions = _scope(umkm_id, umkms, periods, first, last)
    grouped = (
        select(
            OmzetReport.umkm_id,
            OmzetReport.period,
            func.max(OmzetReport.revision).label("revision"),
        )
        .where(*conditions)
        .group_by(OmzetReport.umkm_id, OmzetReport.period)
        .subquery(f"{name}_revision")
    )
    return (
        select(
            OmzetReport.id,
            OmzetReport.umkm_id,
            OmzetReport.period,
            OmzetReport.revision,
            OmzetReport.amount,
            OmzetReport.is_late,
        )
        .join(
            grouped,
            and_(
                OmzetReport.umkm_id == grouped.c.umkm_id,
                OmzetReport.period == grouped.c.period,
                OmzetReport.revision == grouped.c.revision,
            ),
        )
        .subquery(name)
    )


def _scope(
    umkm_id: int | None,
    umkms: UmkmScope | None,
    periods: Iterable[Period | str] | None,
    first: Period | None,
    last: Period | None,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if umkm_id is not None:
        conditions.append(OmzetReport.umkm_id == umkm_id)
    if umkms is not None:
        conditions.append(umkms(OmzetReport.umkm_id))
    if periods is not None:
        conditions.append(OmzetReport.period.in_([str(p) for p in periods]))
    if first is not None:
        conditions.append(OmzetReport.period >= str(first))
    if last is not None:
        conditions.append(OmzetReport.period <= str(last))
    return conditions
