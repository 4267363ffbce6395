"""A Surat Keterangan of a busy UMKM: 500 orders, figures, content, PDF and e-seal.

    .venv/bin/python benchmarks/statement.py [--orders 500] [--runs 7] [--no-seal]

The orders are made in memory (``OrderRow`` as ``procure.statements.queries`` returns them: a
mix of paid, partly paid with a reversal, unpaid, cancelled and not yet delivered, spread over
a year), so the figures, the printed content and the render are measured without a database;
the one query that reads them is measured by the statement tests. Each run is what issuing
and rendering a statement costs after its query: ``statement_figures``, ``statement_content``
(with its fingerprint), ``render_document`` and, unless ``--no-seal``, the e-seal with a
PKCS#12 certificate made for the run (``tests/seal_certs.py``, as ``benchmarks/seal.py``).
The first run of the process (fonts, stylesheet, templates, pyHanko) is reported apart.
Prints p50 / max in milliseconds of each step and the PDF's pages and size.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from procure import ROOT

sys.path.insert(0, str(ROOT))  # the test certificates live in tests/

from procure.documents.content import Row, content_fingerprint  # noqa: E402
from procure.documents.pdf import render_document  # noqa: E402
from procure.statements.document import statement_content  # noqa: E402
from procure.statements.rules import OrderRow, PaymentRow, statement_figures  # noqa: E402

START = dt.date(2025, 12, 1)
END = dt.date(2026, 11, 30)
OPDS = ("Dinas Pendidikan", "Dinas Kesehatan", "Sekretariat Daerah", "Dinas Perhubungan")
CONFIG = {
    "PEMDA_NAME": "Pemerintah Kota Sukamaju",
    "PEMDA_CITY": "Sukamaju",
    "STATEMENT_ISSUER": "Dinas Koperasi dan Usaha Kecil Menengah",
}


def orders(count: int) -> list[OrderRow]:
    rows = []
    for n in range(1, count + 1):
        day = START + dt.timedelta(days=n * 364 // count)
        quantity = 10 + n % 40
        price = 75_000 + (n % 7) * 25_000
        status = ("paid", "received", "received", "cancelled", "accepted")[n % 5]
        received = quantity - (n % 3 == 0) * 2 if status in ("paid", "received") else None
        value = (received or quantity) * price
        payments: tuple[PaymentRow, ...] = ()
        if status == "paid":
            payments = (PaymentRow(day + dt.timedelta(days=20), value, f"SP2D-{n:04d}/2026"),)
        elif status == "received" and n % 2:
            half = value // 2
            payments = (
                PaymentRow(day + dt.timedelta(days=15), half, f"SP2D-{n:04d}/2026"),
                PaymentRow(day + dt.timedelta(days=16), 10_000, f"TRF-{n:04d}"),
                PaymentRow(day + dt.timedelta(days=17), -10_000, f"TRF-{n:04d}", True),
            )
        rows.append(
            OrderRow(
                order_id=n,
                sp_number=f"000.3.2/{n:03d}/SP/DISDIK/{day.month}/{day.year}",
                sp_date=day,
                opd=OPDS[n % len(OPDS)],
                item=f"Kemeja batik tulis motif {n % 12 + 1}",
                quantity=quantity,
                unit="potong",
                unit_price=price,
                sp_value=quantity * price,
                status=status,
                received_quantity=received,
                delivered_on=day + dt.timedelta(days=7) if received is not None else None,
                bast_on=day + dt.timedelta(days=8) if received is not None else None,
                payments=payments,
            )
        )
    return rows


def one_run(rows: list[OrderRow], sealer: object | None) -> tuple[dict[str, float], bytes]:
    times: dict[str, float] = {}
    start = time.perf_counter()
    figures = statement_figures(rows, START, END)
    times["figures"] = time.perf_counter() - start
    start = time.perf_counter()
    content = statement_content(
        business=(Row("Nama usaha", "Batik Kredit Lancar"), Row("NIB", "9120001234567")),
        period_start=START,
        period_end=END,
        purpose="Pengajuan kredit modal kerja",
        figures=figures,
        approved_by=None,
        header={
            "number": "000.3.2/001/SKR/PEMDA/XII/2026",
            "day": dt.date(2026, 12, 3),
            "place": "Sukamaju",
            "config": CONFIG,
            "verification_url": "https://procure.example/verifikasi/surat-keterangan/"
            "000.3.2/001/SKR/PEMDA/XII/2026",
        },
    )
    content = dataclasses.replace(content, fingerprint=content_fingerprint(content))
    times["content"] = time.perf_counter() - start
    start = time.perf_counter()
    pdf = render_document(content)
    times["render"] = time.perf_counter() - start
    if sealer is not None:
        start = time.perf_counter()
        pdf = sealer.seal(pdf)  # type: ignore[attr-defined]
        times["seal"] = time.perf_counter() - start
    times["total"] = sum(times.values())
    return times, pdf


def _sealer(tmp: Path) -> object:
    from procure.documents import seal
    from tests import seal_certs

    ca = seal_certs.make_ca()
    p12 = seal_certs.write_pkcs12(tmp / "segel.p12", seal_certs.issue(ca), ca)
    sealer = seal.sealer_from_config(
        {
            "SEAL_PKCS12_FILE": str(p12),
            "SEAL_PKCS12_PASSPHRASE": seal_certs.PASSPHRASE,
            **CONFIG,
            "SEAL_TIMEOUT": 10,
        }
    )
    assert sealer is not None
    return sealer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-seal", action="store_true")
    args = parser.parse_args()
    rows = orders(args.orders)
    with tempfile.TemporaryDirectory() as tmp:
        sealer = None if args.no_seal else _sealer(Path(tmp))
        first, pdf = one_run(rows, sealer)
        runs = [one_run(rows, sealer)[0] for _ in range(args.runs)]
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"Surat Keterangan of {args.orders} orders, {args.runs} runs, Python "
        f"{sys.version.split()[0]}; {'sealed (PKCS#12, ECDSA P-256)' if sealer else 'unsealed'}"
    )
    print(f"first run of the process: {1000 * first['total']:.0f} ms (excluded)")
    for step in runs[0]:
        values = [1000 * r[step] for r in runs]
        print(f"{step:<8} p50 {statistics.median(values):8.1f} ms   max {max(values):8.1f} ms")
    print(f"PDF: {len(pdf):,} bytes, {pages} pages")


if __name__ == "__main__":
    main()
