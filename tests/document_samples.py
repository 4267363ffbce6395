"""Realistic sample content of every PBJP document kind (one order of batik uniforms).

Plain data, no database: the render tests, the benchmark and later the document services'
tests start from these. Amounts add up: 13.500.000 + PPN 11% 1.485.000 = 14.985.000.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from procure.allocation.explain import rule_sentence
from procure.documents.content import (
    AllocationReport,
    Award,
    DocumentContent,
    Exclusion,
    ItemLine,
    Kop,
    Party,
    RankedCandidate,
    Row,
    Signature,
    TaxLine,
    content_fingerprint,
)

KOP = Kop(
    pemda="PEMERINTAH KOTA SUKAMAJU",
    opd="DINAS PENDIDIKAN",
    address="Jalan Merdeka Nomor 12, Kecamatan Sukamaju Tengah, Kota Sukamaju 45111",
    phone="(0231) 555-0123",
    email="disdik@sukamaju.go.id",
)
PLACE = "Sukamaju"
PACKAGE = "Pengadaan Seragam Batik Guru SD Negeri Tahun 2026"
KODE_REKENING = "5.1.02.01.01.0026"
SP_NUMBER = "000.3.2/014/SP/DISDIK/XI/2026"
BAP_NUMBER = "000.3.2/009/BAP/DISDIK/XI/2026"
BAST_NUMBER = "000.3.2/009/BAST/DISDIK/XI/2026"
KWT_NUMBER = "000.3.2/011/KWT/DISDIK/XII/2026"
LA_NUMBER = "000.3.2/014/LA/DISDIK/XI/2026"
VERIFY_BASE = "https://procure.sukamaju.go.id/verifikasi/"

PPK = Party(
    role="Pejabat Penandatangan Kontrak",
    name="Drs. Bambang Sutrisno, M.Pd.",
    jabatan="Pejabat Pembuat Komitmen",
    nip="19710315 199703 1 004",
    organisation="Dinas Pendidikan Kota Sukamaju",
    address="Jalan Merdeka Nomor 12, Kota Sukamaju",
)
SUPPLIER = Party(
    role="Penyedia",
    name="Siti Rahmawati",
    jabatan="Direktur",
    organisation="CV Batik Sekar Arum",
    address="Jalan Kenanga Nomor 7, Kelurahan Tegalsari, Kecamatan Sukamaju Utara",
    nib="9120001234567",
    npwp="01.234.567.8-912.000",
    represented_by="Siti Rahmawati, Direktur",
    bank_account="Bank Jabar Banten 0012345678901 a.n. CV Batik Sekar Arum",
)
INSPECTOR = Signature(
    caption="Pejabat Pemeriksa Hasil Pekerjaan",
    name="Rina Marlina, S.E.",
    jabatan="Pengelola Barang",
    nip="19850712 201001 2 011",
)
SIG_PPK = Signature(
    caption="Pejabat Penandatangan Kontrak",
    name=PPK.name,
    jabatan=PPK.jabatan,
    nip=PPK.nip,
)
SIG_SUPPLIER = Signature(
    caption="Penyedia\nCV Batik Sekar Arum", name=SUPPLIER.name, jabatan=SUPPLIER.jabatan
)

SUBTOTAL = 13_500_000
PPN = 1_485_000
TOTAL = 14_985_000
PPH22 = 202_500
NET_PAID = TOTAL - PPH22  # 14.782.500
TOTAL_WORDS = "Empat Belas Juta Sembilan Ratus Delapan Puluh Lima Ribu Rupiah"


KIND = "Kemeja Batik Lengan Panjang"


def items(
    product_name: str = "Seragam batik guru lengan panjang", kind_name: str = KIND
) -> tuple[ItemLine, ...]:
    """Three item lines, each with the kind asked for; the first one's product name and kind
    can be replaced (e.g. by hostile HTML)."""
    return (
        ItemLine(
            1,
            product_name,
            "Katun primisima, motif Sekar Sukamaju, ukuran S–XXL",
            50,
            "potong",
            185_000,
            9_250_000,
            kind_name=kind_name,
        ),
        ItemLine(
            2,
            "Kain batik cap 2 m",
            "Pewarna alam, untuk seragam guru perempuan",
            20,
            "lembar",
            150_000,
            3_000_000,
            kind_name="Kain Batik 2 Meter",
        ),
        ItemLine(
            3,
            "Selendang batik tulis",
            "Sutra, 180 × 50 cm",
            10,
            "lembar",
            125_000,
            1_250_000,
            kind_name="Kain Batik Tulis",
        ),
    )


def _finish(content: DocumentContent, token: str) -> DocumentContent:
    content = dataclasses.replace(content, verification_url=VERIFY_BASE + token)
    return dataclasses.replace(content, fingerprint=content_fingerprint(content))


def sample_sp(
    product_name: str = "Seragam batik guru lengan panjang", kind_name: str = KIND
) -> DocumentContent:
    """Surat Pesanan from the PPK of Dinas Pendidikan to CV Batik Sekar Arum."""
    content = DocumentContent(
        kind="SP",
        title="Surat Pesanan",
        number=SP_NUMBER,
        place=PLACE,
        date_text="2 November 2026",
        tahun_anggaran=2026,
        kop=KOP,
        parties=(PPK, SUPPLIER),
        items=items(product_name, kind_name),
        subtotal=SUBTOTAL,
        tax_lines=(TaxLine("PPN 11%", PPN, False),),
        total=TOTAL,
        terbilang=TOTAL_WORDS,
        paragraphs=(
            "Dengan ini Pejabat Penandatangan Kontrak memesan barang berikut kepada "
            "Penyedia melalui katalog elektronik lokal Kota Sukamaju:",
        ),
        conditions=(
            "Barang dikirim paling lambat 14 (empat belas) hari kalender sejak Surat Pesanan ini "
            "diterima, ke alamat pengiriman di atas.",
            "Barang diperiksa saat diterima; barang yang cacat atau tidak sesuai spesifikasi "
            "dikembalikan dan wajib diganti oleh Penyedia.",
            "Harga sudah termasuk pajak dan ongkos kirim.",
            "Pembayaran dengan transfer ke rekening Penyedia paling lambat 7 hari kerja setelah "
            "Berita Acara Serah Terima ditandatangani.",
            "Keterlambatan dikenakan denda 1/1000 (satu per seribu) dari nilai pesanan per hari.",
            "Penyedia dilarang memberikan gratifikasi dalam bentuk apa pun.",
        ),
        signatures=(SIG_PPK, SIG_SUPPLIER),
        package_name=PACKAGE,
        kode_rekening=KODE_REKENING,
        delivery_address="Gudang Dinas Pendidikan, Jalan Merdeka Nomor 12, Kota Sukamaju",
        due_date_text="16 November 2026",
    )
    return _finish(content, "sp-7Qx2mN4p")


def sample_sp_as_issued() -> DocumentContent:
    """The Surat Pesanan as Procure issues it: one order is one product of one UMKM, so one
    item line (``sample_sp`` has three, richer than anything issued). Amounts add up:
    9.250.000 + PPN 11% 1.017.500 = 10.267.500."""
    line = items()[0]
    base = sample_sp()
    content = dataclasses.replace(
        base,
        items=(line,),
        subtotal=line.amount,
        tax_lines=(TaxLine("PPN 11%", 1_017_500, False),),
        total=10_267_500,
        terbilang="Sepuluh Juta Dua Ratus Enam Puluh Tujuh Ribu Lima Ratus Rupiah",
        fingerprint="",
    )
    return _finish(content, "sp-7Qx2mN4p")


def sample_bap() -> DocumentContent:
    """Inspection of the delivery: one item short and not in good condition."""
    lines = items()
    received = (
        dataclasses.replace(lines[0], quantity_received=50, condition="baik"),
        dataclasses.replace(lines[1], quantity_received=20, condition="baik"),
        dataclasses.replace(
            lines[2],
            quantity_received=9,
            condition="kurang baik",
            note="1 lembar tidak dikirim, 1 lembar luntur: diganti",
        ),
    )
    content = DocumentContent(
        kind="BAP",
        title="Berita Acara Pemeriksaan Barang",
        number=BAP_NUMBER,
        place=PLACE,
        date_text="18 November 2026",
        tahun_anggaran=2026,
        kop=KOP,
        parties=(dataclasses.replace(SUPPLIER, bank_account=None),),
        items=received,
        total=TOTAL,
        paragraphs=(
            "Pada hari ini Rabu tanggal delapan belas bulan November tahun dua ribu dua "
            "puluh enam, Pejabat Pemeriksa Hasil Pekerjaan telah memeriksa barang yang "
            "dikirim oleh Penyedia berikut:",
        ),
        references=(f"Surat Pesanan Nomor {SP_NUMBER} tanggal 2 November 2026",),
        conclusion="Barang sesuai dengan Surat Pesanan kecuali 2 lembar selendang batik tulis, "
        "yang wajib diganti Penyedia paling lambat 3 hari kalender.",
        result="DITERIMA DENGAN CATATAN",
        signatures=(INSPECTOR, SIG_SUPPLIER),
        package_name=PACKAGE,
    )
    return _finish(content, "bap-Lk93hQ2a")


def sample_bast() -> DocumentContent:
    """Handover from the supplier (Pihak Pertama) to the PPK (Pihak Kedua), two days late."""
    content = DocumentContent(
        kind="BAST",
        title="Berita Acara Serah Terima Barang",
        number=BAST_NUMBER,
        place=PLACE,
        date_text="23 November 2026",
        tahun_anggaran=2026,
        kop=KOP,
        parties=(
            dataclasses.replace(SUPPLIER, role="Pihak Pertama (Penyedia)", bank_account=None),
            dataclasses.replace(PPK, role="Pihak Kedua (Pejabat Penandatangan Kontrak)"),
        ),
        items=items(),
        subtotal=SUBTOTAL,
        tax_lines=(TaxLine("PPN 11%", PPN, False),),
        total=TOTAL,
        terbilang=TOTAL_WORDS,
        paragraphs=(
            "Pada hari ini Senin tanggal dua puluh tiga bulan November tahun dua ribu dua puluh "
            "enam, kami yang bertanda tangan di bawah ini:",
            "PIHAK PERTAMA menyerahkan kepada PIHAK KEDUA, dan PIHAK KEDUA menerima dari PIHAK "
            "PERTAMA, barang sebagaimana tercantum di bawah ini dalam keadaan baik dan lengkap.",
        ),
        references=(
            f"Surat Pesanan Nomor {SP_NUMBER} tanggal 2 November 2026",
            f"Berita Acara Pemeriksaan Nomor {BAP_NUMBER} tanggal 18 November 2026",
        ),
        result="DITERIMA",
        penalty_text="Barang diserahkan 2 hari setelah batas 16 November 2026 (dihitung sampai "
        "18 November 2026). Denda 1/1000 × Rp 14.985.000 × 2 hari = Rp 29.970, dipotong dari "
        "pembayaran.",
        signatures=(
            dataclasses.replace(SIG_SUPPLIER, caption="PIHAK PERTAMA\nCV Batik Sekar Arum"),
            dataclasses.replace(SIG_PPK, caption="PIHAK KEDUA\nPejabat Penandatangan Kontrak"),
        ),
        package_name=PACKAGE,
        kode_rekening=KODE_REKENING,
    )
    return _finish(content, "bast-Zp81cVw3")


def sample_kwt(total: int = TOTAL, words: str = TOTAL_WORDS) -> DocumentContent:
    """The supplier's receipt, with PPh 22 withheld; meterai above Rp 5.000.000."""
    content = DocumentContent(
        kind="KWT",
        title="Kuitansi",
        number=KWT_NUMBER,
        place=PLACE,
        date_text="1 Desember 2026",
        tahun_anggaran=2026,
        kop=KOP,
        parties=(SUPPLIER,),
        subtotal=SUBTOTAL,
        tax_lines=(TaxLine("PPN 11%", PPN, False), TaxLine("PPh Pasal 22 (1,5%)", PPH22, True)),
        total=total,
        net_paid=total - PPH22,
        terbilang=words,
        received_from="Bendahara Pengeluaran Dinas Pendidikan Kota Sukamaju",
        purpose=f"Pembayaran {PACKAGE} sesuai Surat Pesanan Nomor {SP_NUMBER} dan Berita "
        f"Acara Serah Terima Nomor {BAST_NUMBER}",
        signatures=(
            Signature(
                "Setuju dibayar\nKuasa Pengguna Anggaran",
                "Hj. Nurhayati, S.Pd., M.M.",
                "Sekretaris Dinas",
                "19690823 199203 2 006",
            ),
            Signature(
                "Pejabat Pelaksana\nTeknis Kegiatan",
                "Agus Firmansyah, S.T.",
                "Kepala Seksi Sarana Prasarana",
                "19800417 200604 1 012",
            ),
            Signature(
                "Lunas dibayar\nBendahara Pengeluaran",
                "Dewi Kartika, A.Md.",
                "Bendahara Pengeluaran",
                "19880102 201101 2 005",
                note="Lunas",
            ),
            Signature("Yang menerima\nCV Batik Sekar Arum", SUPPLIER.name, SUPPLIER.jabatan),
        ),
        meterai=total > 5_000_000,
        kode_rekening=KODE_REKENING,
    )
    return _finish(content, "kwt-R5t0bYe8")


V2_RULE = rule_sentence("pemerataan-v2")


def sample_la(kind_name: str = KIND) -> DocumentContent:
    """The allocation run behind the order (pemerataan-v2), with an override of the proposal."""
    candidates = (
        RankedCandidate(
            1,
            "Batik Griya Lestari",
            ("Rp 3.100.000", "Rp 0", "Rp 3.100.000", "Rp 190.000"),
            "Belum mendapat pesanan pemerintah dalam 365 hari terakhir (putaran 0) · rata-rata "
            "omzet Agu–Okt Rp 3.100.000 + pesanan di bulan yang belum dilaporkan Rp 0 = "
            "Rp 3.100.000 · peringkat 1",
            is_proposed=True,
            product="Kemeja Batik Cap Parang Lengan Panjang",
        ),
        RankedCandidate(
            2,
            "CV Batik Sekar Arum",
            ("Rp 4.200.000", "Rp 1.500.000", "Rp 5.700.000", "Rp 185.000"),
            "1 pesanan pemerintah dalam 365 hari terakhir (putaran 1) · rata-rata omzet Agu–Okt "
            "Rp 4.200.000 + pesanan di bulan yang belum dilaporkan Rp 1.500.000 = "
            "Rp 5.700.000 · peringkat 2",
            is_proposed=True,
            is_chosen=True,
            product="Seragam batik guru lengan panjang",
        ),
        RankedCandidate(
            3,
            "Sanggar Batik Mekar",
            ("Rp 6.800.000", "Rp 0", "Rp 6.800.000", "Rp 180.000"),
            "1 pesanan pemerintah dalam 365 hari terakhir (putaran 1) · rata-rata omzet Sep–Okt "
            "Rp 6.800.000 + pesanan di bulan yang belum dilaporkan Rp 0 = Rp 6.800.000 · "
            "peringkat 3",
            is_chosen=True,
            product="Kemeja Batik Tulis Mega Mendung Lengan Panjang",
        ),
    )
    report = AllocationReport(
        policy_name="pemerataan-v2",
        policy_version="2",
        rule=V2_RULE,
        request=(
            Row("Paket", PACKAGE),
            Row("Kategori", "Batik & seragam"),
            Row("Jenis barang yang diminta", kind_name),
            Row("Volume", "50 potong"),
            Row("HPS satuan", "Rp 190.000"),
            Row("Dibutuhkan", "16 November 2026"),
        ),
        settings=(
            Row("Jumlah UMKM paling banyak (K)", "3"),
            Row("Batas tahunan per UMKM", "tidak ada"),
            Row("Masa tenggang UMKM baru", "60 hari"),
            Row("Cara pembagian", "kapasitas"),
            Row("Lot minimum", "1"),
        ),
        figure_labels=("Rata-rata omzet", "Pesanan sejak", "Kebutuhan", "Harga satuan"),
        candidates=candidates,
        exclusions=(
            Exclusion(
                "Batik Tulis Kencana — Kemeja Batik Tulis Sutra Lengan Panjang",
                "harga di atas HPS (Harga Rp 450.000 di atas HPS Rp 190.000)",
            ),
            Exclusion(
                "UD Sandang Jaya — Kemeja Batik Lengan Panjang Motif Kawung", "kapasitas penuh"
            ),
            Exclusion(
                "Konveksi Maju Bersama — Kemeja Batik Lengan Panjang Anak",
                "UMKM belum terverifikasi",
            ),
        ),
        proposal=(
            Award(
                "Batik Griya Lestari",
                30,
                "potong",
                5_700_000,
                product="Kemeja Batik Cap Parang Lengan Panjang",
            ),
            Award(
                "CV Batik Sekar Arum",
                20,
                "potong",
                3_700_000,
                product="Seragam batik guru lengan panjang",
            ),
        ),
        final_choice=(
            Award(
                "CV Batik Sekar Arum",
                30,
                "potong",
                5_550_000,
                product="Seragam batik guru lengan panjang",
            ),
            Award(
                "Sanggar Batik Mekar",
                20,
                "potong",
                3_600_000,
                product="Kemeja Batik Tulis Mega Mendung Lengan Panjang",
            ),
        ),
        decided_by="Yusuf Hidayat (Pejabat Pengadaan)",
        decided_at_text="2 November 2026 10.15 WIB",
        is_override=True,
        override_reason="Batik Griya Lestari tidak dapat menjahit ukuran XXL yang diminta "
        "sekolah; dikonfirmasi lewat telepon pada 2 November 2026.",
    )
    content = DocumentContent(
        kind="LA",
        title="Laporan Alokasi Pemerataan",
        number=LA_NUMBER,
        place=PLACE,
        date_text="2 November 2026",
        tahun_anggaran=2026,
        kop=KOP,
        allocation=report,
        signatures=(
            Signature(
                "Pejabat Pengadaan",
                "Yusuf Hidayat, S.Kom.",
                "Pejabat Pengadaan",
                "19900305 201503 1 002",
            ),
        ),
    )
    return _finish(content, "la-Hw62nPq0")


SAMPLES: dict[str, Callable[[], DocumentContent]] = {
    "SP": sample_sp,
    "BAP": sample_bap,
    "BAST": sample_bast,
    "KWT": sample_kwt,
    "LA": sample_la,
}
