"""The OPD scoping rule that every request, order and document page loads through."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from procure.auth.models import Role
from procure.visibility import may_read


def _user(role: str, opd_id: int | None = None, umkm_id: int | None = None) -> SimpleNamespace:
    return SimpleNamespace(role=role, opd_id=opd_id, umkm_id=umkm_id)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.INSPECTOR])
def test_admins_and_inspectors_read_everything(role: str) -> None:
    assert may_read(_user(role), 7, 3)
    assert may_read(_user(role), 7)


def test_an_officer_reads_its_own_opd_only() -> None:
    officer = _user(Role.OPD, opd_id=7)
    assert may_read(officer, 7, 3)
    assert not may_read(officer, 8, 3)
    # An officer without an OPD reads nothing (None never matches None).
    assert not may_read(_user(Role.OPD), None, 3)


def test_a_umkm_reads_what_was_given_to_it_only() -> None:
    umkm = _user(Role.UMKM, umkm_id=3)
    assert may_read(umkm, 7, 3)
    assert not may_read(umkm, 7, 4)
    assert not may_read(umkm, 7)  # a request belongs to no UMKM
    assert not may_read(_user(Role.UMKM), 7, None)


def test_any_other_role_reads_nothing() -> None:
    assert not may_read(_user("tamu", opd_id=7, umkm_id=3), 7, 3)
