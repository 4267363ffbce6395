"""The dashboard's SVG charts: well-formed, escaped, scalable, and drawn where the numbers say."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest

from procure.spread import charts
from procure.spread.charts import Bar, MonthPoint, percent
from procure.spread.metrics import lorenz

SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert("x")</script> & "Dinas"'


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well-formed


def every_attribute(root: ET.Element) -> set[str]:
    return {name for element in root.iter() for name in element.attrib}


def labelled(root: ET.Element) -> tuple[str, str]:
    """The chart's title and description, checked to be what ``aria-labelledby`` names."""
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.get("role") == ("group" if root.find(f".//{SVG}a") is not None else "img")
    return title.text or "", desc.text or ""


def scalable(root: ET.Element) -> None:
    """A viewBox and no fixed size (the page's CSS fits it to a phone), no inline style."""
    assert root.get("viewBox", "").startswith("0 0 ")
    assert root.get("width") is None and root.get("height") is None
    assert "style" not in every_attribute(root)


def points(polyline: ET.Element) -> list[tuple[float, float]]:
    pairs = (p.split(",") for p in (polyline.get("points") or "").split())
    return [(float(x), float(y)) for x, y in pairs]


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (Fraction(1234, 10000), 1, "12,3 %"),
        (Fraction(1235, 10000), 1, "12,4 %"),  # half up, exactly
        (Fraction(1, 3), 0, "33 %"),
        (Fraction(5, 8), 0, "63 %"),  # half up, never to even
        (Fraction(0), 1, "0,0 %"),
        (Fraction(1), 1, "100,0 %"),
        (None, 1, "-"),
    ],
)
def test_percent_is_written_the_indonesian_way(
    value: Fraction | None, digits: int, text: str
) -> None:
    assert percent(value, digits) == text


def test_lorenz_curve_and_diagonal_sit_where_the_shares_say() -> None:
    # Four UMKM: 0, 0, 25, 75. Poorest half holds nothing; the top quarter holds 75 %.
    svg = charts.lorenz_chart(lorenz([0, 0, 25, 75]), title="Kurva Lorenz", gini=Fraction(5, 8))
    root = parse(svg)
    scalable(root)
    title, desc = labelled(root)
    assert title == "Kurva Lorenz"
    assert "Gini 0,63" in desc
    assert "50 % UMKM terkecil menerima 0,0 % belanja" in desc
    size, left, top = charts.LORENZ_PLOT, charts.LORENZ_LEFT, charts.LORENZ_TOP
    curve = root.find(f"{SVG}polyline[@class='lorenz-curve']")
    assert curve is not None
    # (share of UMKM, share of spend) -> x from the left edge, y up from the bottom edge.
    expected = [(0, 0), (0.25, 0), (0.5, 0), (0.75, 0.25), (1, 1)]
    assert points(curve) == [(left + x * size, top + (1 - y) * size) for x, y in expected]
    diagonal = root.find(f"{SVG}line[@class='lorenz-diagonal']")
    assert diagonal is not None
    ends = [float(diagonal.get(k) or "nan") for k in ("x1", "y1", "x2", "y2")]
    assert ends == [left, top + size, left + size, top]


def test_equal_spend_draws_the_curve_on_the_diagonal() -> None:
    root = parse(charts.lorenz_chart(lorenz([5, 5, 5, 5]), title="Sama rata"))
    curve = root.find(f"{SVG}polyline[@class='lorenz-curve']")
    assert curve is not None
    size, left, top = charts.LORENZ_PLOT, charts.LORENZ_LEFT, charts.LORENZ_TOP
    for x, y in points(curve):
        assert (x - left) == pytest.approx(top + size - y)


def test_bar_lengths_are_proportional_and_labels_escaped() -> None:
    svg = charts.bar_chart(
        [Bar(EVIL, 1_000_000, href="/pemeriksaan/pesanan?opd=1&belanja=ya", note="80,0 %"),
         Bar("Dinas Kesehatan", 250_000)],
        title=f"Belanja per OPD {EVIL}",
        chart_id="grafik-opd",
    )  # fmt: skip
    assert "<script>" not in svg
    root = parse(svg)
    scalable(root)
    title, desc = labelled(root)
    assert title == f"Belanja per OPD {EVIL}"  # the text survives, escaped, as text
    assert desc == f"{EVIL}: Rp 1.000.000; Dinas Kesehatan: Rp 250.000"
    widths = [float(r.get("width") or "nan") for r in root.iter(f"{SVG}rect")]
    plot = charts.BAR_WIDTH - charts.VALUE_ROOM
    assert widths == [plot, plot / 4]
    link = root.find(f"{SVG}a")
    assert link is not None
    assert link.get("href") == "/pemeriksaan/pesanan?opd=1&belanja=ya"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "1 jt · 80,0 %" in texts


def test_a_tiny_amount_still_shows_and_zero_draws_nothing() -> None:
    root = parse(
        charts.bar_chart(
            [Bar("Besar", 10**12), Bar("Kecil", 1), Bar("Nol", 0)], title="t", chart_id="g"
        )
    )
    widths = [float(r.get("width") or "nan") for r in root.iter(f"{SVG}rect")]
    assert widths[1] == 2 and widths[2] == 0


def test_long_labels_are_clipped_on_the_chart_but_whole_in_the_title() -> None:
    name = "Dinas Koperasi, Usaha Kecil dan Menengah, Perdagangan dan Perindustrian"
    root = parse(charts.bar_chart([Bar(name, 5)], title="t", chart_id="g"))
    drawn = [t.text or "" for t in root.iter(f"{SVG}text")][0]
    assert len(drawn) == charts.LONGEST_LABEL and drawn.endswith("…")
    assert any(name in (t.text or "") for t in root.iter(f"{SVG}title"))


def test_empty_bar_chart_says_so() -> None:
    root = parse(charts.bar_chart([], title="t", chart_id="g", empty="Belum ada belanja."))
    _, desc = labelled(root)
    assert desc == "Belum ada belanja."
    assert not list(root.iter(f"{SVG}rect"))


def test_folding_keeps_the_largest_and_sums_the_rest() -> None:
    bars = [Bar(f"OPD {i}", 100 - i) for i in range(6)]
    assert charts.folded(bars, 5) == bars  # one left over: no point folding it
    got = charts.folded(bars, 3)
    assert [b.label for b in got] == ["OPD 0", "OPD 1", "OPD 2", "Lainnya (3)"]
    assert got[-1].amount == 97 + 96 + 95


def test_trend_bars_and_line_follow_the_months() -> None:
    months = [
        MonthPoint("Jan", 0, Fraction(0)),
        MonthPoint("Feb", 2_000_000, Fraction(1, 2), href="/x?dari=2026-02-01"),
        MonthPoint("Mar", 1_000_000, Fraction(1)),
    ]
    root = parse(charts.trend_chart(months, title="Tren", line_label="UMKM dengan pesanan"))
    scalable(root)
    _, desc = labelled(root)
    assert desc.startswith("Jan: belanja Rp 0, UMKM dengan pesanan 0,0 %; Feb: belanja")
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("width") == "22"]
    heights = [float(r.get("height") or "nan") for r in bars]
    assert heights == [0, charts.TREND_PLOT, charts.TREND_PLOT / 2]
    line = root.find(f"{SVG}polyline[@class='trend-line']")
    assert line is not None
    base = charts.TREND_TOP + charts.TREND_PLOT
    assert [y for _, y in points(line)] == [base, base - charts.TREND_PLOT / 2, charts.TREND_TOP]
    xs = [x for x, _ in points(line)]
    assert xs[1] - xs[0] == charts.TREND_SLOT == xs[2] - xs[1]
    assert [a.get("href") for a in root.iter(f"{SVG}a")] == ["/x?dari=2026-02-01"]


def test_progress_bar_marks_the_target_and_fills_the_share() -> None:
    root = parse(charts.progress_bar(Fraction(1, 5), title="Dinas", chart_id="p1"))
    scalable(root)
    _, desc = labelled(root)
    assert desc == "Tercapai 20,0 % dari pagu; target 40 %."
    plot, left = charts.PROGRESS_PLOT, charts.PROGRESS_LEFT
    rects = list(root.iter(f"{SVG}rect"))
    assert float(rects[1].get("width") or "nan") == plot * 2 / 5  # 20 % of a 0-50 % scale
    mark = next(line for line in root.iter(f"{SVG}line"))
    assert float(mark.get("x1") or "nan") == left + plot * 4 / 5  # 40 % of a 0-50 % scale


def test_progress_bar_past_the_scale_widens_it_and_no_budget_draws_no_fill() -> None:
    root = parse(charts.progress_bar(Fraction(63, 100), title="t", chart_id="p"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "70 %" in texts  # the scale's end
    rects = list(root.iter(f"{SVG}rect"))
    assert float(rects[1].get("width") or "nan") == pytest.approx(charts.PROGRESS_PLOT * 63 / 70)
    empty = parse(charts.progress_bar(None, title="t", chart_id="q"))
    _, desc = labelled(empty)
    assert desc == "Pagu belanja barang/jasa belum diisi."
    assert len(list(empty.iter(f"{SVG}rect"))) == 1


def test_deciles_read_the_curve_at_each_tenth() -> None:
    got = charts.deciles(lorenz([0, 0, 25, 75]))  # points at 0, 25, 50, 75, 100 %
    assert got == [
        (Fraction(0), Fraction(0)),  # 10 %: only (0, 0) lies at or below
        (Fraction(1, 4), Fraction(0)),  # 30 %
        (Fraction(1, 2), Fraction(0)),  # 50 %
        (Fraction(3, 4), Fraction(1, 4)),  # 80 %
        (Fraction(1), Fraction(1)),
    ]


def test_decimal_rounds_half_up() -> None:
    assert charts.decimal(Fraction(5, 8)) == "0,63"
    assert charts.decimal(Fraction(45, 100)) == "0,45"
    assert charts.decimal(Fraction(1), 1) == "1,0"


def test_trend_line_as_an_index_is_written_0_to_1() -> None:
    months = [MonthPoint("Okt 26", 5, Fraction(1, 2)), MonthPoint("Nov 26", 5, Fraction(1, 4))]
    root = parse(charts.trend_chart(months, title="t", line_label="Gini", as_share=False))
    _, desc = labelled(root)
    assert desc == "Okt 26: belanja Rp 5, Gini 0,50; Nov 26: belanja Rp 5, Gini 0,25"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"0", "0,5", "1"} <= set(texts) and "50 %" not in texts
    assert texts.count("Okt") == 1 and texts.count("26") == 2  # month over year
