"""Account factories and API token helpers."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.accounts import service
from app.accounts.models import Account, Role
from app.core.config import AuthSettings
from app.members.models import Member
from app.units.models import Unit

PASSWORD = "matkhau-123"  # noqa: S105 - test fixture


def make_account(
    session: Session,
    username: str,
    *,
    member: Member | None = None,
    role: Role | None = None,
    unit: Unit | None = None,
    password: str = PASSWORD,
) -> Account:
    account = service.create_account(
        session, username=username, password=password, member_id=member.id if member else None
    )
    if role is not None and role != Role.member:
        assert unit is not None
        service.grant_role(session, account_id=account.id, unit_id=unit.id, role=role)
    return account


def bearer(session: Session, account: Account) -> dict[str, str]:
    secret, _ = service.issue_token(session, AuthSettings(), account=account, kind="api", ip="test")
    return {"Authorization": f"Bearer {secret}"}
