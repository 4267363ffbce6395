"""Pure helpers that shape data for admin pages: the dashboard bar chart, audit data lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

CHART_WIDTH = 600
CHART_LABEL_WIDTH = 170
CHART_VALUE_WIDTH = 40
CHART_BAR_HEIGHT = 18
CHART_GAP = 8
LABEL_MAX_CHARS = 24


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    text_y: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]


def bar_chart(rows: Sequence[tuple[str, int]]) -> BarChart:
    """Geometry of a horizontal bar chart (SVG user units); bars scale to the largest value."""
    span = CHART_WIDTH - CHART_LABEL_WIDTH - CHART_VALUE_WIDTH
    top = max((value for _, value in rows), default=0)
    bars = []
    for i, (label, value) in enumerate(rows):
        y = i * (CHART_BAR_HEIGHT + CHART_GAP)
        width = round(span * value / top) if top else 0
        short = label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "\u2026"
        bars.append(Bar(short, value, y, width, y + CHART_BAR_HEIGHT - 4))
    height = max(len(rows) * (CHART_BAR_HEIGHT + CHART_GAP) - CHART_GAP, 0)
    return BarChart(CHART_WIDTH, height, CHART_LABEL_WIDTH, CHART_BAR_HEIGHT, bars)


def _text(value: Any) -> str:
    if value is None or value == "":
        return "\u2013"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)


def data_lines(data: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """An audit entry's data as ``(key, text)`` lines; ``[old, new]`` pairs read ``old → new``."""
    lines = []
    for key, value in (data or {}).items():
        if isinstance(value, list) and len(value) == 2:
            lines.append((key, f"{_text(value[0])} \u2192 {_text(value[1])}"))
        else:
            lines.append((key, _text(value)))
    return lines
