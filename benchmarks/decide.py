"""Deciding an allocation, as the officer's browser sees it: the time of the POST.

    DATABASE_URL=sqlite:////tmp/demo.db .venv/bin/flask --app procure demo --no-serve
    .venv/bin/python benchmarks/decide.py --database-url sqlite:////tmp/demo.db --decisions 15

On a copy of the database (SQLite: the file is copied, so the demo stays as it was), logged in
as the demo's officer of DISDIK: each round creates a request for the kind with the most listed
products and runs its allocation (not timed), then posts the decision through the app (test
client, the whole request: form, locks, checks, orders, numbers, audit, commit) and times it
until the response is there. Half of the decisions accept the proposal, half override it (the
last proposed UMKM's part goes to the first candidate left out, with a reason). The work the
app does after the response (rendering the new documents' PDFs, without Redis) is timed apart.
Prints the median and the slowest of each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import host  # noqa: E402 - benchmarks/ is the script's own folder

from procure import create_app  # noqa: E402
from procure.auth.models import User  # noqa: E402
from procure.config import normalise_database_url  # noqa: E402
from procure.extensions import db  # noqa: E402
from procure.procurement.models import AllocationRun  # noqa: E402
from procure.procurement.services import (  # noqa: E402
    RequestInput,
    create_request,
    run_allocation,
    today_in_jakarta,
)
from procure.umkm.models import Product  # noqa: E402

OFFICER = "pengadaan.disdik@sukamaju.go.id"
PASSWORD = "Sukamaju2026"  # noqa: S105 - the demo's published password
REASON = "UMKM terakhir dalam usulan sedang penuh pesanan bulan ini (dikonfirmasi telepon)."


def busiest_kind() -> int:
    return db.session.execute(
        select(Product.kind_id)
        .where(Product.is_listed)
        .group_by(Product.kind_id)
        .order_by(func.count().desc(), Product.kind_id)
        .limit(1)
    ).scalar_one()


def new_run(app: Any, officer: User, kind_id: int, n: int) -> AllocationRun:
    today = today_in_jakarta()
    terms = RequestInput(
        title=f"Benchmark keputusan {n}",
        kind_id=kind_id,
        specification="-",
        quantity=15 + n % 5,
        unit="potong",
        hps_unit_price=250_000,
        needed_by=today + dt.timedelta(days=30),
        delivery_address="-",
        budget_code="-",
        fiscal_year=today.year,
    )
    request = create_request(
        db.session, terms, opd_id=officer.opd_id, actor_id=officer.id, config=app.config
    )
    db.session.commit()
    run = run_allocation(db.session, request, actor_id=officer.id, config=app.config)
    db.session.commit()
    return run


def override(run: AllocationRun) -> dict[str, str] | None:
    """The proposal with its last UMKM's part moved to the first candidate left out."""
    proposal = {a["umkm_id"]: a["quantity"] for a in run.result["allocation"]}
    left_out = [
        c["offer"]["umkm_id"]
        for c in run.result["candidates"]
        if c["offer"]["umkm_id"] not in proposal
    ]
    if not proposal or not left_out:
        return None
    last = run.result["allocation"][-1]["umkm_id"]
    chosen = {f"jumlah_{u}": str(q) for u, q in proposal.items() if u != last}
    chosen[f"jumlah_{left_out[0]}"] = str(proposal[last])
    return {"choice": "sendiri", "reason": REASON, **chosen}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True, help="a database with the demo data")
    parser.add_argument("--decisions", type=int, default=15, help="of each kind")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--in-place", action="store_true", help="SQLite: do not copy the file")
    args = parser.parse_args()
    url = normalise_database_url(args.database_url)
    if url.startswith("sqlite:///") and not args.in_place:
        copy = Path(tempfile.mkdtemp()) / "decide.db"
        shutil.copy(url.removeprefix("sqlite:///"), copy)
        url = f"sqlite:///{copy}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    print("\n".join(host.machine()))
    print(f"- database: {url.split('@')[-1]}")
    timed: dict[str, list[float]] = {"terima": [], "sendiri": []}
    after: dict[str, list[float]] = {"terima": [], "sendiri": []}
    refused = 0
    client = app.test_client()
    assert client.post("/masuk", data={"email": OFFICER, "password": PASSWORD}).status_code == 302
    with app.app_context():
        officer = db.session.scalar(select(User).where(User.email == OFFICER))
        assert officer is not None, f"no {OFFICER}: load the demo first"
        kind_id = busiest_kind()
        for n in range(2 * (args.warmup + args.decisions)):
            choice = "terima" if n % 2 == 0 else "sendiri"
            run = new_run(app, officer, kind_id, n)
            data = {"choice": "terima"} if choice == "terima" else override(run)
            if data is None:
                refused += 1
                continue
            page = client.get(f"/pengadaan/permintaan/{run.request_id}").get_data(as_text=True)
            key = re.search(r'name="decision_key" value="([^"]+)"', page)
            assert key, "no decision form"
            form = {"run_id": str(run.id), "decision_key": key.group(1), **data}
            db.session.remove()
            started = time.perf_counter()
            response = client.post(f"/pengadaan/permintaan/{run.request_id}/putuskan", data=form)
            answered = time.perf_counter()
            response.close()  # what the server does once the response is sent
            closed = time.perf_counter()
            if response.status_code != 302:
                refused += 1
                why = re.search(
                    r"Keputusan belum disimpan.(.{0,400})",
                    re.sub(r"<[^>]+>|\s+", " ", response.text),
                )
                print(f"refused: {why.group(1).strip() if why else response.status_code}")
                continue
            if n >= 2 * args.warmup:
                timed[choice].append((answered - started) * 1000)
                after[choice].append((closed - answered) * 1000)
            officer = db.session.merge(officer)
    for choice, label in (("terima", "accept"), ("sendiri", "override")):
        values, later = timed[choice], after[choice]
        if not values:
            print(f"{label}: no decision went through")
            continue
        print(
            f"{label}: {len(values)} decisions, response median {statistics.median(values):.0f} ms "
            f"(max {max(values):.0f} ms); after the response median "
            f"{statistics.median(later):.0f} ms (max {max(later):.0f} ms)"
        )
    if refused:
        print(f"({refused} decisions refused or without a candidate left out: not counted)")


if __name__ == "__main__":
    main()
