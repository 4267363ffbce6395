"""Replay one year of purchase requests under each allocation policy and compare the outcomes.

    .venv/bin/python benchmarks/simulate.py --umkm 2000 --requests 3000 --seed 2026

Builds the synthetic population and request stream of ``procure.allocation.simulation`` (pure,
no database), replays pemerataan-v2 and pemerataan-v1 (each in capacity and level split),
always-cheapest, buyer-habit and random over it, and prints the machine, the population, each
replay's time and the Markdown table for docs/benchmarks.md. The same seed gives the same table
on any machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from host import machine  # noqa: E402 - benchmarks/ is the script's own folder

from procure.allocation import simulation  # noqa: E402 - after the path fix, so a checkout runs
from procure.allocation.population import OPD_COUNT, YEAR  # noqa: E402
from procure.allocation.records import Request, Settings  # noqa: E402


def describe(population: simulation.Population, requests: Sequence[Request]) -> list[str]:
    suppliers = population.suppliers
    per_kind = [len(p) for p in population.by_category.values()]
    newcomers = sum(1 for s in suppliers if s.verified_at.year == YEAR)
    units = sum(r.quantity for r in requests)
    return [
        f"- population: {len(suppliers):,} UMKM ({sum(s.is_kecil for s in suppliers):,} kecil, "
        f"{newcomers:,} verified during {YEAR}), "
        f"{sum(per_kind):,} products in {len(per_kind)} product kinds "
        f"(offers per kind: median {statistics.median(per_kind):.0f}, max {max(per_kind)})",
        f"- stream: {len(requests):,} requests from {OPD_COUNT} OPDs over "
        f"{YEAR}, {units:,} units requested",
    ]


def timed_replay(
    seed: int, n_umkm: int, n_requests: int, policy: str, settings: Settings
) -> tuple[simulation.Replay, float]:
    """One policy's replay and its seconds; rebuilds the (deterministic) inputs in a worker."""
    population = simulation.build_population(seed, n_umkm)
    requests = simulation.make_requests(seed, n_requests)
    started = time.perf_counter()
    replay = simulation.replay(population, requests, policy, seed, settings)
    return replay, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--umkm", type=int, default=2000, help="UMKM in the population")
    parser.add_argument("--requests", type=int, default=3000, help="requests in the year")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--max-suppliers", type=int, default=3, help="K, for every policy")
    parser.add_argument(
        "--grace-days", type=int, default=60, help="new_supplier_grace_days (0 turns it off)"
    )
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="policies replayed in parallel"
    )
    args = parser.parse_args()

    settings = Settings(max_suppliers=args.max_suppliers, new_supplier_grace_days=args.grace_days)
    started = time.perf_counter()
    print("\n".join(machine()))
    population = simulation.build_population(args.seed, args.umkm)
    requests = simulation.make_requests(args.seed, args.requests)
    print("\n".join(describe(population, requests)))
    print(f"- built in {time.perf_counter() - started:.1f} s", flush=True)
    # Replays are independent: one process each, slowest first (same results in any order).
    policies = sorted(simulation.POLICIES, key=lambda p: not p.startswith("pemerataan"))
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {
            p: pool.submit(timed_replay, args.seed, args.umkm, args.requests, p, settings)
            for p in policies
        }
        replays = []
        for policy in simulation.POLICIES:
            replay, seconds = futures[policy].result()
            replays.append(replay)
            print(f"- {policy}: {seconds:.1f} s, {len(replay.orders):,} orders", flush=True)
    metrics = simulation.measure(population, requests, replays)
    print(f"- total {time.perf_counter() - started:.1f} s wall clock, --jobs {args.jobs}\n")
    print(
        f"`benchmarks/simulate.py --umkm {args.umkm} --requests {args.requests} "
        f"--seed {args.seed} --max-suppliers {args.max_suppliers} "
        f"--grace-days {args.grace_days}`\n"
    )
    print(simulation.format_table(metrics))


if __name__ == "__main__":
    main()
