"""Two admins deciding on one UMKM at once: the second is told, not silently recorded."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from procure.admin.rules import MANUAL_CHECKS, Action
from procure.admin.services_umkm import ReviewError, review_umkm
from procure.extensions import db
from procure.umkm.models import Umkm, UmkmReview
from tests import factories


def test_a_decision_taken_meanwhile_wins(app: Flask) -> None:
    admin = factories.user("admin")
    umkm = factories.umkm(status="pending")
    db.session.commit()
    assert umkm.status == "pending"  # what this admin's page showed
    with db.engine.begin() as other:  # another admin rejects it in the meantime
        other.execute(update(Umkm).where(Umkm.id == umkm.id).values(status="rejected"))
    with pytest.raises(ReviewError, match="baru saja diubah"):
        review_umkm(
            db.session, umkm, Action.VERIFY, admin.id, ticked=dict.fromkeys(MANUAL_CHECKS, True)
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(UmkmReview)) == 0
    assert db.session.get(Umkm, umkm.id).status == "rejected"  # type: ignore[union-attr]
