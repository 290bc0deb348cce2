"""JSON API for meeting recordings: upload, list, the audio (with byte ranges), the transcript,
segment corrections and their versions, and the unit's listening policy."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core.audit import AuditContext
from app.core.config import Settings
from app.core.deps import AuditCtx, CurrentActor, DBSession, SettingsDep, get_settings_dep
from app.core.ids import Id
from app.core.permissions import Actor
from app.core.ranges import byte_range_response
from app.documents.service_storage import TooLarge
from app.documents.service_upload import DocumentUpload, read_document_upload
from app.jobs.deps import JobDispatcher
from app.jobs.service_dispatch import Dispatcher
from app.recordings import service
from app.recordings.models import Recording, RecordingStatus
from app.recordings.schemas import (
    PolicyIn,
    PolicyOut,
    RecordingOut,
    SegmentEdit,
    SegmentOut,
    SegmentVersionOut,
    TranscriptOut,
)
from app.recordings.service_upload import ACCEPTED, get_storage

router = APIRouter(tags=["recordings"])

FORM_OVERHEAD = 64 * 1024
# A segment is named by its piece number in the recording (0-based).
SegmentIndex = Annotated[int, Path(ge=0, le=1_000_000)]


async def size_guard(
    request: Request, settings: Annotated[Settings, Depends(get_settings_dep)]
) -> None:
    """Refuse an oversize body from its Content-Length before anything parses it."""
    length = request.headers.get("content-length")
    limit = settings.stt.max_bytes
    if length and length.isdigit() and int(length) - FORM_OVERHEAD > limit:
        raise TooLarge("Tệp quá lớn (tối đa {limit} MB)", limit=max(1, limit // (1024 * 1024)))


RecordingSizeGuard = Annotated[None, Depends(size_guard)]


def recording_out(session: Session, rec: Recording) -> RecordingOut:
    status, error = service.job_state(session, rec)
    return RecordingOut.model_validate(rec).model_copy(
        update={
            "status": RecordingStatus(status),
            "error": error,
            "progress": service.progress_of(session, rec),
        }
    )


def segment_out(session: Session, recording_id: int) -> list[SegmentOut]:
    counts = service.version_counts(session, recording_id)
    return [
        SegmentOut.model_validate(s).model_copy(update={"versions": counts.get(s.id, 0)})
        for s in service.segments(session, recording_id)
    ]


async def upload(
    request: Request,
    session: Session,
    ctx: AuditContext,
    actor: Actor,
    settings: Settings,
    meeting_id: int,
    dispatcher: Dispatcher | None,
) -> Recording:
    """Authorise, stream the file to staging, then check and store it (shared with the page)."""
    # Scope first: a meeting outside the actor's reach is 404 before its body is even read.
    await run_in_threadpool(
        lambda: service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    )
    storage = get_storage(settings)
    got = await read_document_upload(request, storage, settings.stt.max_bytes)
    return await run_in_threadpool(
        _create, session, ctx, actor, settings, meeting_id, got, dispatcher
    )


def _create(
    session: Session,
    ctx: AuditContext,
    actor: Actor,
    settings: Settings,
    meeting_id: int,
    got: DocumentUpload,
    dispatcher: Dispatcher | None,
) -> Recording:
    try:
        return service.create_recording(
            session,
            ctx,
            actor=actor,
            meeting_id=meeting_id,
            settings=settings,
            storage=get_storage(settings),
            staged=got.staged,
            filename=got.filename,
            dispatcher=dispatcher,
        )
    finally:
        got.staged.discard()


@router.post("/meetings/{meeting_id}/recordings", response_model=RecordingOut, status_code=201)
async def upload_recording(
    meeting_id: Id,
    request: Request,
    _guard: RecordingSizeGuard,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
    settings: SettingsDep,
    dispatcher: JobDispatcher,
) -> RecordingOut:
    rec = await upload(request, session, ctx, actor, settings, meeting_id, dispatcher)
    return await run_in_threadpool(recording_out, session, rec)


@router.get("/meetings/{meeting_id}/recordings", response_model=list[RecordingOut])
def list_recordings(meeting_id: Id, actor: CurrentActor, session: DBSession) -> list[RecordingOut]:
    recs = service.list_recordings(session, actor=actor, meeting_id=meeting_id)
    return [recording_out(session, r) for r in recs]


@router.get("/recordings/{recording_id}", response_model=RecordingOut)
def get_recording(recording_id: Id, actor: CurrentActor, session: DBSession) -> RecordingOut:
    rec, _m, _u = service.get_recording(
        session, actor=actor, recording_id=recording_id, need=service.Access.listen
    )
    return recording_out(session, rec)


def audio_response(
    session: Session,
    ctx: AuditContext,
    settings: Settings,
    actor: Actor,
    recording_id: int,
    range_header: str | None,
) -> Response:
    """The audio with byte ranges, so a player can seek; every fetch is audited."""
    rec = service.open_audio(
        session, ctx, actor=actor, recording_id=recording_id, range_=range_header
    )
    storage = get_storage(settings)
    return byte_range_response(lambda: storage.open(rec.sha256), rec.size, range_header, rec.mime)


@router.get(
    "/recordings/{recording_id}/audio",
    response_class=StreamingResponse,
    responses={200: {"content": {t.mime: {} for t in ACCEPTED}}, 206: {"description": "Range"}},
)
def get_recording_audio(
    recording_id: Id,
    request: Request,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
    settings: SettingsDep,
) -> Response:
    return audio_response(session, ctx, settings, actor, recording_id, request.headers.get("range"))


@router.get("/recordings/{recording_id}/transcript", response_model=TranscriptOut)
def get_transcript(
    recording_id: Id, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> TranscriptOut:
    rec, _meeting, _segs = service.read_transcript(
        session, ctx, actor=actor, recording_id=recording_id
    )
    return TranscriptOut(
        recording=recording_out(session, rec), segments=segment_out(session, rec.id)
    )


@router.patch("/recordings/{recording_id}/segments/{index}", response_model=SegmentOut)
def edit_segment(
    recording_id: Id,
    index: SegmentIndex,
    data: SegmentEdit,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
) -> SegmentOut:
    seg = service.edit_segment(
        session, ctx, actor=actor, recording_id=recording_id, index=index, data=data
    )
    versions = service.version_counts(session, recording_id).get(seg.id, 0)
    return SegmentOut.model_validate(seg).model_copy(update={"versions": versions})


@router.get(
    "/recordings/{recording_id}/segments/{index}/versions", response_model=list[SegmentVersionOut]
)
def list_segment_versions(
    recording_id: Id, index: SegmentIndex, actor: CurrentActor, session: DBSession
) -> list[SegmentVersionOut]:
    rows = service.segment_versions(session, actor=actor, recording_id=recording_id, index=index)
    return [SegmentVersionOut.model_validate(v) for v in rows]


@router.put("/units/{unit_id}/recording-policy", response_model=PolicyOut)
def set_recording_policy(
    unit_id: Id, data: PolicyIn, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> PolicyOut:
    policy = service.set_policy(
        session, ctx, actor=actor, unit_id=unit_id, members_may_listen=data.members_may_listen
    )
    return PolicyOut(unit_id=policy.unit_id, members_may_listen=policy.members_may_listen)
