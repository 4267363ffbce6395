"""Issue 10, finding 3: each reported 500 is now a clear Indonesian answer, and nothing is saved.

The examples are the probe's own: a NUL in the login e-mail, in the registration's owner name
and in a text field of every form; ``expected_attendees=2147483648``; a payment of
``9.223.372.036.854.775.808``; a 400-digit received quantity; ``run_id=2147483648``;
``?page=9223372036854775808`` on the list pages; ``to=0001-01-01`` on the OCDS endpoint and
``start=0001-01-01`` on the documents list; and a payment far above the order's value.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import func, select
from wtforms import Form

from procure.audit.models import AuditLog
from procure.auth.models import User
from procure.extensions import db
from procure.forms_base import BaseForm
from procure.procurement.models import OrderEvent, PurchaseOrder, PurchaseRequest
from procure.umkm.models import Umkm
from tests.functional.test_access_matrix import World, world  # noqa: F401 - a fixture
from tests.fuzz.baselines import BASELINES
from tests.fuzz.seed import Seed, build_seed
from tests.fuzz.test_fuzz_inputs import Prober, _url

HIDDEN = "karakter tersembunyi"


@pytest.fixture
def seed(app: Flask, world: World) -> Seed:  # noqa: F811 - the imported fixture
    return build_seed(app, world)


def _count(model: type, *where: Any) -> int:
    db.session.expire_all()
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _post(app: Flask, seed: Seed, endpoint: str, **changes: str) -> tuple[int, str]:
    """The endpoint's valid form (tests/fuzz/baselines) with ``changes``, as its role."""
    (baseline, *_) = BASELINES[endpoint]
    client = Prober(app, seed).client(baseline.role, fresh=True)
    data: dict[str, Any] = baseline.data(seed, 1) | changes
    for name, (content, filename) in baseline.files(seed).items():
        data[name] = (io.BytesIO(content), filename)
    g.pop("_login_user", None)  # see Prober.send
    url = _url(app, endpoint, {**seed.args, **seed.targets.get(endpoint, {})})
    response = client.post(url, data=data)
    db.session.rollback()
    return response.status_code, response.get_data(as_text=True)


def _get(client: FlaskClient, url: str) -> tuple[int, str]:
    g.pop("_login_user", None)
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def test_every_form_derives_from_the_base_form(app: Flask) -> None:
    """A new form cannot forget the control-character check: it comes with the base class."""

    def walk(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *walk(sub))]

    forms = [c for c in walk(Form) if c.__module__.startswith("procure.")]
    assert len(forms) > 25
    missing = [f"{c.__module__}.{c.__name__}" for c in forms if not issubclass(c, BaseForm)]
    assert not missing, f"derive these from procure.forms_base.BaseForm: {missing}"


def check_login_with_a_nul_in_the_email_gets_a_message(app: Flask, seed: Seed) -> None:
    status, html = _post(app, seed, "auth.login", email="a\x00b@contoh.id")
    assert status == 200 and HIDDEN in html and "U+0000" in html


def check_registration_with_a_nul_in_the_owner_name_saves_nothing(app: Flask, seed: Seed) -> None:
    before = (_count(Umkm), _count(User))
    status, html = _post(app, seed, "umkm.register", owner_name="Siti\x00 Aminah")
    assert status == 200 and HIDDEN in html
    assert (_count(Umkm), _count(User)) == before


# One text field of each form the probe reported (11 forms and more), with a NUL in it.
NUL_FIELDS = [
    ("auth.login", "email"),
    ("umkm.register", "owner_name"),
    ("umkm.profile_edit", "bank_name"),
    ("umkm.product_new", "name"),
    ("umkm.product_edit", "description"),
    ("omzet.umkm_correct", "reason"),
    ("admin.umkm_verify", "note"),
    ("admin.umkm_reject", "reason"),
    ("admin.opd_new", "name"),
    ("admin.user_new", "full_name"),
    ("admin.category_list", "name"),
    ("admin.region_list", "kec-name"),
    ("procurement.request_new", "title"),
    ("procurement.request_new", "specification"),
    ("orders.order_decline", "reason"),
    ("orders.order_inspect", "notes"),
    ("orders.order_pay", "reference"),
    ("orders.order_cancel", "reason"),
]


def check_a_nul_in_any_text_field_is_refused_and_nothing_is_saved(app: Flask, seed: Seed) -> None:
    failures = []
    for endpoint, field in NUL_FIELDS:
        before = _count(AuditLog)
        valid = BASELINES[endpoint][0].data(seed, 1)
        status, html = _post(app, seed, endpoint, **{field: f"Uji\x00{valid[field][:20]}"})
        if status not in (200, 400) or HIDDEN not in html or _count(AuditLog) != before:
            failures.append(f"{endpoint} {field}: {status}, message {HIDDEN in html}")
    assert not failures, failures


def check_other_control_characters_are_refused_and_zero_width_spaces_dropped(
    app: Flask, seed: Seed
) -> None:
    for bad in ("\x1b[31m", "\x7f", "\x85", "\u202egnp.exe", "baris\nkedua"):
        status, html = _post(app, seed, "admin.category_list", name=f"Kategori {bad}")
        assert status == 200 and ("tersembunyi" in html or "satu baris" in html), bad
    status, _ = _post(app, seed, "admin.category_list", name="Kate\u200bgori\ufeff Jamu")
    assert status == 302
    assert "Kategori Jamu" in _get(Prober(app, seed).client("admin"), "/admin/kategori")[1]
    # A text area keeps its line breaks.
    status, _ = _post(app, seed, "orders.order_decline", reason="Kapasitas penuh\r\nbulan ini")
    assert status == 302


def check_expected_attendees_past_the_integer_column_saves_nothing(app: Flask, seed: Seed) -> None:
    before = _count(PurchaseRequest)
    for value, message in [
        ("2147483648", "Jumlah peserta terlalu besar (paling banyak 2.147.483.647)"),
        ("9" * 5000, "Jumlah peserta terlalu besar"),
        ("1.000.000", "Jumlah peserta paling banyak 100.000."),
    ]:
        status, html = _post(app, seed, "procurement.request_new", expected_attendees=value)
        assert status == 200 and message in html, value
    assert _count(PurchaseRequest) == before


def check_a_huge_payment_is_refused_and_the_order_stays_unpaid(app: Flask, seed: Seed) -> None:
    order_id = seed.targets["orders.order_pay"]["order_id"]
    events = _count(OrderEvent, OrderEvent.order_id == order_id)
    withheld = int(seed.values["received_withheld"])  # type: ignore[call-overload]
    trillions = 9_000_000_000_000
    for fields, message in [
        ({"gross": "9.223.372.036.854.775.808"}, "Jumlah rupiah terlalu besar"),
        ({"net": "9223372036854775808"}, "Jumlah rupiah terlalu besar"),
        ({"tax_amount_1": "1" + "0" * 400}, "Jumlah rupiah terlalu besar"),
        # Rp 9 triliun on an order of a few hundred thousand: was accepted with a warning.
        (
            {"gross": str(trillions), "net": str(trillions - withheld)},
            "melebihi sisa yang belum dibayar",
        ),
    ]:
        status, html = _post(app, seed, "orders.order_pay", **fields)
        assert status == 200 and message in html, fields
    order = db.session.get(PurchaseOrder, order_id)
    assert order is not None and order.status == "received" and order.payment_amount is None
    assert _count(OrderEvent, OrderEvent.order_id == order_id) == events


def check_the_full_value_of_a_late_order_is_still_paid_with_a_warning(
    app: Flask, seed: Seed
) -> None:
    value = int(seed.values["received_value"])  # type: ignore[call-overload]
    net = int(seed.values["received_net"])  # type: ignore[call-overload]
    status, _ = _post(app, seed, "orders.order_pay")  # the full value: gross, PPh and net
    assert status == 302
    order = db.session.get(PurchaseOrder, seed.targets["orders.order_pay"]["order_id"])
    assert order is not None and order.status == "paid" and order.payment_amount == net
    assert order.payment_gross == value


def check_a_400_digit_received_quantity_gets_a_message(app: Flask, seed: Seed) -> None:
    order_id = seed.targets["orders.order_inspect"]["order_id"]
    for value in ("1" + "0" * 400, "9" * 5000, "2147483648"):
        status, html = _post(app, seed, "orders.order_inspect", received_quantity=value)
        assert status == 200 and "Jumlah diterima terlalu besar" in html, value[:12]
    order = db.session.get(PurchaseOrder, order_id)
    assert order is not None and order.inspected_at is None


def check_a_run_id_past_the_integer_column_is_refused(app: Flask, seed: Seed) -> None:
    before = _count(PurchaseOrder)
    for run_id in ("2147483648", "9223372036854775808", "9" * 5000, "-1"):
        status, _ = _post(app, seed, "procurement.request_decide", run_id=run_id)
        assert status in (400, 404), run_id
    assert _count(PurchaseOrder) == before


LIST_PAGES = [
    ("admin", "/admin/verifikasi"),
    ("admin", "/admin/umkm"),
    ("admin", "/admin/opd"),
    ("admin", "/admin/akun"),
    ("admin", "/admin/audit"),
    ("admin", "/omzet/kepatuhan"),
    ("admin", "/omzet/tanda"),
    ("admin", "/pemeriksaan/pesanan"),
    ("admin", "/pengadaan/permintaan"),
    ("admin", "/pengadaan/pesanan"),
    ("admin", "/dokumen/"),
    ("opd", "/katalog/"),
    ("umkm", "/umkm/produk"),
    ("umkm", "/pengadaan/pesanan-masuk"),
]


def check_a_page_number_past_64_bits_shows_a_page(app: Flask, seed: Seed) -> None:
    prober = Prober(app, seed)
    for role, url in LIST_PAGES:
        for page in ("9223372036854775808", "2147483648", "9" * 5000, "-5", "x"):
            status, _ = _get(prober.client(role), f"{url}?page={page}")
            assert status == 200, (url, page[:20])


@pytest.mark.parametrize("query", ["to=0001-01-01", "to=9999-12-31", "from=0001-01-01"])
def test_ocds_dates_out_of_range_get_a_message(client: FlaskClient, query: str) -> None:
    response = client.get(f"/ocds/releases.json?{query}")
    assert response.status_code == 400
    assert "di luar rentang yang bisa diproses" in response.get_json()["error"]


def check_document_list_dates_out_of_range_get_a_message(app: Flask, seed: Seed) -> None:
    client = Prober(app, seed).client("admin")
    for query in ("start=0001-01-01", "end=9999-12-31", "start=0001-01-01&end=0001-01-02"):
        status, html = _get(client, f"/dokumen/?{query}")
        assert status == 200 and "di luar rentang yang bisa diproses" in html, query
        assert _get(client, f"/dokumen/unduh.zip?{query}")[0] == 400, query
    status, html = _get(client, "/admin/audit?date_from=0001-01-01")
    assert status == 200 and "di luar rentang" in html


def check_ids_past_the_integer_column_are_not_found(app: Flask, seed: Seed) -> None:
    client = Prober(app, seed).client("admin")
    for url in ("/pengadaan/pesanan/{}", "/admin/umkm/{}", "/dokumen/{}.pdf", "/katalog/produk/{}"):
        for number in ("2147483648", "9223372036854775808", "9" * 5000):
            assert _get(client, url.format(number))[0] == 404, url


def check_control_characters_outside_form_fields_get_400_in_indonesian(
    app: Flask, seed: Seed
) -> None:
    prober = Prober(app, seed)
    assert _get(prober.client("admin"), "/admin/umkm?q=a%00b")[0] == 400
    status, html = _get(prober.client("admin"), "/admin/audit?actor=x%1b")
    assert status == 400 and HIDDEN in html
    response = app.test_client().get("/ocds/releases.json?to=2026-01-01%00")
    assert response.status_code == 400 and HIDDEN in response.get_json()["error"]
    # A value no form field reads (the decision's quantities) and a file's name.
    status, html = _post(
        app, seed, "procurement.request_decide", **{f"jumlah_{seed.values['umkm_id']}": "6\x00"}
    )
    assert status == 400 and HIDDEN in html
    g.pop("_login_user", None)
    upload = app.test_client().post(
        "/verifikasi/", data={"pdf": (io.BytesIO(b"%PDF-1.4"), "a\x00.pdf")}
    )
    assert upload.status_code == 400 and "Nama berkas" in upload.get_data(as_text=True)


# Each check above needs the seeded world; one world per group keeps the suite quick.


def test_text_with_hidden_characters_is_refused_before_it_reaches_the_database(
    app: Flask, seed: Seed
) -> None:
    check_login_with_a_nul_in_the_email_gets_a_message(app, seed)
    check_registration_with_a_nul_in_the_owner_name_saves_nothing(app, seed)
    check_a_nul_in_any_text_field_is_refused_and_nothing_is_saved(app, seed)
    check_other_control_characters_are_refused_and_zero_width_spaces_dropped(app, seed)
    check_control_characters_outside_form_fields_get_400_in_indonesian(app, seed)


def test_numbers_past_their_column_are_refused_and_save_nothing(app: Flask, seed: Seed) -> None:
    check_expected_attendees_past_the_integer_column_saves_nothing(app, seed)
    check_a_400_digit_received_quantity_gets_a_message(app, seed)
    check_a_run_id_past_the_integer_column_is_refused(app, seed)
    check_ids_past_the_integer_column_are_not_found(app, seed)
    check_a_huge_payment_is_refused_and_the_order_stays_unpaid(app, seed)
    check_the_full_value_of_a_late_order_is_still_paid_with_a_warning(app, seed)


def test_pages_and_dates_of_lists_out_of_range(app: Flask, seed: Seed) -> None:
    check_a_page_number_past_64_bits_shows_a_page(app, seed)
    check_document_list_dates_out_of_range_get_a_message(app, seed)
