"""A request is decided once, ever: two submits of the decision form at the same moment.

Two threads, each with its own test client (its own request, app context and database
session), post the same decision form at once, released together by a barrier, 50 times on
PostgreSQL (10 on SQLite). Exactly one set of orders, one Surat Pesanan per UMKM and one
Laporan Alokasi may come of each pair; the other submit is told the decision is already saved.
A second pair posts two *different* forms of the same request (two open tabs): one decides, the
other is refused.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.test import TestResponse

from procure.auth.models import User
from procure.documents.models import Document
from procure.extensions import db
from procure.procurement.models import AllocationRun, PurchaseOrder, PurchaseRequest
from procure.procurement.services import decide, run_allocation
from procure.umkm.rules import RuleError
from tests import factories
from tests.conftest import AuthActions

# The issue's bar is 50 of 50 truly concurrent pairs on PostgreSQL; SQLite's single writer makes
# the pair a queue, so fewer trials there show the same.
TRIALS = {"postgresql": 50, "sqlite": 10}


def _count(model: type, **where: object) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query) or 0


def _new_request(app: Flask, officer_id: int) -> tuple[int, int]:
    """A committed request of 3 with a stored run proposing the one offer of its kind."""
    officer = db.session.get(User, officer_id)
    request = factories.purchase_request(officer, 3)
    run = run_allocation(db.session, request, actor_id=officer_id, config=app.config)
    db.session.commit()
    assert run.result["allocation"], "the market must have a proposal"
    return request.id, run.id


def _post_together(
    clients: list[FlaskClient], url: str, forms: list[dict[str, str]]
) -> list[tuple[int, str]]:
    """Post the forms at once; each answer's status and where it redirects ("" if nowhere)."""
    barrier = threading.Barrier(len(clients), timeout=30)
    answers: list[tuple[int, str]] = [(0, "")] * len(clients)
    errors: list[BaseException] = []

    def post(index: int) -> None:
        try:
            barrier.wait()
            response = clients[index].post(url, data=forms[index])
            answers[index] = (response.status_code, response.headers.get("Location", ""))
        except BaseException as exc:  # noqa: BLE001 - reported below, the test fails on it
            errors.append(exc)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a submit hung"
    assert errors == [], f"unexpected errors: {errors!r}"
    return answers


def _in_a_thread(post: Callable[[], TestResponse]) -> str:
    """Where the response of ``post``, made in a thread of its own, redirects."""
    answers: list[str] = []
    thread = threading.Thread(target=lambda: answers.append(post().headers.get("Location", "")))
    thread.start()
    thread.join(timeout=30)
    return answers[0] if answers else "(no answer)"


@pytest.fixture
def two_officer_clients(app: Flask) -> tuple[int, list[FlaskClient]]:
    """One officer logged in twice (two browser tabs share nothing but the account)."""
    factories.product(monthly_capacity=100_000, unit_price=175_000, lead_time_days=7)
    officer = factories.user("opd")
    db.session.commit()
    email = officer.email
    clients = [app.test_client(), app.test_client()]
    for client in clients:
        # In a thread of its own: this test's app context (and its ``g``, where Flask-Login
        # keeps the user) would otherwise be shared by both clients' requests.
        assert _in_a_thread(lambda c=client: AuthActions(c).login(email)) == "/"
    return officer.id, clients


def test_a_double_clicked_decision_issues_one_set_of_orders(
    app: Flask, backend: str, two_officer_clients: tuple[int, list[FlaskClient]]
) -> None:
    officer_id, clients = two_officer_clients
    for trial in range(TRIALS[backend]):
        request_id, run_id = _new_request(app, officer_id)
        form = {"decision_key": f"double-click-{trial:04d}", "run_id": str(run_id)}
        form["choice"] = "terima"
        url = f"/pengadaan/permintaan/{request_id}/putuskan"
        answers = _post_together(clients, url, [form, form])
        page = f"/pengadaan/permintaan/{request_id}"
        assert answers == [(302, page), (302, page)], f"trial {trial}: {answers}"
        db.session.expire_all()
        orders = _count(PurchaseOrder, request_id=request_id)
        assert orders == 1, f"trial {trial}: {orders} orders for one decision"
        assert _count(AllocationRun, request_id=request_id, is_override=False) == 1
        assert _count(Document, request_id=request_id, kind="SP") == 1
        assert _count(Document, request_id=request_id, kind="LA") == 1
        ordered = db.session.scalar(
            select(func.sum(PurchaseOrder.quantity)).where(PurchaseOrder.request_id == request_id)
        )
        assert ordered == 3


def test_two_tabs_deciding_the_same_request_decide_once(
    app: Flask, two_officer_clients: tuple[int, list[FlaskClient]]
) -> None:
    officer_id, clients = two_officer_clients
    for trial in range(10):
        request_id, run_id = _new_request(app, officer_id)
        forms = [
            {"decision_key": f"tab-{tab}-{trial:04d}", "run_id": str(run_id), "choice": "terima"}
            for tab in ("a", "b")
        ]
        answers = _post_together(clients, f"/pengadaan/permintaan/{request_id}/putuskan", forms)
        # One redirects to its orders; the other shows the page again with the refusal (200).
        page = f"/pengadaan/permintaan/{request_id}"
        assert sorted(answers) == [(200, ""), (302, page)], f"trial {trial}: {answers}"
        db.session.expire_all()
        assert _count(PurchaseOrder, request_id=request_id) == 1, f"trial {trial}"
        decided = db.session.scalars(
            select(AllocationRun.decision_key).where(
                AllocationRun.request_id == request_id, AllocationRun.decided_at.is_not(None)
            )
        ).all()
        assert len(decided) == 1


def test_the_database_refuses_a_second_decided_run(app: Flask) -> None:
    """Whatever the code does, a request cannot hold two decided runs."""
    product = factories.product(monthly_capacity=1_000, unit_price=175_000, lead_time_days=7)
    assert product.id
    officer = factories.user("opd")
    request = factories.purchase_request(officer, 3)
    first = run_allocation(db.session, request, actor_id=officer.id, config=app.config)
    decide(db.session, first, None, "", actor_id=officer.id, decision_key="k-1", config=app.config)
    db.session.commit()
    # Write the second decided run by hand, past the service's checks.
    db.session.add(
        AllocationRun(
            request_id=request.id,
            policy=first.policy,
            policy_version=first.policy_version,
            settings=first.settings,
            result=first.result,
            shortfall=first.shortfall,
            created_by_id=officer.id,
            decided_at=first.decided_at,
            decided_by_id=officer.id,
            decision_key="k-2",
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_deciding_a_decided_request_with_a_new_key_is_refused(app: Flask) -> None:
    """Sequentially, a second decision (another key) is refused and writes nothing."""
    factories.product(monthly_capacity=1_000, unit_price=175_000, lead_time_days=7)
    officer = factories.user("opd")
    request = factories.purchase_request(officer, 3)
    run = run_allocation(db.session, request, actor_id=officer.id, config=app.config)
    decide(db.session, run, None, "", actor_id=officer.id, decision_key="k-1", config=app.config)
    db.session.commit()
    with pytest.raises(RuleError, match="sudah diputuskan"):
        decide(
            db.session, run, None, "", actor_id=officer.id, decision_key="k-2", config=app.config
        )
    db.session.rollback()
    assert _count(PurchaseOrder, request_id=request.id) == 1
    stored = db.session.get(PurchaseRequest, request.id)
    assert stored is not None and stored.status == "ordered"
