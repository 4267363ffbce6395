from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.documents.taxes import (
    TaxSettings,
    TaxSummary,
    compute_inclusive_taxes,
    compute_taxes,
    needs_meterai,
    percent,
)

SETTINGS = TaxSettings()


def _taxes(
    subtotal: int, *, pkp: bool = False, pp55: bool = False, service: bool = False
) -> TaxSummary:
    return compute_taxes(
        subtotal, is_pkp=pkp, has_pp55_certificate=pp55, is_service=service, settings=SETTINGS
    )


def _lines(summary: TaxSummary) -> list[tuple[str, str, int, bool]]:
    return [(line.code, line.label, line.amount, line.is_withheld) for line in summary.lines]


def test_non_pkp_goods_pay_no_ppn_and_have_pph22_withheld() -> None:
    summary = _taxes(2_000_000)
    assert _lines(summary) == [("PPH22", "PPh Pasal 22 (1,5%)", 30_000, True)]
    assert (summary.subtotal, summary.total, summary.withheld, summary.net_paid) == (
        2_000_000, 2_000_000, 30_000, 1_970_000,
    )  # fmt: skip
    assert summary.ppn == 0


def test_non_pkp_catering_has_pph23_withheld() -> None:
    summary = _taxes(3_500_000, service=True)
    assert _lines(summary) == [("PPH23", "PPh Pasal 23 (2%)", 70_000, True)]
    assert (summary.total, summary.withheld, summary.net_paid) == (3_500_000, 70_000, 3_430_000)


def test_pkp_adds_ppn_on_top_of_the_subtotal() -> None:
    summary = _taxes(10_000_000, pkp=True, service=True)
    assert _lines(summary) == [
        ("PPN", "PPN 11%", 1_100_000, False),
        ("PPH23", "PPh Pasal 23 (2%)", 200_000, True),
    ]
    # PPh is computed on the subtotal (the DPP), not on the amount including PPN.
    assert (summary.total, summary.withheld, summary.net_paid) == (
        11_100_000, 200_000, 10_900_000,
    )  # fmt: skip
    assert summary.ppn == 1_100_000


@pytest.mark.parametrize("service", [False, True])
def test_pp55_certificate_replaces_pph22_and_pph23_with_final(service: bool) -> None:
    summary = _taxes(4_000_000, pp55=True, service=service)
    assert _lines(summary) == [("PPH_FINAL", "PPh Final (0,5%) PP 55/2022", 20_000, True)]
    assert (summary.total, summary.net_paid) == (4_000_000, 3_980_000)


def test_pkp_with_pp55_certificate() -> None:
    summary = _taxes(1_000_000, pkp=True, pp55=True)
    assert [line.code for line in summary.lines] == ["PPN", "PPH_FINAL"]
    assert (summary.total, summary.withheld, summary.net_paid) == (1_110_000, 5_000, 1_105_000)


def test_amounts_round_half_up_to_whole_rupiah() -> None:
    # 300 x 1.5% = 4.5 -> 5 (banker's rounding would give 4).
    assert _taxes(300).withheld == 5
    # 1.234.567 x 11% = 135.802,37 -> 135.802; x 1.5% = 18.518,505 -> 18.519.
    summary = _taxes(1_234_567, pkp=True)
    assert [line.amount for line in summary.lines] == [135_802, 18_519]
    assert summary.total == 1_370_369
    assert summary.net_paid == 1_351_850
    # 125 x 2% = 2.5 -> 3; 25 x 0.5% = 0.125 -> 0.
    assert _taxes(125, service=True).withheld == 3
    assert _taxes(25, pp55=True).withheld == 0


def test_rates_come_from_settings() -> None:
    settings = TaxSettings(ppn_rate=Decimal("0.12"), pph22_rate=Decimal("0.0025"))
    summary = compute_taxes(
        1_000_000, is_pkp=True, has_pp55_certificate=False, is_service=False, settings=settings
    )
    assert _lines(summary) == [
        ("PPN", "PPN 12%", 120_000, False),
        ("PPH22", "PPh Pasal 22 (0,25%)", 2_500, True),
    ]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        _taxes(-1)
    with pytest.raises(ValueError):
        TaxSettings(ppn_rate=Decimal("11"))
    with pytest.raises(ValueError):
        TaxSettings(pph22_rate=0.015)  # type: ignore[arg-type]


def test_percent_labels() -> None:
    assert percent(Decimal("0.11")) == "11%"
    assert percent(Decimal("0.10")) == "10%"
    assert percent(Decimal("0.015")) == "1,5%"
    assert percent(Decimal("0.005")) == "0,5%"


def test_meterai_only_strictly_above_five_million() -> None:
    assert not needs_meterai(5_000_000)
    assert needs_meterai(5_000_001)
    assert not needs_meterai(0)
    assert needs_meterai(1_000_001, threshold=1_000_000)


@given(
    st.integers(min_value=0, max_value=10**12),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_totals_add_up(subtotal: int, pkp: bool, pp55: bool, service: bool) -> None:
    summary = _taxes(subtotal, pkp=pkp, pp55=pp55, service=service)
    assert summary.net_paid == summary.total - summary.withheld
    assert summary.total == subtotal + summary.ppn
    assert summary.withheld == sum(line.amount for line in summary.lines if line.is_withheld)
    assert all(line.amount >= 0 for line in summary.lines)
    assert 0 <= summary.withheld <= summary.total
    assert summary.net_paid >= 0
    # Exactly one PPh line, and PPN only for a PKP.
    assert sum(line.is_withheld for line in summary.lines) == 1
    assert any(line.code == "PPN" for line in summary.lines) == pkp
    # Each amount is within half a Rupiah of the exact product.
    for line in summary.lines:
        assert abs(Decimal(line.amount) - Decimal(subtotal) * line.rate) <= Decimal("0.5")


# -- prices that include PPN (the catalog's agreed price is all the OPD pays) ---------------


def test_inclusive_taxes_of_a_pkp_supplier_split_the_total_into_dpp_and_ppn():
    summary = compute_inclusive_taxes(
        11_100_000,
        is_pkp=True,
        has_pp55_certificate=False,
        is_service=False,
        settings=TaxSettings(),
    )
    assert (summary.subtotal, summary.ppn, summary.total) == (10_000_000, 1_100_000, 11_100_000)
    assert summary.withheld == 150_000  # PPh 22 1,5 % of the DPP
    assert summary.net_paid == 10_950_000


def test_inclusive_taxes_of_a_micro_business_have_no_ppn():
    summary = compute_inclusive_taxes(
        3_000_000,
        is_pkp=False,
        has_pp55_certificate=True,
        is_service=True,
        settings=TaxSettings(),
    )
    assert (summary.subtotal, summary.ppn, summary.total) == (3_000_000, 0, 3_000_000)
    assert [line.code for line in summary.lines] == ["PPH_FINAL"]
    assert summary.withheld == 15_000


@given(st.integers(min_value=0, max_value=10**12), st.booleans(), st.booleans(), st.booleans())
def test_inclusive_taxes_always_add_up_to_the_total(total, pkp, pp55, service):
    summary = compute_inclusive_taxes(
        total, is_pkp=pkp, has_pp55_certificate=pp55, is_service=service, settings=TaxSettings()
    )
    assert summary.subtotal + summary.ppn == summary.total == total
    assert summary.net_paid == total - summary.withheld >= 0
