"""Kelurahan follows kecamatan: without JavaScript the server refuses a kelurahan of another
kecamatan on the kelurahan field and keeps everything typed but the passwords."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.auth.models import User
from procure.extensions import db
from procure.umkm.forms import KELURAHAN_ELSEWHERE
from procure.umkm.models import Umkm
from tests import factories
from tests.functional.test_umkm_profile import URL as PROFILE_URL
from tests.functional.test_umkm_profile import login_owner, profile_data
from tests.functional.test_umkm_registration import URL, form_data, places  # noqa: F401


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_mismatched_pair_is_refused_on_the_kelurahan_field_keeping_the_input(
    client: FlaskClient,
    places: dict[str, Any],  # noqa: F811 - the imported fixture
) -> None:
    elsewhere = places["elsewhere"]
    data = form_data(places, kelurahan_id=str(elsewhere.id))
    response = client.post(URL, data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<div id="kelurahan_id-error" class="invalid-feedback d-block">' in page
    assert KELURAHAN_ELSEWHERE in page
    assert count(Umkm) == 0 and count(User) == 0
    # Everything typed is still there ...
    for name in ("owner_name", "business_name", "address", "bank_name", "bank_account_name"):
        assert f'value="{data[name]}"' in page, name
    assert 'value="siti.batik@contoh.id"' in page
    assert 'value="3374015204850001"' in page  # the NIK, as the rule normalised it
    assert "Batik tulis pewarna alam sejak 2009." in page
    home = places["home"]
    assert f'<option selected value="{home.kecamatan_id}">' in page
    assert f'data-kecamatan="{elsewhere.kecamatan_id}" selected value="{elsewhere.id}"' in page
    # ... except the passwords.
    assert "BatikTulis2026" not in page


def test_profile_edit_refuses_a_mismatched_pair_too(
    client: FlaskClient,
    auth: Any,
    places: dict[str, Any],  # noqa: F811 - the imported fixture
) -> None:
    umkm = login_owner(auth, status="pending")
    db.session.commit()
    elsewhere = places["elsewhere"]
    assert "/static/region.js" in client.get(PROFILE_URL).get_data(as_text=True)
    data = profile_data(umkm, kelurahan_id=str(elsewhere.id))
    response = client.post(PROFILE_URL, data=data)
    assert response.status_code == 200
    assert KELURAHAN_ELSEWHERE in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Umkm, umkm.id).kelurahan_id != elsewhere.id  # type: ignore[union-attr]


def test_the_pair_that_belongs_together_registers(
    client: FlaskClient,
    places: dict[str, Any],  # noqa: F811 - the imported fixture
) -> None:
    factories.kelurahan("Sukamaju Utara", "Kauman")
    db.session.commit()
    response = client.post(URL, data=form_data(places))
    assert response.status_code == 302
    assert count(Umkm) == 1
