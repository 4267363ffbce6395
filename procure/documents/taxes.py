"""Tax lines of a PBJP document (DOMAIN.md "Taxes"), with rates from settings.

The choice made here, kept simple and explicit: ``subtotal`` (the sum of the item lines, i.e.
volume x harga satuan) is the tax base (DPP). For a PKP supplier PPN is added on top of it, so
the Surat Pesanan reads subtotal, PPN, total; a supplier that is not PKP charges no PPN and the
total is the subtotal. The SP clause "harga sudah termasuk pajak" means that this total is all
the OPD pays: the supplier may not ask for more tax on top of the document.

PPh is withheld by the Bendahara from what is paid out and computed on the same base: PPh final
0.5% when the supplier holds a PP 55/2022 certificate, otherwise PPh 23 on services (catering)
or PPh 22 on goods. PPN is paid to the supplier, not withheld here. Every amount is rounded to
whole Rupiah, half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MATERAI_THRESHOLD = 5_000_000


@dataclass(frozen=True)
class TaxSettings:
    """Tax rates (fractions: 0.11 is 11%); they change by regulation, so they are settings."""

    ppn_rate: Decimal = Decimal("0.11")
    pph22_rate: Decimal = Decimal("0.015")
    pph23_rate: Decimal = Decimal("0.02")
    pph_final_rate: Decimal = Decimal("0.005")

    def __post_init__(self) -> None:
        for name in ("ppn_rate", "pph22_rate", "pph23_rate", "pph_final_rate"):
            rate = getattr(self, name)
            if not isinstance(rate, Decimal) or not Decimal(0) <= rate < Decimal(1):
                raise ValueError(f"{name} harus Decimal antara 0 dan 1, bukan {rate!r}")


@dataclass(frozen=True)
class TaxLine:
    """One tax on a document: ``PPN 11%``, Rp 110.000, not withheld."""

    code: str
    label: str
    rate: Decimal
    amount: int
    is_withheld: bool


@dataclass(frozen=True)
class TaxSummary:
    """Subtotal, tax lines, what the OPD owes (total), what is withheld and what is paid out."""

    subtotal: int
    lines: tuple[TaxLine, ...]
    total: int
    withheld: int
    net_paid: int

    @property
    def ppn(self) -> int:
        """The PPN amount (0 when the supplier is not PKP)."""
        return sum(line.amount for line in self.lines if line.code == "PPN")


def percent(rate: Decimal) -> str:
    """A rate as an Indonesian percentage: ``Decimal("0.015")`` -> ``1,5%``."""
    return f"{(rate * 100).normalize():f}".replace(".", ",") + "%"


def _amount(base: int, rate: Decimal) -> int:
    return int((Decimal(base) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def compute_taxes(
    subtotal: int,
    *,
    is_pkp: bool,
    has_pp55_certificate: bool,
    is_service: bool,
    settings: TaxSettings,
) -> TaxSummary:
    """Tax lines for a document whose item lines add up to ``subtotal`` (the DPP)."""
    if subtotal < 0:
        raise ValueError(f"subtotal tidak boleh negatif: {subtotal}")
    lines: list[TaxLine] = []
    if is_pkp:
        rate = settings.ppn_rate
        lines.append(TaxLine("PPN", f"PPN {percent(rate)}", rate, _amount(subtotal, rate), False))
    if has_pp55_certificate:
        rate = settings.pph_final_rate
        code, label = "PPH_FINAL", f"PPh Final ({percent(rate)}) PP 55/2022"
    elif is_service:
        rate = settings.pph23_rate
        code, label = "PPH23", f"PPh Pasal 23 ({percent(rate)})"
    else:
        rate = settings.pph22_rate
        code, label = "PPH22", f"PPh Pasal 22 ({percent(rate)})"
    lines.append(TaxLine(code, label, rate, _amount(subtotal, rate), True))
    total = subtotal + sum(line.amount for line in lines if not line.is_withheld)
    withheld = sum(line.amount for line in lines if line.is_withheld)
    return TaxSummary(
        subtotal=subtotal,
        lines=tuple(lines),
        total=total,
        withheld=withheld,
        net_paid=total - withheld,
    )


def compute_inclusive_taxes(
    total: int,
    *,
    is_pkp: bool,
    has_pp55_certificate: bool,
    is_service: bool,
    settings: TaxSettings,
) -> TaxSummary:
    """Tax lines for an order whose agreed price already includes PPN (the catalog's rule:
    the price the OPD compared with the HPS is all it pays).

    For a PKP supplier the DPP is ``total / (1 + PPN rate)`` rounded half up and PPN is the
    rest, so subtotal + PPN is exactly ``total``; PPh is withheld on the DPP."""
    if total < 0:
        raise ValueError(f"total tidak boleh negatif: {total}")
    dpp = total
    if is_pkp:
        dpp = int((Decimal(total) / (1 + settings.ppn_rate)).quantize(Decimal(1), ROUND_HALF_UP))
    summary = compute_taxes(
        dpp,
        is_pkp=is_pkp,
        has_pp55_certificate=has_pp55_certificate,
        is_service=is_service,
        settings=settings,
    )
    lines = tuple(
        TaxLine(line.code, line.label, line.rate, total - dpp, False)
        if line.code == "PPN"
        else line
        for line in summary.lines
    )
    return TaxSummary(
        subtotal=dpp,
        lines=lines,
        total=total,
        withheld=summary.withheld,
        net_paid=total - summary.withheld,
    )


def needs_meterai(amount: int, threshold: int = MATERAI_THRESHOLD) -> bool:
    """A receipt strictly above the threshold (Rp 5.000.000) needs a Rp10.000 meterai."""
    return amount > threshold
