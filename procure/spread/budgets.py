"""OPD goods/services budgets (pagu belanja barang/jasa) per year: read and set by the admin.

The 40 % measure (Perpres 12/2021 art. 65: at least 40 % of an agency's goods/services budget
to micro and small businesses and cooperatives) divides the catalog's spend on them by this
amount. One row per OPD and year (``OpdBudget``); every change is audited with the old and the
new amount. Changing an amount already entered needs the admin's confirmation of the amount
they saw, so a second click or a colleague's change in between never overwrites unseen; the
same amount again changes nothing. No Flask.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from procure.audit.services import record
from procure.auth.models import User
from procure.db import utcnow
from procure.formatting import rupiah
from procure.input_rules import RuleError
from procure.opd.models import Opd, OpdBudget

# Years the admin may enter: this year and five either side (next year's budget is drafted
# before it begins; older ones for the reports of past years).
YEARS_AROUND = 5
# The largest amount accepted: Rp 10 triliun, more than any city's whole budget; a longer number
# is a typing mistake (a zero too many).
MAX_BUDGET = 10**13


class BudgetError(RuleError):
    """A refusal with a message for the admin."""


class NeedsConfirmation(BudgetError):
    """The OPD already has an amount for the year: the admin confirms the change first."""

    def __init__(self, opd_name: str, year: int, current: int, wanted: int) -> None:
        self.current = current
        self.wanted = wanted
        super().__init__(
            f"Pagu {opd_name} tahun {year} sudah diisi {rupiah(current)}. Ubah menjadi "
            f"{rupiah(wanted)}?"
        )


@dataclass(frozen=True)
class BudgetRow:
    opd_id: int
    code: str
    name: str
    amount: int | None  # None: not entered
    set_at: dt.datetime | None
    set_by: str | None


@dataclass(frozen=True)
class BudgetChange:
    opd_name: str
    year: int
    old: int | None
    new: int

    @property
    def changed(self) -> bool:
        return self.old != self.new


def year_range(today: dt.date) -> range:
    return range(today.year - YEARS_AROUND, today.year + YEARS_AROUND + 1)


def check_year(year: int | None, today: dt.date) -> int:
    allowed = year_range(today)
    if year is None or year not in allowed:
        raise BudgetError(f"Tahun anggaran harus antara {allowed[0]} dan {allowed[-1]}.")
    return year


def check_amount(amount: int | None) -> int:
    if amount is None:
        raise BudgetError("Isi pagu belanja barang/jasa, misalnya Rp 1.500.000.000.")
    if amount <= 0:
        raise BudgetError("Pagu belanja barang/jasa harus lebih dari Rp 0.")
    if amount > MAX_BUDGET:
        raise BudgetError(
            f"Pagu terlalu besar (paling banyak {rupiah(MAX_BUDGET)}); periksa jumlah nol."
        )
    return amount


def budget_rows(session: Session, year: int) -> list[BudgetRow]:
    """Every active OPD with its amount for ``year`` (None when not entered), by name."""
    query = (
        select(Opd.id, Opd.code, Opd.name, OpdBudget.amount, OpdBudget.set_at, User.full_name)
        .outerjoin(OpdBudget, (OpdBudget.opd_id == Opd.id) & (OpdBudget.year == year))
        .outerjoin(User, User.id == OpdBudget.set_by_id)
        .where(Opd.is_active.is_(True))
        .order_by(Opd.name)
    )
    return [BudgetRow(*row) for row in session.execute(query)]


def _locked(session: Session, opd_id: int, year: int) -> OpdBudget | None:
    return session.scalars(
        select(OpdBudget)
        .where(OpdBudget.opd_id == opd_id, OpdBudget.year == year)
        .with_for_update()
    ).one_or_none()


def set_budget(
    session: Session,
    *,
    opd_id: int | None,
    year: int | None,
    amount: int | None,
    actor_id: int,
    today: dt.date,
    seen: int | None = None,
    confirmed: bool = False,
) -> BudgetChange:
    """Enter or change an OPD's amount for a year; audited. ``seen`` is the amount the admin
    saw (None: none); a change of an existing amount needs ``confirmed`` and ``seen`` equal to
    the stored amount. The same amount again is no change (a double submit)."""
    year = check_year(year, today)
    amount = check_amount(amount)
    opd = session.get(Opd, opd_id) if opd_id is not None else None
    if opd is None or not opd.is_active:
        raise BudgetError("OPD tidak ditemukan atau sudah tidak aktif.")
    budget = _locked(session, opd.id, year)
    if budget is None:
        insert = (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert
        inserted = session.execute(
            insert(OpdBudget)
            .values(opd_id=opd.id, year=year, amount=amount, set_by_id=actor_id, set_at=utcnow())
            .on_conflict_do_nothing(index_elements=["opd_id", "year"])
            .returning(OpdBudget.id)
        ).scalar()
        budget = _locked(session, opd.id, year)
        assert budget is not None
        if inserted is not None:
            return _recorded(session, opd, budget, None, actor_id)
        # A twin submit entered it first: go on as with any existing amount.
    old = budget.amount
    if old == amount:
        return BudgetChange(opd.name, year, old, amount)  # the same again: nothing to change
    if not confirmed:
        raise NeedsConfirmation(opd.name, year, old, amount)
    if seen != old:
        raise BudgetError(
            f"Pagu {opd.name} tahun {year} baru saja diubah menjadi {rupiah(old)}; "
            "periksa lalu ulangi bila perlu."
        )
    budget.amount = amount
    budget.set_by_id = actor_id
    budget.set_at = utcnow()
    return _recorded(session, opd, budget, old, actor_id)


def _recorded(
    session: Session, opd: Opd, budget: OpdBudget, old: int | None, actor_id: int
) -> BudgetChange:
    """The audit entry of one change, with the old and the new amount."""
    year, amount = budget.year, budget.amount
    summary = (
        f"Pagu belanja barang/jasa {opd.name} tahun {year}: "
        f"{rupiah(old) if old is not None else 'belum diisi'} → {rupiah(amount)}"
    )
    record(
        session,
        actor_id,
        "opd_budget.set",
        budget,
        summary,
        {"opd_id": opd.id, "year": year, "amount": [old, amount]},
    )
    return BudgetChange(opd.name, year, old, amount)
