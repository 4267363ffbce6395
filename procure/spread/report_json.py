"""A ``SpreadReport`` as JSON and back, exactly: what the store of built reports keeps. Pure.

Money and counts stay ints, shares are ``Fraction``s written as ``"num/den"`` strings (never
floats), dates ISO strings, ``computed_at`` an ISO UTC time. ``report_from_json`` reads back
an equal report (``==``), so a stored report shows exactly the figures ``build_report`` made.
``FORMAT`` is kept with each stored report: a report of another format is not read (it is
built again).
"""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from typing import Any

from procure.omzet.rules import Period
from procure.spread.periods import PeriodKind, ReportPeriod
from procure.spread.report import MonthRow, OpdRow, SpendRow, Spread, SpreadReport, TargetRow

FORMAT = 2  # 2: the OPD rows' payment clock (paid_with_due, paid_on_time)


def _frac(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _frac_or_none(value: Fraction | None) -> str | None:
    return None if value is None else _frac(value)


def _read_frac(text: Any) -> Fraction:
    if not isinstance(text, str):
        raise ValueError(f"not a fraction: {text!r}")
    numerator, denominator = text.split("/")
    return Fraction(int(numerator), int(denominator))


def _read_frac_or_none(text: Any) -> Fraction | None:
    return None if text is None else _read_frac(text)


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not an int: {value!r}")
    return value


def _int_or_none(value: Any) -> int | None:
    return None if value is None else _int(value)


def _spread(s: Spread) -> dict[str, Any]:
    return {
        "umkm_count": s.umkm_count,
        "umkm_with_orders": s.umkm_with_orders,
        "share_with_orders": _frac(s.share_with_orders),
        "spend": s.spend,
        "order_count": s.order_count,
        "gini": _frac(s.gini),
        "top10_share": _frac(s.top10_share),
        "smaller_half_share": _frac_or_none(s.smaller_half_share),
        "sized_count": s.sized_count,
        "lorenz": [[_frac(x), _frac(y)] for x, y in s.lorenz],
    }


def _read_spread(d: dict[str, Any]) -> Spread:
    return Spread(
        umkm_count=_int(d["umkm_count"]),
        umkm_with_orders=_int(d["umkm_with_orders"]),
        share_with_orders=_read_frac(d["share_with_orders"]),
        spend=_int(d["spend"]),
        order_count=_int(d["order_count"]),
        gini=_read_frac(d["gini"]),
        top10_share=_read_frac(d["top10_share"]),
        smaller_half_share=_read_frac_or_none(d["smaller_half_share"]),
        sized_count=_int(d["sized_count"]),
        lorenz=tuple((_read_frac(x), _read_frac(y)) for x, y in d["lorenz"]),
    )


def _spend_row(r: SpendRow) -> list[Any]:
    return [r.key, r.label, r.spend, r.orders, r.umkm, _frac(r.share)]


def _read_spend_row(v: list[Any]) -> SpendRow:
    key, label, spend, orders, umkm, share = v
    return SpendRow(str(key), str(label), _int(spend), _int(orders), _int(umkm), _read_frac(share))


def _opd_row(r: OpdRow) -> dict[str, Any]:
    return {
        "opd_id": r.opd_id,
        "name": r.name,
        "spend": r.spend,
        "orders": r.orders,
        "umkm": r.umkm,
        "hhi": _frac(r.hhi),
        "runs_decided": r.runs_decided,
        "overrides": r.overrides,
        "paid_orders": r.paid_orders,
        "days_to_payment": _frac_or_none(r.days_to_payment),
        "paid_with_due": r.paid_with_due,
        "paid_on_time": r.paid_on_time,
    }


def _read_opd_row(d: dict[str, Any]) -> OpdRow:
    return OpdRow(
        opd_id=_int(d["opd_id"]),
        name=str(d["name"]),
        spend=_int(d["spend"]),
        orders=_int(d["orders"]),
        umkm=_int(d["umkm"]),
        hhi=_read_frac(d["hhi"]),
        runs_decided=_int(d["runs_decided"]),
        overrides=_int(d["overrides"]),
        paid_orders=_int(d["paid_orders"]),
        days_to_payment=_read_frac_or_none(d["days_to_payment"]),
        paid_with_due=_int(d["paid_with_due"]),
        paid_on_time=_int(d["paid_on_time"]),
    )


def _target_row(r: TargetRow) -> dict[str, Any]:
    return {
        "opd_id": r.opd_id,
        "name": r.name,
        "year": r.year,
        "budget": r.budget,
        "small_spend": r.small_spend,
        "target": r.target,
        "ratio": _frac_or_none(r.ratio),
        "months_left": r.months_left,
        "needed_per_month": r.needed_per_month,
    }


def _read_target_row(d: dict[str, Any]) -> TargetRow:
    return TargetRow(
        opd_id=_int(d["opd_id"]),
        name=str(d["name"]),
        year=_int(d["year"]),
        budget=_int_or_none(d["budget"]),
        small_spend=_int(d["small_spend"]),
        target=_int_or_none(d["target"]),
        ratio=_read_frac_or_none(d["ratio"]),
        months_left=_int(d["months_left"]),
        needed_per_month=_int_or_none(d["needed_per_month"]),
    )


def _month_row(r: MonthRow) -> dict[str, Any]:
    return {
        "period": str(r.period),
        "spend": r.spend,
        "small_spend": r.small_spend,
        "orders": r.orders,
        "umkm_with_orders": r.umkm_with_orders,
        "gini": _frac(r.gini),
        "overrides": r.overrides,
    }


def _read_month_row(d: dict[str, Any]) -> MonthRow:
    return MonthRow(
        period=Period.parse(str(d["period"])),
        spend=_int(d["spend"]),
        small_spend=_int(d["small_spend"]),
        orders=_int(d["orders"]),
        umkm_with_orders=_int(d["umkm_with_orders"]),
        gini=_read_frac(d["gini"]),
        overrides=_int(d["overrides"]),
    )


_BREAKDOWNS = ("by_opd", "by_category", "by_kind", "by_kecamatan", "by_scale")


def report_to_dict(report: SpreadReport) -> dict[str, Any]:
    """The report as JSON-ready data (str, int, None, lists and dicts only)."""
    if report.computed_at.tzinfo is None:
        raise ValueError("computed_at must be an aware UTC time")
    return {
        "format": FORMAT,
        "period": {
            "kind": report.period.kind.value,
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
        },
        "computed_at": report.computed_at.astimezone(dt.UTC).isoformat(),
        "pemda": _spread(report.pemda),
        "opd_id": report.opd_id,
        "opd_name": report.opd_name,
        "scope": _spread(report.scope),
        **{name: [_spend_row(r) for r in getattr(report, name)] for name in _BREAKDOWNS},
        "opds": [_opd_row(r) for r in report.opds],
        "targets": [_target_row(r) for r in report.targets],
        "months": [_month_row(r) for r in report.months],
        "never_ordered": report.never_ordered,
    }


def report_from_dict(data: dict[str, Any]) -> SpreadReport:
    """The report ``report_to_dict`` wrote. ``ValueError``/``KeyError`` on anything else."""
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown report format: {data.get('format')!r}")
    period = data["period"]
    breakdowns = {name: tuple(_read_spend_row(v) for v in data[name]) for name in _BREAKDOWNS}
    return SpreadReport(
        period=ReportPeriod(
            PeriodKind(period["kind"]),
            dt.date.fromisoformat(period["start"]),
            dt.date.fromisoformat(period["end"]),
        ),
        computed_at=dt.datetime.fromisoformat(data["computed_at"]).astimezone(dt.UTC),
        pemda=_read_spread(data["pemda"]),
        opd_id=_int_or_none(data["opd_id"]),
        opd_name=None if data["opd_name"] is None else str(data["opd_name"]),
        scope=_read_spread(data["scope"]),
        by_opd=breakdowns["by_opd"],
        by_category=breakdowns["by_category"],
        by_kind=breakdowns["by_kind"],
        by_kecamatan=breakdowns["by_kecamatan"],
        by_scale=breakdowns["by_scale"],
        opds=tuple(_read_opd_row(d) for d in data["opds"]),
        targets=tuple(_read_target_row(d) for d in data["targets"]),
        months=tuple(_read_month_row(d) for d in data["months"]),
        never_ordered=_int(data["never_ordered"]),
    )


def report_to_json(report: SpreadReport) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, separators=(",", ":"))


def report_from_json(text: str) -> SpreadReport:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("a stored report is a JSON object")
    return report_from_dict(data)
