import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.documents.numbering import (
    DEFAULT_KLASIFIKASI,
    DEFAULT_PATTERN,
    DocumentKind,
    check_pattern,
    format_number,
)


def _number(pattern: str = DEFAULT_PATTERN, **overrides: object) -> str:
    fields: dict[str, object] = {
        "klasifikasi": DEFAULT_KLASIFIKASI,
        "urut": 14,
        "jenis": DocumentKind.SURAT_PESANAN,
        "kode_opd": "DISDAGKOP",
        "month": 11,
        "year": 2026,
    }
    fields.update(overrides)
    return format_number(pattern, **fields)  # type: ignore[arg-type]


def test_default_pattern_gives_the_domain_example() -> None:
    assert _number() == "000.3.2/014/SP/DISDAGKOP/XI/2026"


def test_sequence_is_zero_padded_to_three_and_grows_past_it() -> None:
    assert _number(urut=1, month=1).startswith("000.3.2/001/SP/")
    assert _number(urut=1, month=1).endswith("/I/2026")
    assert _number(urut=1234, jenis=DocumentKind.KUITANSI, month=12) == (
        "000.3.2/1234/KWT/DISDAGKOP/XII/2026"
    )


def test_custom_pattern_with_old_klasifikasi_and_month_number() -> None:
    pattern = "{klasifikasi}/{kode_opd}-{jenis}/{tahun}.{bulan:02d}/{urut:04d}"
    assert _number(pattern, klasifikasi="027", urut=7, month=3, jenis="BAST") == (
        "027/DISDAGKOP-BAST/2026.03/0007"
    )


def test_format_number_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        _number("{urut}/{jenis}/{kode_opd}/{tahun}/{rahasia}")
    with pytest.raises(ValueError):
        _number(urut=0)
    with pytest.raises(ValueError):
        _number(month=13)


def test_document_kinds_codes_and_labels() -> None:
    assert {kind.value: kind.label for kind in DocumentKind} == {
        "SP": "Surat Pesanan",
        "BAP": "Berita Acara Pemeriksaan",
        "BAST": "Berita Acara Serah Terima",
        "KWT": "Kuitansi",
        "LA": "Laporan Alokasi",
        "SKR": "Surat Keterangan Riwayat Pesanan Pemerintah",
    }
    assert DocumentKind("KWT") is DocumentKind.KUITANSI
    assert f"{DocumentKind.BA_PEMERIKSAAN}" == "BAP"


@pytest.mark.parametrize(
    "pattern",
    [
        DEFAULT_PATTERN,
        "{urut}/{jenis}/{kode_opd}/{tahun}",
        "027/{urut:05d}/{jenis}/{kode_opd}/{bulan}/{tahun}",
    ],
)
def test_usable_patterns(pattern: str) -> None:
    assert check_pattern(pattern) is None


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{klasifikasi}/{nomor}/{jenis}/{kode_opd}/{tahun}", "tidak dikenal: {nomor}"),
        ("{}/{urut}/{jenis}/{kode_opd}/{tahun}", "tidak dikenal"),
        ("{urut.real}/{jenis}/{kode_opd}/{tahun}", "tidak dikenal"),
        ("{klasifikasi}/{jenis}/{kode_opd}/{tahun}", "harus memuat {urut}"),
        ("{urut}/{jenis}/{kode_opd}/{bulan_romawi}", "harus memuat {tahun}"),
        ("{urut}/{kode_opd}/{tahun}", "harus memuat {jenis}"),
        ("{urut}/{jenis}/{tahun}", "harus memuat {kode_opd}"),
        ("{urut}/{jenis", "kurung kurawal"),
        ("{urut:03q}/{jenis}/{kode_opd}/{tahun}", "Format kolom"),
        ("{urut:{x}}/{jenis}/{kode_opd}/{tahun}", "Format kolom"),
        ("{urut}/{jenis}/{kode_opd:.3}/{tahun}", "memotong {kode_opd}"),
    ],
)
def test_unusable_patterns_say_why(pattern: str, message: str) -> None:
    problem = check_pattern(pattern)
    assert problem is not None
    assert message in problem


@given(
    st.tuples(st.integers(1, 5000), st.sampled_from(list(DocumentKind)), st.integers(2020, 2040)),
    st.tuples(st.integers(1, 5000), st.sampled_from(list(DocumentKind)), st.integers(2020, 2040)),
    st.integers(1, 12),
)
def test_different_sequence_kind_or_year_never_share_a_number(
    first: tuple[int, DocumentKind, int], second: tuple[int, DocumentKind, int], month: int
) -> None:
    a = _number(urut=first[0], jenis=first[1], year=first[2], month=month)
    b = _number(urut=second[0], jenis=second[1], year=second[2], month=month)
    assert (a == b) == (first == second)
