"""Every role's main pages under load: gunicorn (2 workers) and wrk at 8 connections.

    createdb -h 127.0.0.1 -U postgres procure_bench_pages
    .venv/bin/python benchmarks/pages.py \\
        --database-url postgresql://postgres@127.0.0.1/procure_bench_pages \\
        --umkm 100000 --orders 200000

The database is migrated and seeded once (``procure seed``; skipped when it already holds the
seed). Each role gets a login with a known password: an admin and an inspector (made if
missing), the officer of the seeded OPD with the most orders and an account for the seeded UMKM
with the most orders, so their pages are measured at the year of orders. Then gunicorn starts
from this checkout on a free port, with an access log of each request's server time
(``%(D)s``), and the idle workers' memory is read before any request. Each role logs in once;
wrk drives each page for ``--seconds`` with that session's cookie (and the same User-Agent:
Flask-Login's strong session protection ties a session to it). Printed per page: requests per
second and the client's p50/p99 (what 8 connections queued on 2 workers see), the server
time's p50/p95/p99 (from the access log: the time a worker spent on the request), and the
throughput as a share of the landing page's.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import host  # noqa: E402 - benchmarks/ is the script's own folder

PYTHON = sys.executable  # the venv's python runs flask and gunicorn
PASSWORD = "Lumbung-Padi-Kenari-48"  # noqa: S105 - benchmark accounts on a bench database
# Made when missing (the OPD and UMKM roles: the seeded OPD and UMKM with the most orders).
ACCOUNTS = {
    "admin": "admin@benchmark.invalid",
    "inspector": "inspektorat@benchmark.invalid",
    "opd": "pengadaan@benchmark.invalid",
    "umkm": "umkm@benchmark.invalid",
}
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %f, "errors": %d, "non2xx": %d, '
    .. '"p50": %f, "p95": %f, "p99": %f}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3))
end
"""
# The access log line: path, query, status, microseconds in the worker.
LOG_FORMAT = "%(U)s %(q)s %(s)s %(D)s"
AGENT = "procure-benchmark"


@dataclass
class Page:
    role: str  # "anonymous" or a key of ACCOUNTS
    label: str
    path: str


@dataclass
class Result:
    page: Page
    rps: float
    p50: float
    p99: float
    server: list[float]
    status: str


def flask(args: list[str], url: str) -> str:
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(  # noqa: S603 - the venv's own flask
        [PYTHON, "-m", "flask", "--app", "procure", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def prepare(url: str, umkm: int, orders: int) -> dict[str, object]:
    """Migrate, seed if needed, give each role a login, and find the ids the pages need."""
    flask(["db", "upgrade"], url)
    from sqlalchemy import create_engine, func, select, text

    from procure.config import normalise_database_url

    url = normalise_database_url(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        seeded = conn.scalar(text("SELECT count(*) FROM umkm WHERE nib LIKE '8%'"))
        order_count = conn.scalar(text("SELECT count(*) FROM purchase_order"))
    engine.dispose()
    if seeded < umkm or (orders and order_count < orders):
        print(f"seeding {umkm:,} UMKM and {orders:,} orders (minutes) ...", flush=True)
        flask(["seed", "--umkm", str(umkm), "--orders", str(orders), "--reset"], url)

    from procure import create_app
    from procure.auth.models import Role, User
    from procure.extensions import db
    from procure.payments.models import Payment
    from procure.procurement.models import AllocationRun, PurchaseOrder, PurchaseRequest

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():

        def busiest(column: Any) -> int:
            return db.session.execute(
                select(column)
                .select_from(PurchaseOrder)
                .join(PurchaseRequest, PurchaseRequest.id == PurchaseOrder.request_id)
                .group_by(column)
                .order_by(func.count().desc())
                .limit(1)
            ).scalar_one()

        opd_id, umkm_id = busiest(PurchaseRequest.opd_id), busiest(PurchaseOrder.umkm_id)
        of_opd = PurchaseOrder.request_id.in_(
            select(PurchaseRequest.id).where(PurchaseRequest.opd_id == opd_id)
        )
        wanted = {
            "admin": dict(role=Role.ADMIN.value),
            "inspector": dict(role=Role.INSPECTOR.value),
            "opd": dict(role=Role.OPD.value, opd_id=opd_id),
            "umkm": dict(role=Role.UMKM.value, umkm_id=umkm_id),
        }
        for role, fields in wanted.items():
            user = db.session.scalar(select(User).filter_by(**fields).order_by(User.id).limit(1))
            if user is None or role in ("admin", "inspector"):
                user = db.session.scalar(select(User).where(User.email == ACCOUNTS[role]))
            if user is None:
                user = User(email=ACCOUNTS[role], full_name=f"Benchmark {role}", **fields)
                db.session.add(user)
            user.set_password(PASSWORD)
            user.is_enabled = True
            ACCOUNTS[role] = user.email
        db.session.commit()
        found = {
            "opd_orders": db.session.scalar(select(func.count()).where(of_opd)),
            "umkm_orders": db.session.scalar(
                select(func.count()).where(PurchaseOrder.umkm_id == umkm_id)
            ),
            "request": db.session.scalar(
                select(PurchaseRequest.id)
                .join(AllocationRun, AllocationRun.request_id == PurchaseRequest.id)
                .where(PurchaseRequest.opd_id == opd_id)
                .order_by(AllocationRun.id.desc())
                .limit(1)
            ),
            "order": db.session.scalar(
                select(PurchaseOrder.id).where(of_opd).order_by(PurchaseOrder.id.desc()).limit(1)
            ),
            # The newest of the OPD's orders with a payment: the page lists it and its Kuitansi.
            "paid_order": db.session.scalar(
                select(Payment.order_id)
                .join(PurchaseOrder, PurchaseOrder.id == Payment.order_id)
                .where(of_opd)
                .order_by(Payment.order_id.desc())
                .limit(1)
            ),
        }
        db.session.remove()
        db.engine.dispose()
    return found


def pages(found: dict[str, object]) -> list[Page]:
    listed = [
        Page("anonymous", "landing", "/"),
        Page("opd", "catalog", "/katalog/"),
        Page("opd", "catalog search", "/katalog/?q=batik"),
        Page("anonymous", "transparency", "/transparansi/"),
        Page("opd", "OPD home", "/opd/"),
        Page("opd", "requests", "/pengadaan/permintaan"),
        Page("opd", "allocation result", f"/pengadaan/permintaan/{found['request']}"),
        Page("opd", "orders", "/pengadaan/pesanan"),
        Page("opd", "order", f"/pengadaan/pesanan/{found['order']}"),
        Page("opd", "paid order", f"/pengadaan/pesanan/{found['paid_order']}"),
        Page("opd", "documents", "/dokumen/"),
        Page("umkm", "UMKM home", "/umkm/"),
        Page("umkm", "orders in", "/pengadaan/pesanan-masuk"),
        Page("umkm", "products", "/umkm/produk"),
        Page("umkm", "omzet", "/omzet/"),
        Page("umkm", "documents", "/dokumen/"),
        Page("umkm", "statements", "/umkm/surat-keterangan/"),
        Page("admin", "admin home", "/admin/"),
        Page("admin", "verification queue", "/admin/verifikasi"),
        Page("admin", "UMKM list", "/admin/umkm"),
        Page("admin", "omzet compliance", "/omzet/kepatuhan"),
        Page("admin", "pemerataan", "/pemerataan/"),
        Page("admin", "statements", "/admin/surat-keterangan/"),
        Page("admin", "notifications", "/admin/notifikasi/"),
        Page("inspector", "inspector home", "/pemeriksaan/"),
        Page("inspector", "orders", "/pemeriksaan/pesanan"),
        Page("inspector", "red flags", "/pemeriksaan/tanda-bahaya"),
        Page("inspector", "pemerataan", "/pemerataan/"),
        Page("inspector", "documents", "/dokumen/"),
    ]
    return [p for p in listed if "None" not in p.path]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mib(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", text).group(1)) / 1024  # type: ignore[union-attr]


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def settled_rss(master: int) -> list[float]:
    """The workers' RSS once they have imported the app: unchanged for two seconds."""
    seen: list[list[float]] = []
    for _ in range(120):
        seen.append([rss_mib(w) for w in workers_of(master)])
        if len(seen) > 4 and all(s == seen[-1] for s in seen[-5:]):
            break
        time.sleep(0.5)
    return seen[-1]


class _Stay(urllib.request.HTTPRedirectHandler):
    """Not following the login's redirect: the role's home is measured, not opened here."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def login(base: str, email: str) -> str:
    """The Cookie header of a fresh session of ``email``."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _Stay())
    opener.addheaders = [("User-Agent", AGENT)]
    form = opener.open(f"{base}/masuk").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    data = {"email": email, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
    try:
        opener.open(f"{base}/masuk", urllib.parse.urlencode(data).encode()).read()
    except urllib.error.HTTPError as answer:  # the 302 to the home page, not followed
        if answer.code != 302:
            raise
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session" not in cookies:
        raise SystemExit(f"login of {email} failed")
    return cookies


def drive(base: str, page: Page, cookie: str | None, args: argparse.Namespace, script: str):  # type: ignore[no-untyped-def]
    command = [
        args.wrk,
        f"-c{args.connections}",
        f"-t{min(2, args.connections)}",
        f"-d{args.seconds}s",
        "--timeout",
        "10s",
        "-s",
        script,
    ]
    command += ["-H", f"User-Agent: {AGENT}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run(  # noqa: S603 - wrk against our own server
        [*command, base + page.path], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def server_times(log: Path, offset: int, path: str) -> tuple[list[float], int, set[str]]:
    """Milliseconds of each request to ``path`` logged after ``offset``; the new offset."""
    with log.open("rb") as f:
        f.seek(offset)
        chunk = f.read()
    times, statuses = [], set()
    for line in chunk.decode(errors="replace").splitlines():
        parts = line.split(" ")
        if len(parts) == 4 and parts[0] + (f"?{parts[1]}" if parts[1] else "") == path:
            times.append(int(parts[3]) / 1000)
            statuses.add(parts[2])
    return times, offset + len(chunk), statuses


def pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True, help="PostgreSQL (a bench database)")
    parser.add_argument("--umkm", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--seconds", type=int, default=10, help="per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default="", help="labels to run, comma-separated (and landing)")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    args = parser.parse_args()
    if not shutil.which(args.wrk):  # the Python generator of earlier runs was the bottleneck
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    found = prepare(args.database_url, args.umkm, args.orders)
    work = Path(tempfile.mkdtemp())
    script = work / "report.lua"
    script.write_text(WRK_SCRIPT)
    log = work / "access.log"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
        [PYTHON, "-m", "gunicorn", "-w", str(args.workers), "-b", f"127.0.0.1:{port}"]
        + ["--access-logfile", str(log), "--access-logformat", LOG_FORMAT, "wsgi:app"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": args.database_url},
        stderr=(work / "gunicorn.log").open("wb"),
    )
    try:
        for _ in range(300):
            time.sleep(0.1)
            workers = workers_of(gunicorn.pid)
            if len(workers) == args.workers and log.exists():
                break
        idle = settled_rss(gunicorn.pid)
        cookies = {role: login(base, email) for role, email in ACCOUNTS.items()}
        print("\n".join(host.machine()))
        print(
            f"- gunicorn {args.workers} sync workers, wrk -c{args.connections} "
            f"-d{args.seconds}s per page; the OPD with {found['opd_orders']:,} orders, "
            f"the UMKM with {found['umkm_orders']:,} (the most of the seed)"
        )
        print(
            "- idle worker RSS before the first request: " + ", ".join(f"{r:.1f} MiB" for r in idle)
        )
        only = {s.strip() for s in args.only.split(",") if s.strip()}
        chosen = [p for p in pages(found) if not only or p.label in only or p.label == "landing"]
        offset = log.stat().st_size
        results: list[Result] = []
        for page in chosen:
            cookie = cookies.get(page.role)
            # one request first: a page that fails is reported, not timed
            request = urllib.request.Request(  # noqa: S310 - our own server
                base + page.path, headers={"Cookie": cookie or "", "User-Agent": AGENT}
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
                    answer.read()
            except (urllib.error.URLError, TimeoutError) as exc:
                print(f"  {page.role:9} {page.label:20} not measured: {exc}", flush=True)
                results.append(Result(page, 0.0, 0.0, 0.0, [], f"failed: {exc}"))
                continue
            out = drive(base, page, cookie, args, str(script))
            times, offset, statuses = server_times(log, offset, page.path)
            results.append(
                Result(
                    page,
                    out["requests"] / out["seconds"],
                    out["p50"],
                    out["p99"],
                    times,
                    ",".join(sorted(statuses))
                    + (f" ({out['errors']} errors)" if out["errors"] else ""),
                )
            )
            print(f"  {page.role:9} {page.label:20} {results[-1].rps:8.1f} rps", flush=True)
        after = [rss_mib(w) for w in workers_of(gunicorn.pid)]
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
    landing = next(r for r in results if r.page.label == "landing")
    print()
    print(
        "| role | page | path | status | rps | × landing | client p50 | client p99 "
        "| server p50 | server p95 | server p99 |"
    )
    print("|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|")
    for r in results:
        server = r.server or [float("nan")]
        print(
            f"| {r.page.role} | {r.page.label} | `{r.page.path}` | {r.status} | {r.rps:,.1f} "
            f"| {r.rps / landing.rps:.1%} | {r.p50:.1f} | {r.p99:.1f} "
            f"| {statistics.median(server):.1f} | {pct(server, 0.95):.1f} "
            f"| {pct(server, 0.99):.1f} |"
        )
    print()
    print("- worker RSS after the run: " + ", ".join(f"{r:.1f} MiB" for r in after))
    missing = [r for r in results if r.server and pct(r.server, 0.95) > 150]
    if missing:
        print(
            "- server p95 over 150 ms: "
            + ", ".join(f"{r.page.role} {r.page.label}" for r in missing)
        )


if __name__ == "__main__":
    main()
