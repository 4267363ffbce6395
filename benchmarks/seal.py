"""The e-seal's cost per document: sealing alone, beside rendering, and checking a seal.

    .venv/bin/python benchmarks/seal.py [--documents 50] [--tsa]

``--documents`` Surat Pesanan (the sample of ``tests/document_samples.py``, each with its own
number) are rendered, then each PDF is sealed with a PKCS#12 e-seal certificate made for the
run (a test CA and an ECDSA P-256 key, as ``tests/seal_certs.py`` makes them), the way
``render_stored`` seals (``procure.documents.seal``). With ``--tsa`` every seal also gets a
timestamp from a TSA on 127.0.0.1 (pyHanko's test timestamper): the network's share is not
measured, only the work on both ends. The sealer is loaded once, as a worker keeps it; its
load time is printed apart. Prints p50 / p95 / max in milliseconds of rendering, sealing
(goal: p50 <= 50 ms on top of rendering) and checking the sealed file as the verification page
does (``check_seal``), and the bytes the seal adds.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

from procure import ROOT

sys.path.insert(0, str(ROOT))  # the samples and the test certificates live in tests/

from procure.documents import seal  # noqa: E402
from procure.documents.pdf import render_document  # noqa: E402
from tests import seal_certs  # noqa: E402
from tests.document_samples import sample_sp_as_issued  # noqa: E402

GOAL_SEAL_P50_MS = 50.0


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _line(name: str, values: list[float]) -> str:
    return (
        f"{name:<10} p50 {statistics.median(values):7.1f} ms   p95 "
        f"{percentile(values, 0.95):7.1f} ms   max {max(values):7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--tsa", action="store_true", help="timestamp each seal (local TSA)")
    args = parser.parse_args()

    base = sample_sp_as_issued()
    contents = [
        dataclasses.replace(base, number=f"000.3.2/{n:03d}/SP/DISDIK/XI/2026")
        for n in range(1, args.documents + 1)
    ]
    render_document(base)  # warm up: fonts, stylesheet, templates
    rendered: list[bytes] = []
    render_ms: list[float] = []
    for content in contents:
        start = time.perf_counter()
        rendered.append(render_document(content))
        render_ms.append(1000 * (time.perf_counter() - start))

    ca = seal_certs.make_ca()
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        p12 = seal_certs.write_pkcs12(Path(tmp) / "segel.p12", seal_certs.issue(ca), ca)
        config: dict[str, object] = {
            "SEAL_PKCS12_FILE": str(p12),
            "SEAL_PKCS12_PASSPHRASE": seal_certs.PASSPHRASE,
            "PEMDA_NAME": "Pemerintah Kota Sukamaju",
            "PEMDA_CITY": "Sukamaju",
            "SEAL_TIMEOUT": 10,
        }
        if args.tsa:
            config["SEAL_TSA_URL"] = stack.enter_context(seal_certs.tsa_server(ca))
        start = time.perf_counter()
        sealer = seal.sealer_from_config(config)
        load_ms = 1000 * (time.perf_counter() - start)
        assert sealer is not None
        sealer.seal(rendered[0])  # the first seal of a process warms pyHanko up
        sealed: list[bytes] = []
        seal_ms: list[float] = []
        for pdf in rendered:
            start = time.perf_counter()
            sealed.append(sealer.seal(pdf))
            seal_ms.append(1000 * (time.perf_counter() - start))

    roots = [seal_certs.asn1(ca.cert)]
    check_ms: list[float] = []
    for pdf in sealed:
        start = time.perf_counter()
        check = seal.check_seal(pdf, roots)
        check_ms.append(1000 * (time.perf_counter() - start))
        assert check.is_valid, check.problems

    added = statistics.median(len(s) - len(r) for s, r in zip(sealed, rendered, strict=True))
    print(
        f"{args.documents} Surat Pesanan, PKCS#12 (ECDSA P-256){' + TSA' if args.tsa else ''}, "
        f"Python {sys.version.split()[0]}; sealer loaded in {load_ms:.0f} ms (once per process)"
    )
    print(_line("render", render_ms))
    print(_line("seal", seal_ms))
    print(_line("check", check_ms))
    size = statistics.median(len(r) for r in rendered)
    print(f"the seal adds {added:.0f} bytes per PDF (rendered: median {size:.0f} bytes)")
    p50 = statistics.median(seal_ms)
    verdict = "met" if p50 <= GOAL_SEAL_P50_MS else "MISSED"
    print(f"goal: sealing p50 <= {GOAL_SEAL_P50_MS:.0f} ms on top of rendering: {verdict}")


if __name__ == "__main__":
    main()
