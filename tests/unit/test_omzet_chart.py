"""The server-side omzet bar chart: well-formed SVG, escaped text, honest missing months."""

import xml.etree.ElementTree as ET

import pytest

from procure.omzet.chart import PLOT_HEIGHT, bar_chart_svg, compact_rupiah

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well-formed


def bars_of(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g")]


def test_chart_is_well_formed_and_labelled() -> None:
    root = parse(bar_chart_svg([("Okt 26", 12_500_000), ("Nov 26", 3_000_000)], title="Omzet"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Omzet"
    assert desc.text == "Okt 26: Rp 12.500.000; Nov 26: Rp 3.000.000"
    assert "style" not in parse_attributes(root)  # the CSP forbids inline styles


def parse_attributes(root: ET.Element) -> set[str]:
    return {name for element in root.iter() for name in element.attrib}


def test_bars_scale_to_the_largest_month() -> None:
    root = parse(bar_chart_svg([("A", 10_000_000), ("B", 5_000_000)], title="t"))
    heights = [int(g.find(f"{SVG}rect").get("height")) for g in bars_of(root)]  # type: ignore[union-attr]
    assert heights == [PLOT_HEIGHT, PLOT_HEIGHT // 2]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "10 jt" in texts and "5 jt" in texts


@pytest.mark.parametrize(
    "label",
    ['<script>alert("x")</script>', "Okt & Nov", 'it\'s "quoted"', "]]></svg><svg>"],
)
def test_labels_and_title_are_escaped(label: str) -> None:
    svg = bar_chart_svg([(label, 1_000), (label, None)], title=label, chart_id='a"b')
    root = parse(svg)  # would raise if anything leaked through unescaped
    assert "<script" not in svg
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert label in texts
    assert root.find(f"{SVG}title").text == label  # type: ignore[union-attr]
    assert root.find(f"{SVG}title").get("id") == 'a"b-judul'  # type: ignore[union-attr]


def test_missing_month_is_an_empty_outlined_bar_labelled_belum() -> None:
    root = parse(bar_chart_svg([("Okt 26", 4_000_000), ("Nov 26", None)], title="t"))
    filed, missing = bars_of(root)
    filed_rect, missing_rect = filed.find(f"{SVG}rect"), missing.find(f"{SVG}rect")
    assert filed_rect is not None and missing_rect is not None
    assert filed_rect.get("fill") != "none"
    assert missing_rect.get("fill") == "none"
    assert missing_rect.get("stroke-dasharray")
    assert [t.text for t in missing.iter(f"{SVG}text")] == ["belum"]
    assert "Nov 26: belum dilaporkan" in root.find(f"{SVG}desc").text  # type: ignore[union-attr,operator]


def test_all_zero_months_draw_flat_bars_without_dividing_by_zero() -> None:
    root = parse(bar_chart_svg([("A", 0), ("B", 0), ("C", None)], title="t"))
    rects = [g.find(f"{SVG}rect") for g in bars_of(root)]
    assert [r.get("height") for r in rects[:2]] == ["0", "0"]  # type: ignore[union-attr]
    assert rects[2].get("fill") == "none"  # type: ignore[union-attr]
    assert [t.text for t in root.iter(f"{SVG}text")].count("0") == 2


def test_empty_chart_is_still_valid() -> None:
    root = parse(bar_chart_svg([], title="Belum ada"))
    assert root.find(f"{SVG}desc").text == "Belum ada data."  # type: ignore[union-attr]
    assert bars_of(root) == []


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "0"),
        (999, "999"),
        (850_000, "850 rb"),
        (12_500_000, "12,5 jt"),
        (150_000_000, "150 jt"),
        (1_250_000_000, "1,3 M"),
        (50_000_000_000, "50 M"),
    ],
)
def test_compact_rupiah(amount: int, text: str) -> None:
    assert compact_rupiah(amount) == text
