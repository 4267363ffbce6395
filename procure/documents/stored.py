"""Read a stored ``DocumentContent`` back from its JSON (the worker renders from this)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from procure.documents.content import (
    AllocationReport,
    Award,
    DocumentContent,
    Exclusion,
    ItemLine,
    Kop,
    Party,
    RankedCandidate,
    Row,
    Signature,
    StatementBody,
    StatementOrder,
    TaxLine,
)


def _many(cls: Any, rows: Any) -> tuple[Any, ...]:
    return tuple(cls(**row) for row in rows or ())


def _allocation(data: Mapping[str, Any] | None) -> AllocationReport | None:
    if data is None:
        return None
    fields = dict(data)
    fields["request"] = _many(Row, fields["request"])
    fields["settings"] = _many(Row, fields["settings"])
    fields["figure_labels"] = tuple(fields["figure_labels"])
    fields["candidates"] = tuple(
        RankedCandidate(**{**row, "figures": tuple(row["figures"])}) for row in fields["candidates"]
    )
    fields["exclusions"] = _many(Exclusion, fields["exclusions"])
    fields["proposal"] = _many(Award, fields["proposal"])
    fields["final_choice"] = _many(Award, fields["final_choice"])
    return AllocationReport(**fields)


def _statement(data: Mapping[str, Any] | None) -> StatementBody | None:
    if data is None:
        return None
    fields = dict(data)
    fields["business"] = _many(Row, fields["business"])
    fields["totals"] = _many(Row, fields["totals"])
    fields["orders"] = tuple(
        StatementOrder(**{**row, "payment_lines": tuple(row["payment_lines"])})
        for row in fields["orders"]
    )
    return StatementBody(**fields)


def content_from_dict(data: Mapping[str, Any]) -> DocumentContent:
    """The inverse of ``content_to_dict`` (JSON turned tuples into lists)."""
    fields = dict(data)
    fields["kop"] = Kop(**fields["kop"])
    fields["parties"] = _many(Party, fields["parties"])
    fields["items"] = _many(ItemLine, fields["items"])
    fields["tax_lines"] = _many(TaxLine, fields["tax_lines"])
    fields["signatures"] = _many(Signature, fields["signatures"])
    for name in ("paragraphs", "conditions", "references"):
        fields[name] = tuple(fields[name] or ())
    fields["allocation"] = _allocation(fields.get("allocation"))
    fields["statement"] = _statement(fields.get("statement"))
    return DocumentContent(**fields)
