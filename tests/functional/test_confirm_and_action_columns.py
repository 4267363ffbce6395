"""Confirmations look like what they confirm.

Sending a password reset link or sending a message again destroys nothing: their "Ya, ..."
button is the primary style, while disabling an account or resetting its password (the old
one stops working) keep the red danger button.
"""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests import factories
from tests.functional.test_notify_outbox_page import _login, _message


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
