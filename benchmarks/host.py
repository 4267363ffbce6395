"""The machine a benchmark ran on, for the first lines of its report."""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name (/proc/cpuinfo), else what ``platform`` knows."""
    return next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip


def ram_gib() -> float:
    """Total memory in GiB (/proc/meminfo's first line, MemTotal)."""
    return int(Path("/proc/meminfo").read_text().split()[1]) / 1024**2


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> list[str]:
    """CPU, vCPU, RAM and Python; the load average before the run; the date (UTC)."""
    return [
        f"- CPU: {cpu_model()}, {os.cpu_count()} vCPU (nproc), RAM {ram_gib():.0f} GiB, "
        f"Python {platform.python_version()}",
        f"- load average before the run: {load_average()}",
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
    ]
