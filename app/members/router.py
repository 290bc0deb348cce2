"""JSON API for member profiles: list and search, profile, own profile, sensitive data, sub-records."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.core.deps import AuditCtx, CanListMembers, CurrentActor, DBSession
from app.core.ids import Id
from app.core.permissions import Actor
from app.core.text import NFCStr
from app.members import service
from app.members import service_profile as profile
from app.members import service_records as records
from app.members import service_sensitive as sensitive
from app.members.models import MemberStatus
from app.members.schemas import (
    AwardIn,
    AwardPatch,
    DisciplineIn,
    DisciplinePatch,
    MemberCreate,
    MemberPage,
    MemberProfile,
    MemberUpdate,
    RatingIn,
    RatingPatch,
    RecordEnd,
    RecordOut,
    SensitiveOut,
    TrainingIn,
    TrainingPatch,
    WorkHistoryIn,
    WorkHistoryPatch,
)
from app.members.service_records import RecordKind

router = APIRouter(tags=["members"])


@router.get("/members", response_model=MemberPage)
def list_members(
    actor: CanListMembers,
    session: DBSession,
    unit_id: Id | None = None,
    subtree: bool = True,
    q: Annotated[NFCStr | None, Query(max_length=100)] = None,
    status: MemberStatus | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=service.MAX_PAGE_SIZE)] = 50,
) -> MemberPage:
    """Members in the caller's scope; `q` matches names without accents ("nguyen van a")."""
    return service.list_members(
        session,
        actor=actor,
        unit_id=unit_id,
        subtree=subtree,
        q=q,
        status=status,
        page=page,
        page_size=page_size,
    )


@router.post("/members", response_model=MemberProfile, status_code=201)
def create_member(
    body: MemberCreate, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> MemberProfile:
    member = service.create_member(session, ctx, actor=actor, data=body)
    return profile.get_profile(session, actor=actor, member_id=member.id)


@router.get("/me", response_model=MemberProfile)
def read_my_profile(actor: CurrentActor, session: DBSession) -> MemberProfile:
    return profile.get_my_profile(session, actor=actor)


@router.get("/members/{member_id}", response_model=MemberProfile)
def read_member(member_id: Id, actor: CurrentActor, session: DBSession) -> MemberProfile:
    return profile.get_profile(session, actor=actor, member_id=member_id)


@router.patch("/members/{member_id}", response_model=MemberProfile)
def update_member(
    member_id: Id, body: MemberUpdate, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> MemberProfile:
    service.update_member(session, ctx, actor=actor, member_id=member_id, data=body)
    return profile.get_profile(session, actor=actor, member_id=member_id)


@router.get("/members/{member_id}/sensitive", response_model=SensitiveOut)
def read_member_sensitive(
    member_id: Id, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> SensitiveOut:
    """CCCD and discipline; every call is written to the audit log."""
    return sensitive.read_sensitive(session, ctx, actor=actor, member_id=member_id)


# Sub-records: one route per kind, so each has its own typed body and other domains can add
# their own /members/{member_id}/<thing> routes without being shadowed by a catch-all.


def _add(
    session: Session,
    ctx: AuditContext,
    actor: Actor,
    member_id: Id,
    kind: RecordKind,
    body: BaseModel,
) -> RecordOut:
    rid = records.add_record(session, ctx, actor=actor, member_id=member_id, kind=kind, data=body)
    return RecordOut(id=rid, kind=kind.value)


def _delete(
    session: Session,
    ctx: AuditContext,
    actor: Actor,
    member_id: Id,
    kind: RecordKind,
    record_id: Id,
) -> None:
    records.delete_record(
        session, ctx, actor=actor, member_id=member_id, kind=kind, record_id=record_id
    )


def _update(
    session: Session,
    ctx: AuditContext,
    actor: Actor,
    ids: tuple[Id, Id],
    kind: RecordKind,
    body: BaseModel,
) -> RecordOut:
    member_id, record_id = ids
    records.update_record(
        session, ctx, actor=actor, member_id=member_id, kind=kind, record_id=record_id, data=body
    )
    return RecordOut(id=record_id, kind=kind.value)


def _end(
    session: Session,
    ctx: AuditContext,
    actor: Actor,
    ids: tuple[Id, Id],
    kind: RecordKind,
    body: RecordEnd,
) -> RecordOut:
    member_id, record_id = ids
    records.end_record(
        session, ctx, actor=actor, member_id=member_id, kind=kind, record_id=record_id,
        end_date=body.end_date,
    )  # fmt: skip
    return RecordOut(id=record_id, kind=kind.value)


@router.post("/members/{member_id}/work-history", response_model=RecordOut, status_code=201)
def add_work_history(
    member_id: Id, body: WorkHistoryIn, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> RecordOut:
    return _add(session, ctx, actor, member_id, RecordKind.work_history, body)


@router.post("/members/{member_id}/awards", response_model=RecordOut, status_code=201)
def add_award(
    member_id: Id, body: AwardIn, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> RecordOut:
    return _add(session, ctx, actor, member_id, RecordKind.awards, body)


@router.post("/members/{member_id}/trainings", response_model=RecordOut, status_code=201)
def add_training(
    member_id: Id, body: TrainingIn, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> RecordOut:
    return _add(session, ctx, actor, member_id, RecordKind.trainings, body)


@router.post("/members/{member_id}/ratings", response_model=RecordOut, status_code=201)
def add_rating(
    member_id: Id, body: RatingIn, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> RecordOut:
    """A yearly grade; refused for a member with under 6 months at 31/12, 409 if the year has one."""
    return _add(session, ctx, actor, member_id, RecordKind.ratings, body)


@router.post("/members/{member_id}/disciplines", response_model=RecordOut, status_code=201)
def add_discipline(
    member_id: Id, body: DisciplineIn, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> RecordOut:
    return _add(session, ctx, actor, member_id, RecordKind.disciplines, body)


@router.delete("/members/{member_id}/work-history/{record_id}", status_code=204)
def delete_work_history(
    member_id: Id, record_id: Id, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> None:
    _delete(session, ctx, actor, member_id, RecordKind.work_history, record_id)


@router.delete("/members/{member_id}/awards/{record_id}", status_code=204)
def delete_award(
    member_id: Id, record_id: Id, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> None:
    _delete(session, ctx, actor, member_id, RecordKind.awards, record_id)


@router.delete("/members/{member_id}/trainings/{record_id}", status_code=204)
def delete_training(
    member_id: Id, record_id: Id, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> None:
    _delete(session, ctx, actor, member_id, RecordKind.trainings, record_id)


@router.delete("/members/{member_id}/ratings/{record_id}", status_code=204)
def delete_rating(
    member_id: Id, record_id: Id, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> None:
    _delete(session, ctx, actor, member_id, RecordKind.ratings, record_id)


@router.delete("/members/{member_id}/disciplines/{record_id}", status_code=204)
def delete_discipline(
    member_id: Id, record_id: Id, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> None:
    _delete(session, ctx, actor, member_id, RecordKind.disciplines, record_id)


# Edits: only the fields sent change; the record must still pass its add rules as a whole (422),
# and a record of another member is the 404 of a missing one.


@router.patch("/members/{member_id}/work-history/{record_id}", response_model=RecordOut)
def update_work_history(
    member_id: Id,
    record_id: Id,
    body: WorkHistoryPatch,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
) -> RecordOut:
    return _update(session, ctx, actor, (member_id, record_id), RecordKind.work_history, body)


@router.patch("/members/{member_id}/awards/{record_id}", response_model=RecordOut)
def update_award(
    member_id: Id,
    record_id: Id,
    body: AwardPatch,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
) -> RecordOut:
    return _update(session, ctx, actor, (member_id, record_id), RecordKind.awards, body)


@router.patch("/members/{member_id}/trainings/{record_id}", response_model=RecordOut)
def update_training(
    member_id: Id,
    record_id: Id,
    body: TrainingPatch,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
) -> RecordOut:
    return _update(session, ctx, actor, (member_id, record_id), RecordKind.trainings, body)


@router.patch("/members/{member_id}/ratings/{record_id}", response_model=RecordOut)
def update_rating(
    member_id: Id,
    record_id: Id,
    body: RatingPatch,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
) -> RecordOut:
    """A changed year or grade is judged as a new one would be (6-month rule, 409 if taken)."""
    return _update(session, ctx, actor, (member_id, record_id), RecordKind.ratings, body)


@router.patch("/members/{member_id}/disciplines/{record_id}", response_model=RecordOut)
def update_discipline(
    member_id: Id,
    record_id: Id,
    body: DisciplinePatch,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
) -> RecordOut:
    """Needs the right to read discipline as well as to edit; audited by field name only."""
    return _update(session, ctx, actor, (member_id, record_id), RecordKind.disciplines, body)


@router.post("/members/{member_id}/work-history/{record_id}/end", response_model=RecordOut)
def end_work_history(
    member_id: Id,
    record_id: Id,
    body: RecordEnd,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
) -> RecordOut:
    """Close an open period on `end_date`; 409 if it already has one (PATCH corrects it)."""
    return _end(session, ctx, actor, (member_id, record_id), RecordKind.work_history, body)


@router.post("/members/{member_id}/trainings/{record_id}/end", response_model=RecordOut)
def end_training(
    member_id: Id,
    record_id: Id,
    body: RecordEnd,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
) -> RecordOut:
    """Close an open course on `end_date`; 409 if it already has one (PATCH corrects it)."""
    return _end(session, ctx, actor, (member_id, record_id), RecordKind.trainings, body)
