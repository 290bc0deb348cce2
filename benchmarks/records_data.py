"""City-scale data for benchmarks/records.py: units, members and audit rows, bulk-inserted."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from app.accounts import service as accounts_service
from app.accounts.models import Account, Role, RoleGrant
from app.core.audit import GENESIS, AuditLog, compute_hash
from app.core.db import Database, utcnow
from app.core.text import fold
from app.members.models import Member
from app.units.models import Unit

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Thu", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Ngân",
    "Phong",
    "Phúc",
    "Phương",
    "Quân",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Trung",
    "Tuấn",
    "Vân",
    "Yến",
]

BENCH_PASSWORD = "bench-password-2026"


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def build_units(session: Session, n_units: int) -> tuple[int, list[int], list[int]]:
    """One city, ~1% wards, the rest cells spread over the wards. Returns (root, wards, cells)."""
    n_wards = max(1, n_units // 100)
    root = Unit(code="CITY", name="Thành ủy Benchmark", kind="city_committee", depth=0, path="")
    session.add(root)
    session.flush()
    root.path = f"/{root.id}/"
    rows: list[dict[str, Any]] = []
    next_id = root.id + 1
    wards: list[int] = []
    for w in range(n_wards):
        wards.append(next_id)
        rows.append(
            {
                "id": next_id,
                "code": f"W{w:04d}",
                "name": f"Đảng ủy phường {w}",
                "kind": "ward_committee",
                "parent_id": root.id,
                "path": f"{root.path}{next_id}/",
                "depth": 1,
                "created_at": utcnow(),
            }
        )
        next_id += 1
    cells: list[int] = []
    ward_paths = {r["id"]: r["path"] for r in rows}
    for c in range(n_units - 1 - n_wards):
        ward = wards[c % n_wards]
        cells.append(next_id)
        rows.append(
            {
                "id": next_id,
                "code": f"C{c:05d}",
                "name": f"Chi bộ khu phố {c}",
                "kind": "cell",
                "parent_id": ward,
                "path": f"{ward_paths[ward]}{next_id}/",
                "depth": 2,
                "created_at": utcnow(),
            }
        )
        next_id += 1
    session.execute(insert(Unit), rows)
    return root.id, wards, cells


def build_members(session: Session, cells: list[int], n_members: int, rng: random.Random) -> None:
    batch: list[dict[str, Any]] = []
    for i in range(n_members):
        name = _name(rng)
        born = date(1940, 1, 1) + timedelta(days=rng.randint(0, 60 * 365))
        batch.append(
            {
                "unit_id": cells[i % len(cells)],
                "full_name": name,
                "name_folded": fold(name),
                "birth_date": born,
                "gender": rng.choice(["male", "female"]),
                "cccd": f"{i:012d}",
                "admission_date": born + timedelta(days=365 * 20 + rng.randint(0, 3650)),
                "card_number": f"B{i:08d}",
                "dossier_number": f"L{i:08d}",
                "status": "active",
                "created_at": utcnow(),
                "updated_at": utcnow(),
            }
        )
        if len(batch) == 10_000:
            session.execute(insert(Member), batch)
            batch = []
    if batch:
        session.execute(insert(Member), batch)


def build_audit(db: Database, n_rows: int, actor_id: int, units: list[int]) -> None:
    """A real hash chain, so `verify` and the viewer work on it; COPY on PostgreSQL."""
    prev = GENESIS
    cols = [
        "at",
        "actor_account_id",
        "on_behalf_of_member_id",
        "action",
        "object_type",
        "object_id",
        "unit_id",
        "ip",
        "detail",
        "prev_hash",
        "hash",
    ]
    start = utcnow() - timedelta(days=365)
    rows: list[dict[str, Any]] = []

    def flush(rows: list[dict[str, Any]]) -> None:
        if db.dialect == "postgresql":
            import json

            raw = db.engine.raw_connection()
            try:
                copy_sql = f"COPY audit_log ({', '.join(cols)}) FROM STDIN"
                with raw.cursor() as cur, cur.copy(copy_sql) as cp:  # type: ignore[attr-defined]
                    for r in rows:
                        cp.write_row([json.dumps(r[c]) if c == "detail" else r[c] for c in cols])
                raw.commit()
            finally:
                raw.close()
        else:
            with db.session() as s:
                s.execute(insert(AuditLog), rows)

    for i in range(n_rows):
        row = {
            "at": start + timedelta(seconds=i * 30),
            "actor_account_id": actor_id,
            "on_behalf_of_member_id": None,
            "action": ("member.view", "member.update", "auth.login", "member.sensitive_read")[
                i % 4
            ],
            "object_type": "member",
            "object_id": str(i % 100_000),
            "unit_id": units[i % len(units)],
            "ip": "127.0.0.1",
            "detail": {},
        }
        row["prev_hash"] = prev
        row["hash"] = prev = compute_hash(prev, row)
        rows.append(row)
        if len(rows) == 20_000:
            flush(rows)
            rows = []
    if rows:
        flush(rows)


def build(
    db: Database, *, units: int, members: int, audit_rows: int, clients: int
) -> dict[str, Any]:
    """Create the whole data set; returns ids the load phase needs."""
    rng = random.Random(2026)
    with db.session() as session:
        root, wards, cells = build_units(session, units)
        build_members(session, cells, members, rng)
        admin = accounts_service.create_account(
            session, username="bench-admin", password=BENCH_PASSWORD
        )
        session.add(RoleGrant(account_id=admin.id, unit_id=root, role=Role.city_admin))
        # Login accounts: one per simulated client, each a ward's staff member.
        for i in range(clients):
            acc = accounts_service.create_account(
                session, username=f"bench-staff-{i}", password=BENCH_PASSWORD
            )
            session.add(
                RoleGrant(
                    account_id=acc.id, unit_id=wards[i % len(wards)], role=Role.committee_staff
                )
            )
        admin_id = admin.id
    build_audit(db, audit_rows, admin_id, cells)
    if db.dialect == "postgresql":
        # VACUUM as well as ANALYZE: after a bulk load autovacuum would otherwise start in the
        # middle of the measurements (it did: a 5 s p95 on /healthz), and a long-lived database
        # has its visibility map set, which index-only scans rely on.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE)"))
            # And flush the load's dirty pages now, not in a checkpoint during the first scenario.
            conn.execute(text("CHECKPOINT"))
    with db.session() as session:
        member_ids = list(session.scalars(select(Member.id)))
        staff = list(
            session.scalars(select(Account.username).where(Account.username.like("bench-staff-%")))
        )
    return {"root": root, "wards": wards, "cells": cells, "member_ids": member_ids, "staff": staff}
