"""The ``procure`` console command: a Flask CLI group bound to the app factory."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from procure.extensions import db


def _create_app():  # type: ignore[no-untyped-def]
    from procure import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main() -> None:
    """Procure: e-katalog lokal Pemda. ``procure demo`` starts a demo in one step."""


def register_cli(app) -> None:  # type: ignore[no-untyped-def]
    """Commands registered on the app, so ``flask --app procure`` sees them too."""
    app.cli.add_command(demo_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(init_command)
    from procure.sample_data.seed import seed_command  # noqa: PLC0415

    app.cli.add_command(seed_command)
    from procure.omzet.cli import import_omzet_command  # noqa: PLC0415

    app.cli.add_command(import_omzet_command)
    from procure.orders.cli import expire_orders_command  # noqa: PLC0415
    from procure.ranking.cli import refresh_figures_command  # noqa: PLC0415

    app.cli.add_command(expire_orders_command)
    app.cli.add_command(refresh_figures_command)
    from procure.documents.cli import (  # noqa: PLC0415
        fingerprint_command,
        render_documents_command,
        worker_command,
    )
    from procure.spread.cli import report_group  # noqa: PLC0415

    app.cli.add_command(report_group)
    app.cli.add_command(worker_command)
    app.cli.add_command(render_documents_command)
    app.cli.add_command(fingerprint_command)
    from procure.notify.cli import notify_group  # noqa: PLC0415

    app.cli.add_command(notify_group)


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Prepare a new installation: default categories (idempotent)."""
    from procure.catalog.services import ensure_default_categories

    added = ensure_default_categories(db.session)
    db.session.commit()
    click.echo(f"Kategori bawaan: {added} ditambahkan.")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True, help="Nama lengkap")
@click.option("--role", type=click.Choice(["admin", "opd", "umkm", "inspector"]), required=True)
@click.option("--opd", "opd_code", help="Kode OPD (untuk peran opd)")
@click.option("--nip", help="NIP pejabat (18 digit)")
@click.option("--jabatan", help="Jabatan")
@click.password_option("--password", help="Kata sandi (ditanyakan bila tidak diberikan)")
@with_appcontext
def create_user_command(
    email: str,
    full_name: str,
    role: str,
    opd_code: str | None,
    nip: str | None,
    jabatan: str | None,
    password: str,
) -> None:
    """Create an account (the first admin of a new installation, for example)."""
    from sqlalchemy import select

    from procure.auth.services import AccountError, create_user
    from procure.opd.models import Opd

    opd_id = None
    if opd_code:
        opd_id = db.session.scalar(select(Opd.id).where(Opd.code == opd_code.upper()))
        if opd_id is None:
            raise click.ClickException(f"OPD dengan kode {opd_code} tidak ada.")
    if role == "umkm":
        raise click.ClickException("Akun UMKM dibuat lewat pendaftaran usaha, bukan dari sini.")
    try:
        user = create_user(
            db.session,
            email=email,
            password=password,
            full_name=full_name,
            role=role,
            actor_id=None,
            opd_id=opd_id,
            nip=nip,
            jabatan=jabatan,
        )
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Akun {user.email} ({user.role_label}) dibuat.")


@click.command("demo")
@click.option("--no-serve", is_flag=True, help="Hanya siapkan database dan data demo.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def demo_command(no_serve: bool, host: str, port: int) -> None:
    """Upgrade the database, load the demo data once, print the logins, and serve."""
    from flask_migrate import upgrade

    from procure.documents.seal import use_demo_certificate
    from procure.sample_data.demo import DEMO_PASSWORD, demo_logins, load_demo

    upgrade()
    # No certificate configured: the demo's documents carry a DEMO seal (docs/seals.md).
    demo_seal = use_demo_certificate(current_app.config, current_app.instance_path)
    if demo_seal is not None:
        click.echo(f"Dokumen disegel dengan sertifikat DEMO, bukan sertifikat resmi: {demo_seal}")
    loaded = load_demo(db.session)
    db.session.commit()
    click.echo("Data demo dimuat." if loaded else "Data demo sudah ada; tidak dimuat ulang.")
    click.echo("")
    click.echo(f"Akun demo (kata sandi semua akun: {DEMO_PASSWORD}):")
    for role_label, email in demo_logins(db.session):
        click.echo(f"  {role_label:<32} {email}")
    click.echo("")
    if no_serve:
        return
    click.echo(f"Buka http://{host}:{port} di peramban. Tekan Ctrl+C untuk berhenti.")
    # Flask refuses app.run() inside its own CLI, so serve with Werkzeug directly.
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
