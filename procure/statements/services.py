"""Request, approve, issue and check statements (services: take the session and settings).

A UMKM asks for a statement of its own orders over a period. With ``STATEMENT_APPROVAL`` an
admin approves (or rejects, with a reason) each request; otherwise it is issued at once.
Issuing numbers a ``Document`` of kind SKR that the Pemda issues itself (no OPD), stores the
figures as issued and the hash of a new access code, and returns that code: the only moment it
exists in clear. After an approval the UMKM makes its code on the statement's page
(``renew_access_code``; a new code replaces the old one). A bank checks a statement with its
number and code (``check_statement``); every attempt is a ``StatementCheck`` row, and wrong
codes are throttled per statement and per client address from those rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from procure.audit.services import record
from procure.db import utcnow
from procure.documents.content import Row
from procure.documents.issuing import issue_pemda_document
from procure.documents.models import DocumentFile
from procure.documents.numbering import DocumentKind
from procure.input_rules import written_reason
from procure.links import public_link
from procure.statements import queries
from procure.statements.document import VERIFY_PATH, period_text, statement_content
from procure.statements.models import Statement, StatementCheck, StatementStatus
from procure.statements.rules import (
    Comparison,
    check_period,
    code_matches,
    compare,
    hash_code,
    new_access_code,
    throttled,
)
from procure.umkm.models import Umkm
from procure.umkm.rules import RuleError

MIN_REJECT_REASON = 10


@functools.cache
def _unknown_hash() -> str:
    """A hash no typed code matches, checked for an unknown number (the same work as a
    wrong code)."""
    return hash_code(secrets.token_hex(16))


def verification_address(config: Mapping[str, Any], number: str) -> str:
    """The address the statement's QR code opens (its number in the path, slashes and all)."""
    return public_link(config, VERIFY_PATH + number)


def _own_umkm(actor: Any) -> int:
    if getattr(actor, "role", None) != "umkm" or actor.umkm_id is None:
        raise RuleError("Hanya pemilik UMKM yang dapat meminta surat keterangan usahanya.")
    return int(actor.umkm_id)


def request_statement(
    session: Session,
    *,
    actor: Any,
    umkm_id: int,
    period_start: dt.date | None,
    period_end: dt.date | None,
    purpose: str | None,
    config: Mapping[str, Any],
    today: dt.date,
) -> tuple[Statement, str | None]:
    """A UMKM asks for a statement of its own orders; issued at once (with its access code)
    unless approval is switched on."""
    if _own_umkm(actor) != umkm_id:
        raise RuleError("Surat keterangan hanya dapat diminta untuk usaha Anda sendiri.")
    check_period(period_start, period_end, today)
    assert period_start is not None and period_end is not None  # check_period refused None
    statement = Statement(
        umkm_id=umkm_id,
        period_start=period_start,
        period_end=period_end,
        purpose=(purpose or "").strip()[:200] or None,
        status=StatementStatus.REQUESTED.value,
        requested_by_id=actor.id,
    )
    session.add(statement)
    session.flush()
    record(
        session,
        actor.id,
        "statement.request",
        statement,
        f"Surat keterangan diminta untuk periode {period_text(period_start, period_end)}",
        {"period_start": period_start.isoformat(), "period_end": period_end.isoformat()},
    )
    if config["STATEMENT_APPROVAL"]:
        return statement, None
    return statement, issue_statement(session, statement, actor=actor, config=config)


def _decide(session: Session, statement: Statement, status: str, actor: Any, **values: Any) -> None:
    """Compare-and-set from ``requested``: of two admins deciding at once, one wins."""
    if getattr(actor, "role", None) != "admin":
        raise RuleError("Hanya admin yang dapat memutuskan permintaan surat keterangan.")
    result = session.execute(
        update(Statement)
        .where(Statement.id == statement.id, Statement.status == StatementStatus.REQUESTED.value)
        .values(status=status, decided_by_id=actor.id, decided_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    session.refresh(statement)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise RuleError("Permintaan ini sudah diputuskan.")


def approve_statement(
    session: Session, statement: Statement, *, actor: Any, config: Mapping[str, Any]
) -> None:
    """The admin approves: the statement is issued; the UMKM makes its access code."""
    _decide(session, statement, StatementStatus.ISSUED.value, actor)
    record(
        session, actor.id, "statement.approve", statement, "Permintaan surat keterangan disetujui"
    )
    issue_statement(session, statement, actor=actor, config=config, with_code=False)


def reject_statement(session: Session, statement: Statement, reason: str, *, actor: Any) -> None:
    cleaned = written_reason(
        reason,
        MIN_REJECT_REASON,
        f"Tulis alasan penolakan minimal {MIN_REJECT_REASON} karakter agar UMKM memahaminya.",
    )
    _decide(session, statement, StatementStatus.REJECTED.value, actor, reject_reason=cleaned)
    record(
        session,
        actor.id,
        "statement.reject",
        statement,
        "Permintaan surat keterangan ditolak",
        {"reason": cleaned},
    )


def _business(umkm: Umkm) -> tuple[Row, ...]:
    return (
        Row("Nama usaha", umkm.business_name),
        Row("Pemilik", umkm.owner_name),
        Row("NIB", umkm.nib or "-"),
        Row("Alamat", umkm.address),
    )


def issue_statement(
    session: Session,
    statement: Statement,
    *,
    actor: Any,
    config: Mapping[str, Any],
    with_code: bool = True,
    now: dt.datetime | None = None,
) -> str | None:
    """Number and store the statement's document with its figures as of now; return the
    new access code (shown once), or None when ``with_code`` is False (after an approval the
    UMKM makes it). Its PDF renders after the commit, as every document's."""
    if statement.document_id is not None:
        raise RuleError("Surat keterangan ini sudah terbit.")
    figures = queries.figures(
        session, statement.umkm_id, statement.period_start, statement.period_end
    )
    umkm = session.get(Umkm, statement.umkm_id)
    assert umkm is not None
    approved_by = (
        statement.decided_by.full_name
        if statement.decided_by is not None and config["STATEMENT_APPROVAL"]
        else None
    )
    doc = issue_pemda_document(
        session,
        kind=DocumentKind.SURAT_KETERANGAN,
        build=lambda header: statement_content(
            business=_business(umkm),
            period_start=statement.period_start,
            period_end=statement.period_end,
            purpose=statement.purpose,
            figures=figures,
            approved_by=approved_by,
            header=header,
        ),
        config=config,
        actor=actor,
        links={"umkm_id": umkm.id, "supplier_name": umkm.business_name},
        address=lambda number: verification_address(config, number),
        now=now,
    )
    code = new_access_code() if with_code else None
    statement.status = StatementStatus.ISSUED.value
    statement.document_id = doc.id
    statement.number = doc.number
    statement.figures = figures
    statement.access_code_hash = hash_code(code) if code else None
    session.flush()
    record(
        session,
        actor.id if actor is not None else None,
        "statement.issue",
        statement,
        f"Surat keterangan {doc.number} terbit",
        {"number": doc.number, "totals": figures["totals"], "access_code": bool(code)},
    )
    return code


def renew_access_code(session: Session, statement: Statement, *, actor: Any) -> str:
    """A new access code for an issued statement of the actor's UMKM (the old one stops
    working); returned once, kept only hashed."""
    if _own_umkm(actor) != statement.umkm_id:
        raise RuleError("Surat keterangan ini bukan milik usaha Anda.")
    if statement.status != StatementStatus.ISSUED.value:
        raise RuleError("Kode akses hanya dapat dibuat untuk surat keterangan yang sudah terbit.")
    code = new_access_code()
    replaced = statement.access_code_hash is not None
    statement.access_code_hash = hash_code(code)
    session.flush()
    record(
        session,
        actor.id,
        "statement.access_code",
        statement,
        "Kode akses surat keterangan diganti" if replaced else "Kode akses surat keterangan dibuat",
        {"replaced": replaced},
    )
    return code


# == Checking ==================================================================================


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: ``ok``, ``wrong`` (unknown number or wrong code: the same
    answer) or ``throttled``; the figures when ``ok``."""

    outcome: str
    statement: Statement | None = None
    now: dict[str, Any] | None = None
    issued: dict[str, Any] | None = None
    comparison: Comparison | None = None
    sha256: str | None = None


def _failures(session: Session, *where: Any) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(StatementCheck)
            .where(~StatementCheck.succeeded, *where)
        )
        or 0
    )


def check_statement(
    session: Session,
    *,
    number: str,
    code: str,
    via: str,
    checker: str | None,
    client: str | None,
    config: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> CheckResult:
    """Check a statement's number and access code, record the attempt, and return the
    figures as issued and as the system holds them now (with what changed)."""
    now = now or utcnow()
    since = now - dt.timedelta(minutes=int(config["STATEMENT_CHECK_WINDOW_MINUTES"]))
    limit = int(config["STATEMENT_CHECK_LIMIT"])
    client = (client or "")[:50] or None
    typed_number = (number or "").strip()[:100]
    statement = session.scalar(
        select(Statement).where(
            Statement.number == typed_number,
            Statement.status == StatementStatus.ISSUED.value,
        )
    )
    by_client = (
        _failures(session, StatementCheck.client == client, StatementCheck.at >= since)
        if client
        else 0
    )
    # Counted by the number as typed, so an unknown number is throttled exactly like a known
    # one with wrong codes: the answers never tell which numbers exist (migration 0020).
    by_statement = _failures(
        session, StatementCheck.number == typed_number, StatementCheck.at >= since
    )
    if throttled(by_statement, by_client, limit):
        return CheckResult("throttled")
    # An unknown number costs the same hashing as a wrong code (no timing difference).
    ok = code_matches(code, statement.access_code_hash if statement else _unknown_hash())
    ok = ok and statement is not None
    session.add(
        StatementCheck(
            statement_id=statement.id if statement is not None else None,
            number=typed_number,
            at=now,
            via=via,
            succeeded=ok,
            checker=(checker or "").strip()[:200] or None,
            client=client,
        )
    )
    session.flush()
    if not ok or statement is None:
        return CheckResult("wrong")
    issued = statement.figures or {}
    current = queries.figures(
        session, statement.umkm_id, statement.period_start, statement.period_end
    )
    sha256 = session.scalar(
        select(DocumentFile.sha256).where(DocumentFile.document_id == statement.document_id)
    )
    return CheckResult("ok", statement, current, issued, compare(issued, current), sha256)
