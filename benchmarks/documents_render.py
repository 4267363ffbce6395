"""PDF rendering benchmark: one Surat Pesanan rendered again and again in a warm process.

    .venv/bin/python benchmarks/documents_render.py --runs 50
    .venv/bin/python benchmarks/documents_render.py --kind KWT --runs 30
    .venv/bin/python benchmarks/documents_render.py --runs 100 --processes 2   # throughput

The content is a sample of ``tests/document_samples.py`` (no database). For SP the default is
the Surat Pesanan as Procure issues it (one order = one product: one item line, PPN line,
terbilang, six conditions, two signatures, two pages); ``--rich`` takes the three-item sample
instead. Each render is the whole job minus storage: template, QR code, layout, PDF bytes
(``render_document``). The first render of a process (imports, fonts, stylesheet, templates)
is reported apart and excluded. Prints wall-clock and CPU p50 / p95 / max in milliseconds; the
goal is p50 <= 120 ms. The interpreter matters: see docs/benchmarks.md ("Documents").
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time

from procure import ROOT
from procure.documents.content import DocumentContent

sys.path.insert(0, str(ROOT))  # the samples live in tests/, beside procure/

from procure.documents.pdf import render_document  # noqa: E402
from tests.document_samples import SAMPLES, sample_sp_as_issued  # noqa: E402

GOAL_P50_MS = 120.0


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def sample(kind: str, rich: bool) -> DocumentContent:
    """The content to render: the issued-like SP unless ``rich``, else the kind's sample."""
    return sample_sp_as_issued() if kind == "SP" and not rich else SAMPLES[kind]()


def _render_many(args: tuple[str, bool, int]) -> int:
    kind, rich, count = args
    content = sample(kind, rich)
    render_document(content)  # warm this process up first
    for _ in range(count):
        render_document(content)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kind", default="SP", choices=sorted(SAMPLES))
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--processes", type=int, default=1, help="throughput with N processes")
    parser.add_argument("--rich", action="store_true", help="SP: the three-item sample")
    args = parser.parse_args()
    content = sample(args.kind, args.rich)

    start = time.perf_counter()
    first = render_document(content)
    print(
        f"{args.kind} ({len(content.items)} item lines, Python {sys.version.split()[0]} at "
        f"{sys.executable}): first render {1000 * (time.perf_counter() - start):.0f} ms "
        f"(excluded), {len(first)} bytes"
    )

    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(args.runs):
        w0, c0 = time.perf_counter(), time.process_time()
        render_document(content)
        wall.append(1000 * (time.perf_counter() - w0))
        cpu.append(1000 * (time.process_time() - c0))
    for name, values in (("wall", wall), ("cpu", cpu)):
        print(
            f"{name:4s} ms  p50 {statistics.median(values):6.1f}  "
            f"p95 {percentile(values, 0.95):6.1f}  max {max(values):6.1f}  (n={len(values)})"
        )
    p50 = statistics.median(wall)
    verdict = "met" if p50 <= GOAL_P50_MS else "NOT met"
    print(f"goal p50 <= {GOAL_P50_MS:.0f} ms: {verdict}")

    if args.processes > 1:
        per = max(1, args.runs // args.processes)
        with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
            pool.map(
                _render_many, [(args.kind, args.rich, 0)] * args.processes
            )  # warm every process
            t0 = time.perf_counter()
            done = sum(pool.map(_render_many, [(args.kind, args.rich, per)] * args.processes))
            elapsed = time.perf_counter() - t0
        # Each process renders one extra warm-up document inside the timed map.
        total = done + args.processes
        print(
            f"{args.processes} processes: {total} documents in {elapsed:.1f} s = "
            f"{total / elapsed:.1f} documents/s"
        )


if __name__ == "__main__":
    main()
