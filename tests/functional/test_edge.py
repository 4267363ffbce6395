"""The edge of a request: one commit or one rollback, and who asked for the audit log."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.audit.models import AuditLog
from procure.audit.services import CLIENT, client_of, record
from procure.edge import attempt, commit_or_rollback
from procure.extensions import db
from procure.input_rules import RuleError
from procure.opd.models import Opd
from tests import factories
from tests.conftest import AuthActions
from tests.functional.test_admin_org import OPD_FORM


def _opds() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Opd)) or 0


def test_attempt_commits_what_the_work_flushed(app: Flask) -> None:
    outcome = attempt(lambda: factories.opd("DISDIK"))
    assert outcome.ok and outcome.value is not None
    db.session.remove()  # a new session sees only what was committed
    assert _opds() == 1


def test_a_refusal_rolls_back_and_carries_the_message(app: Flask) -> None:
    def refused() -> None:
        factories.opd("DINKES")
        raise RuleError("Kode OPD sudah dipakai.")

    outcome = attempt(refused)
    assert not outcome.ok and outcome.error == "Kode OPD sudah dipakai."
    assert isinstance(outcome.refusal, RuleError)
    assert _opds() == 0


def test_a_bug_rolls_back_and_propagates(app: Flask) -> None:
    def broken() -> None:
        factories.opd("BAPPEDA")
        raise KeyError("bug")

    with pytest.raises(KeyError):
        attempt(broken)
    assert _opds() == 0
    with pytest.raises(RuleError):
        commit_or_rollback(lambda: (factories.opd("DISPERKIM"), _raise())[1])
    assert _opds() == 0


def _raise() -> None:
    raise RuleError("ditolak")


def test_the_audit_log_knows_the_address_from_the_edge_not_from_flask(
    app: Flask, client: FlaskClient
) -> None:
    admin = factories.user("admin")
    db.session.commit()
    assert client_of(db.session) == (None, None)  # no request: a CLI command or a job
    entry = record(db.session, admin.id, "test.cli", admin, "tanpa permintaan web")
    assert entry.ip is None
    db.session.info[CLIENT] = ("203.0.113.7", "Mozilla/5.0")
    assert record(db.session, admin.id, "test.web", admin, "lewat web").ip == "203.0.113.7"
    db.session.info.pop(CLIENT)
    db.session.rollback()
    # Through a real request: the address the server saw is on the audit entry.
    AuthActions(client).login(admin.email)
    response = client.post(
        "/admin/opd/baru",
        data=OPD_FORM,
        environ_base={"REMOTE_ADDR": "198.51.100.23"},
    )
    assert response.status_code == 302
    ips = db.session.scalars(select(AuditLog.ip).where(AuditLog.action == "opd.create")).all()
    assert ips == ["198.51.100.23"]
