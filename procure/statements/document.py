"""The Surat Keterangan's printed content, built from the statement's figures (plain data)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from procure.documents.content import DocumentContent, Kop, Row, StatementBody, StatementOrder
from procure.formatting import number, rupiah, tanggal
from procure.statements.rules import MONEY_TOTALS, TOTAL_LABELS

TITLE = "Surat Keterangan Riwayat Pesanan Pemerintah"
VERIFY_PATH = "/verifikasi/surat-keterangan/"


# The status as the printed table shows it: one or two words, so that a row stays short.
SHORT_STATUS = {
    "issued": "Menunggu jawaban",
    "accepted": "Dikerjakan",
    "delivered": "Dikirim",
    "received": "Diserahterimakan",
    "paid": "Lunas",
    "cancelled": "Dibatalkan",
    "declined": "Ditolak",
    "expired": "Kedaluwarsa",
}


def _day(text: str | None) -> str:
    """``20/11/2026``: short, so that a statement of hundreds of orders stays compact."""
    return dt.date.fromisoformat(text).strftime("%d/%m/%Y") if text else "-"


def period_text(start: dt.date, end: dt.date) -> str:
    return f"{tanggal(start)} s.d. {tanggal(end)}"


def _quantity(line: Mapping[str, Any]) -> str:
    received = line["received_quantity"]
    if received is not None and received != line["quantity"]:
        return f"{number(received)} dari {number(line['quantity'])} {line['unit']}"
    return f"{number(line['quantity'])} {line['unit']}"


def _payment(p: Mapping[str, Any]) -> str:
    what = "koreksi −" if p["is_reversal"] else "dibayar"
    return f"{_day(p['paid_on'])} {what} {rupiah(abs(p['amount']))} ({p['reference']})"


def statement_orders(figures: Mapping[str, Any]) -> tuple[StatementOrder, ...]:
    return tuple(
        StatementOrder(
            no=i,
            sp_number=line["sp_number"] or "-",
            sp_date_text=_day(line["sp_date"]),
            opd=line["opd"],
            item=line["item"],
            quantity_text=_quantity(line),
            status=SHORT_STATUS.get(line["status"], line["status_label"]),
            counts=line["counts"],
            value=line["value"],
            delivered_text=_day(line["delivered_on"]),
            bast_text=_day(line["bast_on"]),
            payment_lines=tuple(_payment(p) for p in line["payments"]),
            paid=line["paid"],
            owed=line["owed"],
        )
        for i, line in enumerate(figures["orders"], start=1)
    )


def total_rows(totals: Mapping[str, Any]) -> tuple[Row, ...]:
    return tuple(
        Row(label, rupiah(totals[key]) if key in MONEY_TOTALS else number(totals[key]))
        for key, label in TOTAL_LABELS.items()
    )


def statement_content(
    *,
    business: tuple[Row, ...],
    period_start: dt.date,
    period_end: dt.date,
    purpose: str | None,
    figures: Mapping[str, Any],
    approved_by: str | None,
    header: Mapping[str, Any],
) -> DocumentContent:
    """The Surat Keterangan: the Pemda's kop (``STATEMENT_ISSUER``), the UMKM, every order of
    the period, the totals and the receivables outstanding."""
    config = header["config"]
    url = header["verification_url"]
    return DocumentContent(
        kind="SKR",
        title=TITLE,
        number=header["number"],
        place=header["place"],
        date_text=tanggal(header["day"]),
        tahun_anggaran=header["day"].year,
        kop=Kop(
            pemda=str(config["PEMDA_NAME"]).upper(),
            opd=str(config["STATEMENT_ISSUER"]).upper(),
            address=str(config["PEMDA_CITY"]),
            emblem=header.get("emblem"),
        ),
        paragraphs=(
            f"{config['PEMDA_NAME']} menerangkan bahwa usaha di bawah ini menerima pesanan "
            f"pemerintah melalui katalog elektronik daerah pada periode "
            f"{period_text(period_start, period_end)} sebagaimana tercantum di bawah ini, "
            "menurut data yang tercatat dalam sistem pada tanggal surat ini.",
            "Nilai adalah nilai bruto (termasuk pajak, sebelum pajak dipotong Bendahara); "
            "untuk pesanan yang sudah diperiksa, nilai barang/jasa yang diterima. Pesanan yang "
            "dibatalkan, ditolak atau kedaluwarsa dicantumkan tetapi tidak dihitung dalam "
            "jumlah.",
        ),
        verification_url=url,
        statement=StatementBody(
            business=business,
            period_text=period_text(period_start, period_end),
            purpose=purpose,
            orders=statement_orders(figures),
            totals=total_rows(figures["totals"]),
            receivables=int(figures["totals"]["receivables"]),
            approved_by=approved_by,
            check_note=(
                f"Keaslian dan keadaan terkini surat ini dapat diperiksa di {url} (kode QR) "
                "dengan kode akses yang diberikan oleh pemilik usaha."
            ),
        ),
    )
