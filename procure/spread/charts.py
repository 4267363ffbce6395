"""The pemerataan dashboard's charts as inline SVG, built on the server. Pure: no Flask.

The Lorenz curve, horizontal bar charts (spend by OPD, category, kind, kecamatan, scale), the
monthly trend (spend bars with a share line) and the 40 % progress bar. Each takes plain
numbers and returns one ``<svg>`` string in which every text and every attribute value went
through ``html.escape``, so a view may mark it ``Markup``. Like ``procure.omzet.chart``: no
``style=`` (the CSP forbids inline styles), only presentation attributes; a ``viewBox`` and no
fixed size, so the page's CSS (``.spread-chart``) scales a chart to a phone's width. Every
chart has a ``<title>`` and a ``<desc>`` that spells out its numbers; the page shows them in a
table too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from html import escape

from procure.formatting import rupiah
from procure.omzet.chart import compact_rupiah

__all__ = [
    "Bar",
    "MonthPoint",
    "bar_chart",
    "decimal",
    "deciles",
    "folded",
    "lorenz_chart",
    "percent",
    "progress_bar",
    "trend_chart",
]

INK = "#212529"
MUTED = "#4a5a63"
AXIS = "#adb5bd"
GRID = "#e3e7ea"
BAR = "#0b4f6c"  # the house colour (``bg-procure``)
LINE = "#b35c00"  # the trend's share line: dark orange, AA on white, told apart by shape too
TARGET = "#a4161a"  # the 40 % mark
EQUALITY = "#6c757d"
FONT = 12
SMALL = 11
LONGEST_LABEL = 42  # characters of a bar's label drawn; the whole label is in its <title>


def percent(value: Fraction | None, digits: int = 1) -> str:
    """``Fraction(1234, 10000)`` -> ``12,3 %`` (Indonesian decimal comma, exact rounding half
    up); ``None`` -> ``-``."""
    if value is None:
        return "-"
    scale = 10**digits
    scaled = value * 100 * scale
    rounded = math.floor(abs(scaled) + Fraction(1, 2))
    whole, rest = divmod(rounded, scale)
    sign = "-" if scaled < 0 and rounded else ""
    text = f"{sign}{whole},{rest:0{digits}d}" if digits else f"{sign}{whole}"
    return f"{text} %"


def _num(value: Fraction | float | int) -> str:
    """A coordinate: at most one decimal, no trailing ``.0`` (small, stable output)."""
    tenths = math.floor(Fraction(value) * 10 + Fraction(1, 2))
    whole, rest = divmod(tenths, 10)
    return f"{whole}.{rest}" if rest else str(whole)


def _attrs(values: dict[str, object]) -> str:
    """``key="value"`` pairs, escaped; ``_`` in a name becomes ``-`` (``font_size``)."""
    parts = []
    for name, value in values.items():
        if value is None:
            continue
        shown = _num(value) if isinstance(value, (Fraction, float)) else str(value)
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{escape(shown, quote=True)}"')
    return " ".join(parts)


def _el(tag: str, text: str | None = None, **values: object) -> str:
    attrs = _attrs(values)
    opening = f"<{tag} {attrs}" if attrs else f"<{tag}"
    if text is None:
        return opening + "/>"
    return f"{opening}>{escape(text, quote=True)}</{tag}>"


def _svg(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]) -> str:
    head = _attrs(
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width} {height}",
            # A chart whose bars are links is a group (an image may not hold links).
            "role": "group" if any("<a " in part for part in body) else "img",
            "aria_labelledby": f"{chart_id}-judul {chart_id}-uraian",
            "class_": "spread-chart",
            "id": chart_id,
            "font_family": "system-ui, sans-serif",
        }
    )
    heading = _el("title", title, id=f"{chart_id}-judul")
    description = _el("desc", desc or "Belum ada data.", id=f"{chart_id}-uraian")
    return f"<svg {head}>{heading}{description}{''.join(body)}</svg>"


def _linked(href: str | None, inner: str) -> str:
    return f"<a {_attrs({'href': href})}>{inner}</a>" if href else inner


def _clip(label: str, longest: int = LONGEST_LABEL) -> str:
    return label if len(label) <= longest else label[: longest - 1].rstrip() + "…"


# --- Lorenz curve ---------------------------------------------------------------------------

LORENZ_PLOT = 240
LORENZ_LEFT, LORENZ_TOP, LORENZ_RIGHT, LORENZ_BOTTOM = 58, 10, 22, 46


def lorenz_chart(
    points: Sequence[tuple[Fraction, Fraction]],
    *,
    title: str,
    chart_id: str = "grafik-lorenz",
    gini: Fraction | None = None,
) -> str:
    """The Lorenz curve over the equality diagonal, both axes 0-100 %.

    ``points`` run from (0, 0) to (1, 1): (share of UMKM, poorest first; share of spend they
    received). The further the curve sags below the diagonal, the more concentrated the spend.
    """
    size = LORENZ_PLOT
    left, top = LORENZ_LEFT, LORENZ_TOP
    width = left + size + LORENZ_RIGHT
    height = top + size + LORENZ_BOTTOM

    def at(x: Fraction, y: Fraction) -> tuple[Fraction, Fraction]:
        return left + x * size, top + (1 - y) * size

    body: list[str] = []
    for tick in range(0, 101, 25):
        share = Fraction(tick, 100)
        x, y = at(share, share)
        body.append(_el("line", x1=x, y1=top, x2=x, y2=top + size, stroke=GRID, stroke_width=1))
        body.append(_el("line", x1=left, y1=y, x2=left + size, y2=y, stroke=GRID, stroke_width=1))
        body.append(
            _el("text", f"{tick} %", x=x, y=top + size + 16, text_anchor="middle",
                font_size=SMALL, fill=MUTED)
        )  # fmt: skip
        body.append(
            _el("text", f"{tick} %", x=left - 5, y=y + 4, text_anchor="end", font_size=SMALL,
                fill=MUTED)
        )  # fmt: skip
    body.append(
        _el("rect", x=left, y=top, width=size, height=size, fill="none", stroke=AXIS,
            stroke_width=1)
    )  # fmt: skip
    x0, y0 = at(Fraction(0), Fraction(0))
    x1, y1 = at(Fraction(1), Fraction(1))
    body.append(
        _el("line", x1=x0, y1=y0, x2=x1, y2=y1, stroke=EQUALITY, stroke_width=1.5,
            stroke_dasharray="5 4", class_="lorenz-diagonal")
    )  # fmt: skip
    curve = [at(x, y) for x, y in points] or [at(Fraction(0), Fraction(0))]
    path = " ".join(f"{_num(x)},{_num(y)}" for x, y in curve)
    body.append(
        _el("polyline", points=path, fill="none", stroke=BAR, stroke_width=2.5,
            stroke_linejoin="round", class_="lorenz-curve")
    )  # fmt: skip
    body.append(
        _el("text", "Porsi UMKM, dari penerima terkecil", x=left + size / 2,
            y=top + size + 36, text_anchor="middle", font_size=FONT, fill=INK)
    )  # fmt: skip
    body.append(
        _el("text", "Porsi belanja", x=12, y=top + size / 2, text_anchor="middle",
            font_size=FONT, fill=INK, transform=f"rotate(-90 12 {_num(top + size / 2)})")
    )  # fmt: skip
    return _svg(chart_id, title, _lorenz_desc(points, gini), width, height, body)


def deciles(points: Sequence[tuple[Fraction, Fraction]]) -> list[tuple[Fraction, Fraction]]:
    """The curve at 10 %, 20 % .. 100 % of UMKM (the last point at or below each): the rows of
    the table under the chart."""
    found: list[tuple[Fraction, Fraction]] = []
    for tenth in range(1, 11):
        mark = Fraction(tenth, 10)
        below = [p for p in points if p[0] <= mark]
        if below and (not found or below[-1] != found[-1]):
            found.append(below[-1])
    return found


def _lorenz_desc(points: Sequence[tuple[Fraction, Fraction]], gini: Fraction | None) -> str:
    """The curve read at 50 %, 80 % and 90 % of UMKM (the nearest point at or below each)."""
    parts = [f"Gini {decimal(gini)}"] if gini is not None else []
    for mark in (Fraction(1, 2), Fraction(8, 10), Fraction(9, 10)):
        below = [p for p in points if p[0] <= mark]
        if below:
            x, y = below[-1]
            parts.append(f"{percent(x, 0)} UMKM terkecil menerima {percent(y)} belanja")
    parts.append("garis putus-putus: pemerataan sempurna")
    return "; ".join(parts) + "."


def decimal(value: Fraction, digits: int = 2) -> str:
    """``Fraction(1, 3)`` -> ``0,33``."""
    scale = 10**digits
    rounded = math.floor(value * scale + Fraction(1, 2))
    whole, rest = divmod(rounded, scale)
    return f"{whole},{rest:0{digits}d}"


# --- Horizontal bars ------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its amount (whole Rupiah), where it links (the orders behind it)."""

    label: str
    amount: int
    href: str | None = None
    note: str = ""  # printed after the amount, e.g. the share: ``12,3 %``


BAR_WIDTH = 340
BAR_ROW = 38
BAR_THICK = 14
VALUE_ROOM = 96  # right of the longest bar: the amount printed there


def folded(bars: Sequence[Bar], keep: int, label: str = "Lainnya") -> list[Bar]:
    """The first ``keep`` bars and one more for the rest (their sum), so a chart of 40 OPDs
    stays readable; the table under it still lists every row."""
    if len(bars) <= keep + 1:
        return list(bars)
    rest = bars[keep:]
    return [*bars[:keep], Bar(f"{label} ({len(rest)})", sum(b.amount for b in rest))]


def bar_chart(
    bars: Sequence[Bar], *, title: str, chart_id: str, empty: str = "Belum ada belanja."
) -> str:
    """Horizontal bars, largest first as given: the label on its own line above each bar (long
    OPD names fit a phone), the amount at the bar's end. A bar links to ``href`` if given."""
    top = max((b.amount for b in bars), default=0)
    plot = BAR_WIDTH - VALUE_ROOM
    height = max(len(bars), 1) * BAR_ROW + 6
    body: list[str] = []
    for index, bar in enumerate(bars):
        y = index * BAR_ROW
        length = Fraction(plot * bar.amount, top) if top else Fraction(0)
        if bar.amount and length < 2:
            length = Fraction(2)  # a tiny but real amount stays visible
        amount = compact_rupiah(bar.amount) + (f" · {bar.note}" if bar.note else "")
        inner = "".join(
            [
                _el("title", f"{bar.label}: {rupiah(bar.amount)}"
                    + (f" ({bar.note})" if bar.note else "")),
                _el("text", _clip(bar.label), x=0, y=y + 13, font_size=FONT, fill=INK),
                _el("rect", x=0, y=y + 18, width=length, height=BAR_THICK, fill=BAR),
                _el("text", amount, x=length + 5, y=y + 29, font_size=SMALL, fill=INK),
            ]
        )  # fmt: skip
        body.append(_linked(bar.href, f"<g>{inner}</g>"))
    if not bars:
        body.append(_el("text", empty, x=0, y=24, font_size=FONT, fill=MUTED))
    desc = "; ".join(f"{b.label}: {rupiah(b.amount)}" for b in bars)
    return _svg(chart_id, title, desc or empty, BAR_WIDTH, height, body)


# --- Monthly trend --------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthPoint:
    """One month of the trend: its short label, spend, and the line's value (a share 0..1)."""

    label: str
    spend: int
    line: Fraction | None = None
    href: str | None = None


TREND_SLOT = 30
TREND_PLOT = 150
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 4, 40, 22, 60


def trend_chart(
    months: Sequence[MonthPoint],
    *,
    title: str,
    line_label: str,
    chart_id: str = "grafik-tren",
    as_share: bool = True,
) -> str:
    """Spend per month as bars and ``line_label`` (0..1 on the right axis: a share written
    0-100 %, or with ``as_share`` False an index such as the Gini written 0-1) as a line with
    dots, one slot per month, oldest first."""

    def written(value: Fraction) -> str:
        return percent(value) if as_share else decimal(value)

    slots = max(len(months), 1)
    width = TREND_LEFT + slots * TREND_SLOT + TREND_RIGHT
    height = TREND_TOP + TREND_PLOT + TREND_BOTTOM
    base = TREND_TOP + TREND_PLOT
    right = TREND_LEFT + slots * TREND_SLOT
    top = max((m.spend for m in months), default=0)
    body: list[str] = []
    for tick, label in ((0, "0"), (50, "0,5"), (100, "1")):
        y = base - Fraction(TREND_PLOT * tick, 100)
        shown = f"{tick} %" if as_share else label
        body.append(_el("line", x1=TREND_LEFT, y1=y, x2=right, y2=y, stroke=GRID, stroke_width=1))
        body.append(_el("text", shown, x=right + 4, y=y + 4, font_size=SMALL, fill=LINE))
    dots: list[tuple[Fraction, Fraction]] = []
    for index, month in enumerate(months):
        centre = Fraction(TREND_LEFT + index * TREND_SLOT) + Fraction(TREND_SLOT, 2)
        bar_height = Fraction(TREND_PLOT * month.spend, top) if top else Fraction(0)
        if month.spend and bar_height < 1:
            bar_height = Fraction(1)
        inner = [
            _el("title", f"{month.label}: {rupiah(month.spend)}"
                + (f"; {line_label} {written(month.line)}" if month.line is not None else "")),
            _el("rect", x=centre - 11, y=base - bar_height, width=22, height=bar_height,
                fill=BAR),
        ]  # fmt: skip
        if month.spend:
            inner.append(
                _el("text", compact_rupiah(month.spend), x=centre, y=base - bar_height - 4,
                    text_anchor="middle", font_size=10, fill=INK)
            )  # fmt: skip
        body.append(_linked(month.href, f"<g>{''.join(inner)}</g>"))
        # "Jan 26": the month over the year, so twelve months fit a phone's width.
        for line, word in enumerate(month.label.split(" ", 1)):
            body.append(
                _el("text", word, x=centre, y=base + 14 + 11 * line, text_anchor="middle",
                    font_size=SMALL, fill=INK if line == 0 else MUTED)
            )  # fmt: skip
        if month.line is not None:
            share = min(max(month.line, Fraction(0)), Fraction(1))
            dots.append((centre, base - TREND_PLOT * share))
    body.append(_el("line", x1=TREND_LEFT, y1=base, x2=right, y2=base, stroke=AXIS, stroke_width=1))
    if len(dots) > 1:
        path = " ".join(f"{_num(x)},{_num(y)}" for x, y in dots)
        body.append(
            _el("polyline", points=path, fill="none", stroke=LINE, stroke_width=2,
                class_="trend-line")
        )  # fmt: skip
    for x, y in dots:
        body.append(_el("circle", cx=x, cy=y, r=3.5, fill="#fff", stroke=LINE, stroke_width=2))
    # The legend, under the month labels.
    legend_y = base + 50
    body += [
        _el("rect", x=TREND_LEFT, y=legend_y - 9, width=12, height=10, fill=BAR),
        _el("text", "Belanja", x=TREND_LEFT + 16, y=legend_y, font_size=SMALL, fill=INK),
        _el("line", x1=TREND_LEFT + 76, y1=legend_y - 4, x2=TREND_LEFT + 94, y2=legend_y - 4,
            stroke=LINE, stroke_width=2),
        _el("circle", cx=TREND_LEFT + 85, cy=legend_y - 4, r=3, fill="#fff", stroke=LINE,
            stroke_width=2),
        _el("text", f"{line_label} (sumbu kanan)", x=TREND_LEFT + 99, y=legend_y,
            font_size=SMALL, fill=INK),
    ]  # fmt: skip
    desc = "; ".join(
        f"{m.label}: belanja {rupiah(m.spend)}"
        + (f", {line_label} {written(m.line)}" if m.line is not None else "")
        for m in months
    )
    return _svg(chart_id, title, desc, max(width, 300), height, body)


# --- The 40 % progress bar ------------------------------------------------------------------

PROGRESS_WIDTH = 300
PROGRESS_LEFT, PROGRESS_PLOT = 4, 260
PROGRESS_BAR_TOP = 16  # room above the bar for the target's label


def progress_bar(
    ratio: Fraction | None,
    *,
    title: str,
    chart_id: str,
    target: Fraction = Fraction(40, 100),
) -> str:
    """Spend on micro and small businesses as a share of the budget, on a scale of 0-50 % (or
    further, when an OPD went past it), with the ``target`` marked. ``None``: no budget."""
    scale = Fraction(1, 2)
    if ratio is not None and ratio > scale:
        scale = Fraction(math.ceil(ratio * 10), 10)
    plot, left = PROGRESS_PLOT, PROGRESS_LEFT
    mark = left + plot * target / scale
    top = PROGRESS_BAR_TOP
    body = [
        _el("rect", x=left, y=top, width=plot, height=16, fill="#eef2f4", stroke=AXIS,
            stroke_width=1),
    ]  # fmt: skip
    if ratio is not None and ratio > 0:
        length = max(plot * min(ratio, scale) / scale, Fraction(2))
        fill = BAR if ratio < target else "#1e7b34"
        body.append(_el("rect", x=left, y=top, width=length, height=16, fill=fill))
    # The target's label above the bar, the scale's ends below: they never overlap.
    body += [
        _el("line", x1=mark, y1=top - 3, x2=mark, y2=top + 19, stroke=TARGET, stroke_width=2.5),
        _el("text", f"target {percent(target, 0)}", x=mark, y=top - 5, text_anchor="middle",
            font_size=SMALL, fill=TARGET),
        _el("text", "0 %", x=left, y=top + 31, font_size=SMALL, fill=MUTED),
        _el("text", percent(scale, 0), x=left + plot, y=top + 31, text_anchor="end",
            font_size=SMALL, fill=MUTED),
    ]  # fmt: skip
    if ratio is None:
        desc = "Pagu belanja barang/jasa belum diisi."
    else:
        desc = f"Tercapai {percent(ratio)} dari pagu; target {percent(target, 0)}."
    return _svg(chart_id, title, desc, PROGRESS_WIDTH, PROGRESS_BAR_TOP + 36, body)
