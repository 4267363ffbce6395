"""The pure core loads no framework: checked in a fresh interpreter, so nothing leaks in.

The list of pure modules lives in one place, the import-linter contract in pyproject.toml
("Pure rules import no framework"); ``scripts/pure_modules.py`` expands its wildcards
(``procure.*.rules``) the way import-linter does, for this test and for mypy in ``./run``.
import-linter checks the imports as written; this test checks what importing them loads.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pure_modules", ROOT / "scripts/pure_modules.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PURE = _script()


def test_the_contract_covers_the_pure_core() -> None:
    pure = PURE.pure_modules()
    for expected in (
        "procure.allocation.policy",
        "procure.clock",
        "procure.umkm.rules",
        "procure.orders.rules",
        "procure.omzet.imports.rules",
        "procure.procurement.presenters",
        "procure.ranking.stored_run",
    ):
        assert expected in pure
    assert PURE.expand("procure.*.rules", ["procure.a.rules", "procure.a.b.rules"]) == [
        "procure.a.rules"
    ]
    assert PURE.expand("procure.**.rules", ["procure.a.rules", "procure.a.b.rules"]) == [
        "procure.a.rules",
        "procure.a.b.rules",
    ]


def test_pure_modules_import_no_framework() -> None:
    frameworks = sorted({m.split(".")[0] for m in PURE.contract()["forbidden_modules"]})
    code = (
        "import importlib, sys\n"
        f"for name in {PURE.pure_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {frameworks!r})\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter on a fixed snippet
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"pure modules loaded: {result.stdout}"
