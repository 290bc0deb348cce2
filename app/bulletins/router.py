"""JSON API for bulletins: drafts, the monthly start, publish (audio made in the background),
withdraw, the audio with byte ranges, the transcript, and the member's podcast feed link."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session

from app.bulletins import service, service_feed, service_monthly
from app.bulletins.models import Bulletin, BulletinAudio
from app.bulletins.schemas import (
    AudioOut,
    BulletinDetail,
    BulletinIn,
    BulletinOut,
    BulletinPatch,
    Chapter,
    FeedLink,
    MonthlyIn,
    Section,
    Sentence,
    Transcript,
)
from app.core.audit import AuditContext
from app.core.config import Settings
from app.core.deps import AuditCtx, CurrentActor, DBSession, SettingsDep, require_any
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.core.ranges import byte_range_response, starts_playback
from app.documents.schemas import AudienceOut
from app.jobs.deps import JobDispatcher

router = APIRouter(tags=["bulletins"])

CanManageBulletins = Annotated[Actor, Depends(require_any(Perm.document_manage))]


def audio_out(session: Session, b: Bulletin) -> AudioOut:
    status, progress, error = service.progress_of(session, b)
    made = service.audio_of(session, b)
    return AudioOut(
        status=status,
        progress=progress,
        error=error,
        job_id=b.audio_job_id,
        duration=made.duration if made else None,
        voice=made.voice if made else None,
        size=made.size if made else None,
        chapters=[Chapter(**c) for c in made.chapters] if made else [],
    )


def bulletin_out(b: Bulletin) -> BulletinOut:
    return BulletinOut(
        id=b.id,
        unit_id=b.unit_id,
        title=b.title,
        status=b.status,
        sections=[Section(title=s.get("title", ""), text=s.get("text", "")) for s in b.sections],
        source_document_id=b.source_document_id,
        created_at=b.created_at,
        published_at=b.published_at,
    )


def detail_out(session: Session, actor: Actor, b: Bulletin) -> BulletinDetail:
    return BulletinDetail(
        **bulletin_out(b).model_dump(),
        audience=[AudienceOut.model_validate(a) for a in service.audience_of(session, b.id)],
        audio=audio_out(session, b),
        can_manage=service.can_manage(session, actor, b),
    )


def mp3_response(
    path_open: BulletinAudio, storage: service.BulletinStorage, range_header: str | None
) -> Response:
    """The MP3 with byte ranges, so the player (and a podcast app) can seek."""
    return byte_range_response(
        lambda: storage.open(path_open.sha256), path_open.size, range_header, "audio/mpeg"
    )


def audio_response(
    session: Session,
    ctx: AuditContext,
    settings: Settings,
    actor: Actor,
    bulletin_id: int,
    range_header: str | None,
) -> Response:
    _b, made = service.audio_for(
        session, ctx, actor=actor, bulletin_id=bulletin_id, first_read=starts_playback(range_header)
    )
    return mp3_response(made, service.get_storage(settings), range_header)


@router.post("/bulletins", response_model=BulletinDetail, status_code=201)
def create_bulletin(
    data: BulletinIn, actor: CanManageBulletins, session: DBSession, ctx: AuditCtx
) -> BulletinDetail:
    b = service.create_bulletin(session, ctx, actor=actor, data=data)
    return detail_out(session, actor, b)


@router.post("/units/{unit_id}/bulletins/monthly", response_model=BulletinDetail, status_code=201)
def start_monthly_bulletin(
    unit_id: Id, data: MonthlyIn, actor: CanManageBulletins, session: DBSession, ctx: AuditCtx
) -> BulletinDetail:
    b = service_monthly.start_monthly(session, ctx, actor=actor, unit_id=unit_id, month=data.month)
    return detail_out(session, actor, b)


@router.get("/bulletins", response_model=list[BulletinOut])
def list_bulletins(actor: CurrentActor, session: DBSession) -> list[BulletinOut]:
    return [bulletin_out(b) for b in service.list_bulletins(session, actor=actor)]


@router.get("/bulletins/{bulletin_id}", response_model=BulletinDetail)
def get_bulletin(bulletin_id: Id, actor: CurrentActor, session: DBSession) -> BulletinDetail:
    b = service.get_bulletin(session, actor=actor, bulletin_id=bulletin_id)
    return detail_out(session, actor, b)


@router.patch("/bulletins/{bulletin_id}", response_model=BulletinDetail)
def update_bulletin(
    bulletin_id: Id, data: BulletinPatch, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> BulletinDetail:
    b = service.update_bulletin(session, ctx, actor=actor, bulletin_id=bulletin_id, data=data)
    return detail_out(session, actor, b)


@router.post("/bulletins/{bulletin_id}/publish", response_model=BulletinDetail)
def publish_bulletin(
    bulletin_id: Id,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
    settings: SettingsDep,
    dispatcher: JobDispatcher,
) -> BulletinDetail:
    b = service.publish_bulletin(
        session,
        ctx,
        actor=actor,
        bulletin_id=bulletin_id,
        settings=settings,
        dispatcher=dispatcher,
    )
    return detail_out(session, actor, b)


@router.post("/bulletins/{bulletin_id}/withdraw", response_model=BulletinDetail)
def withdraw_bulletin(
    bulletin_id: Id, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> BulletinDetail:
    b = service.withdraw_bulletin(session, ctx, actor=actor, bulletin_id=bulletin_id)
    return detail_out(session, actor, b)


@router.get(
    "/bulletins/{bulletin_id}/audio",
    response_class=StreamingResponse,
    responses={200: {"content": {"audio/mpeg": {}}}, 206: {"description": "Range"}},
)
def get_bulletin_audio(
    bulletin_id: Id,
    request: Request,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
    settings: SettingsDep,
) -> Response:
    return audio_response(session, ctx, settings, actor, bulletin_id, request.headers.get("range"))


@router.get("/bulletins/{bulletin_id}/transcript", response_model=Transcript)
def get_bulletin_transcript(bulletin_id: Id, actor: CurrentActor, session: DBSession) -> Transcript:
    b = service.get_bulletin(session, actor=actor, bulletin_id=bulletin_id)
    made = service.audio_of(session, b)
    if made is None:
        return Transcript(chapters=[], sentences=[])
    return Transcript(
        chapters=[Chapter(**c) for c in made.chapters],
        sentences=[Sentence(**s) for s in made.sentences],
    )


@router.post("/me/podcast-feed", response_model=FeedLink, status_code=201)
def rotate_podcast_feed(
    request: Request, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> FeedLink:
    secret = service_feed.rotate_token(session, ctx, actor=actor)
    return FeedLink(url=str(request.base_url).rstrip("/") + f"/podcast/{secret}.xml")


@router.delete("/me/podcast-feed", status_code=204)
def revoke_podcast_feed(actor: CurrentActor, session: DBSession, ctx: AuditCtx) -> Response:
    service_feed.revoke_token(session, ctx, actor=actor)
    return Response(status_code=204)
