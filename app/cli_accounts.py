"""`sotay accounts …`: operators create accounts, reset them and grant or revoke roles.

The operator holds the whole database, so no scope applies; every change is audited as the
system's. One-time codes are printed once, to be handed over; passwords are never printed.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from app.core.config import Settings
    from app.core.db import Database

accounts_app = typer.Typer(
    help="Accounts and role grants (one-time codes, never passwords).", no_args_is_help=True
)

ROLE_HELP = (
    "cell_secretary | cell_deputy | committee_staff | committee_admin | auditor | city_admin"
)


def _database() -> tuple[Settings, Database]:
    from app.core.config import get_settings
    from app.core.db import Database
    from app.core.migrate import upgrade

    settings = get_settings()
    settings.ensure_dirs()
    db = Database(settings)
    upgrade(db.engine)
    return settings, db


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


@accounts_app.command("create")
def create(
    member: Annotated[
        int | None, typer.Option("--member", help="Id of the member the account is for")
    ] = None,
    unit_code: Annotated[
        str | None, typer.Option(help="Code of the unit of a staff account (no member)")
    ] = None,
    name: Annotated[str, typer.Option(help="Full name of a staff account")] = "",
    username: Annotated[
        str | None, typer.Option(help="Username (default: suggested from the name)")
    ] = None,
) -> None:
    """Create an account for a member, or for staff in a unit; print its one-time code."""
    from app.accounts import service_codes
    from app.core.errors import AppError

    settings, db = _database()
    try:
        with db.session() as session:
            try:
                issued = service_codes.create_for_operator(
                    session,
                    cfg=settings.auth,
                    member_id=member,
                    unit_code=unit_code,
                    display_name=name,
                    username=username,
                )
            except AppError as exc:
                raise _fail(exc.render()) from exc
            typer.echo(f"username: {issued.account.username}")
            typer.echo(f"one-time code: {issued.code}")
            typer.echo(f"valid until: {issued.expires_at:%Y-%m-%d %H:%M} UTC")
    finally:
        db.dispose()


@accounts_app.command("reset")
def reset(username: Annotated[str, typer.Argument(help="The account's username")]) -> None:
    """Issue a new one-time code; the old password and earlier codes stop working."""
    from app.accounts import service_codes
    from app.core.errors import AppError

    settings, db = _database()
    try:
        with db.session() as session:
            try:
                issued = service_codes.reset_for_operator(
                    session, cfg=settings.auth, username=username
                )
            except AppError as exc:
                raise _fail(exc.render()) from exc
            typer.echo(f"username: {issued.account.username}")
            typer.echo(f"one-time code: {issued.code}")
            typer.echo(f"valid until: {issued.expires_at:%Y-%m-%d %H:%M} UTC")
    finally:
        db.dispose()


@accounts_app.command("grant")
def grant(
    username: Annotated[str, typer.Argument(help="The account's username")],
    role: Annotated[str, typer.Argument(help=ROLE_HELP)],
    unit_code: Annotated[str, typer.Option(help="Code of the unit (the role covers its tree)")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log)")],
    starts_on: Annotated[
        str | None, typer.Option(help="First day, YYYY-MM-DD (default: today)")
    ] = None,
    ends_on: Annotated[
        str | None, typer.Option(help="Last day, YYYY-MM-DD (default: until revoked)")
    ] = None,
) -> None:
    """Grant a role on a unit and its tree, from a first day to an optional last day."""
    from app.accounts import service_grants
    from app.core.errors import AppError

    try:
        first = date.fromisoformat(starts_on) if starts_on else None
        last = date.fromisoformat(ends_on) if ends_on else None
    except ValueError as exc:
        raise _fail("dates are YYYY-MM-DD") from exc
    _settings, db = _database()
    try:
        with db.session() as session:
            try:
                row = service_grants.grant_for_operator(
                    session,
                    username=username,
                    role=role,
                    unit_code=unit_code,
                    reason=reason,
                    starts_on=first,
                    ends_on=last,
                )
            except AppError as exc:
                raise _fail(exc.render()) from exc
            until = row.ends_on.isoformat() if row.ends_on else "revoked"
            typer.echo(f"granted {role} on {unit_code} to {username}, until {until}")
    finally:
        db.dispose()


@accounts_app.command("revoke")
def revoke(
    username: Annotated[str, typer.Argument(help="The account's username")],
    role: Annotated[str, typer.Argument(help=ROLE_HELP)],
    unit_code: Annotated[str, typer.Option(help="Code of the unit the role was granted on")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log)")],
) -> None:
    """Revoke a role granted on a unit."""
    from app.accounts import service_grants
    from app.core.errors import AppError

    _settings, db = _database()
    try:
        with db.session() as session:
            try:
                service_grants.revoke_for_operator(
                    session, username=username, role=role, unit_code=unit_code, reason=reason
                )
            except AppError as exc:
                raise _fail(exc.render()) from exc
            typer.echo(f"revoked {role} on {unit_code} from {username}")
    finally:
        db.dispose()
