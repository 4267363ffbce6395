"""The typed stored run (procure/ranking/stored_run.py): reads what today's code stores (built
by the policy itself), keeps every key so a run round-trips unchanged, reads the summary a run
of a large category stores and the older shapes (flat candidates, parts without a price)."""

from __future__ import annotations

import json
from fractions import Fraction

from procure.allocation.policy import Settings, evaluate
from procure.ranking.stored_run import (
    REST_OF_RANKING,
    StoredCandidate,
    StoredPart,
    StoredRun,
    parts_from,
    stored,
)
from tests.unit.test_procurement_presenters import CREATED, offer
from tests.unit.test_procurement_presenters import stored as stored_today


def _through_json(data: dict) -> dict:
    """What the JSON column gives back."""
    return json.loads(json.dumps(data))


def test_a_run_stored_today_reads_typed_and_round_trips_unchanged() -> None:
    data = _through_json(stored_today())
    run = StoredRun.from_dict(data)
    assert run.policy == data["policy"] and run.version == data["version"]
    assert run.unit == "potong" and run.quantity == 200
    assert run.settings.max_suppliers == Settings().max_suppliers
    assert run.settings.annual_award_cap is None
    assert [c.umkm_id for c in run.candidates] == [
        c["offer"]["umkm_id"] for c in data["candidates"]
    ]
    first = run.by_umkm()[1]
    assert first.need == Fraction(12_500_000, 3)
    assert first.offer.product_name == "Kemeja 1"
    assert [p.umkm_id for p in run.allocation] == [p["umkm_id"] for p in data["allocation"]]
    assert run.exclusions and run.exclusions[0].offer.umkm_id == 99
    assert run.rest is None and not run.is_summarised
    # Nothing lost, nothing added: the inputs, the steps and the facts are kept as stored.
    assert run.to_dict() == data
    assert list(run.to_dict()) == list(data)


def test_a_run_with_the_rest_of_the_ranking_summary() -> None:
    request_offers = [offer(i) for i in range(1, 4)]
    from procure.allocation.policy import Request, SupplierFacts

    request = Request(1, 1, 1, 50, "potong", 200_000, CREATED.date(), CREATED)
    result = evaluate(request, request_offers, [SupplierFacts(i, None) for i in range(1, 4)])
    summary = {"stored": 3, "more": True, "next_tier": 0, "next_need": "7/2", "read_umkm": 9}
    data = _through_json(stored(result.to_dict(), summary))
    run = StoredRun.from_dict(data)
    assert run.is_summarised
    assert run.rest is not None and run.rest.more and run.rest.next_tier == 0
    assert run.rest.next_need == Fraction(7, 2)
    assert run.to_dict() == data
    assert run.to_dict()[REST_OF_RANKING] == summary


def test_older_shapes_flat_candidates_and_parts_without_price() -> None:
    flat = {"umkm_id": 7, "rank": 2, "need": "5/2"}
    candidate = StoredCandidate.from_dict(flat)
    assert candidate.umkm_id == 7 and candidate.rank == 2 and candidate.need == Fraction(5, 2)
    assert candidate.to_dict() == flat
    part = StoredPart.from_dict({"umkm_id": 7, "product_id": 70, "quantity": 4, "value": 800})
    assert part.price == 200 and part.unit_price is None
    assert "unit_price" not in part.to_dict()
    assert parts_from(None) == ()
