"""Web pages for bulletins: the list with the podcast feed, writing and publishing (a monthly
start from the unit's record), the player with a transcript that follows, the printable text,
the MP3, and the private podcast feed itself (its secret address is the only credential)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.bulletins import router as bulletins_api
from app.bulletins import service, service_feed, service_monthly
from app.bulletins.models import AudioStatus, Bulletin, BulletinStatus
from app.bulletins.schemas import BulletinIn, BulletinPatch, SectionIn
from app.core.audit import AuditContext
from app.core.deps import AuditCtx, DBSession, SettingsDep
from app.core.errors import AppError, Forbidden
from app.core.i18n import N_
from app.core.ids import Id
from app.core.permissions import Actor, Perm
from app.jobs.deps import JobDispatcher
from app.units import service as units_service
from app.web.forms import validated
from app.web.guard import WebActor
from app.web.templating import render

router = APIRouter()

HTMX_STOP_POLLING = 286
AUDIO_LABELS = {
    AudioStatus.none.value: N_("Chưa có âm thanh (bản nháp)"),
    AudioStatus.queued.value: N_("Đang chờ tạo âm thanh"),
    AudioStatus.making.value: N_("Đang tạo âm thanh"),
    AudioStatus.done.value: N_("Đã có âm thanh"),
    AudioStatus.failed.value: N_("Tạo âm thanh không thành công"),
}
STATUS_LABELS = {
    BulletinStatus.draft.value: N_("Bản nháp"),
    BulletinStatus.published.value: N_("Đã phát hành"),
    BulletinStatus.withdrawn.value: N_("Đã thu hồi"),
}
DONE = {
    "saved": N_("Đã lưu bản tin"),
    "published": N_("Đã phát hành bản tin; âm thanh đang được tạo"),
    "feed": N_("Đã tạo địa chỉ kênh nghe mới; địa chỉ cũ (nếu có) không còn dùng được"),
    "revoked": N_("Đã hủy kênh nghe bản tin"),
}
BODY_HINT = N_("Mỗi mục bắt đầu bằng một dòng có dấu # ở đầu, ví dụ: # Lịch sinh hoạt")


def body_of(b: Bulletin | None) -> str:
    """The sections as one text for the editor: `# heading` lines between them."""
    if b is None:
        return ""
    parts = []
    for s in b.sections:
        head = f"# {s['title']}\n" if s.get("title") else ""
        parts.append(head + s.get("text", ""))
    return "\n\n".join(parts)


def sections_of(body: str) -> list[SectionIn]:
    """The editor's text back into sections: a `#` line starts one."""
    sections: list[dict[str, Any]] = []
    current: dict[str, Any] = {"title": "", "lines": []}
    for line in body.replace("\r\n", "\n").split("\n"):
        if line.startswith("#"):
            if current["title"] or "".join(current["lines"]).strip():
                sections.append(current)
            current = {"title": line.lstrip("#").strip(), "lines": []}
        else:
            current["lines"].append(line)
    if current["title"] or "".join(current["lines"]).strip():
        sections.append(current)
    return [SectionIn(title=s["title"][:200], text="\n".join(s["lines"]).strip()) for s in sections]


def transcript_parts(b: Bulletin, chapters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sections with the chapter each is read in: chapter 0 is the title, then one per
    titled section (an untitled one is read with the section before it)."""
    parts, index = [], 0
    for s in b.sections:
        if s.get("title"):
            index += 1
        start = chapters[index]["start"] if s.get("title") and index < len(chapters) else None
        parts.append({**s, "chapter": index, "start": start})
    return parts


def _flash(done: str) -> str | None:
    return DONE.get(done)


def _list_page(
    request: Request, session: Session, actor: Actor, *, done: str = "", feed_url: str = ""
) -> Response:
    units = units_service.units_for_picker(session, actor=actor, perm=Perm.document_manage)
    return render(
        request,
        "bulletins/list.html",
        {
            "bulletins": service.list_bulletins(session, actor=actor),
            "units": units,
            "status_labels": STATUS_LABELS,
            "has_feed": service_feed.has_feed(session, actor=actor),
            "feed_url": feed_url,
            "flash": _flash(done),
        },
    )


@router.get("/bulletins")
def bulletins_page(
    request: Request, session: DBSession, actor: WebActor, done: str = ""
) -> Response:
    return _list_page(request, session, actor, done=done)


def _edit_page(
    request: Request,
    session: Session,
    actor: Actor,
    b: Bulletin | None,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    units = units_service.units_for_picker(session, actor=actor, perm=Perm.document_manage)
    values = form or {
        "title": b.title if b else "",
        "body": body_of(b),
        "unit_id": str(b.unit_id) if b else "",
    }
    return render(
        request,
        "bulletins/edit.html",
        {"b": b, "units": units, "values": values, "error": error, "body_hint": BODY_HINT},
        status_code=status_code,
    )


@router.get("/bulletins/new")
def new_bulletin_page(request: Request, session: DBSession, actor: WebActor) -> Response:
    if not actor.has_any(Perm.document_manage):
        raise Forbidden(N_("Bạn không có quyền ra bản tin"))
    return _edit_page(request, session, actor, None)


@router.post("/bulletins/new")
def create_bulletin_form(
    request: Request,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    unit_id: Annotated[str, Form(max_length=12)] = "",
    title: Annotated[str, Form(max_length=300)] = "",
    body: Annotated[str, Form(max_length=200_000)] = "",
) -> Response:
    form = {"unit_id": unit_id, "title": title, "body": body}
    try:
        data = validated(
            BulletinIn,
            {
                "unit_id": int(unit_id) if unit_id.isdigit() else 0,
                "title": title.strip(),
                "sections": [s.model_dump() for s in sections_of(body)],
            },
        )
        b = service.create_bulletin(session, ctx, actor=actor, data=data)
    except AppError as exc:
        if exc.status_code in (403, 404):
            raise
        return _edit_page(
            request, session, actor, None, error=exc.render(), form=form, status_code=422
        )
    return RedirectResponse(f"/bulletins/{b.id}?done=saved", status_code=303)


@router.post("/bulletins/monthly")
def start_monthly_form(
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    unit_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    b = service_monthly.start_monthly(
        session, ctx, actor=actor, unit_id=int(unit_id) if unit_id.isdigit() else 0
    )
    return RedirectResponse(f"/bulletins/{b.id}/edit", status_code=303)


@router.get("/bulletins/{bulletin_id}/edit")
def edit_bulletin_page(
    request: Request, bulletin_id: Id, session: DBSession, actor: WebActor
) -> Response:
    b = service.get_bulletin(session, actor=actor, bulletin_id=bulletin_id)
    if not service.can_manage(session, actor, b):
        raise Forbidden(service.DENIED)
    return _edit_page(request, session, actor, b)


@router.post("/bulletins/{bulletin_id}/edit")
def edit_bulletin_form(
    request: Request,
    bulletin_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    title: Annotated[str, Form(max_length=300)] = "",
    body: Annotated[str, Form(max_length=200_000)] = "",
) -> Response:
    form = {"title": title, "body": body, "unit_id": ""}
    try:
        data = validated(
            BulletinPatch,
            {"title": title.strip(), "sections": [s.model_dump() for s in sections_of(body)]},
        )
        service.update_bulletin(session, ctx, actor=actor, bulletin_id=bulletin_id, data=data)
    except AppError as exc:
        if exc.status_code in (403, 404):
            raise
        b = service.get_bulletin(session, actor=actor, bulletin_id=bulletin_id)
        return _edit_page(
            request, session, actor, b, error=exc.render(), form=form, status_code=422
        )
    return RedirectResponse(f"/bulletins/{bulletin_id}?done=saved", status_code=303)


@router.post("/bulletins/{bulletin_id}/publish")
def publish_bulletin_form(
    bulletin_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    settings: SettingsDep,
    dispatcher: JobDispatcher,
) -> Response:
    service.publish_bulletin(
        session,
        ctx,
        actor=actor,
        bulletin_id=bulletin_id,
        settings=settings,
        dispatcher=dispatcher,
    )
    return RedirectResponse(f"/bulletins/{bulletin_id}?done=published", status_code=303)


def _audio_state(session: Session, b: Bulletin) -> dict[str, Any]:
    status, progress, error = service.progress_of(session, b)
    return {
        "audio_status": status,
        "audio_progress": progress,
        "audio_error": error,
        "audio_labels": AUDIO_LABELS,
        "finished": status in (AudioStatus.done.value, AudioStatus.failed.value, "none"),
    }


@router.get("/bulletins/{bulletin_id}")
def bulletin_page(
    request: Request, bulletin_id: Id, session: DBSession, actor: WebActor, done: str = ""
) -> Response:
    b = service.get_bulletin(session, actor=actor, bulletin_id=bulletin_id)
    made = service.audio_of(session, b)
    return render(
        request,
        "bulletins/player.html",
        {
            "b": b,
            "parts": transcript_parts(b, made.chapters if made else []),
            "audio": made,
            "manage": service.can_manage(session, actor, b),
            "status_labels": STATUS_LABELS,
            "flash": _flash(done),
            **_audio_state(session, b),
        },
    )


@router.get("/bulletins/{bulletin_id}/progress")
def bulletin_progress(
    request: Request, bulletin_id: Id, session: DBSession, actor: WebActor
) -> Response:
    b = service.get_bulletin(session, actor=actor, bulletin_id=bulletin_id)
    state = _audio_state(session, b)
    response = render(
        request,
        "bulletins/_progress.html",
        {"b": b, **state},
        status_code=HTMX_STOP_POLLING if state["finished"] else 200,
    )
    if state["finished"]:
        response.headers["HX-Refresh"] = "true"
    return response


@router.get("/bulletins/{bulletin_id}/print")
def bulletin_print_page(
    request: Request, bulletin_id: Id, session: DBSession, actor: WebActor
) -> Response:
    b = service.get_bulletin(session, actor=actor, bulletin_id=bulletin_id)
    return render(request, "bulletins/print.html", {"b": b})


@router.get("/bulletins/{bulletin_id}/audio.mp3")
def bulletin_audio(
    request: Request,
    bulletin_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    settings: SettingsDep,
    download: bool = False,
) -> Response:
    response = bulletins_api.audio_response(
        session, ctx, settings, actor, bulletin_id, request.headers.get("range")
    )
    if download:
        response.headers["Content-Disposition"] = (
            f'attachment; filename="ban-tin-{bulletin_id}.mp3"'
        )
    return response


@router.post("/bulletins/feed")
def rotate_feed_form(
    request: Request, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    secret = service_feed.rotate_token(session, ctx, actor=actor)
    url = str(request.base_url).rstrip("/") + f"/podcast/{secret}.xml"
    # Shown once, on this page: only its hash is kept.
    return _list_page(request, session, actor, done="feed", feed_url=url)


@router.post("/bulletins/feed/revoke")
def revoke_feed_form(session: DBSession, actor: WebActor, ctx: AuditCtx) -> Response:
    service_feed.revoke_token(session, ctx, actor=actor)
    return RedirectResponse("/bulletins?done=revoked", status_code=303)


@router.get("/podcast/{token}.xml")
def podcast_feed(token: str, request: Request, session: DBSession) -> Response:
    """The private feed: the secret in the address is the only credential, so no login here."""
    actor = service_feed.actor_for_token(session, token)
    body = service_feed.feed_xml(session, actor=actor, base_url=str(request.base_url), token=token)
    return Response(
        body,
        media_type="application/rss+xml; charset=utf-8",
        headers={"Cache-Control": "private, no-store"},
    )


@router.get("/podcast/{token}/{bulletin_id}.mp3")
def podcast_audio(
    token: str,
    bulletin_id: Id,
    request: Request,
    session: DBSession,
    ctx: AuditCtx,
    settings: SettingsDep,
) -> Response:
    """An episode for the podcast app: refused (404) outside the member's audience."""
    actor = service_feed.actor_for_token(session, token)
    ctx = AuditContext(actor_account_id=actor.account_id, ip=ctx.ip)  # the feed's owner listens
    return bulletins_api.audio_response(
        session, ctx, settings, actor, bulletin_id, request.headers.get("range")
    )
