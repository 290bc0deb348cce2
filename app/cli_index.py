"""`sotay index …`: check the knowledge index against the database, and rebuild it."""

from __future__ import annotations

import typer

index_app = typer.Typer(help="The document index behind Hỏi đáp.", no_args_is_help=True)


@index_app.command("verify")
def verify_index() -> None:
    """Compare chunk counts per document: database, lexical index and vector store."""
    from app.core.config import get_settings
    from app.core.db import Database
    from app.core.migrate import upgrade
    from app.knowledge.service_verify import verify

    settings = get_settings()
    settings.ensure_dirs()
    db = Database(settings)
    upgrade(db.engine)
    report = verify(db, settings)
    for line in report.problems:
        typer.echo(line)
    typer.echo(
        f"{'OK' if report.ok else 'MISMATCH'}: {report.documents} documents, "
        f"{report.chunks} chunks in the database"
    )
    db.dispose()
    raise typer.Exit(0 if report.ok else 1)


@index_app.command("rebuild")
def rebuild_index() -> None:
    """Queue re-indexing of every published document (run by the job worker, one at a time)."""
    from app.core.config import get_settings
    from app.core.db import Database, utcnow
    from app.core.migrate import upgrade
    from app.jobs.models import Job, JobStatus
    from app.jobs.service_dispatch import CeleryDispatcher
    from app.knowledge import service_index
    from app.knowledge.models import IndexedDocument
    from app.knowledge.service_hooks import INDEX_KIND
    from app.knowledge.service_verify import published_document_ids

    settings = get_settings()
    settings.ensure_dirs()
    db = Database(settings)
    upgrade(db.engine)
    ids: list[int] = []
    with db.session() as session:
        # Forget the recorded versions so every job re-indexes instead of finding it current.
        session.query(IndexedDocument).delete()
        for doc_id, unit_id in published_document_ids(db):
            job = Job(
                kind=INDEX_KIND,
                unit_id=unit_id,
                status=JobStatus.queued,
                progress=0,
                params={"document_id": doc_id, "batch": 32},
                state={},
                attempts=0,
                created_at=utcnow(),
                heartbeat_at=utcnow(),
            )
            session.add(job)
            session.flush()
            ids.append(job.id)
    dispatcher = CeleryDispatcher(settings)
    for job_id in ids:
        dispatcher.send(job_id)
    service_index.close_all()
    db.dispose()
    typer.echo(f"{len(ids)} documents queued for re-indexing")
