"""Data for benchmarks/meetings.py: the city, a large voting cell, member tokens, draft documents."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from app.accounts import service as accounts_service
from app.accounts.models import Account, AuthToken, Role, RoleGrant
from app.core.db import Database, utcnow
from app.core.security import hash_password, new_token, token_digest
from app.core.text import fold
from app.documents.models import Document, DocumentAudience, DocumentVersion
from app.documents.service_audience import LIVE
from app.members.models import Member
from app.units.models import Unit
from benchmarks.records_data import BENCH_PASSWORD, _name, build_members, build_units


def _vote_cell(
    session: Session, ward_id: int, n_members: int, offset: int
) -> tuple[int, list[int]]:
    """One extra cell holding the whole electorate of the vote scenario."""
    ward_path = session.scalar(select(Unit.path).where(Unit.id == ward_id))
    # build_units inserts explicit ids (the PostgreSQL sequence never moved), so this one too.
    cell = Unit(
        id=(session.scalar(select(func.max(Unit.id))) or 0) + 1,
        code="CVOTE",
        name="Chi bộ biểu quyết",
        kind="cell",
        parent_id=ward_id,
        depth=2,
        path="",
    )
    session.add(cell)
    session.flush()
    cell.path = f"{ward_path}{cell.id}/"
    rng = random.Random(300)
    rows = []
    for j in range(n_members):
        i = offset + j
        name = _name(rng)
        born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 40 * 365))
        rows.append(
            {
                "unit_id": cell.id,
                "full_name": name,
                "name_folded": fold(name),
                "birth_date": born,
                "gender": rng.choice(["male", "female"]),
                "cccd": f"{i:012d}",
                "admission_date": born + timedelta(days=365 * 22),
                "card_number": f"B{i:08d}",
                "dossier_number": f"L{i:08d}",
                "status": "active",
                "created_at": utcnow(),
                "updated_at": utcnow(),
            }
        )
    session.execute(insert(Member), rows)
    ids = list(session.scalars(select(Member.id).where(Member.unit_id == cell.id)))
    return cell.id, ids


def _member_tokens(session: Session, member_ids: list[int], pw_hash: str) -> list[str]:
    """An account and an API token per member, bulk-inserted (one shared password hash: nobody
    logs in here, and argon2 per account would dominate the build)."""
    now = utcnow()
    session.execute(
        insert(Account),
        [
            {
                "username": f"bench-m-{m}",
                "display_name": "",
                "password_hash": pw_hash,
                "member_id": m,
                "is_active": True,
                "failed_logins": 0,
                "must_change_password": False,
                "locale": "vi",
                "created_at": now,
            }
            for m in member_ids
        ],
    )
    acc = dict(
        session.execute(
            select(Account.member_id, Account.id).where(Account.member_id.in_(member_ids))
        ).all()
    )
    secrets = [new_token() for _ in member_ids]
    session.execute(
        insert(AuthToken),
        [
            {
                "token_hash": token_digest(s),
                "account_id": acc[m],
                "kind": "api",
                "csrf_token": "",
                "created_at": now,
                "expires_at": now + timedelta(days=1),
            }
            for m, s in zip(member_ids, secrets, strict=True)
        ],
    )
    return secrets


def _staff_token(session: Session, username: str, unit_id: int, role: Role) -> str:
    acc = accounts_service.create_account(session, username=username, password=BENCH_PASSWORD)
    session.add(RoleGrant(account_id=acc.id, unit_id=unit_id, role=role))
    secret = new_token()
    now = utcnow()
    session.add(
        AuthToken(
            token_hash=token_digest(secret),
            account_id=acc.id,
            kind="api",
            csrf_token="",
            expires_at=now + timedelta(days=1),
        )
    )
    return secret


def _draft(session: Session, root: int, title: str, audience: list[tuple[int, bool]]) -> int:
    """A draft with one version row; the file itself is never read by publish or read receipts.
    Audience rows are inserted directly: the API takes at most 500 entries per request."""
    doc = Document(unit_id=root, kind="chi_thi", number=None, title=title, summary="Benchmark")
    session.add(doc)
    session.flush()
    session.add(
        DocumentVersion(
            document_id=doc.id,
            version_no=1,
            sha256="0" * 64,
            size=1,
            mime="application/pdf",
            original_filename="bench.pdf",
        )
    )
    session.execute(
        insert(DocumentAudience),
        [
            {"document_id": doc.id, "unit_id": u, "include_subtree": sub, "role": None}
            for u, sub in audience
        ],
    )
    return doc.id


def build(db: Database, *, units: int, members: int, voters: int, readers: int) -> dict[str, Any]:
    """Create the whole data set; returns tokens and ids the load phase needs."""
    rng = random.Random(2026)
    pw_hash = hash_password(BENCH_PASSWORD)
    with db.session() as session:
        root, wards, cells = build_units(session, units)
        build_members(session, cells, members, rng)
        vote_cell, voter_ids = _vote_cell(session, wards[0], voters, offset=members)
        all_cells = [*cells, vote_cell]
        reader_ids = rng.sample(
            list(session.scalars(select(Member.id).where(Member.unit_id != vote_cell))),
            min(readers, members),
        )
        voter_tokens = _member_tokens(session, voter_ids, pw_hash)
        reader_tokens = _member_tokens(session, reader_ids, pw_hash)
        admin = _staff_token(session, "bench-admin", root, Role.city_admin)
        chair = _staff_token(session, "bench-chair", vote_cell, Role.cell_secretary)
        doc_city = _draft(session, root, "Chỉ thị gửi toàn thành phố", [(root, True)])
        doc_cells = _draft(
            session, root, "Chỉ thị gửi từng chi bộ", [(c, False) for c in all_cells]
        )
    with db.session() as session:
        if db.dialect == "postgresql":
            session.execute(text("ANALYZE"))
        live = session.scalar(select(func.count()).where(Member.status.in_(LIVE)))
    return {
        "root": root,
        "cells": all_cells,
        "vote_cell": vote_cell,
        "voter_tokens": voter_tokens,
        "reader_tokens": reader_tokens,
        "admin_token": admin,
        "chair_token": chair,
        "doc_city": doc_city,
        "doc_cells": doc_cells,
        "live_members": live or 0,
    }
