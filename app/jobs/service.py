"""Submitting jobs and reading them back, scoped to what the actor may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.core.audit import AuditContext, record
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, NotFound
from app.core.permissions import Actor, Perm, accessible_unit_ids, can_in_unit
from app.jobs import service_registry as registry
from app.jobs.models import Job, JobStatus
from app.jobs.service_dispatch import Dispatcher, send_after_commit
from app.units.models import Unit

QUEUED_MESSAGE = "Đang chờ xử lý"
FINISHED = frozenset({JobStatus.succeeded, JobStatus.failed, JobStatus.cancelled})


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """Jobs an actor may see: their own, and those on units where they may run jobs."""
    return or_(
        Job.owner_account_id == actor.account_id,
        Job.unit_id.in_(accessible_unit_ids(actor, Perm.job_run)),
    )


def _authorise(session: Session, actor: Actor, kind: registry.JobKind, unit_id: int) -> None:
    live = session.scalar(select(Unit.id).where(Unit.id == unit_id, Unit.dissolved_at.is_(None)))
    # A unit the actor cannot even see answers like a unit that does not exist.
    if live is None or not can_in_unit(session, actor, Perm.unit_view, unit_id):
        raise NotFound("Không tìm thấy đơn vị")
    for perm in kind.perms:
        if not can_in_unit(session, actor, perm, unit_id):
            raise Forbidden("Bạn không có quyền chạy tác vụ này trên đơn vị này")
    if kind.roles and not (kind.roles & actor.roles()):
        raise Forbidden("Chỉ quản trị thành ủy được chạy tác vụ này")


def _same_request(job: Job, kind: str, unit_id: int, params: dict[str, Any]) -> bool:
    return job.kind == kind and job.unit_id == unit_id and (job.params or {}) == params


def submit_job(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    kind: str,
    params: dict[str, Any] | None,
    unit_id: int,
    idempotency_key: str | None = None,
    dispatcher: Dispatcher,
) -> tuple[Job, bool]:
    """Queue a job (or return the one already made with this key); sent after the commit."""
    job_kind = registry.get_kind(kind)
    parsed = job_kind.parse_params(params)
    clean = parsed.model_dump(mode="json")
    _authorise(session, actor, job_kind, unit_id)
    if job_kind.check_params is not None:
        job_kind.check_params(session, actor, unit_id, parsed)
    # Keys are per account: one user's key can never name, or reveal, another user's job.
    key = f"{actor.account_id}:{idempotency_key}" if idempotency_key else None
    if key is not None:
        existing = session.scalar(select(Job).where(Job.idempotency_key == key))
        if existing is not None:
            if not _same_request(existing, kind, unit_id, clean):
                raise Conflict("Khóa chống gửi trùng đã được dùng cho một yêu cầu khác")
            return existing, False
    now = utcnow()
    job = Job(
        kind=kind,
        owner_account_id=actor.account_id,
        unit_id=unit_id,
        status=JobStatus.queued,
        progress=0,
        message=QUEUED_MESSAGE,
        params=clean,
        state={},
        idempotency_key=key,
        attempts=0,
        created_at=now,
        heartbeat_at=now,
    )
    try:
        with session.begin_nested():
            session.add(job)
            session.flush()
    except IntegrityError:
        # Two identical requests raced; the other one's row is the answer.
        existing = session.scalar(select(Job).where(Job.idempotency_key == key))
        if key is None or existing is None:
            raise
        if not _same_request(existing, kind, unit_id, clean):
            raise Conflict("Khóa chống gửi trùng đã được dùng cho một yêu cầu khác") from None
        return existing, False
    record(
        session,
        ctx,
        "jobs.submit",
        object_type="job",
        object_id=job.id,
        unit_id=unit_id,
        detail={"kind": kind},
    )
    send_after_commit(session, dispatcher, job.id)
    return job, True


def list_jobs(
    session: Session,
    actor: Actor,
    *,
    page: int = 1,
    per_page: int = 20,
    status: str | None = None,
    kind: str | None = None,
) -> tuple[list[Job], int]:
    """Visible jobs, newest first, one page, and the total count."""
    conds = [visible_to(actor)]
    if status:
        conds.append(Job.status == status)
    if kind:
        conds.append(Job.kind == kind)
    total = session.scalar(select(func.count(Job.id)).where(*conds)) or 0
    rows = session.scalars(
        select(Job)
        .where(*conds)
        .order_by(Job.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), total


def get_job(session: Session, actor: Actor, job_id: int) -> Job:
    """One visible job; 404 when it does not exist or the actor may not see it."""
    job = session.scalar(select(Job).where(Job.id == job_id, visible_to(actor)))
    if job is None:
        raise NotFound("Không tìm thấy tác vụ")
    return job


@dataclass(frozen=True)
class JobLabels:
    """Names to show beside a job: its unit and the account that submitted it."""

    unit_names: dict[int, str]
    owner_names: dict[int, str]


def labels_for(session: Session, jobs: list[Job]) -> JobLabels:
    """Unit and owner names for a page of jobs, in two queries."""
    unit_ids = {j.unit_id for j in jobs if j.unit_id is not None}
    owner_ids = {j.owner_account_id for j in jobs if j.owner_account_id is not None}
    units = {
        uid: name
        for uid, name in session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids)))
    }
    owners = {
        aid: name
        for aid, name in session.execute(
            select(Account.id, Account.username).where(Account.id.in_(owner_ids))
        )
    }
    return JobLabels(unit_names=units, owner_names=owners)


def runnable_units(session: Session, actor: Actor, kind: str) -> list[Unit]:
    """Live units where the actor may submit `kind`, in tree order (for the web form)."""
    job_kind = registry.get_kind(kind)
    if job_kind.roles and not (job_kind.roles & actor.roles()):
        return []
    stmt = select(Unit).where(Unit.dissolved_at.is_(None)).order_by(Unit.path)
    for perm in job_kind.perms:
        stmt = stmt.where(Unit.id.in_(accessible_unit_ids(actor, perm)))
    return list(session.scalars(stmt.limit(2000)).all())


def is_finished(job: Job) -> bool:
    return job.status in FINISHED
