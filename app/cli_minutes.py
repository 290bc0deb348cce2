"""`sotay minutes …`: recompute a meeting's locked minutes hash against the audit log."""

from __future__ import annotations

from typing import Annotated

import typer

minutes_app = typer.Typer(help="Meeting minutes: verify a locked record.", no_args_is_help=True)


@minutes_app.command("verify")
def minutes_verify(
    meeting_id: Annotated[int, typer.Argument(help="The meeting whose minutes to check", min=1)],
) -> None:
    """Recompute the locked minutes' SHA-256 and compare it with the audit log's lock entry;
    exit 1 on a mismatch, a tampered row, or minutes that are not locked."""
    from app.core.config import get_settings
    from app.core.db import Database
    from app.core.migrate import upgrade
    from app.minutes.service import find
    from app.minutes.service_review import verify_minutes

    settings = get_settings()
    settings.ensure_dirs()
    db = Database(settings)
    upgrade(db.engine)
    try:
        with db.session(readonly=True) as session:
            minutes = find(session, meeting_id)
            if minutes is None:
                typer.echo(f"meeting {meeting_id}: FAILED: no minutes", err=True)
                raise typer.Exit(1)
            result = verify_minutes(session, minutes)
    finally:
        db.dispose()
    if not result.ok:
        typer.echo(
            f"meeting {meeting_id}: FAILED: {result.reason} "
            f"(computed {result.sha256}, audited {result.audited_sha256})",
            err=True,
        )
        raise typer.Exit(1)
    typer.echo(f"meeting {meeting_id}: OK, minutes locked with sha256 {result.sha256}")
