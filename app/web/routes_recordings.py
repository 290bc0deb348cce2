"""Web pages for meeting recordings: the list and upload form of a meeting, and the transcript
page with the player, corrections, speakers and earlier versions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core.deps import AuditCtx, DBSession, SettingsDep
from app.core.errors import AppError
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.jobs.deps import JobDispatcher
from app.recordings import router as recordings_api
from app.recordings import service
from app.recordings.models import Recording, RecordingStatus
from app.recordings.schemas import SegmentEdit
from app.recordings.service_upload import ACCEPT_ATTR
from app.units import service as units_service
from app.web.forms import validated
from app.web.guard import WebActor
from app.web.templating import render

router = APIRouter()

# htmx stops polling when a response carries this status.
HTMX_STOP_POLLING = 286
STATUS_LABELS = {
    "queued": N_("Đang chờ chuyển thành văn bản"),
    "transcribing": N_("Đang chuyển thành văn bản"),
    "done": N_("Đã có bản ghi lời"),
    "failed": N_("Chuyển thành văn bản không thành công"),
}
DONE = {
    "uploaded": N_("Đã tải lên bản ghi âm; hệ thống đang chuyển thành văn bản"),
    "edited": N_("Đã lưu đoạn ghi"),
    "policy": N_("Đã lưu quyền nghe bản ghi âm"),
}
SegmentIndex = Annotated[int, Path(ge=0, le=1_000_000)]


def spoken(seconds: float) -> str:
    """The same time in words, for screen readers ("1 phút 5 giây")."""
    total = max(0, int(seconds))
    m, s = divmod(total, 60)
    return _("{m} phút {s} giây").format(m=m, s=s) if m else _("{s} giây").format(s=s)


def _flash(done: str) -> str | None:
    return _(DONE[done]) if done in DONE else None


def _status(session: Session, rec: Recording) -> dict[str, Any]:
    status, error = service.job_state(session, rec)
    return {
        "status": status,
        "error": error,
        "progress": service.progress_of(session, rec),
        "finished": status in (RecordingStatus.done, RecordingStatus.failed),
    }


def _meeting_page(
    request: Request,
    session: Session,
    actor: Actor,
    meeting_id: int,
    *,
    done: str = "",
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    recs = service.list_recordings(session, actor=actor, meeting_id=meeting_id)
    meeting, unit = service.get_meeting(
        session, actor=actor, meeting_id=meeting_id, need=service.Access.listen
    )
    level = service.access(session, actor, meeting, unit)
    return render(
        request,
        "recordings/meeting.html",
        {
            "meeting": meeting,
            "unit": unit,
            "rows": [(r, _status(session, r)) for r in recs],
            "can_manage": level >= service.Access.manage,
            "can_set_policy": units_service.allowed_in(actor, Perm.meeting_manage, unit),
            "members_may_listen": service.members_may_listen(session, unit.id),
            "status_labels": STATUS_LABELS,
            "accept": ACCEPT_ATTR,
            "flash": _flash(done),
            "error": error,
            "details": [],
        },
        status_code=status_code,
    )


@router.get("/meetings/{meeting_id}/recordings")
def meeting_recordings_page(
    request: Request, meeting_id: Id, session: DBSession, actor: WebActor, done: str = ""
) -> Response:
    return _meeting_page(request, session, actor, meeting_id, done=done)


@router.post("/meetings/{meeting_id}/recordings")
async def upload_recording_form(
    request: Request,
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    settings: SettingsDep,
    dispatcher: JobDispatcher,
) -> Response:
    try:
        rec = await recordings_api.upload(
            request, session, ctx, actor, settings, meeting_id, dispatcher
        )
    except AppError as exc:
        if exc.status_code in (403, 404):
            raise
        message, code = exc.render(), exc.status_code
        return await run_in_threadpool(
            lambda: _meeting_page(
                request, session, actor, meeting_id, error=message, status_code=code
            )
        )
    return RedirectResponse(f"/recordings/{rec.id}?done=uploaded", status_code=303)


@router.post("/meetings/{meeting_id}/recording-policy")
def set_policy_form(
    request: Request,
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    members_may_listen: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    meeting, unit = service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    service.set_policy(
        session, ctx, actor=actor, unit_id=unit.id, members_may_listen=members_may_listen == "on"
    )
    return RedirectResponse(f"/meetings/{meeting.id}/recordings?done=policy", status_code=303)


@router.get("/recordings/{recording_id}")
def recording_page(
    request: Request,
    recording_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    done: str = "",
) -> Response:
    rec, meeting, unit = service.get_recording(
        session, actor=actor, recording_id=recording_id, need=service.Access.listen
    )
    manage = service.access(session, actor, meeting, unit) >= service.Access.manage
    segs: Any = []
    versions: dict[int, Any] = {}
    if manage:
        _rec, _m, segs = service.read_transcript(
            session, ctx, actor=actor, recording_id=recording_id
        )
        versions = service.all_versions(session, rec.id)
    return render(
        request,
        "recordings/detail.html",
        {
            "rec": rec,
            "meeting": meeting,
            "unit": unit,
            "manage": manage,
            "segments": segs,
            "versions": versions,
            "members": service.meeting_members(session, meeting.id) if manage else [],
            "status_labels": STATUS_LABELS,
            "spoken": spoken,
            "flash": _flash(done),
            **_status(session, rec),
        },
    )


@router.get("/recordings/{recording_id}/progress")
def recording_progress(
    request: Request, recording_id: Id, session: DBSession, actor: WebActor
) -> Response:
    rec, _m, _u = service.get_recording(session, actor=actor, recording_id=recording_id)
    state = _status(session, rec)
    response = render(
        request,
        "recordings/_progress.html",
        {"rec": rec, "status_labels": STATUS_LABELS, **state},
        status_code=HTMX_STOP_POLLING if state["finished"] else 200,
    )
    if state["finished"]:
        response.headers["HX-Refresh"] = "true"  # the page reloads with the transcript
    return response


@router.post("/recordings/{recording_id}/segments/{index}")
def edit_segment_form(
    request: Request,
    recording_id: Id,
    index: SegmentIndex,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    text: Annotated[str, Form(max_length=5000)],
    speaker_name: Annotated[str, Form(max_length=200)] = "",
    speaker_member_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    data = validated(
        SegmentEdit,
        {
            "text": text.strip() or None,
            "speaker_name": speaker_name.strip() or None,
            "speaker_member_id": int(speaker_member_id) if speaker_member_id.isdigit() else None,
        },
    )
    service.edit_segment(
        session, ctx, actor=actor, recording_id=recording_id, index=index, data=data
    )
    return RedirectResponse(f"/recordings/{recording_id}?done=edited#seg-{index}", status_code=303)
