"""The kop's coat of arms: the active one, upload (replacing) and removal, each audited.

Rows are never deleted: an issued document keeps the emblem it printed in its own content
(``Kop.emblem``), and the history of what was uploaded stays for the inspector.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from procure.audit.services import record
from procure.documents.emblem_rules import PreparedEmblem, data_uri
from procure.documents.models import KopEmblem
from procure.input_rules import RuleError


def active_emblem(session: Session) -> KopEmblem | None:
    """The emblem new documents print, or None."""
    return session.scalar(
        select(KopEmblem).where(KopEmblem.is_active).order_by(KopEmblem.id.desc()).limit(1)
    )


def active_emblem_uri(session: Session) -> str | None:
    """The active emblem as the ``data:`` URI a new document's kop stores, or None."""
    emblem = active_emblem(session)
    return data_uri(emblem.content_type, emblem.data) if emblem is not None else None


def _deactivate(session: Session) -> None:
    session.execute(
        update(KopEmblem)
        .where(KopEmblem.is_active)
        .values(is_active=False)
        .execution_options(synchronize_session=False)
    )


def upload_emblem(session: Session, prepared: PreparedEmblem, actor: Any) -> KopEmblem:
    """Store a checked emblem as the active one (the one before it stays, inactive)."""
    previous = active_emblem(session)
    _deactivate(session)
    emblem = KopEmblem(
        content_type=prepared.content_type,
        data=prepared.data,
        sha256=prepared.sha256,
        width=prepared.width,
        height=prepared.height,
        is_active=True,
        uploaded_by_id=actor.id,
    )
    session.add(emblem)
    session.flush()
    record(
        session,
        actor.id,
        "document.emblem_upload",
        emblem,
        "Lambang daerah untuk kop dokumen diganti" if previous else "Lambang daerah diunggah",
        {
            "sha256": prepared.sha256,
            "content_type": prepared.content_type,
            "replaces": previous.id if previous is not None else None,
        },
    )
    return emblem


def remove_emblem(session: Session, actor: Any) -> KopEmblem:
    """New documents print no emblem from now on; issued ones keep theirs."""
    emblem = active_emblem(session)
    if emblem is None:
        raise RuleError("Belum ada lambang yang dipakai.")
    _deactivate(session)
    session.refresh(emblem)
    record(
        session,
        actor.id,
        "document.emblem_remove",
        emblem,
        "Lambang daerah dilepas dari kop dokumen baru",
        {"sha256": emblem.sha256},
    )
    return emblem
