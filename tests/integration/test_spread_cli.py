"""``procure report fairness``: the same figures as the service, as aligned Indonesian text."""

from __future__ import annotations

from flask import Flask

from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.spread import text
from procure.spread.periods import ReportPeriod
from procure.spread.services import build_report
from tests.integration.test_spread_report import _world


def _without_time(output: str) -> list[str]:
    return [line for line in output.splitlines() if not line.startswith("Data per ")]


def test_the_terminal_prints_the_services_figures(app: Flask) -> None:
    _world(app)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["report", "fairness", "--period", "2026-10"])
    assert result.exit_code == 0, result.output
    expected = text.render(
        build_report(db.session, ReportPeriod.parse("2026-10"), today=today_in_jakarta())
    )
    assert _without_time(result.output) == _without_time(expected)
    out = result.output
    assert out.startswith("Pemerataan belanja katalog: Oktober 2026 (2026-10)\n")
    assert "Cakupan: seluruh Pemda" in out and "Data per " in out
    lines = out.splitlines()
    # Hand-computed in test_spread_report: Rp 6.100.000 over 8 UMKM, 4 with orders, Gini
    # 275/488 = 0,5635…, top 10 % 20/61 = 32,8 %, smaller half 5/17 = 29,4 %.
    assert "  Belanja                " in out and "Rp 6.100.000" in out
    assert any(
        ln.startswith("  UMKM yang mendapat pesanan (%)  ") and ln.endswith(" 50,0 %")
        for ln in lines
    )
    assert any("Indeks Gini" in ln and ln.endswith(" 0,56") for ln in lines)
    assert any(
        ln.startswith("  Porsi 10 % UMKM teratas") and ln.endswith(" 32,8 %") for ln in lines
    )
    assert any("separuh UMKM beromzet terkecil" in ln and ln.endswith(" 29,4 %") for ln in lines)
    assert any(
        ln.startswith("  Dinas Alfa ") and "Rp 3.100.000" in ln and "50,8 %" in ln for ln in lines
    )
    # The 40 % measure: Alfa spent Rp 3.100.000 of a Rp 20.000.000 budget (15,5 %).
    assert any(
        ln.startswith("  Dinas Alfa ")
        and "Rp 20.000.000" in ln
        and "Rp 8.000.000" in ln
        and "15,5 %" in ln
        for ln in lines
    )
    assert "Usaha Mikro" in out and "Sukamaju Selatan" in out and "Oktober 2026" in out


def test_an_opd_beside_the_pemda(app: Flask) -> None:
    world = _world(app)
    world.a.code = "ALFA"
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["report", "fairness", "--period", "2026-10", "--opd", "ALFA"]
    )
    assert result.exit_code == 0, result.output
    assert "Cakupan: Dinas Alfa (di samping seluruh Pemda)" in result.output
    header = next(ln for ln in result.output.splitlines() if ln.startswith("  Ukuran"))
    assert header.split() == ["Ukuran", "Dinas", "Alfa", "Seluruh", "Pemda"]
    assert any(
        ln.startswith("  Belanja ") and ln.split()[-4:] == ["Rp", "3.100.000", "Rp", "6.100.000"]
        for ln in result.output.splitlines()
    )


def test_a_bad_period_or_opd_is_refused_in_indonesian(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["report", "fairness", "--period", "2026-13"])
    assert result.exit_code == 1
    assert "Bulan 13 tidak ada" in result.output
    result = runner.invoke(args=["report", "fairness", "--period", "2026-10", "--opd", "NOPE"])
    assert result.exit_code == 1
    assert "Tidak ada OPD dengan kode 'NOPE'." in result.output
    future = str(today_in_jakarta().year + 1)
    result = runner.invoke(args=["report", "fairness", "--period", future])
    assert result.exit_code == 1 and "belum dimulai" in result.output
