"""A web worker does not load the heavy libraries before a page needs them.

pandas, numpy, WeasyPrint, openpyxl and Pillow together hold more memory than the rest of
the app; they are imported inside the functions that use them (exports, imports, PDFs,
photos, the pemerataan report), as are the spreadsheet reader and the SVG parser. A web
worker (``wsgi.py``: ``WEB_ONLY``) also goes without Alembic (the ``flask db`` commands) and
zxcvbn's word lists (loaded by the first password check), so an idle gunicorn worker stays
under 80 MiB (docs/benchmarks.md, "Pages of every role under load"). Checked in a fresh
interpreter: this test process has loaded them all.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from procure.paths import ROOT

HEAVY = (
    "pandas",
    "numpy",
    "weasyprint",
    "openpyxl",
    "PIL",
    "pyhanko",
    "python_calamine",
    "defusedxml",
)
WEB_ONLY_TOO = ("alembic", "flask_migrate", "zxcvbn")

PROBE = """
import json, sys
from procure import create_app
create_app({config})
print(json.dumps(sorted(m for m in {names!r} if m in sys.modules)))
"""


def _loaded(config: str, names: tuple[str, ...]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(config=config, names=names)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("config", "names"),
    [
        ('{"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"}', HEAVY),
        (
            '{"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://", "WEB_ONLY": True}',
            HEAVY + WEB_ONLY_TOO,
        ),
    ],
    ids=["app", "web-worker"],
)
def test_create_app_imports_no_heavy_library(config: str, names: tuple[str, ...]) -> None:
    loaded = _loaded(config, names)
    assert loaded == [], f"create_app loads {loaded}: import them inside the functions using them"
