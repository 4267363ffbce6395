"""What the document builders print of an OPD and its people, without a database: the
builders only read attributes, so plain namespaces stand in for the rows."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from procure.documents import builders

CONFIG: dict[str, Any] = {
    "PEMDA_NAME": "Pemerintah Kota Sukamaju",
    "PEMDA_CITY": "Sukamaju",
    "TAX_PPN_RATE": "0.11",
    "TAX_PPH22_RATE": "0.015",
    "TAX_PPH23_RATE": "0.02",
    "TAX_PPH_FINAL_RATE": "0.005",
    "METERAI_THRESHOLD": 5_000_000,
}


def _opd(**change: object) -> SimpleNamespace:
    fields: dict[str, object] = {
        "name": "Dinas Pendidikan",
        "address": "Jl. Diponegoro No. 12, Kota Sukamaju",
        "head_name": "Dr. Agus Prasetyo, S.Pd., M.Pd.",
        "head_nip": "197001011995031001",
        "treasurer_name": "Rahmawati Putri, S.E.",
        "treasurer_nip": "198503122010012001",
        "phone": None,
        "email": None,
    }
    return SimpleNamespace(**(fields | change))


def _order(opd: SimpleNamespace) -> SimpleNamespace:
    officer = SimpleNamespace(
        full_name="Yusuf Hidayat", jabatan="Pejabat Pengadaan", nip="198001012006041001"
    )
    request = SimpleNamespace(
        opd=opd,
        title="Kemeja batik seragam Jumat",
        fiscal_year=2026,
        budget_code="5.1.02.01.01.0024",
        category=SimpleNamespace(slug="batik"),
        created_by=officer,
    )
    umkm = SimpleNamespace(
        owner_name="Sekar Rahayu",
        business_name="Batik Sekar Jagad",
        address="Jl. Jlamprang No. 5",
        nib="1234567890123",
        npwp="012345678901000",
        bank_name="Bank Jateng",
        bank_account_number="1234567890",
        bank_account_name="Sekar Rahayu",
        is_pkp=False,
        has_pp55_certificate=False,
    )
    return SimpleNamespace(
        request=request, run=SimpleNamespace(decided_by=officer), umkm=umkm, id=1
    )


def _header(**extra: object) -> dict[str, Any]:
    return {
        "number": "000.3.2/001/KWT/DISDIK/XI/2026",
        "place": "Sukamaju",
        "day": dt.date(2026, 11, 23),
        "config": CONFIG,
        "verification_url": "https://procure.example/verifikasi/abc",
        **extra,
    }


PAYMENT = {
    "paid_on": "2026-11-23",
    "gross": 1_000_000,
    "taxes": [{"label": "PPh Pasal 22 (1,5%)", "amount": 13_514}],
    "net": 986_486,
    "number": 1,
    "settles": True,
    "method": "SP2D-LS",
    "reference": "SP2D-0042/2026",
    "reference_date": None,
}


def test_the_kuitansi_prints_the_pengguna_anggaran_and_bendahara_nip_grouped() -> None:
    content = builders.kuitansi(_order(_opd()), _header(payment=PAYMENT))
    by_caption = {s.caption.split("\n")[-1]: s for s in content.signatures}
    assert by_caption["Pengguna Anggaran"].nip == "19700101 199503 1 001"
    assert by_caption["Bendahara Pengeluaran"].nip == "19850312 201001 2 001"
    # Every NIP on the Kuitansi is written the same way.
    assert by_caption["Teknis Kegiatan"].nip == "19800101 200604 1 001"


def test_an_opd_without_nips_leaves_the_kuitansi_nip_lines_out() -> None:
    opd = _opd(head_nip=None, treasurer_nip="", treasurer_name=None)
    content = builders.kuitansi(_order(opd), _header(payment=PAYMENT))
    by_caption = {s.caption.split("\n")[-1]: s for s in content.signatures}
    assert by_caption["Pengguna Anggaran"].nip is None
    assert by_caption["Bendahara Pengeluaran"].nip is None
    assert by_caption["Bendahara Pengeluaran"].name == builders.BLANK


def test_the_kop_prints_the_office_phone_as_written_and_its_email() -> None:
    landline = builders.kop(_opd(phone="62285421100", email="disdik@sukamaju.go.id"), CONFIG)
    assert (landline.phone, landline.email) == ("(0285) 421100", "disdik@sukamaju.go.id")
    assert (landline.pemda, landline.opd) == ("PEMERINTAH KOTA SUKAMAJU", "DINAS PENDIDIKAN")
    mobile = builders.kop(_opd(phone="6281234567890"), CONFIG)
    assert mobile.phone == "0812-3456-7890"
    # Not entered: the kop has no contact line at all, as before the two fields existed.
    empty = builders.kop(_opd(phone="", email=""), CONFIG)
    assert (empty.phone, empty.email) == (None, None)
