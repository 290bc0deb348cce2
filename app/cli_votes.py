"""`sotay votes …`: recompute the keyed secret-ballot chains from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

votes_app = typer.Typer(help="Votes and secret ballots.", no_args_is_help=True)


@votes_app.command("verify")
def votes_verify(
    vote: Annotated[int | None, typer.Option("--vote", help="Check only this vote")] = None,
) -> None:
    """Recompute every secret vote's ballot chain (or one); print each, exit 1 on any failure."""
    from sqlalchemy import select

    from app.core.config import get_settings
    from app.core.db import Database
    from app.core.migrate import upgrade
    from app.votes.models import Vote, VoteKind
    from app.votes.service_ballots import verify_ballots

    settings = get_settings()
    settings.ensure_dirs()
    db = Database(settings)
    upgrade(db.engine)
    failed = 0
    try:
        with db.session(readonly=True) as session:
            q = select(Vote.id, Vote.status).where(Vote.kind == VoteKind.secret)
            if vote is not None:
                q = q.where(Vote.id == vote)
            rows = session.execute(q.order_by(Vote.id)).all()
            if vote is not None and not rows:
                typer.echo(f"vote {vote}: FAILED: no secret vote with this id", err=True)
                raise typer.Exit(1)
            for vote_id, status in rows:
                check = verify_ballots(session, vote_id=vote_id)
                if check.ok:
                    typer.echo(f"vote {vote_id}: OK, {check.checked} ballots ({status})")
                else:
                    failed += 1
                    typer.echo(
                        f"vote {vote_id}: FAILED after {check.checked} good ballots ({status}): "
                        f"{check.reason}",
                        err=True,
                    )
    finally:
        db.dispose()
    if failed:
        typer.echo(f"FAILED: {failed} of {len(rows)} secret votes", err=True)
        raise typer.Exit(1)
    typer.echo(f"OK: {len(rows)} secret votes, every ballot chain intact")
