"""A refused form opens with its error summary: "Periksa isian berikut:", a link to each refused
field, the summary focused without JavaScript (``autofocus`` on a ``tabindex=-1`` alert), each
refused field marked ``aria-invalid`` and described by its message. Once per form.

Registration, a product, an omzet month, a request's cancellation (a form drawn by hand), an
OPD's budget (one small form per row of a table) and the allocation override (its form's own
anchor in the address it posts to).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from wtforms import StringField
from wtforms.validators import DataRequired

from procure.auth.models import User
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.form_errors import Problem, problems, summary_once
from procure.forms_base import BaseForm
from procure.umkm.models import Umkm
from tests import factories
from tests.functional.test_omzet_filing import owner as omzet_owner
from tests.functional.test_request_edit_cancel import cancel_url
from tests.functional.test_requests_pages import (
    allocate,
    create,
    decision_form,
    makers,
    officer,
    page,
)
from tests.functional.test_umkm_products import NEW as PRODUCT_NEW
from tests.functional.test_umkm_products import owner as product_owner
from tests.functional.test_umkm_products import product_data
from tests.functional.test_umkm_registration import URL as REGISTER
from tests.functional.test_umkm_registration import form_data, places

__all__ = ["makers", "officer", "places", "product_owner"]  # fixtures used by name below

SUMMARY = re.compile(r'<div class="alert alert-danger form-error-summary"([^>]*)>(.*?)</div>', re.S)


def summary(html: str) -> tuple[str, str]:
    """The summary's attributes and content; exactly one per page."""
    found = SUMMARY.findall(html)
    assert len(found) == 1, f"{len(found)} error summaries"
    attributes, content = found[0]
    assert 'role="alert"' in attributes and 'tabindex="-1"' in attributes
    assert "autofocus" in attributes
    assert "Periksa isian berikut:" in content
    return attributes, content


def assert_linked_and_marked(html: str, field_ids: list[str]) -> None:
    """Each refused field is linked from the summary and marked on the field itself."""
    _, content = summary(html)
    for field_id in field_ids:
        assert f'href="#{field_id}"' in content, field_id
        tag = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{field_id}"[^>]*>', html)
        assert tag, field_id
        assert 'aria-invalid="true"' in tag.group(0), field_id
        assert f"{field_id}-error" in tag.group(0), field_id
        assert f'id="{field_id}-error"' in html, field_id


def first_in_form(html: str) -> None:
    """The summary comes before every field of its form (after the hidden inputs)."""
    start = html.index("form-error-summary")
    form_open = html.rindex("<form", 0, start)
    between = html[form_open:start]
    assert not re.search(r'<(?:input(?![^>]*type="hidden")|select|textarea)\b', between), between


def test_a_refused_registration_lists_and_links_its_fields(
    client: FlaskClient, places: dict[str, Any]
) -> None:
    data = form_data(places, nib="12", phone="abc", business_name="")
    html = client.post(REGISTER, data=data).get_data(as_text=True)
    assert_linked_and_marked(html, ["business_name", "nib", "phone"])
    first_in_form(html)
    assert html.count("autofocus") == 1  # nothing else competes for the focus


def test_a_refused_product_lists_and_links_its_fields(
    client: FlaskClient, product_owner: Umkm
) -> None:
    data = product_data(unit_price="0", monthly_capacity="0", name="")
    html = client.post(PRODUCT_NEW, data=data).get_data(as_text=True)
    assert_linked_and_marked(html, ["name", "unit_price", "monthly_capacity"])
    first_in_form(html)
    _, content = summary(html)
    assert content.index('href="#name"') < content.index('href="#unit_price"')  # form order


def test_a_refused_omzet_month_lists_and_links_the_amount(client: FlaskClient, auth: Any) -> None:
    user = omzet_owner()
    db.session.commit()
    auth.login(user.email)
    html = client.post("/omzet/", data={"period": "2026-10", "amount": "dua juta"}).get_data(
        as_text=True
    )
    assert_linked_and_marked(html, ["amount"])
    first_in_form(html)


def test_a_form_drawn_by_hand_gets_the_summary_too(
    client: FlaskClient, officer: User, makers: list[Umkm]
) -> None:
    purchase = create(client)
    html = client.post(cancel_url(purchase.id), data={"reason": ""}).get_data(as_text=True)
    assert_linked_and_marked(html, ["reason"])
    first_in_form(html)


def test_a_refused_budget_lists_and_links_its_row(client: FlaskClient, auth: Any) -> None:
    factories.opd(name="Dinas Kesehatan")
    opd = factories.opd(name="Dinas Pendidikan")
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    year = today_in_jakarta().year
    posted = {"opd_id": str(opd.id), "year": str(year), "amount": "satu miliar"}
    html = client.post("/pemerataan/pagu", data=posted).get_data(as_text=True)
    field_id = f"amount-{opd.id}"
    assert_linked_and_marked(html, [field_id])
    _, content = summary(html)
    assert f"Pagu Dinas Pendidikan tahun {year}</a>: " in content
    assert "angka bulat" in content
    assert html.index("form-error-summary") < html.index(f'id="{field_id}"')
    assert html.count("autofocus") == 1
    assert 'value="satu miliar"' in html  # what was typed comes back

    # A refusal of the service (an OPD no longer listed) is said too, with no field to link.
    posted["opd_id"] = "999999"
    posted["amount"] = "1.000.000"
    html = client.post("/pemerataan/pagu", data=posted).get_data(as_text=True)
    _, content = summary(html)
    assert "OPD tidak ditemukan atau sudah tidak aktif." in content and "href=" not in content


def test_a_valid_page_has_no_summary(client: FlaskClient, places: dict[str, Any]) -> None:
    html = client.get(REGISTER).get_data(as_text=True)
    assert "form-error-summary" not in html
    assert "autofocus" not in html


def test_a_refused_override_reopens_at_its_form_with_the_message_first(
    client: FlaskClient, officer: User, makers: list[Umkm]
) -> None:
    purchase = create(client)
    html = allocate(client, purchase.id)
    # The override form posts to an address that carries its own anchor: the answer opens
    # there, not at the top of the ranking.
    assert f'action="{page(purchase.id)}/putuskan#pilih-sendiri-gagal"' in html
    assert (
        f'action="{page(purchase.id)}/putuskan#keputusan-gagal-terima"' in html
    )  # accepting: its section
    chosen = {f"jumlah_{makers[1].id}": "37"}
    refused = client.post(
        f"{page(purchase.id)}/putuskan", data=decision_form(html, "sendiri", **chosen)
    ).get_data(as_text=True)
    _, content = summary(refused)
    assert "Alasan perubahan wajib diisi, minimal 20 karakter." in content
    form_at = refused.index('id="pilih-sendiri"')
    assert form_at < refused.index("form-error-summary") < refused.index(f"jumlah_{makers[1].id}")
    assert '<details class="d-block w-100" open>' in refused


class _Two(BaseForm):
    class Meta:
        csrf = False

    first = StringField("Nama pertama", validators=[DataRequired("Nama pertama wajib diisi.")])
    second = StringField("Nama kedua", validators=[DataRequired("Nama kedua wajib diisi.")])


def test_the_summary_is_given_once_per_form(app: Flask) -> None:
    with app.test_request_context(method="POST", data={}):
        form = _Two()
        assert summary_once(form.first) == []  # not validated: no errors yet
        assert not form.validate()
        form.form_errors.append("Isian tidak bisa disimpan.")
        expected = [
            Problem(None, "", "Isian tidak bisa disimpan."),
            Problem("first", "Nama pertama", "Nama pertama wajib diisi."),
            Problem("second", "Nama kedua", "Nama kedua wajib diisi."),
        ]
        assert problems(form) == expected
        assert summary_once(form.second) == expected  # whichever field is drawn first
        assert summary_once(form.first) == []
        assert summary_once(form) == []
        assert summary_once(_Two(data={"first": "a", "second": "b"})) == []
