"""axe-core in the browser tests: the serious and critical accessibility violations of a page.

axe-core comes from the npm registry through ``scripts/axe-core.sh`` (into the git-ignored
``.cache/axe-core/``; ``./run test`` fetches it before pytest, and this module does when it is
missing). It is injected into the page under test with Playwright; users never get it. The
browser context must be opened with ``bypass_csp=True``: the app's Content-Security-Policy
refuses inline scripts, which is what an injected script is.
"""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path
from typing import Any

import pytest

from procure import ROOT

SCRIPT = ROOT / "scripts" / "axe-core.sh"
BLOCKING = ("serious", "critical")

_RUN = """async (blocking) => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => blocking.includes(v.impact))
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html})),
    }));
}"""


@functools.cache
def axe_path() -> Path:
    """axe.min.js, fetched first when missing."""
    done = subprocess.run([str(SCRIPT)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(f"axe-core tidak bisa diambil ({SCRIPT}): {done.stderr.strip()}")
    return Path(done.stdout.strip().splitlines()[-1])


def violations(page: Any, where: str) -> list[str]:  # page: playwright Page
    """One line per element that breaks a serious or critical rule: page, rule, element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_path()))
    found = page.evaluate(_RUN, list(BLOCKING))
    lines = []
    for rule in found:
        for node in rule["nodes"]:
            html = " ".join(node["html"].split())[:200]
            lines.append(
                f"{where}: {rule['id']} ({rule['impact']}: {rule['help']}) "
                f"at {node['target']}: {html}"
            )
    return lines
