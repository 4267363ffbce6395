"""The README's map of the code stays true: every path it names exists.

"Where the rules live" is how a new engineer finds a rule; a stale row sends them to a file
that moved. Every backticked path in that table (and in the architecture paragraph) must exist
in the checkout. A bare file name in a cell (``split.py``) is read in the folder of the path
before it in the same cell.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CODE = re.compile(r"`([^`\s]+)`")
PREFIXES = ("procure/", "templates/", "tests/", "docs/", "benchmarks/", "scripts/")


def _section(title: str) -> str:
    start = README.index(title)
    end = README.find("\n## ", start + len(title))
    return README[start : end if end != -1 else None]


def _paths_in(text: str) -> list[str]:
    paths: list[str] = []
    for line in text.splitlines():
        folder = ""
        for token in CODE.findall(line):
            token = token.rstrip(",.;:")
            if token.startswith(PREFIXES):
                paths.append(token)
                folder = token if token.endswith("/") else token.rsplit("/", 1)[0] + "/"
            elif re.fullmatch(r"[a-z_]+\.py", token) and folder:
                paths.append(folder + token)
    return paths


def _exists(path: str) -> bool:
    """A file or folder, a glob (``pdf/*.html``), or a module's name (``forms_base.BaseForm``)."""
    if "<" in path:  # a placeholder such as templates/<feature>/
        return True
    if "*" in path:
        return any(ROOT.glob(path))
    if (ROOT / path).exists():
        return True
    module, _, name = path.rpartition(".")
    return bool(module) and name[:1].isupper() and (ROOT / f"{module}.py").is_file()


def test_every_path_in_where_the_rules_live_exists() -> None:
    paths = _paths_in(_section("### Where the rules live"))
    assert len(paths) >= 20, "the table should name the modules that hold the rules"
    missing = [p for p in paths if not _exists(p)]
    assert missing == [], f"README names paths that do not exist: {missing}"


def test_every_path_in_the_architecture_paragraph_exists() -> None:
    paths = _paths_in(_section("## Architecture in a paragraph").split("### Where")[0])
    missing = [p for p in paths if not _exists(p)]
    assert missing == [], f"README names paths that do not exist: {missing}"
