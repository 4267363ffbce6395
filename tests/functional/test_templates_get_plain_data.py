"""Every page hands its template plain data, never ORM rows (decision 0012), so nothing is
lazy-loaded while a page renders.

Each GET page of the access matrix is opened as every role allowed to open it, in the
matrix's world; every value the view put in the template context is searched, however deep
(dicts, lists, tuples, dataclasses, a pagination's ``items``, a form's ``data``), for an
instance of ``procure.db.Base``. Flask's and Flask-Login's own entries are not the view's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from procure.auth.models import User
from procure.extensions import db
from procure.umkm.models import UmkmReview, UmkmStatus
from tests import factories
from tests.functional.test_access_matrix import GET_EXPECTED, ROLES, World, _as, _url, world
from tests.rendering import context_orm_objects, orm_objects

__all__ = ["world"]  # the access matrix's fixture, used by name below

# Pages not yet converted: their templates still get ORM rows. Each line is a debt; remove it
# when the view hands plain data (the test fails on a line that is no longer needed), and
# never add a new page here.
NOT_YET_PLAIN: set[str] = set()


def _more_to_show(world: World) -> None:
    """What the matrix's world leaves empty: a UMKM in the queue, a decision on the UMKM."""
    factories.umkm(status=UmkmStatus.PENDING)
    admin = db.session.scalars(select(User).where(User.email == world.users["admin"])).one()
    db.session.add(
        UmkmReview(
            umkm_id=world.args["umkm_id"],
            action="verify",
            from_status=UmkmStatus.PENDING.value,
            to_status=UmkmStatus.VERIFIED.value,
            reason="Data lengkap dan sesuai",
            actor_id=admin.id,
        )
    )
    db.session.commit()


def _opened_pages(
    app: Flask, client: FlaskClient, world: World, rendered: list[dict[str, Any]]
) -> dict[str, list[str]]:
    """Endpoint -> what each allowed role's view of it handed over as ORM rows."""
    problems: dict[str, list[str]] = {}
    for role in ROLES:
        _as(client, world, role)
        for endpoint, expected in GET_EXPECTED.items():
            if expected[role] != 200:
                continue
            url = _url(app, endpoint, world.args)
            rendered.clear()
            status = client.get(url).status_code
            assert status == 200, f"{role} GET {url} ({endpoint}): {status}"
            for context in rendered:
                for name, objects in context_orm_objects(context).items():
                    kinds = sorted({type(o).__name__ for o in objects})
                    problems.setdefault(endpoint, []).append(
                        f"{role:9} GET {url}: {name} holds {', '.join(kinds)}"
                    )
    return problems


def test_templates_get_no_orm_rows(
    app: Flask, client: FlaskClient, world: World, rendered: list[dict[str, Any]]
) -> None:
    _more_to_show(world)
    problems = _opened_pages(app, client, world, rendered)
    new = [line for page in sorted(problems.keys() - NOT_YET_PLAIN) for line in problems[page]]
    assert not new, "templates given ORM rows:\n" + "\n".join(new)
    fixed = sorted(NOT_YET_PLAIN - problems.keys())
    assert not fixed, f"now plain, take them off NOT_YET_PLAIN: {fixed}"


def test_allow_list_names_real_pages() -> None:
    assert set(GET_EXPECTED) >= NOT_YET_PLAIN


@dataclass(frozen=True)
class _Holder:
    rows: list[object]


class _Page:
    def __init__(self, items: list[object]) -> None:
        self.items = items
        self._query = items  # private: not looked into


def test_the_search_finds_rows_however_deep(app: Flask) -> None:
    umkm = factories.umkm()
    db.session.flush()
    assert orm_objects(umkm) == [umkm]
    assert orm_objects({"a": [(_Holder([umkm]),)]}) == [umkm]
    assert orm_objects(_Page([umkm])) == [umkm]
    assert context_orm_objects({"current_user": umkm, "page": _Page([umkm])}) == {"page": [umkm]}
    assert orm_objects({"a": [1, "x", None, _Holder(["y"])]}) == []
