"""What ``./run`` installs from the distribution, found in a fake root with a fake PATH.

``scripts/system-packages.sh`` is sourced and run by bash against a directory laid out like a
fresh Debian 12 / Ubuntu 24.04 (only the files it looks at), with fake ``id`` and ``apt-get`` on
a PATH that has no ``ldconfig``: nothing is installed, and the apt-get calls are recorded.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import procure

SCRIPT = procure.ROOT / "scripts" / "system-packages.sh"
DEJAVU = "usr/share/fonts/truetype/dejavu"
CORE_FONTS = ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf")
EXTRA_FONTS = ("DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf")
LIBS = ("libpango-1.0.so.0", "libpangoft2-1.0.so.0", "libharfbuzz-subset.so.0")
ALL_FOR_TESTS = [
    "python3.11-venv",
    "fonts-dejavu-core",
    "fonts-dejavu-extra",
    "libpango-1.0-0",
    "libpangoft2-1.0-0",
    "libharfbuzz-subset0",
    "chromium",
    "poppler-utils",
    "npm",
    "softhsm2",
]
FAKE_PYTHON = """#!/bin/sh
# Answers the three questions the script asks an interpreter.
case "$2" in
  *ensurepip*) [ "$FAKE_ENSUREPIP" = 1 ] ;;
  *print*) echo "$FAKE_VERSION" ;;
  *version_info*) [ "$FAKE_VERSION" != 3.9 ] ;;
esac
"""


def _executable(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)


@dataclass
class Machine:
    """A fake root, a PATH of fake commands and a working directory without a .venv."""

    base: Path
    uid: int = 0
    version: str = "3.11"
    ensurepip: bool = False

    def __post_init__(self) -> None:
        self.root = self.base / "root"
        self.bin = self.base / "bin"
        self.work = self.base / "work"
        self.apt_log = self.base / "apt.log"
        for d in (self.root, self.bin, self.work):
            d.mkdir(parents=True, exist_ok=True)
        _executable(self.root / "usr/bin/python3", FAKE_PYTHON)
        _executable(self.bin / "id", '#!/bin/sh\necho "$FAKE_UID"\n')
        _executable(self.bin / "apt-get", '#!/bin/sh\necho "$*" >> "$FAKE_APT_LOG"\n')
        env = shutil.which("env")
        assert env is not None
        (self.bin / "env").symlink_to(env)

    def add(self, *relative: str) -> None:
        for name in relative:
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"")

    def fonts(self, *names: str) -> None:
        self.add(*(f"{DEJAVU}/{n}" for n in names))

    def libs(self, directory: str = "usr/lib/x86_64-linux-gnu") -> None:
        self.add(*(f"{directory}/{n}" for n in LIBS))

    def commands(self, *names: str) -> None:
        for name in names:
            _executable(self.bin / name, "#!/bin/sh\n")

    def run(self, mode: str, *, dry_run: bool = False) -> subprocess.CompletedProcess[str]:
        env = {
            "PATH": str(self.bin),
            "PROCURE_SYSTEM_ROOT": str(self.root),
            "PROCURE_SYSTEM_DRY_RUN": "1" if dry_run else "0",
            "FAKE_UID": str(self.uid),
            "FAKE_VERSION": self.version,
            "FAKE_ENSUREPIP": "1" if self.ensurepip else "0",
            "FAKE_APT_LOG": str(self.apt_log),
        }
        script = f'set -euo pipefail; . "{SCRIPT}"; prepare_system {mode}; echo "PYTHON=$PYTHON"'
        return subprocess.run(
            ["/bin/bash", "-c", script],
            cwd=self.work,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    def apt_calls(self) -> list[str]:
        return self.apt_log.read_text().splitlines() if self.apt_log.exists() else []


def _installed(apt_calls: list[str]) -> list[str]:
    assert apt_calls[0] == "update -qq", apt_calls
    (install,) = apt_calls[1:]
    assert install.startswith("install -y -qq --no-install-recommends ")
    return install.split()[4:]


def test_a_fresh_debian_as_root_gets_everything_with_one_apt_get_update(tmp_path: Path) -> None:
    machine = Machine(tmp_path)  # python3 3.11 without python3.11-venv, nothing else
    result = machine.run("test")
    assert result.returncode == 0, result.stderr
    assert _installed(machine.apt_calls()) == ALL_FOR_TESTS
    assert f"PYTHON={machine.root}/usr/bin/python3" in result.stdout


def test_the_demo_needs_no_browser_and_ubuntu_gets_its_own_venv_package(tmp_path: Path) -> None:
    machine = Machine(tmp_path, version="3.12")
    machine.fonts(*CORE_FONTS)
    assert machine.run("demo").returncode == 0
    assert _installed(machine.apt_calls()) == [
        "python3.12-venv",
        "fonts-dejavu-extra",
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
    ]


def test_dry_run_shows_the_commands_and_runs_none(tmp_path: Path) -> None:
    machine = Machine(tmp_path)
    result = machine.run("test", dry_run=True)
    assert result.returncode == 0, result.stderr
    assert "Akan memasang paket sistem: python3.11-venv" in result.stdout
    assert "akan dijalankan: apt-get update -qq" in result.stdout
    assert "apt-get install -y -qq --no-install-recommends python3.11-venv" in result.stdout
    assert machine.apt_calls() == []


def test_a_complete_machine_installs_nothing_without_ldconfig_on_path(tmp_path: Path) -> None:
    machine = Machine(tmp_path, ensurepip=True)
    machine.fonts(*CORE_FONTS, *EXTRA_FONTS)
    machine.libs()
    machine.commands("chromium", "pdftoppm", "pdftotext", "npm", "softhsm2-util")
    assert not (machine.bin / "ldconfig").exists()
    result = machine.run("test")
    assert result.returncode == 0, result.stderr
    assert machine.apt_calls() == []
    assert "Memasang" not in result.stdout


def test_libraries_are_found_in_any_usual_directory_or_through_sbin_ldconfig(
    tmp_path: Path,
) -> None:
    for n, directory in enumerate(("usr/lib64", "lib/aarch64-linux-gnu", "usr/lib")):
        machine = Machine(tmp_path / str(n), ensurepip=True)
        machine.fonts(*CORE_FONTS, *EXTRA_FONTS)
        machine.libs(directory)
        assert machine.run("demo").returncode == 0
        assert machine.apt_calls() == [], directory

    machine = Machine(tmp_path / "ldconfig", ensurepip=True)
    machine.fonts(*CORE_FONTS, *EXTRA_FONTS)
    cache = "".join(f"\t{lib} (libc6,x86-64) => /opt/gtk/lib/{lib}\\n" for lib in LIBS)
    _executable(machine.root / "sbin/ldconfig", f'#!/bin/sh\nprintf "{cache}"\n')
    assert machine.run("demo").returncode == 0
    assert machine.apt_calls() == []


def test_a_user_without_root_is_told_the_exact_command_and_stopped(tmp_path: Path) -> None:
    machine = Machine(tmp_path, uid=1000)
    machine.commands("sudo")
    result = machine.run("demo")
    assert result.returncode == 1
    assert machine.apt_calls() == []
    assert "Perlu Python" not in result.stderr  # the interpreter is fine; the venv module is not
    expected = (
        "sudo apt-get update && sudo apt-get install -y --no-install-recommends "
        "python3.11-venv fonts-dejavu-core fonts-dejavu-extra libpango-1.0-0 "
        "libpangoft2-1.0-0 libharfbuzz-subset0"
    )
    assert expected in result.stderr
    assert "Jalankan ini sebagai root (atau dengan sudo), lalu ulangi ./run demo" in result.stderr
    (machine.bin / "sudo").unlink()  # a minimal Debian has no sudo: the command as root
    assert "\n  apt-get update && apt-get install -y" in machine.run("demo").stderr


def test_a_user_without_root_may_run_the_demo_and_wait_for_the_fonts(tmp_path: Path) -> None:
    machine = Machine(tmp_path, uid=1000, ensurepip=True)
    machine.libs()
    machine.fonts(*CORE_FONTS)
    demo = machine.run("demo")
    assert demo.returncode == 0
    assert "Perhatian: fonts-dejavu-extra belum terpasang" in demo.stderr
    assert "apt-get install -y --no-install-recommends fonts-dejavu-extra" in demo.stderr
    test = machine.run("test")
    assert test.returncode == 1
    assert "fonts-dejavu-extra chromium poppler-utils" in test.stderr
    assert machine.apt_calls() == []


def test_an_old_python_is_named(tmp_path: Path) -> None:
    machine = Machine(tmp_path, version="3.9")
    result = machine.run("demo")
    assert result.returncode == 1
    assert "Perlu Python 3.11 atau lebih baru" in result.stderr
    assert machine.apt_calls() == []


def test_every_font_file_the_documents_load_is_checked() -> None:
    css = (procure.ROOT / "procure/static/print/documents.css").read_text()
    loaded = set(re.findall(r'url\("file://(/[^"]+)"\)', css))
    assert len(loaded) == 4
    script = SCRIPT.read_text()
    for path in loaded:
        assert re.search(rf"fonts-dejavu-(core|extra):{re.escape(path)}\"", script), path


def test_ci_runs_exactly_the_readmes_second_command() -> None:
    ci = (procure.ROOT / ".ci/run").read_text().strip().splitlines()
    assert ci[-1] == "exec ./run test"
    assert os.access(procure.ROOT / "run", os.X_OK)
