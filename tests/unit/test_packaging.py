"""Procure runs from its checkout (docs/decisions/0010-runs-from-its-checkout.md).

The app reads ``templates/`` and ``migrations/`` at the repository root through
``procure.ROOT``; a wheel built from the repository carries only the Python package. So the
README installs the checkout itself (``pip install -e .``) and says why; these tests keep the
two facts and the README together. The wheel is built offline, from a copy of the sources.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import procure

README = (procure.ROOT / "README.md").read_text()


def _production_section() -> str:
    start = README.index("## Production deployment")
    return README[start : README.index("\n## ", start + 1)]


def test_the_app_reads_its_files_from_the_checkout() -> None:
    assert (procure.ROOT / "pyproject.toml").is_file()
    assert (procure.ROOT / "templates" / "base.html").is_file()
    assert (procure.ROOT / "migrations" / "env.py").is_file()
    assert (procure.ROOT / "procure" / "static" / "print" / "documents.css").is_file()
    app_source = (procure.ROOT / "procure" / "app.py").read_text()
    assert 'template_folder=str(ROOT / "templates")' in app_source
    assert 'directory=str(ROOT / "migrations")' in app_source


def test_a_built_wheel_has_the_code_but_not_the_templates_migrations_or_static_files(
    tmp_path: Path,
) -> None:
    source = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("procure", "templates", "migrations"):
        shutil.copytree(procure.ROOT / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(procure.ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
        + ["--no-index", "--wheel-dir", str(tmp_path / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("procure-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "procure/app.py" in names and "procure/documents/pdf.py" in names
    assert not [n for n in names if n.startswith(("templates/", "migrations/"))]
    assert not [n for n in names if "/static/" in n or n.endswith((".html", ".css", ".js"))]


def test_the_readme_installs_the_checkout_and_says_why() -> None:
    section = _production_section()
    assert "git clone <repo> /opt/procure && cd /opt/procure" in section
    assert ".venv/bin/pip install -e ." in section
    assert "Procure runs from its checkout" in section
    assert "pip install procure" not in README and ".whl" not in README
