"""Confirmations look like what they confirm, and an action column is drawn only when a row has
an action.

Sending a password reset link or sending a message again destroys nothing, and accepting an
order or a proposal is a commitment, not a loss: their "Ya, ..." button is the primary (or the
green accept) style, while disabling an account or resetting its password (the old
one stops working) keep the red danger button. The notifications outbox leaves out its
Tindakan column when no row on the page can be sent again.
"""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from procure.auth.models import User
from procure.extensions import db
from procure.umkm.models import Umkm
from tests import factories
from tests.conftest import AuthActions
from tests.functional.test_notify_outbox_page import _login, _message
from tests.functional.test_order_pages import _setup, _url
from tests.functional.test_requests_pages import allocate, create, makers, officer

__all__ = ["makers", "officer"]  # the fixtures the proposal's test takes


def confirm_button(html: str, label: str) -> str:
    """The class of the submit button of the confirmation whose summary reads ``label``."""
    found = re.findall(
        rf'<summary class="[^"]*">{re.escape(label)}</summary>.*?'
        r'<button type="submit" class="([^"]*)">',
        html,
        re.S,
    )
    assert found, label
    assert len(set(found)) == 1, found
    return found[0]


def test_a_reset_link_is_confirmed_with_the_primary_button(client: FlaskClient) -> None:
    factories.user("opd", opd=factories.opd())
    _login(client, "admin")
    html = client.get("/admin/akun").get_data(as_text=True)
    assert ">Ya, kirim tautan sandi</button>" in html
    sending = confirm_button(html, "Kirim tautan sandi").split()
    assert "btn-procure" in sending and "btn-danger" not in sending
    # What takes something away stays red.
    assert "btn-danger" in confirm_button(html, "Nonaktifkan").split()
    assert "btn-danger" in confirm_button(html, "Atur ulang sandi").split()


def test_sending_a_message_again_is_confirmed_with_the_primary_button(
    client: FlaskClient,
) -> None:
    _message("failed", "failed", attempts=6, last_error="Server SMTP menjawab 550")
    _login(client, "admin")
    html = client.get("/admin/notifikasi/").get_data(as_text=True)
    again = confirm_button(html, "Kirim ulang").split()
    assert "btn-procure" in again and "btn-danger" not in again


def test_accepting_an_order_is_confirmed_in_green(client: FlaskClient, auth: AuthActions) -> None:
    _, order, owner, _ = _setup()
    auth.login(owner.email)
    html = client.get(_url(order)).get_data(as_text=True)
    accept = confirm_button(html, "Terima pesanan").split()
    assert "btn-success" in accept and "btn-danger" not in accept


def test_accepting_a_proposal_is_confirmed_with_the_primary_button(
    client: FlaskClient, officer: User, makers: list[Umkm]
) -> None:
    purchase = create(client)
    html = allocate(client, purchase.id)
    accept = confirm_button(html, "Terima usulan").split()
    assert "btn-procure" in accept and "btn-danger" not in accept


def _columns(html: str) -> tuple[list[str], list[int]]:
    """The outbox table's header cells and the number of cells of each row."""
    table = html[html.index("<table") : html.index("</table>")]
    head = re.findall(r"<th[^>]*>(.*?)</th>", table[: table.index("</thead>")])
    body = table[table.index("<tbody>") :]
    rows = [len(re.findall(r"<td\b", row)) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    return head, rows


def test_the_outbox_has_no_empty_action_column(client: FlaskClient) -> None:
    _message("sent", "sent")
    _message("pending", "pending", channel="whatsapp")
    _login(client, "admin")
    html = client.get("/admin/notifikasi/").get_data(as_text=True)
    head, rows = _columns(html)
    assert "Tindakan" not in head
    assert rows == [len(head)] * 2
    assert 'class="actions"' not in html

    # A message that failed: the column is back, with its button on that row only.
    _message("failed", "failed", attempts=6, last_error="Server SMTP menjawab 550")
    db.session.commit()
    html = client.get("/admin/notifikasi/").get_data(as_text=True)
    head, rows = _columns(html)
    assert head[-1] == "Tindakan"
    assert rows == [len(head)] * 3
    assert html.count("Kirim ulang</summary>") == 1

    # Only what is on this page counts: the failed message filtered out, no column.
    html = client.get("/admin/notifikasi/?status=sent").get_data(as_text=True)
    head, _ = _columns(html)
    assert "Tindakan" not in head
