"""The notifications' pure rules: the backoff, masked recipients, phone numbers, one line."""

from __future__ import annotations

import datetime as dt

from procure.notify.rules import (
    mask,
    mask_email,
    mask_phone,
    next_attempt,
    one_line,
    retry_delay,
    whatsapp_number,
)

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


def test_backoff_grows_then_stays_at_six_hours() -> None:
    minutes = [retry_delay(n).total_seconds() / 60 for n in range(1, 8)]
    assert minutes == [1, 5, 30, 120, 360, 360, 360]


def test_next_attempt_gives_up_at_the_maximum() -> None:
    assert next_attempt(1, 6, NOW) == NOW + dt.timedelta(minutes=1)
    assert next_attempt(5, 6, NOW) == NOW + dt.timedelta(hours=6)
    assert next_attempt(6, 6, NOW) is None


def test_masks() -> None:
    assert mask_email("siti.aminah@contoh.id") == "si***@contoh.id"
    assert mask_phone("0812-3456-7890") == "0812*****890"
    assert mask("email", "ab@c.id") == "ab***@c.id"
    assert mask("whatsapp", "6281234567890") == "6281******890"
    assert mask_phone("12345") == "*****"


def test_whatsapp_numbers_normalised_to_62() -> None:
    assert whatsapp_number("0812-3456-7890") == "6281234567890"
    assert whatsapp_number("+62 812 3456 7890") == "6281234567890"
    assert whatsapp_number("812 3456 7890") == "6281234567890"
    assert whatsapp_number("(024) 355 1234") is None  # a landline has no WhatsApp
    assert whatsapp_number("") is None
    assert whatsapp_number(None) is None


def test_one_line_for_a_template_parameter() -> None:
    assert one_line("Halo\n\nPesanan baru\n") == "Halo · Pesanan baru"
    assert "\n" not in one_line("a\nb\tc")
