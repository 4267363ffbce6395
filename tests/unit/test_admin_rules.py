"""The admin's pure rules: status transitions, the verification checklist, slugs, chart, data."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.admin import presenters, rules
from procure.admin.rules import Action, TransitionError

STATUSES = ["pending", "verified", "rejected", "suspended"]
EXPECTED = {
    (Action.VERIFY, "pending"): "verified",
    (Action.REJECT, "pending"): "rejected",
    (Action.SUSPEND, "verified"): "suspended",
    (Action.REINSTATE, "suspended"): "verified",
}
GOOD = rules.Application(
    nib="9120001234567",
    npwp="01.234.567.8-901.000",
    nik="3374011204850001",
    nib_used_elsewhere=False,
)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", STATUSES)
def test_transition_table_is_exactly_the_four_moves(action: Action, status: str) -> None:
    if (action, status) in EXPECTED:
        assert rules.next_status(action, status) == EXPECTED[(action, status)]
    else:
        with pytest.raises(TransitionError) as info:
            rules.next_status(action, status)
        assert "Tidak bisa" in str(info.value)


def test_refusal_names_the_current_and_the_needed_status() -> None:
    with pytest.raises(TransitionError, match="ditolak.*menunggu verifikasi"):
        rules.next_status(Action.VERIFY, "rejected")


def test_allowed_actions_per_status() -> None:
    assert rules.allowed_actions("pending") == [Action.VERIFY, Action.REJECT]
    assert rules.allowed_actions("verified") == [Action.SUSPEND]
    assert rules.allowed_actions("suspended") == [Action.REINSTATE]
    assert rules.allowed_actions("rejected") == []


@pytest.mark.parametrize("action", [Action.REJECT, Action.SUSPEND, Action.REINSTATE])
@pytest.mark.parametrize("reason", [None, "", "   ", "terlalu", "  pendek   "])
def test_decisions_against_a_business_need_a_reason(action: Action, reason: str | None) -> None:
    with pytest.raises(TransitionError, match="minimal 10 karakter"):
        rules.check_reason(action, reason)


def test_reason_is_trimmed_and_verify_needs_none() -> None:
    assert rules.check_reason(Action.REJECT, "  NIB  tidak\nterdaftar di OSS ") == (
        "NIB tidak terdaftar di OSS"
    )
    assert rules.check_reason(Action.VERIFY, None) is None
    assert rules.check_reason(Action.VERIFY, " ok ") == "ok"


def test_good_application_passes_every_automatic_check() -> None:
    checks = rules.automatic_checks(GOOD)
    assert [c.key for c in checks] == ["nib_format", "npwp_format", "nik_format", "nib_unique"]
    assert all(c.passed for c in checks)


@pytest.mark.parametrize(
    ("change", "failed_key", "words"),
    [
        ({"nib": "912000123456"}, "nib_format", "NIB harus 13 digit"),
        ({"npwp": "01234567890123"}, "npwp_format", "NPWP harus 15 atau 16 digit"),
        ({"npwp": "0123456789012345"}, None, ""),  # 16 digits: the NIK-based NPWP
        ({"nik": "337401120485000"}, "nik_format", "NIK harus 16 digit"),
        ({"nik": "3374019904850001"}, "nik_format", "tanggal lahir"),
        ({"nib_used_elsewhere": True}, "nib_unique", "sudah dipakai UMKM lain"),
    ],
)
def test_each_automatic_check_fails_alone(
    change: dict[str, object], failed_key: str | None, words: str
) -> None:
    values = {**GOOD.__dict__, **change}
    checks = rules.automatic_checks(rules.Application(**values))  # type: ignore[arg-type]
    failed = [c for c in checks if not c.passed]
    if failed_key is None:
        assert failed == []
    else:
        assert [c.key for c in failed] == [failed_key]
        assert words in failed[0].detail


def test_manual_checks_missing_keys_count_as_unticked() -> None:
    checks = rules.manual_checks({"own_production": True})
    assert {c.key: c.passed for c in checks} == {"own_production": True, "address_in_city": False}


def test_missing_for_verification_names_every_gap() -> None:
    automatic = rules.automatic_checks(rules.Application(**{**GOOD.__dict__, "nib": "12"}))
    manual = rules.manual_checks({"address_in_city": True})
    missing = rules.missing_for_verification(automatic, manual)
    assert len(missing) == 2
    assert missing[0].startswith("NIB 13 digit angka: NIB harus 13 digit")
    assert "Produksi sendiri" in missing[1] and missing[1].startswith("centang")
    all_good = rules.manual_checks({key: True for key in rules.MANUAL_CHECKS})
    assert rules.missing_for_verification(rules.automatic_checks(GOOD), all_good) == []


def test_checklist_record_is_plain_json() -> None:
    record = rules.checklist_record(
        rules.automatic_checks(GOOD), rules.manual_checks({"own_production": True})
    )
    assert record == {
        "automatic": {
            "nib_format": True,
            "npwp_format": True,
            "nik_format": True,
            "nib_unique": True,
        },
        "manual": {"own_production": True, "address_in_city": False},
    }


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Alat Tulis Kantor (ATK)", "alat-tulis-kantor-atk"),
        ("  Konsumsi / Katering  ", "konsumsi-katering"),
        ("Kerajinan Ñusantara", "kerajinan-nusantara"),
        ("!!!", ""),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert rules.slugify(name) == slug


def test_unique_slug_adds_a_number() -> None:
    assert rules.unique_slug("batik", set()) == "batik"
    assert rules.unique_slug("batik", {"batik", "batik-2"}) == "batik-3"
    long = "a" * 50
    assert rules.unique_slug(long, {long}) == "a" * 48 + "-2"


@given(st.text(max_size=200))
def test_slugify_always_gives_a_clean_slug(name: str) -> None:
    slug = rules.slugify(name)
    assert re.fullmatch(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*)?", slug)
    assert len(slug) <= rules.SLUG_MAX_LENGTH


def test_bar_chart_scales_to_the_largest_value() -> None:
    chart = presenters.bar_chart(
        [("Utara", 10), ("Selatan", 5), ("Kecamatan Dengan Nama Panjang Sekali", 0)]
    )
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == chart.width - chart.label_width - presenters.CHART_VALUE_WIDTH
    assert widths[1] == widths[0] // 2
    assert widths[2] == 0
    assert chart.bars[2].label.endswith("\u2026")
    assert len(chart.bars[2].label) == presenters.LABEL_MAX_CHARS
    assert chart.bars[1].y > chart.bars[0].y
    assert presenters.bar_chart([]).height == 0
    assert [b.width for b in presenters.bar_chart([("A", 0)]).bars] == [0]


def test_data_lines_show_changes_as_old_to_new() -> None:
    lines = presenters.data_lines(
        {"name": ["Dinas A", "Dinas B"], "is_active": [True, False], "role": "opd", "nip": None}
    )
    assert lines == [
        ("name", "Dinas A \u2192 Dinas B"),
        ("is_active", "ya \u2192 tidak"),
        ("role", "opd"),
        ("nip", "\u2013"),
    ]
    assert presenters.data_lines(None) == []
