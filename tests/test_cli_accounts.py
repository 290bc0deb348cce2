"""`sotay accounts create|reset|grant|revoke`: one-time codes printed once, grants audited."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from app.accounts import service_codes
from app.accounts.models import Account, AccountCode, Role, RoleGrant
from app.core.audit import AuditLog
from app.core.config import AuthSettings
from app.core.db import Database, utcnow
from app.core.migrate import upgrade
from app.core.permissions import load_actor
from tests.conftest import make_settings
from tests.factories.org import build_org
from tests.test_cli import sotay

CODE = re.compile(r"one-time code: ([A-Z0-9]{4}-[A-Z0-9]{4})")


def test_accounts_commands(tmp_path: Path) -> None:
    for sub in ("create", "reset", "grant", "revoke"):
        shown = sotay(["accounts", sub, "--help"], tmp_path)
        assert shown.returncode == 0 and "Usage" in shown.stdout
    db = Database(make_settings(tmp_path))
    upgrade(db.engine)
    with db.session() as s:
        org = build_org(s)
        member_id = org.members["mem_a1"].id
    db.dispose()

    made = sotay(["accounts", "create", "--member", str(member_id)], tmp_path)
    assert made.returncode == 0, made.stderr
    assert "username: tolv" in made.stdout
    match = CODE.search(made.stdout)
    assert match is not None
    again = sotay(["accounts", "create", "--member", str(member_id)], tmp_path)
    assert again.returncode == 1 and "error:" in again.stderr

    staff = sotay(["accounts", "create", "--unit-code", "W1", "--name", "Lý Thị Hà"], tmp_path)
    assert staff.returncode == 0 and "username: halt" in staff.stdout

    granted = sotay(
        ["accounts", "grant", "tolv", "cell_deputy", "--unit-code", "A", "--reason", "Bầu bổ sung"],
        tmp_path,
    )
    assert granted.returncode == 0, granted.stderr
    refused = sotay(
        ["accounts", "grant", "tolv", "member", "--unit-code", "A", "--reason", "x"], tmp_path
    )
    assert refused.returncode == 1
    reset = sotay(["accounts", "reset", "tolv"], tmp_path)
    second = CODE.search(reset.stdout)
    assert reset.returncode == 0 and second is not None and second.group(1) != match.group(1)
    assert "password" not in (made.stdout + reset.stdout).lower().replace("one-time code", "")

    with db.session() as s:
        account = s.scalars(select(Account).where(Account.username == "tolv")).one()
        actor = load_actor(s, account.id)
        assert actor is not None and Role.cell_deputy in actor.roles()
        # The codes are stored hashed; only the newest one works.
        hashes = s.scalars(select(AccountCode.code_hash)).all()
        assert not any(match.group(1).replace("-", "") in h for h in hashes)
        for code, ok in ((match.group(1), False), (second.group(1), True)):
            result = service_codes.activate(
                s, AuthSettings(), login="tolv", code=code, password="mat-khau-moi-2026",
                ip="cli-test", now=utcnow(),
            )  # fmt: skip
            assert (result.account is not None) is ok
    revoked = sotay(
        ["accounts", "revoke", "tolv", "cell_deputy", "--unit-code", "A", "--reason", "Thôi"],
        tmp_path,
    )
    assert revoked.returncode == 0, revoked.stderr
    with db.session() as s:
        assert not s.scalars(select(RoleGrant).where(RoleGrant.account_id == account.id)).all()
        actions = s.scalars(select(AuditLog.action)).all()
        assert {"account.created", "account.code_issued", "role.granted", "role.revoked"} <= set(
            actions
        )
        details = " ".join(str(d) for d in s.scalars(select(AuditLog.detail)))
        assert match.group(1) not in details and second.group(1) not in details
    db.dispose()
