"""The edges of procurement, ranking, orders, documents, inspection and opendata.

Views hold no hand-written ``commit()``/``rollback()`` (``procure.edge.attempt`` does both);
no template global runs a query while a page renders; and the services, hooks and issuing
modules take what they need from their caller, never from Flask. Read from the source, so a
new view or service that slips back fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "procure"
PACKAGES = ("procurement", "ranking", "orders", "documents", "inspection", "opendata")


def _modules(pattern: str) -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).glob(pattern))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", _modules("views*.py"), ids=lambda p: str(p.relative_to(ROOT)))
def test_views_neither_commit_nor_roll_back(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert not re.findall(r"\.(commit|rollback)\(\)", source)


@pytest.mark.parametrize("path", _modules("views*.py"), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_global_in_views(path: Path) -> None:
    assert "app_template_global" not in path.read_text(encoding="utf-8")


SERVICE_MODULES = [
    p
    for p in _modules("*.py")
    if p.stem in ("services", "hooks", "issuing") or p.stem.startswith("services_")
]


def test_the_service_modules_are_found() -> None:
    found = {str(p.relative_to(ROOT)) for p in SERVICE_MODULES}
    assert {"documents/hooks.py", "documents/issuing.py", "orders/services.py"} <= found
    assert {"procurement/services.py", "inspection/services.py"} <= found


@pytest.mark.parametrize("path", SERVICE_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_services_hooks_and_issuing_import_no_flask(path: Path) -> None:
    flask = {m for m in _imports(path) if m.split(".")[0] in ("flask", "flask_sqlalchemy")}
    assert not flask, f"{path.name} imports {sorted(flask)}"


def test_the_document_tables_come_from_the_view_not_from_a_template_global(app) -> None:
    assert "order_documents" not in app.jinja_env.globals
    assert "request_documents" not in app.jinja_env.globals


# Entry points that may build the app: a command line and the RQ job queued by name.
ENTRY_POINTS = {"cli.py", "worker_job.py"}


@pytest.mark.parametrize(
    "path",
    [p for p in _modules("*.py") if p.name not in ENTRY_POINTS],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_nothing_but_an_entry_point_imports_the_app(path: Path) -> None:
    # The app imports every blueprint and hook; a module it imports that imports it back,
    # even inside a function, closes an import cycle through the whole application.
    assert not {"procure.app", "procure.cli"} & _imports(path)


def test_the_render_job_is_queued_by_the_name_of_its_entry_point() -> None:
    source = (ROOT / "documents" / "jobs.py").read_text(encoding="utf-8")
    assert '"procure.documents.worker_job.render_job"' in source
    assert (ROOT / "documents" / "worker_job.py").exists()
