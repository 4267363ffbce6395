"""What-if replay of a past period: load it from the database and replay it, timed.

    .venv/bin/python benchmarks/whatif.py --build                       # SQLite /tmp file
    .venv/bin/python benchmarks/whatif.py --build \\
        --database-url postgresql://postgres@127.0.0.1/procure_bench_whatif   # createdb first

``--build`` migrates an empty database and runs ``procure seed --umkm 3000 --orders N``: 3,000
verified UMKM with two products each and a year of omzet, and a year of requests decided into
orders (the 12 months up to last month), N chosen so that about 6,000 requests result. Then it
times, with the same code the page runs (``procure.spread.whatif``): loading the period (the
seed's 12 months) read-only, replaying one scenario (pemerataan-v2 with the Pemda's settings,
plus always-cheapest as the premium's reference) and replaying all scenarios of the form's kinds
(v2 capacity, v2 level, v1, always-cheapest, random). Goal (issue 13): ≤ 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from host import machine  # noqa: E402 - benchmarks/ is the script's own folder

from procure import create_app  # noqa: E402 - after the path fix, so a checkout runs as is
from procure.clock import today_in_jakarta  # noqa: E402
from procure.extensions import db  # noqa: E402
from procure.omzet.rules import Period  # noqa: E402
from procure.ranking.facts import policy_settings  # noqa: E402
from procure.spread import whatif  # noqa: E402
from procure.spread.periods import ReportPeriod  # noqa: E402
from procure.spread.whatif_rules import Scenario, table  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:////tmp/procure_bench_whatif.db"
GOAL_SECONDS = 10
ORDERS_PER_REQUEST = 8000 / 5314  # what ``procure seed --orders`` made on the first build


def build(url: str, umkm: int, requests: int) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    flask = [str(ROOT / ".venv/bin/flask"), "--app", "procure"]
    orders = round(requests * ORDERS_PER_REQUEST)
    started = time.perf_counter()
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)  # noqa: S603
    seeded = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [*flask, "seed", "--umkm", str(umkm), "--orders", str(orders)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    print(f"- built in {time.perf_counter() - started:.0f} s: {seeded.stdout.strip()}")


def seed_year(today: dt.date) -> ReportPeriod:
    """The 12 months up to last month: the months ``procure seed --orders`` fills."""
    last = Period.of(today).shift(-1)
    first = last.shift(-11)
    end = last.shift(1).first_day - dt.timedelta(days=1)
    return ReportPeriod.parse(f"{first.first_day.isoformat()}..{end.isoformat()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--build", action="store_true", help="migrate and seed first")
    parser.add_argument("--umkm", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=6000, help="about this many")
    parser.add_argument("--period", help="default: the seed's 12 months")
    parser.add_argument("--one-only", action="store_true", help="skip the all-scenarios run")
    parser.add_argument("--load-only", action="store_true", help="time the load, no replay")
    args = parser.parse_args()

    print("\n".join(machine()))
    if args.build:
        build(args.database_url, args.umkm, args.requests)
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url})
    with app.app_context():
        period = ReportPeriod.parse(args.period) if args.period else seed_year(today_in_jakarta())
        base = policy_settings(app.config)
        started = time.perf_counter()
        with whatif.read_only(db.engine) as session:
            world = whatif.load_world(session, period)
        loaded = time.perf_counter() - started
        print(
            f"- database: {db.engine.dialect.name}; period {period} ({period.label}): "
            f"{len(world.requests):,} requests, {len(world.population.suppliers):,} UMKM, "
            f"{sum(len(s.products) for s in world.population.suppliers):,} products, "
            f"{len(world.actual.orders):,} orders that happened"
        )
        print(f"- load (read-only transaction): {loaded:.1f} s", flush=True)
        if args.load_only:
            return
        one = [Scenario("v2", base.max_suppliers, base.split_mode, base.annual_award_cap)]
        started = time.perf_counter()
        outcome = whatif.compute(world, one, base, period=period)
        seconds = time.perf_counter() - started
        print(
            f"- one scenario (v2 as set, + always-cheapest as the reference): {seconds:.1f} s; "
            f"with the load {loaded + seconds:.1f} s (goal ≤ {GOAL_SECONDS} s)",
            flush=True,
        )
        if not args.one_only:
            every = [
                Scenario("v2", 3, "capacity"),
                Scenario("v2", 3, "level"),
                Scenario("v1", 3, "capacity"),
                Scenario("always-cheapest", 3),
                Scenario("random", 3),
            ]
            started = time.perf_counter()
            outcome = whatif.compute(world, every, base, period=period)
            seconds = time.perf_counter() - started
            print(f"- all five scenarios: {seconds:.1f} s; with the load {loaded + seconds:.1f} s")
        print()
        print("| figure | " + " | ".join(c.label for c in outcome.columns) + " |")
        print("|---|" + "---:|" * len(outcome.columns))
        for label, values in table([c.figures for c in outcome.columns]):
            print(f"| {label} | " + " | ".join(values) + " |")


if __name__ == "__main__":
    main()
