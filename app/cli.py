"""The `sotay` command: serve, worker, demo data, migrations, audit checks, member import/export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli_accounts import accounts_app
from app.cli_eval import eval_app
from app.cli_index import index_app
from app.cli_minutes import minutes_app
from app.cli_stt import register as register_stt
from app.cli_summarise import register as register_summarise
from app.cli_tts import register as register_tts
from app.cli_votes import votes_app
from app.core.config import Settings, get_settings

app = typer.Typer(
    help="Sổ Tay: the party cell handbook (members, meetings, documents, Hỏi đáp).",
    no_args_is_help=True,
)
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
import_app = typer.Typer(help="Import data.", no_args_is_help=True)
export_app = typer.Typer(help="Export data.", no_args_is_help=True)
app.add_typer(accounts_app, name="accounts")
app.add_typer(audit_app, name="audit")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(eval_app, name="eval")
app.add_typer(index_app, name="index")
app.add_typer(votes_app, name="votes")
app.add_typer(minutes_app, name="minutes")
register_stt(app)
register_summarise(app)
register_tts(app)


def _database(settings: Settings):  # type: ignore[no-untyped-def]
    from app.core.db import Database
    from app.core.migrate import upgrade

    settings.ensure_dirs()
    db = Database(settings)
    upgrade(db.engine)
    return db


@app.command()
def migrate() -> None:
    """Apply database migrations (done automatically by serve, worker and demo)."""
    _database(get_settings())
    typer.echo("ok")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int, typer.Option(help="Number of web processes")] = 1,
    embedded_worker: Annotated[
        bool | None, typer.Option(help="Also run a background worker (default: from settings)")
    ] = None,
) -> None:
    """Run the web app and API; by default also a background worker on the local broker."""
    import uvicorn

    settings = get_settings()
    _database(settings).dispose()
    run_worker = settings.jobs.embedded_worker if embedded_worker is None else embedded_worker
    child = None
    if run_worker:
        from app.jobs.service_embedded import start_embedded_worker

        child = start_embedded_worker(settings)
    try:
        uvicorn.run(
            "app.asgi:app",
            host=host,
            port=port,
            workers=workers,
            proxy_headers=True,
            log_level="info",
            limit_concurrency=settings.server.limit_concurrency,
        )
    finally:
        if child is not None:
            from app.jobs.service_embedded import stop_embedded_worker

            stop_embedded_worker(child)


@app.command()
def worker(
    concurrency: Annotated[int, typer.Option(help="Jobs run at the same time")] = 1,
    pool: Annotated[str, typer.Option(help="solo | prefork | threads")] = "solo",
    beat: Annotated[bool, typer.Option(help="Also run the periodic sweeper")] = True,
    hostname: Annotated[str | None, typer.Option(help="Worker name")] = None,
) -> None:
    """Run a Celery worker for background jobs (Redis in production, local broker by default)."""
    from app.worker import run_worker

    run_worker(get_settings(), concurrency=concurrency, pool=pool, beat=beat, hostname=hostname)


@app.command()
def demo() -> None:
    """Create (idempotently) a demo organisation and print the demo logins."""
    from app.demo import run_demo

    db = _database(get_settings())
    for role, username, password in run_demo(db):
        typer.echo(f"{role} {username} {password}")


@app.command("create-admin")
def create_admin(
    username: str,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    unit_code: Annotated[str, typer.Option(help="Code of the root unit")],
    unit_name: Annotated[
        str,
        typer.Option(help="Name of the root unit, to create it when no unit has that code"),
    ] = "",
) -> None:
    """Create a city admin account on a unit (first-run bootstrap); on an empty database
    --unit-name creates that root unit (a city committee) first."""
    from sqlalchemy import select

    from app.accounts import service
    from app.accounts.models import Role
    from app.core import audit
    from app.core.text import nfc
    from app.units import service as units_service
    from app.units.models import Unit, UnitKind

    db = _database(get_settings())
    with db.session() as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.code == unit_code))
        if unit_id is None and unit_name.strip():
            unit_id = units_service.create_root_unit(
                session,
                audit.AuditContext(ip="cli"),
                code=unit_code,
                name=nfc(unit_name.strip()),
                kind=UnitKind.city_committee,
            ).id
        if unit_id is None:
            raise typer.BadParameter(
                f"no unit with code {unit_code} (give --unit-name to create it)"
            )
        account = service.create_account(session, username=username, password=password)
        service.grant_role(session, account_id=account.id, unit_id=unit_id, role=Role.city_admin)
    typer.echo("ok")


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit log's hash chain; exit 1 on the first bad row."""
    from app.core.audit import verify_chain

    db = _database(get_settings())
    with db.session() as session:
        result = verify_chain(session)
    if result.ok:
        typer.echo(f"OK: {result.checked} rows, chain intact")
        return
    typer.echo(
        f"FAILED at row {result.first_bad_id} after {result.checked} good rows: {result.reason}",
        err=True,
    )
    raise typer.Exit(1)


@import_app.command("members")
def import_members(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    unit_code: Annotated[
        str | None, typer.Option(help="Cell code to use when the file has no cell-code column")
    ] = None,
    on_duplicate: Annotated[str, typer.Option(help="update | refuse")] = "refuse",
    dry_run: Annotated[bool, typer.Option(help="Check only, write nothing")] = False,
) -> None:
    """Import members from CSV or XLSX (lý lịch layout): all rows or none."""
    from app.imports.service_cli import cli_import

    db = _database(get_settings())
    code = cli_import(db, file, unit_code=unit_code, on_duplicate=on_duplicate, dry_run=dry_run)
    raise typer.Exit(code)


@export_app.command("members")
def export_members(
    output: Annotated[Path, typer.Option("--output", "-o", help="A .csv or .xlsx file")] = Path(
        "members.xlsx"
    ),
    unit_code: Annotated[str | None, typer.Option(help="Export only this unit's tree")] = None,
) -> None:
    """Export members to CSV or XLSX in the same layout as the import."""
    from app.imports.service_cli import cli_export

    db = _database(get_settings())
    count = cli_export(db, output, unit_code=unit_code)
    typer.echo(f"{count} members -> {output}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
