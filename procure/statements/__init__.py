"""Surat Keterangan Riwayat Pesanan Pemerintah: a statement of one UMKM's government orders
over a period, issued by the Pemda, that a bank verifies itself with an access code."""
