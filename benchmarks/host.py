"""The machine a benchmark ran on, for the first lines of its report."""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path
from typing import Any


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


def database_machine(db: Any, counted: dict[str, Any]) -> list[str]:
    """The machine, the database server and how many rows of each ``counted`` model it holds
    (label -> model), for a benchmark that runs on a seeded database in an app context."""
    import sqlite3

    from sqlalchemy import func, select, text

    if db.engine.dialect.name == "postgresql":
        version = "PostgreSQL " + str(db.session.scalar(text("SHOW server_version")))
    else:
        version = f"SQLite {sqlite3.sqlite_version}"
    counts = {
        label: db.session.scalar(select(func.count()).select_from(model))
        for label, model in counted.items()
    }
    db.session.rollback()
    return [
        f"- machine: {cpu_model()}, nproc {os.cpu_count()}, RAM {ram_gib():.0f} GiB; "
        f"Python {platform.python_version()}, {version}",
        f"- database: {db.engine.url.render_as_string(hide_password=True)}; "
        + ", ".join(f"{n:,} {label}" for label, n in counts.items()),
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; load average {load_average()}",
    ]
