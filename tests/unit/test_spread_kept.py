"""The pemerataan dashboard's per-process memories: charts drawn once per stored report, a
stored report parsed once per body (procure/spread/kept.py, store.py)."""

from __future__ import annotations

from dataclasses import dataclass

from procure.spread import store
from procure.spread.kept import kept


@dataclass(frozen=True)
class Rows:
    values: tuple[int, ...]


def test_kept_draws_once_per_object_and_plain_values() -> None:
    drawn: list[tuple[object, ...]] = []

    @kept
    def draw(rows: Rows, title: str, hrefs: list[str]) -> str:
        drawn.append((rows, title, tuple(hrefs)))
        return f"{title}:{sum(rows.values)}:{len(hrefs)}"

    rows = Rows((1, 2))
    assert draw(rows, "A", ["/x"]) == "A:3:1"
    assert draw(rows, "A", ["/x"]) == "A:3:1"  # same rows object, equal plain values
    assert len(drawn) == 1
    assert draw(rows, "B", ["/x"]) == "B:3:1"  # another title
    assert draw(rows, "A", []) == "A:3:0"  # other links
    # Equal data in another object (a report built again) is drawn again, never mixed up.
    assert draw(Rows((5, 5)), "A", ["/x"]) == "A:10:1"
    assert len(drawn) == 4


def test_kept_lists_are_copies() -> None:
    @kept
    def links(n: int) -> list[str]:
        return [f"/p/{i}" for i in range(n)]

    first = links(2)
    first.append("/changed")
    assert links(2) == ["/p/0", "/p/1"]

    @kept
    def pair(n: int) -> tuple[int, int]:
        return (n, n)

    assert pair(1) == (1, 1)
    assert isinstance(pair(1), tuple)


def test_a_stored_report_is_parsed_once_per_body(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    parsed: list[str] = []

    def fake_parse(body: str) -> object:
        parsed.append(body)
        return object()

    monkeypatch.setattr(store, "report_from_json", fake_parse)
    monkeypatch.setattr(store, "_parsed", {})
    one = store._parsed_report("2026|pemda", '{"a": 1}')
    assert store._parsed_report("2026|pemda", '{"a": 1}') is one
    other = store._parsed_report("2026|pemda", '{"a": 2}')  # rebuilt: parsed again
    assert other is not one
    assert parsed == ['{"a": 1}', '{"a": 2}']
