"""The `sotay` command's contracts: help for every documented command, and `audit verify`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from app.core import audit
from app.core.db import Database
from app.core.migrate import upgrade
from tests.conftest import make_settings

CONTRACTS = [
    ["serve"],
    ["worker"],
    ["demo"],
    ["migrate"],
    ["audit", "verify"],
    ["import", "members"],
    ["export", "members"],
]


def sotay(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOTAY_DATA_DIR": str(data_dir), "SOTAY_DB__URL": ""}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("args", CONTRACTS, ids=" ".join)
def test_contract_commands_answer_help(args: list[str], tmp_path: Path) -> None:
    result = sotay([*args, "--help"], tmp_path)
    assert result.returncode == 0, result.stderr


def test_audit_verify_passes_then_detects_a_tampered_row(tmp_path: Path) -> None:
    db = Database(make_settings(tmp_path))
    upgrade(db.engine)
    with db.session() as s:
        for i in range(5):
            audit.record(s, audit.AuditContext(ip="cli-test"), "test.event", object_id=i)
    ok = sotay(["audit", "verify"], tmp_path)
    assert ok.returncode == 0 and "OK: 5 rows" in ok.stdout

    with db.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET object_id = '999' WHERE id = 3"))
    db.dispose()
    bad = sotay(["audit", "verify"], tmp_path)
    assert bad.returncode == 1
    assert "row 3" in bad.stderr
