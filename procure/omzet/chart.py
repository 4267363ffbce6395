"""The monthly omzet bar chart as inline SVG, built on the server. Pure: no Flask.

Every piece of text and every attribute value goes through ``html.escape`` before it is
joined, so the view may mark the result ``Markup``. The CSP forbids inline styles: colours and
sizes are SVG presentation attributes (``fill=``, ``font-size=``), never ``style=``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from procure.formatting import rupiah

SLOT_WIDTH = 56
BAR_WIDTH = 36
PLOT_HEIGHT = 150
TOP_MARGIN = 22  # room for the value printed above the tallest bar
BOTTOM_MARGIN = 26  # room for the month label
SIDE_MARGIN = 8
MISSING_HEIGHT = 40  # a missing month is an outlined box of this height, not a zero bar
MISSING_LABEL_GAP = 7  # from the box's top to the baseline of its "belum" (clear of the dashes)

BAR_FILL = "#0b4f6c"
MISSING_STROKE = "#6c757d"
TEXT_FILL = "#212529"
MUTED_FILL = "#4a5a63"
AXIS_STROKE = "#adb5bd"


def compact_rupiah(amount: int) -> str:
    """A short figure for a bar's top: ``850 rb``, ``12,5 jt``, ``1,2 M`` (integer maths)."""
    for size, unit in ((1_000_000_000_000, "T"), (1_000_000_000, "M"), (1_000_000, "jt")):
        if amount >= size:
            tenths = (amount * 10 + size // 2) // size
            whole, rest = divmod(tenths, 10)
            if rest and whole < 100:
                return f"{whole},{rest} {unit}"
            return f"{(amount + size // 2) // size} {unit}"
    if amount >= 1_000:
        return f"{(amount + 500) // 1_000} rb"
    return str(amount)


def _attrs(**values: object) -> str:
    """``key="value"`` pairs, escaped; ``_`` in a name becomes ``-`` (``font_size``)."""
    return " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(str(value), quote=True)}"'
        for name, value in values.items()
    )


def _element(tag: str, text: str | None = None, **values: object) -> str:
    attrs = _attrs(**values)
    opening = f"<{tag} {attrs}" if attrs else f"<{tag}"
    if text is None:
        return opening + "/>"
    return f"{opening}>{escape(text, quote=True)}</{tag}>"


def bar_chart_svg(
    bars: Sequence[tuple[str, int | None]],
    *,
    title: str,
    chart_id: str = "grafik-omzet",
    missing_label: str = "belum",
) -> str:
    """An SVG bar chart, one bar per (label, amount) in the given order.

    ``None`` is a month not reported: drawn as an empty dashed box with ``belum`` above it, so
    it is never mistaken for a month without sales (0). The ``<desc>`` spells every value out for
    screen readers.
    """
    top = max((amount for _, amount in bars if amount is not None), default=0)
    width = SIDE_MARGIN * 2 + SLOT_WIDTH * max(len(bars), 1)
    height = TOP_MARGIN + PLOT_HEIGHT + BOTTOM_MARGIN
    baseline = TOP_MARGIN + PLOT_HEIGHT
    description = "; ".join(
        f"{label}: {rupiah(amount) if amount is not None else 'belum dilaporkan'}"
        for label, amount in bars
    )
    parts = [
        _element("title", title, id=f"{chart_id}-judul"),
        _element("desc", description or "Belum ada data.", id=f"{chart_id}-uraian"),
        _element(
            "line", x1=SIDE_MARGIN, y1=baseline, x2=width - SIDE_MARGIN, y2=baseline,
            stroke=AXIS_STROKE, stroke_width=1,
        ),
    ]  # fmt: skip
    for index, (label, amount) in enumerate(bars):
        x = SIDE_MARGIN + index * SLOT_WIDTH + (SLOT_WIDTH - BAR_WIDTH) // 2
        centre = x + BAR_WIDTH // 2
        parts.append(_bar(label, amount, x, centre, baseline, top, missing_label))
        parts.append(
            _element(
                "text", label, x=centre, y=baseline + 17, text_anchor="middle",
                font_size=11, fill=TEXT_FILL,
            )
        )  # fmt: skip
    svg_attrs = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
        role="img",
        aria_labelledby=f"{chart_id}-judul {chart_id}-uraian",
        class_="omzet-chart",
    )
    return f"<svg {svg_attrs}>" + "".join(parts) + "</svg>"


def _bar(
    label: str, amount: int | None, x: int, centre: int, baseline: int, top: int, missing: str
) -> str:
    if amount is None:
        y = baseline - MISSING_HEIGHT
        box = _element(
            "rect", x=x, y=y, width=BAR_WIDTH, height=MISSING_HEIGHT, fill="none",
            stroke=MISSING_STROKE, stroke_width=1.5, stroke_dasharray="4 3",
        )  # fmt: skip
        # Above the box, where a filed month has its figure: inside, the word touched the
        # box's sides (36 px around about 33 px of text).
        text = _element(
            "text", missing, x=centre, y=y - MISSING_LABEL_GAP, text_anchor="middle",
            font_size=10, fill=MUTED_FILL,
        )  # fmt: skip
        return f"<g>{_element('title', f'{label}: belum dilaporkan')}{box}{text}</g>"
    bar_height = round(PLOT_HEIGHT * amount / top) if top else 0
    y = baseline - bar_height
    rect = _element("rect", x=x, y=y, width=BAR_WIDTH, height=bar_height, fill=BAR_FILL)
    value = _element(
        "text", compact_rupiah(amount), x=centre, y=y - 5, text_anchor="middle",
        font_size=10, fill=TEXT_FILL,
    )  # fmt: skip
    return f"<g>{_element('title', f'{label}: {rupiah(amount)}')}{rect}{value}</g>"
