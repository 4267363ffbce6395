"""The one query for the latest omzet revision per (UMKM, month), and its scope."""

from __future__ import annotations

from sqlalchemy import select

from procure.extensions import db
from procure.omzet.latest import latest_omzet_revisions
from procure.omzet.rules import Period
from tests import factories


def _rows(**scope: object) -> set[tuple[int, str, int, int]]:
    latest = latest_omzet_revisions(**scope)  # type: ignore[arg-type]
    query = select(latest.c.umkm_id, latest.c.period, latest.c.revision, latest.c.amount)
    return {tuple(row) for row in db.session.execute(query)}  # type: ignore[misc]


def test_the_highest_revision_of_each_month_wins(app) -> None:  # type: ignore[no-untyped-def]
    a, b = factories.umkm(), factories.umkm()
    factories.omzet_report(a, "2026-08", 9_000_000)
    factories.omzet_report(a, "2026-08", 2_000_000, revision=2)
    factories.omzet_report(a, "2026-08", 3_000_000, revision=3)
    factories.omzet_report(a, "2026-09", 4_000_000)
    factories.omzet_report(b, "2026-08", 5_000_000)
    factories.omzet_report(b, "2026-08", 6_000_000, revision=2)
    assert _rows() == {
        (a.id, "2026-08", 3, 3_000_000),
        (a.id, "2026-09", 1, 4_000_000),
        (b.id, "2026-08", 2, 6_000_000),
    }


def test_scope_by_umkm_and_by_months(app) -> None:  # type: ignore[no-untyped-def]
    a, b, c = factories.umkm(), factories.umkm(), factories.umkm()
    for owner in (a, b, c):
        for month in (7, 8, 9, 10):
            factories.omzet_report(owner, f"2026-{month:02d}", 1_000_000 * month)
            factories.omzet_report(owner, f"2026-{month:02d}", 100 * month, revision=2)

    def keys(**scope: object) -> set[tuple[int, str]]:
        return {(u, p) for u, p, _, _ in _rows(**scope)}

    assert keys(umkm_id=a.id) == {(a.id, f"2026-{m:02d}") for m in (7, 8, 9, 10)}
    assert keys(umkms=lambda column: column.in_([b.id, c.id]), periods=["2026-08"]) == {
        (b.id, "2026-08"),
        (c.id, "2026-08"),
    }
    assert keys(umkm_id=c.id, first=Period(2026, 8), last=Period(2026, 9)) == {
        (c.id, "2026-08"),
        (c.id, "2026-09"),
    }
    assert keys(umkm_id=c.id, periods=[Period(2026, 10)]) == {(c.id, "2026-10")}
    assert {r for _, _, r, _ in _rows()} == {2}
    assert keys(periods=[]) == set()


def test_whole_rows_join_on_id(app) -> None:  # type: ignore[no-untyped-def]
    from procure.omzet.models import OmzetReport

    a = factories.umkm()
    factories.omzet_report(a, "2026-08", 9_000_000)
    current = factories.omzet_report(a, "2026-08", 2_000_000, revision=2, is_late=True)
    latest = latest_omzet_revisions(umkm_id=a.id)
    rows = list(db.session.scalars(select(OmzetReport).join(latest, OmzetReport.id == latest.c.id)))
    assert rows == [current]
