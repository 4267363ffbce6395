"""Documents at scale: 1,000 PDFs rendered by RQ workers, then one ZIP of all of them.

    .venv/bin/python benchmarks/documents.py [--documents 1000] [--workers 2]
        [--database-url postgresql://postgres@127.0.0.1/postgres] [--redis-url redis://127.0.0.1:6379/14]

A scratch PostgreSQL database (``procure_docs_bench_…``) is created beside the given URL,
migrated, given one OPD and ``--documents`` issued Surat Pesanan rows (the sample content of
``tests/document_samples.py``, each with its own number, as ``issue_*`` would store them), and
dropped at the end. Then:

1. every document is queued on Redis and ``--workers`` ``procure worker --burst`` processes
   (separate OS processes, warm after their first PDF) render and store them; the wall time
   from start to the last stored file gives documents per second;
2. ``GET /dokumen/unduh.zip`` as an inspector is streamed through Flask's test client, chunk
   by chunk: seconds to the last byte (goal ≤ 2 s for 1,000 documents) and the peak of Python
   memory allocated while streaming (``tracemalloc``), against the total size of the PDFs.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import time
import tracemalloc
import uuid
from pathlib import Path

from redis import Redis
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scratch import scratch_postgres  # noqa: E402 - benchmarks/ is the script's own folder

from procure import create_app  # noqa: E402 - after the path fix, so a checkout runs as is
from procure.auth.models import User  # noqa: E402
from procure.config import normalise_database_url  # noqa: E402
from procure.documents.content import content_fingerprint, content_to_dict  # noqa: E402
from procure.documents.jobs import enqueue  # noqa: E402
from procure.documents.models import Document, DocumentFile  # noqa: E402
from procure.extensions import db  # noqa: E402
from procure.opd.models import Opd  # noqa: E402
from tests.document_samples import sample_sp  # noqa: E402

PASSWORD = "Benchmark-2026"  # noqa: S105 - a throwaway account in a scratch database


def _fill(count: int) -> list[int]:
    from werkzeug.security import generate_password_hash

    opd = Opd(code="DISDIK", name="Dinas Pendidikan", address="Jl. Merdeka 12", head_name="-")
    db.session.add(opd)
    db.session.add(
        User(
            email="inspektur@bench.invalid",
            full_name="Inspektur",
            role="inspector",
            password_hash=generate_password_hash(PASSWORD),
        )
    )
    db.session.flush()
    base = sample_sp()
    rows = []
    for n in range(1, count + 1):
        number = f"000.3.2/{n:04d}/SP/DISDIK/XI/2026"
        content = dataclasses.replace(base, number=number, fingerprint="")
        content = dataclasses.replace(content, fingerprint=content_fingerprint(content))
        rows.append(
            {
                "public_id": uuid.uuid4().hex,
                "kind": "SP",
                "opd_id": opd.id,
                "fiscal_year": 2026,
                "sequence": n,
                "number": number,
                "content": content_to_dict(content),
                "fingerprint": content.fingerprint,
                "status": "issued",
                "amount": content.total,
                "supplier_name": "CV Batik Sekar Arum",
            }
        )
    db.session.execute(Document.__table__.insert(), rows)
    db.session.commit()
    return list(db.session.scalars(select(Document.id).order_by(Document.id)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1/postgres"),
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    with scratch_postgres(normalise_database_url(args.database_url), "procure_docs_bench") as url:
        _measure(url, args)


def _measure(url: str, args: argparse.Namespace) -> None:
    queue = f"procure-bench-{uuid.uuid4().hex[:6]}"
    env = dict(os.environ, DATABASE_URL=url, REDIS_URL=args.redis_url, PROCURE_DOCUMENT_QUEUE=queue)
    try:
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "procure", "db", "upgrade"],
            env=env,
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
                "REDIS_URL": args.redis_url,
                "DOCUMENT_QUEUE": queue,
                "WTF_CSRF_ENABLED": False,
            }
        )
        with app.app_context():
            ids = _fill(args.documents)
            Redis.from_url(args.redis_url).delete(f"rq:queue:{queue}")
            enqueue(ids, app.config)
            started = time.perf_counter()
            workers = [
                subprocess.Popen(
                    [sys.executable, "-m", "flask", "--app", "procure", "worker", "--burst"],
                    env=env,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
                for _ in range(args.workers)
            ]
            for worker in workers:
                worker.wait()
            elapsed = time.perf_counter() - started
            done = db.session.scalar(select(func.count()).select_from(DocumentFile))
            total_bytes = db.session.scalar(select(func.sum(DocumentFile.size))) or 0
            print(
                f"- rendered {done} of {len(ids)} documents with {args.workers} workers in "
                f"{elapsed:.1f} s: {done / elapsed:.1f} documents/s "
                f"({total_bytes / len(ids) / 1024:.0f} KiB per PDF)"
            )
            client = app.test_client()
            client.post("/masuk", data={"email": "inspektur@bench.invalid", "password": PASSWORD})
            for attempt in (1, 2):
                tracemalloc.start()
                started = time.perf_counter()
                response = client.get("/dokumen/unduh.zip", buffered=False)
                size = 0
                for chunk in response.response:
                    size += len(chunk)
                seconds = time.perf_counter() - started
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                response.close()
                print(
                    f"- ZIP run {attempt}: {size / 1e6:.1f} MB of {done} PDFs streamed in "
                    f"{seconds:.2f} s; Python peak while streaming {peak / 1e6:.1f} MB "
                    f"({peak / max(size, 1):.1%} of the ZIP)"
                )
    finally:
        if "app" in locals():
            with app.app_context():
                db.engine.dispose()


if __name__ == "__main__":
    main()
