"""Fuzz test: no form field, query parameter or path segment ever gets a 500.

Every POST endpoint gets a valid submission (``baselines``) with one field at a time replaced
by hostile values (NUL and other control characters, 10 kB, bidi and zero-width characters,
numbers past 32 and 64 bits, 400- and 5,000-digit numbers, dates in year 1 and 9999), then
hypothesis draws a few more combinations. Every GET page is opened by each role that may open
it with hostile query parameters, and every route with hostile path segments. Exceptions
propagate (TESTING), so an unhandled one is a failure as much as a 500 is. Deterministic
(``derandomize``) and bounded: a few hundred requests per backend.
"""

from __future__ import annotations

import io
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask, g, url_for
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing.converters import NumberConverter
from wtforms import Form
from wtforms.fields.core import UnboundField

from procure.extensions import db
from tests.factories import PASSWORD
from tests.functional.test_access_matrix import (  # noqa: F401 - world is a fixture
    GET_EXPECTED,
    NOT_PAGES,
    POST_ALLOWED,
    ROLES,
    World,
    world,
)
from tests.fuzz import hostile
from tests.fuzz.baselines import BASELINES, Baseline, Files
from tests.fuzz.seed import LOGIN_EMAIL, PASSWORD_EMAIL, Seed, build_seed

POST_EXAMPLES = 3  # hypothesis examples per POST endpoint, after the sweep
GET_EXAMPLES = 1  # hypothesis examples per GET page and role
INT_SENTINEL = 987654321
TEXT_SENTINEL = "SENTINELTEKS"
RAW_QUERY_NAMES = ("page", "per_page", "from", "to", "semua", "unduh", "v", "next", "opd")
INT_PARAMS = {"page", "per_page", "opd", "kecamatan", "category", "kecamatan_id", "role"}
DATE_PARAMS = {"start", "end", "from", "to", "dari", "sampai", "date_from", "date_to"}
# One query string per row: a value for the numbers, one for the dates, one for the rest.
GET_ROWS = [
    (hostile.INT64_OVER, "2026-01-01", ""),
    (hostile.INT32_OVER, "0001-01-01", hostile.NUL),
    (hostile.DIGITS_5000, "9999-12-31", hostile.C0 + hostile.BIDI),
    ("-1", "31/12/9999", "x" * 2000 + hostile.HTML),
]


class Prober:
    """Sends requests, logs in per role, and records every 500 or unhandled exception."""

    def __init__(self, app: Flask, seed: Seed) -> None:
        self.app = app
        self.seed = seed
        self.failures: list[str] = []
        self.sent = 0
        self._clients: dict[str, FlaskClient] = {}

    def client(self, role: str, fresh: bool = False) -> FlaskClient:
        if role == "anon":
            return self.app.test_client()
        if fresh or role not in self._clients:
            client = self.app.test_client()
            email = {"login": LOGIN_EMAIL, "password": PASSWORD_EMAIL}.get(role)
            g.pop("_login_user", None)
            client.post(
                "/masuk", data={"email": email or self.seed.users[role], "password": PASSWORD}
            )
            self._clients[role] = client
        return self._clients[role]

    def send(self, client: FlaskClient, method: str, url: str, note: str, **kw: Any) -> None:
        self.sent += 1
        # The test's app context outlives each request, and Flask-Login caches the user on
        # ``g``: forget it, so each client is the user of its own session cookie.
        g.pop("_login_user", None)
        try:
            status = client.open(url, method=method, **kw).status_code
        except Exception as exc:  # noqa: BLE001 - any unhandled exception is the finding
            db.session.rollback()
            self.failures.append(
                f"{method} {url[:120]} {note[:160]}: {type(exc).__name__}: {exc}"[:400]
            )
            return
        db.session.rollback()
        if status >= 500:
            self.failures.append(f"{method} {url[:120]} {note[:160]}: HTTP {status}")


def _rule_args(app: Flask, endpoint: str) -> set[str]:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    return set(rule.arguments)


def _url(app: Flask, endpoint: str, args: dict[str, object]) -> str:
    with app.test_request_context():
        return url_for(endpoint, **{n: args[n] for n in _rule_args(app, endpoint)})


def _query_names() -> list[str]:
    """Every field name of every form (the GET filters among them) and the raw parameters."""
    names = set(RAW_QUERY_NAMES)
    for form in _subclasses(Form):
        if not form.__module__.startswith("procure."):
            continue
        names |= {n for n in dir(form) if isinstance(getattr(form, n, None), UnboundField)}
    return sorted(names)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@pytest.fixture
def prober(app: Flask, world: World) -> Prober:  # noqa: F811 - the imported fixture
    app.config["LOGIN_MAX_FAILURES"] = 10**6  # the login form is fuzzed too
    return Prober(app, build_seed(app, world))


def _report(prober: Prober, started: float) -> None:
    print(f"\n{prober.sent} requests in {time.monotonic() - started:.1f} s")  # noqa: T201
    unique = list(dict.fromkeys(prober.failures))
    assert not unique, f"{len(unique)} answers were 500s:\n" + "\n".join(unique[:80])


BUDGET = settings(
    deadline=None,
    derandomize=True,  # the same examples on every run and in CI
    database=None,
    suppress_health_check=list(HealthCheck),
)


@dataclass
class Submission:
    """One POST endpoint's valid submission, sent with some of its fields replaced."""

    prober: Prober
    endpoint: str
    baseline: Baseline
    counter: Iterator[int]

    def __post_init__(self) -> None:
        seed = self.prober.seed
        self.url = _url(
            self.prober.app, self.endpoint, {**seed.args, **seed.targets.get(self.endpoint, {})}
        )
        self.client = self.prober.client(self.baseline.role, fresh=True)
        self.files = self.baseline.files(seed)
        self.fields = list(self.baseline.data(seed, 0)) or ["catatan"]

    def send(self, changes: dict[str, str], files: Files | None = None) -> None:
        data: dict[str, Any] = self.baseline.data(self.prober.seed, next(self.counter)) | changes
        files = self.files if files is None else files
        for name, (content, filename) in files.items():
            data[name] = (io.BytesIO(content), filename)
        client = self.client
        if self.endpoint == "auth.logout" or self.baseline.role == "anon":
            client = self.prober.client(self.baseline.role, fresh=True)
        note = ", ".join(f"{k}={v[:60]!r}" for k, v in changes.items())
        self.prober.send(
            client,
            "POST",
            self.url,
            note,
            data=data,
            content_type="multipart/form-data" if files else None,
        )

    def sweep(self) -> None:
        valid = self.baseline.data(self.prober.seed, 0)
        plans = {name: hostile.variants(str(valid.get(name, ""))) for name in self.fields}
        # Values outer, fields inner, refused values first: a hostile value that the app
        # accepts uses up the target (a paid order) before the next field is tried.
        for phase in (0, 1):
            for index in range(max(len(v[phase]) for v in plans.values())):
                for name, both in plans.items():
                    if index < len(both[phase]):
                        self.send({name: both[phase][index]})
        for name, (content, filename) in self.files.items():
            for bad in [
                (content, f"a{hostile.NUL}b.csv"),
                (content, hostile.C0 + "x" * 300 + ".pdf"),
                (b"\x00\xff" * 512, filename),
                (content.replace(b"1.000.000", hostile.DIGITS_400.encode()), filename),
            ]:
                self.send({}, {**self.files, name: bad})

    def explore(self) -> None:
        @settings(BUDGET, max_examples=POST_EXAMPLES)
        @given(st.data())
        def probe(draw: st.DataObject) -> None:
            names = draw.draw(
                st.lists(st.sampled_from(self.fields), min_size=1, max_size=3, unique=True)
            )
            self.send({name: draw.draw(hostile.values()) for name in names})

        probe()


def test_every_post_endpoint_has_a_baseline(app: Flask) -> None:
    assert set(BASELINES) == set(POST_ALLOWED), "add a valid submission to tests/fuzz/baselines"


def test_forms_survive_hostile_fields(app: Flask, prober: Prober) -> None:
    started = time.monotonic()
    counter = itertools.count(1)
    for endpoint, baselines in BASELINES.items():
        for baseline in baselines:
            form = Submission(prober, endpoint, baseline, counter)
            form.sweep()
            form.explore()
    _report(prober, started)


def _page_rows(prober: Prober, client: FlaskClient, url: str, names: list[str], rows: Any) -> None:
    for number, day, text in rows:
        params = {
            n: number if n in INT_PARAMS else day if n in DATE_PARAMS else text for n in names
        }
        query = urlencode({n: v for n, v in params.items() if v})
        prober.send(client, "GET", f"{url}?{query}", f"{number[:20]}/{day}/{text[:20]!r}")

    @settings(BUDGET, max_examples=GET_EXAMPLES)
    @given(st.dictionaries(st.sampled_from(names), hostile.values(), max_size=4))
    def probe(params: dict[str, str]) -> None:
        prober.send(client, "GET", f"{url}?{urlencode(params)}", f"hypothesis {params}")

    probe()


def test_pages_survive_hostile_query_parameters(app: Flask, prober: Prober) -> None:
    started = time.monotonic()
    names = _query_names()
    for endpoint, expected in GET_EXPECTED.items():
        url = _url(app, endpoint, prober.seed.args)
        roles = [r for r in ROLES if expected[r] == 200]
        for position, role in enumerate(roles):
            # Every row for the first role that may open the page, one for the others.
            rows = GET_ROWS if position == 0 else GET_ROWS[1:2]
            _page_rows(prober, prober.client(role), url, names, rows)
    _report(prober, started)


def test_routes_survive_hostile_path_segments(app: Flask, prober: Prober) -> None:
    started = time.monotonic()
    ints = [str(2**31), str(2**63), hostile.DIGITS_400, hostile.DIGITS_5000, "0"]
    texts = [hostile.NUL, hostile.C0, "..%2F..%2Fetc", "x" * 2000, "%ff%fe", "9999-99"]
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_PAGES or not rule.arguments:
            continue
        role = next(
            (r for r in ROLES if GET_EXPECTED.get(rule.endpoint, {}).get(r) == 200),
            next(iter(POST_ALLOWED.get(rule.endpoint, {"admin"}))),
        )
        client = prober.client(role)
        method = "GET" if "GET" in (rule.methods or set()) else "POST"
        for name in rule.arguments:
            is_int = isinstance(rule._converters[name], NumberConverter)
            args = {**prober.seed.args, name: INT_SENTINEL if is_int else TEXT_SENTINEL}
            with app.test_request_context():
                built = url_for(rule.endpoint, **{n: args[n] for n in rule.arguments})
            sentinel = str(INT_SENTINEL) if is_int else TEXT_SENTINEL
            for value in ints if is_int else texts:
                path = built.replace(sentinel, quote(value, safe="%") if not is_int else value)
                prober.send(client, method, path, f"{name}={value[:30]!r}")
    _report(prober, started)
