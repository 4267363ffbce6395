"""Catalog search server time on a seeded database: the service alone, and the whole page.

    .venv/bin/python benchmarks/catalog_search.py                       # PostgreSQL (default)
    .venv/bin/python benchmarks/catalog_search.py --database-url sqlite:////tmp/bench2.db

The database must already hold a seed (``procure seed --umkm 100000``). The script only reads,
except that it creates one inspector account (``inspektur.benchmark@procure.invalid``) when
the database has none, to open ``/katalog/`` as a logged-in user.

Queries: a word people type for a product (from ``procure.sample_data.products``: "batik",
"kemeja", "nasi", "pantofel", "kawung" ...), drawn with the catalog's category weights, with
that product's category as the filter (one query in ten with another category, as a mistaken
filter), first page, sorted by name. Also text only, category only and no filter. Each case is
timed ``--queries`` times after ``--warmup`` unmeasured queries; ``service`` is
``search_products`` alone (its transaction ended after each, like a request does), ``page``
is ``GET /katalog/?q=…&kategori=…`` through Flask's test client: routing, login, the
category and kecamatan options, the search and the template. No network, no browser.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import host  # benchmarks/ is the script's own folder
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from procure import create_app  # noqa: E402 - after the path fix, so a checkout runs as is
from procure.auth.models import User  # noqa: E402
from procure.auth.services import create_user  # noqa: E402
from procure.catalog.search import SearchQuery, search_products  # noqa: E402
from procure.config import normalise_database_url  # noqa: E402
from procure.extensions import db  # noqa: E402
from procure.omzet.models import OmzetReport  # noqa: E402
from procure.sample_data import CATEGORY_WEIGHTS, TEMPLATES  # noqa: E402
from procure.umkm.models import Product, Umkm  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1/procure_bench2"
INSPECTOR_EMAIL = "inspektur.benchmark@procure.invalid"
# Words nobody searches for on their own.
STOPWORDS = {"dan", "isi", "dengan", "untuk", "meter", "gram"}
GOAL_MS = 100


@dataclass(frozen=True)
class Case:
    name: str
    queries: list[SearchQuery]


def product_words() -> dict[str, list[str]]:
    """Per category, the words of its product names and variants (lower case, ≥ 3 letters)."""
    words: dict[str, list[str]] = {slug: [] for slug in CATEGORY_WEIGHTS}
    for template in TEMPLATES:
        phrase = " ".join([template.name.replace("{v}", " "), *template.variants])
        for word in re.findall(r"[a-z]+", phrase.lower()):
            if len(word) >= 3 and word not in STOPWORDS and word not in words[template.category]:
                words[template.category].append(word)
    return words


def make_cases(rng: random.Random, n: int) -> list[Case]:
    words = product_words()
    slugs, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())

    def category() -> str:
        return rng.choices(slugs, weights=weights)[0]

    with_filter, text_only = [], []
    for _ in range(n):
        slug = category()
        word = rng.choice(words[slug])
        chosen = slug if rng.random() >= 0.1 else rng.choice(slugs)
        with_filter.append(SearchQuery(text=word, category_slug=chosen))
        text_only.append(SearchQuery(text=rng.choice(words[category()])))
    return [
        Case("text + category", with_filter),
        Case("text only", text_only),
        Case("category only", [SearchQuery(category_slug=category()) for _ in range(n)]),
        Case("no filter", [SearchQuery() for _ in range(n)]),
    ]


def page_url(q: SearchQuery) -> str:
    args = {"q": q.text, "kategori": q.category_slug or ""}
    return "/katalog/?" + urlencode({k: v for k, v in args.items() if v})


def logged_in_client(app: Flask) -> FlaskClient:
    """A test client whose session holds an inspector, as Flask-Login would have set it."""
    from flask_login.utils import _create_identifier  # private: the "strong" session hash

    user_id = db.session.scalar(
        select(User.id).where(User.role == "inspector", User.is_enabled).order_by(User.id)
    )
    if user_id is None:
        user = create_user(
            db.session,
            email=INSPECTOR_EMAIL,
            password=secrets.token_urlsafe(18) + "a1",  # nobody logs in with it
            full_name="Inspektur Benchmark",
            role="inspector",
            actor_id=None,
        )
        db.session.commit()
        user_id = user.id
        print(f"created inspector account {INSPECTOR_EMAIL} (id {user_id})")
    client = app.test_client()
    # The session protection is "strong": the session must carry the hash of this client's
    # address and user agent, computed in a request built like the client's own.
    with app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    user = db.session.get(User, user_id)
    assert user is not None
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()  # "<id>:<session version>": sessions end server-side
        session["_fresh"] = True
        session["_id"] = identifier
    response = client.get("/katalog/")
    if response.status_code != 200:
        raise SystemExit(f"/katalog/ answered {response.status_code}: not logged in")
    return client


def time_each(action: Callable[[SearchQuery], int], queries: list[SearchQuery]) -> list[float]:
    timings = []
    for q in queries:
        started = time.perf_counter()
        action(q)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def service(q: SearchQuery) -> int:
    page = search_products(db.session, q)
    db.session.rollback()  # end the transaction, as the request would (its SET LOCAL too)
    return page.total


def summary(timings: list[float]) -> tuple[float, float, float]:
    p95 = statistics.quantiles(timings, n=100, method="inclusive")[94]
    return statistics.median(timings), p95, max(timings)


def machine() -> list[str]:
    return host.database_machine(db, {"UMKM": Umkm, "products": Product, "omzet rows": OmzetReport})


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--queries", type=int, default=300, help="timed queries per case")
    parser.add_argument("--warmup", type=int, default=30, help="untimed queries per case")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    url = normalise_database_url(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark-only"})
    rng = random.Random(args.seed)
    cases = make_cases(rng, args.queries)
    warmups = make_cases(random.Random(args.seed + 1), args.warmup)
    rows = []
    with app.app_context():
        print("\n".join(machine()))
        client = logged_in_client(app)

        def page(q: SearchQuery) -> int:
            response = client.get(page_url(q))
            if response.status_code != 200:
                raise SystemExit(f"{page_url(q)} answered {response.status_code}")
            return len(response.data)

        print(f"- load average at start: {load()}", flush=True)
        for warmup, case in zip(warmups, cases, strict=True):
            totals = [service(q) for q in case.queries]  # untimed: how many results each
            for label, action in (("service", service), ("page", page)):
                time_each(action, warmup.queries)
                timings = time_each(action, case.queries)
                rows.append((case.name, label, len(timings), *summary(timings)))
                if label == "service" and case is cases[0]:
                    slowest = sorted(
                        zip(timings, case.queries, totals, strict=True), key=lambda t: t[0]
                    )[-5:]
                    print(
                        "  slowest (ms, word, category, results): "
                        + "; ".join(
                            f"{ms:.0f} {q.text} {q.category_slug} {total:,}"
                            for ms, q, total in reversed(slowest)
                        ),
                        flush=True,
                    )
            print(
                f"  {case.name}: results per query median {statistics.median(totals):,.0f}, "
                f"{sum(t == 0 for t in totals)} of {len(totals)} with none",
                flush=True,
            )
        print(f"- load average at end: {load()}\n")

    print("| case | timed | n | median ms | p95 ms | max ms |")
    print("|---|---|---:|---:|---:|---:|")
    for name, label, n, median, p95, worst in rows:
        print(f"| {name} | {label} | {n} | {median:.1f} | {p95:.1f} | {worst:.1f} |")
    goal = [r for r in rows if r[0] == "text + category"]
    verdicts = [f"{label} p95 {p95:.1f} ms" for _, label, _, _, p95, _ in goal]
    met = all(r[4] <= GOAL_MS for r in goal)
    print(
        f"\nGoal (set for PostgreSQL): text + category, first page, p95 ≤ {GOAL_MS} ms: "
        f"{'met' if met else 'NOT met'} here ({', '.join(verdicts)})"
    )


if __name__ == "__main__":
    main()
