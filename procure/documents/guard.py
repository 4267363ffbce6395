"""Issued documents are evidence: refuse, at flush time, any change but a cancellation.

A stored PDF is never changed or deleted; a document is never deleted and changes only from
``issued`` to ``cancelled`` (reason, who, when). Corrections are new documents that refer to
the old one (``replaces_id``). Bulk SQL bypasses this guard, so no code issues bulk updates or
deletes on these tables.
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from procure.documents.models import Document, DocumentFile, DocumentStatus

CANCELLATION_FIELDS = {"status", "cancelled_at", "cancelled_by_id", "cancel_reason"}
# ``file`` is the one relationship that may change (its row is written after rendering); any
# other relationship change would rewrite a foreign key at flush.
RELATIONSHIPS = {"file"}


class EvidenceError(RuntimeError):
    """Raised when code tries to change or delete an issued document or its file."""


def _changed_fields(obj: object) -> set[str]:
    state = inspect(obj)
    return {attr.key for attr in state.attrs if attr.history.has_changes()}


@event.listens_for(Session, "before_flush")
def _guard(session: Session, _context: object, _instances: object) -> None:
    for obj in session.deleted:
        if isinstance(obj, Document | DocumentFile):
            raise EvidenceError("Dokumen yang sudah terbit tidak boleh dihapus.")
    for obj in session.dirty:
        if isinstance(obj, DocumentFile) and _changed_fields(obj):
            raise EvidenceError("Berkas PDF yang sudah tersimpan tidak boleh diubah.")
        if isinstance(obj, Document):
            changed = _changed_fields(obj) - RELATIONSHIPS
            if not changed:
                continue
            history = inspect(obj).attrs.status.history
            was = history.deleted[0] if history.deleted else obj.status
            if (
                changed - CANCELLATION_FIELDS
                or was != DocumentStatus.ISSUED
                or obj.status != DocumentStatus.CANCELLED
            ):
                raise EvidenceError(
                    "Dokumen yang sudah terbit hanya boleh dibatalkan, tidak diubah."
                )
