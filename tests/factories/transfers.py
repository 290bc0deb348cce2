"""Factories for pending transfers and corrections (written directly), and a web sign-in."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts import service as accounts_service
from app.accounts.models import Account
from app.core.config import AuthSettings
from app.core.deps import SESSION_COOKIE
from app.members.models import Correction, Member
from app.transfers.models import Transfer, TransferKind
from app.units.models import Unit


def make_transfer(
    session: Session,
    member: Member,
    to_unit: Unit | None,
    *,
    kind: TransferKind = TransferKind.internal,
    requested_by: Account | None = None,
    external_org: str | None = None,
) -> Transfer:
    transfer = Transfer(
        member_id=member.id,
        kind=kind,
        from_unit_id=None if kind == TransferKind.incoming else member.unit_id,
        to_unit_id=to_unit.id if to_unit else None,
        external_org=external_org,
        reason="Chuyển nơi cư trú",
        status="pending",
        requested_by=requested_by.id if requested_by else None,
    )
    session.add(transfer)
    session.flush()
    return transfer


def make_correction(
    session: Session,
    member: Member,
    proposed_by: Account,
    *,
    field: str = "phone",
    new_value: str = "0912345678",
) -> Correction:
    correction = Correction(
        member_id=member.id,
        field=field,
        old_value=None,
        new_value=new_value,
        reason="Số điện thoại mới",
        status="pending",
        proposed_by=proposed_by.id,
    )
    session.add(correction)
    session.flush()
    return correction


def web_login(client: TestClient, session: Session, account: Account) -> dict[str, str]:
    """Sign `account` in on the test client's cookie jar; returns the CSRF header for posts."""
    secret, row = accounts_service.issue_token(
        session, AuthSettings(), account=account, kind="session", ip="test"
    )
    client.cookies.set(SESSION_COOKIE, secret)
    return {"X-CSRF-Token": row.csrf_token}
