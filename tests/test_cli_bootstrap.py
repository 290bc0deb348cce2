"""`sotay create-admin` on an empty database: --unit-name creates the root unit first (issue 17)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.accounts.models import Account, RoleGrant
from app.core.db import Database
from app.units.models import Unit
from tests.conftest import make_settings
from tests.test_cli import sotay


def test_create_admin_on_an_empty_database(tmp_path: Path) -> None:
    missing = sotay(
        ["create-admin", "admin", "--password", "mat-khau-dai-2026", "--unit-code", "TU"],
        tmp_path,
    )
    assert missing.returncode != 0 and "--unit-name" in missing.stderr
    made = sotay(
        ["create-admin", "admin", "--password", "mat-khau-dai-2026", "--unit-code", "TU",
         "--unit-name", "Thành ủy Mẫu"],
        tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    db = Database(make_settings(tmp_path))
    with db.session() as s:
        unit = s.scalar(select(Unit).where(Unit.code == "TU"))
        assert unit is not None and unit.parent_id is None and unit.name == "Thành ủy Mẫu"
        account = s.scalar(select(Account).where(Account.username == "admin"))
        assert account is not None
        grant = s.scalar(select(RoleGrant).where(RoleGrant.account_id == account.id))
        assert grant is not None and grant.unit_id == unit.id and grant.role == "city_admin"
    db.dispose()
