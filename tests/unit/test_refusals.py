"""Each package's refusal is a RuleError, so ``procure.edge.attempt`` shows it; its views
leave commit and rollback to the edge."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from procure.admin.errors import FieldError
from procure.admin.rules import TransitionError
from procure.admin.services_umkm import ReviewError
from procure.auth.services import AccountError
from procure.input_rules import RuleError
from procure.omzet.imports.importer import ImportConflict
from procure.umkm.photos import PhotoError
from procure.umkm.services import UmkmError

ROOT = Path(__file__).resolve().parents[2] / "procure"
PACKAGES = ("admin", "auth", "catalog", "omzet", "opd", "umkm")


@pytest.mark.parametrize(
    "refusal",
    [FieldError, TransitionError, ReviewError, AccountError, ImportConflict, PhotoError, UmkmError],
)
def test_refusal_is_a_rule_error(refusal: type[Exception]) -> None:
    assert issubclass(refusal, RuleError)


def test_field_error_keeps_its_field() -> None:
    error = FieldError("name", "Nama wajib diisi.")
    assert (error.field, str(error)) == ("name", "Nama wajib diisi.")


def test_views_hold_no_commit_or_rollback() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "views" in path.name
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\.(commit|rollback)\(\)", line)
    ]
    assert found == []
