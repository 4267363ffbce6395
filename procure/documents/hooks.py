"""Where the order lifecycle issues its documents (DOMAIN.md, "The documents").

The procurement and order services call these at the step that creates each document, inside
their transaction, passing their settings (the app's config, handed down by the view or CLI):
the number is taken there and committed with the step; the PDF is rendered after the commit
(``procure.documents.jobs``). The issuing modules are imported inside the functions: they read
the procurement models, and the procurement services import this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from procure.auth.models import User


def _actor(session: Session, actor_id: int | None) -> User | None:
    return session.get(User, actor_id) if actor_id is not None else None


actor_of = _actor


def after_decision(
    session: Session,
    run: Any,
    orders: Iterable[Any],
    actor_id: int | None,
    config: Mapping[str, Any],
) -> None:
    """A decided allocation: its Laporan Alokasi and one Surat Pesanan per UMKM."""
    from procure.documents.issuing import issue_allocation_report, issue_order_document
    from procure.documents.numbering import DocumentKind

    actor = _actor(session, actor_id)
    issue_allocation_report(session, run, actor=actor, config=config)
    for order in orders:
        issue_order_document(session, order, DocumentKind.SURAT_PESANAN, actor=actor, config=config)


def after_pass_on(
    session: Session,
    declined: Any,
    orders: Iterable[Any],
    actor_id: int | None,
    config: Mapping[str, Any],
) -> None:
    """A declined or expired order: its Surat Pesanan no longer holds (cancelled, saying why
    and where the part went), and each UMKM the part passed to gets a new one that refers to
    it."""
    from procure.documents.issuing import cancel_order_documents, issue_order_document
    from procure.documents.numbering import DocumentKind

    actor = _actor(session, actor_id)
    numbers = [
        issue_order_document(
            session, order, DocumentKind.SURAT_PESANAN, actor=actor, config=config
        ).number
        for order in orders
    ]
    why = (
        f"ditolak UMKM ({declined.decline_reason})"
        if declined.status == "declined"
        else "tidak dijawab sampai batas waktu"
    )
    where = f"; dialihkan ke {', '.join(numbers)}" if numbers else "; tidak ada UMKM pengganti"
    cancel_order_documents(session, declined, why + where, actor)


def after_order_step(
    session: Session, order: Any, step: str, actor_id: int | None, config: Mapping[str, Any]
) -> None:
    """Inspection → BAP (again if corrected: the new one replaces the old), handover → BAST,
    payment → Kuitansi."""
    from procure.documents.issuing import issue_order_document
    from procure.documents.numbering import DocumentKind

    kind = {
        "inspect": DocumentKind.BA_PEMERIKSAAN,
        "handover": DocumentKind.BAST,
        "pay": DocumentKind.KUITANSI,
    }[step]
    issue_order_document(session, order, kind, actor=_actor(session, actor_id), config=config)


def after_payment(
    session: Session,
    order: Any,
    payment: Mapping[str, Any],
    actor_id: int | None,
    config: Mapping[str, Any],
) -> Any:
    """A payment → its own Kuitansi, for that payment's amounts (``payment``: number, gross,
    taxes, net, penalty, paid_on, settles, method, reference). Earlier payments' Kuitansi stay
    valid: one receipt per payment, none replaces another."""
    from procure.documents.issuing import issue_order_document
    from procure.documents.numbering import DocumentKind

    return issue_order_document(
        session,
        order,
        DocumentKind.KUITANSI,
        actor=_actor(session, actor_id),
        config=config,
        payment=payment,
    )


def after_cancel(session: Session, order: Any, reason: str, actor_id: int | None) -> None:
    """A cancelled order: its documents stay, marked cancelled."""
    from procure.documents.issuing import cancel_order_documents

    actor = _actor(session, actor_id)
    cancel_order_documents(session, order, f"Pesanan dibatalkan: {reason}", actor)
