"""``procure import-omzet FILE [--dry-run]``: the bulk import from the console."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.omzet.imports.importer import ImportConflict, ImportSettings, import_omzet
from procure.omzet.imports.rules import size_message


@click.command("import-omzet")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Periksa saja; tidak ada yang disimpan.")
@with_appcontext
def import_omzet_command(file: Path, dry_run: bool) -> None:
    """Import monthly omzet from a CSV or XLSX file (columns NIB, periode, omzet)."""
    settings = ImportSettings.from_config(current_app.config)
    size = file.stat().st_size
    if size > settings.max_bytes:  # refused before reading a huge file into memory
        click.echo(f"{file.name}: {size_message(size, settings.max_bytes)}", err=True)
        raise SystemExit(1)
    data = file.read_bytes()
    try:
        result = import_omzet(
            db.session,
            data,
            file.name,
            actor_id=None,
            settings=settings,
            dry_run=dry_run,
            today=today_in_jakarta(),
        )
    except ImportConflict as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    if result.errors:
        db.session.rollback()
        click.echo(
            f"{file.name}: {len(result.errors)} kesalahan; tidak ada yang disimpan.", err=True
        )
        click.echo(f"{'baris':>6}  {'kolom':<8}  kesalahan", err=True)
        for error in result.errors:
            click.echo(
                f"{error.row or '-':>6}  {error.column or '-':<8}  {error.message}", err=True
            )
        raise SystemExit(1)
    if dry_run:
        db.session.rollback()
        click.echo(f"{file.name} lolos pemeriksaan (belum disimpan): {result.summary}.")
        return
    db.session.commit()
    click.echo(f"{file.name} diimpor: {result.summary}.")
