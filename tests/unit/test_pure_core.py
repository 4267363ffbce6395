"""The pure core loads no framework: checked in a fresh interpreter, so nothing leaks in."""

import subprocess
import sys

PURE_MODULES = [
    "procure.umkm.rules",
    "procure.admin.rules",
    "procure.omzet.rules",
    "procure.omzet.chart",
    "procure.omzet.imports.rules",
    "procure.omzet.compliance_rules",
    "procure.catalog.rules",
    "procure.allocation.policy",
    "procure.allocation.fairness",
    "procure.allocation.simulation",
    "procure.formatting",
    "procure.documents.terbilang",
    "procure.documents.numbering",
    "procure.documents.taxes",
    "procure.opendata.ocds_rules",
    "procure.opendata.params",
    "procure.documents.content",
    "procure.inspection.rules",
    "procure.inspection.repeats",
]
FRAMEWORKS = ["flask", "sqlalchemy", "pandas", "wtforms", "werkzeug"]


def test_pure_modules_import_no_framework() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {PURE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {FRAMEWORKS!r})\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"pure modules loaded: {result.stdout}"
