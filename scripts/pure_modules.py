"""Print the files of the pure core, as the import-linter contract in pyproject.toml names them.

The contract is the one list of pure modules: `./run test` type-checks these files strictly
with mypy, and tests/unit/test_pure_core.py imports them in a fresh interpreter.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = "Pure rules import no framework"


def contract() -> dict[str, list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["name"].startswith(CONTRACT))


def all_modules() -> dict[str, Path]:
    found = {}
    for path in (ROOT / "procure").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return dict(sorted(found.items()))


def expand(pattern: str, modules: list[str]) -> list[str]:
    """As import-linter reads it: ``*`` one name, ``**`` one or more; a package is its modules."""
    if "*" not in pattern:
        return [m for m in modules if m == pattern or m.startswith(pattern + ".")]
    regex = re.escape(pattern).replace(r"\*\*", ".+").replace(r"\*", "[^.]+")
    return [m for m in modules if re.fullmatch(regex, m)]


def pure_modules() -> list[str]:
    modules = list(all_modules())
    return sorted({m for p in contract()["source_modules"] for m in expand(p, modules)})


if __name__ == "__main__":
    paths = all_modules()
    for name in pure_modules():
        sys.stdout.write(str(paths[name].relative_to(ROOT)) + "\n")
