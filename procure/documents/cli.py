"""``procure worker`` (an RQ worker rendering documents) and ``procure render-documents``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from procure.documents.models import Document, DocumentFile
from procure.extensions import db


@click.command("worker")
@click.option("--burst", is_flag=True, help="Berhenti setelah antrean kosong.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Start one worker for the Redis queues: documents to render, then large omzet imports
    (needs REDIS_URL)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException(
            "REDIS_URL belum diisi: tanpa Redis, dokumen dibuat langsung oleh aplikasi web."
        )
    from redis import Redis
    from rq import SimpleWorker

    # SimpleWorker renders in this (warm) process: no fork per job, fonts and templates stay
    # loaded. Run several ``procure worker`` processes for more throughput.
    connection = Redis.from_url(url)
    # Documents first (seconds each); an import job may take a minute.
    queues = [current_app.config["DOCUMENT_QUEUE"], current_app.config["OMZET_IMPORT_QUEUE"]]
    queues.append(current_app.config["WHATIF_QUEUE"])  # what-if replays (seconds each)
    queues.append(current_app.config["SPREAD_QUEUE"])  # pemerataan report refreshes
    queues.append(current_app.config["NOTIFY_QUEUE"])  # e-mail and WhatsApp to send
    click.echo(f"Worker mendengarkan antrean {', '.join(queues)} di {url}")
    SimpleWorker(queues, connection=connection).work(burst=burst, with_scheduler=False)


@click.command("render-documents")
@with_appcontext
def render_documents_command() -> None:
    """Render (or queue) every issued document that has no PDF yet."""
    from procure.documents.jobs import enqueue, render_now

    missing = list(
        db.session.scalars(
            select(Document.id)
            .outerjoin(DocumentFile, DocumentFile.document_id == Document.id)
            .where(DocumentFile.id.is_(None))
            .order_by(Document.id)
        )
    )
    if current_app.config.get("REDIS_URL"):
        enqueue(missing, current_app.config)
        click.echo(f"{len(missing)} dokumen dimasukkan ke antrean.")
    else:
        render_now(db.session, missing)
        click.echo(f"{len(missing)} dokumen dibuat.")


@click.command("sidik-isi")
@click.argument("nomor")
@click.option(
    "--simpan",
    type=click.Path(dir_okay=False, writable=True),
    help="Tulis isi dokumen (JSON baku) ke berkas ini: sha256sum berkas itu = Sidik isi.",
)
@with_appcontext
def fingerprint_command(nomor: str, simpan: str | None) -> None:
    """Recompute a document's "Sidik isi" from its stored content (any document, also one
    whose PDF predates the attached isi-dokumen.json) and compare it with the one printed."""
    import hashlib
    from pathlib import Path

    from procure.documents.content import canonical_content
    from procure.documents.stored import content_from_dict

    doc = db.session.scalar(select(Document).where(Document.number == nomor))
    if doc is None:
        raise click.ClickException(f"Dokumen bernomor {nomor} tidak ditemukan.")
    canonical = canonical_content(content_from_dict(doc.content))
    recomputed = hashlib.sha256(canonical).hexdigest()
    click.echo(f"Sidik isi tercetak : {doc.fingerprint}")
    click.echo(f"Sidik isi dihitung : {recomputed}")
    if simpan:
        Path(simpan).write_bytes(canonical)
        click.echo(f"Isi dokumen ditulis ke {simpan} (periksa dengan: sha256sum {simpan}).")
    if recomputed != doc.fingerprint:
        raise click.ClickException("TIDAK COCOK: isi yang tersimpan berbeda dari yang tercetak.")
    click.echo("Cocok.")
