"""Web pages for a meeting's minutes (biên bản): the secretary's notes, the draft job with its
progress, the draft with each sentence's source, section edits, the consistency check, the
review chain (submit, approve and lock, return), verification, corrections after lock, the
versions with their diffs, and the DOCX, PDF and printable pack."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.core.deps import AuditCtx, DBSession, SettingsDep
from app.core.errors import AppError
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor
from app.jobs.deps import JobDispatcher
from app.jobs.models import JobStatus
from app.meetings import service as meetings_service
from app.minutes import router as minutes_api
from app.minutes import service, service_draft, service_export, service_review, service_versions
from app.minutes.models import Minutes
from app.minutes.schemas import (
    ApproveIn,
    CorrectionIn,
    DraftIn,
    ItemMeta,
    NotesIn,
    ReturnIn,
    SectionsIn,
    SubmitIn,
)
from app.recordings import service as recordings_service
from app.recordings.models import RecordingStatus
from app.web.forms import validated
from app.web.guard import WebActor
from app.web.templating import render

router = APIRouter()

BASE = "/meetings/{meeting_id}/minutes"
HTMX_STOP_POLLING = 286  # htmx stops polling on this status
PDF = "application/pdf"
SectionKey = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")]

STATES = {
    "none": N_("Chưa soạn"),
    "draft": N_("Dự thảo"),
    "submitted": N_("Đã trình, chờ chủ trì duyệt"),
    "returned": N_("Chủ trì trả lại để sửa"),
    "locked": N_("Đã duyệt và khóa"),
}
JOB_LABELS = {
    "queued": N_("Đang chờ soạn dự thảo"),
    "running": N_("Đang soạn dự thảo"),
    "succeeded": N_("Đã soạn xong dự thảo"),
    "failed": N_("Soạn dự thảo không thành công"),
}
VERSION_KINDS = {
    "draft": N_("Dự thảo"),
    "redraft": N_("Soạn lại"),
    "edit": N_("Sửa"),
    "correction": N_("Đính chính sau khi khóa"),
}
REVIEW_ACTIONS = {
    "submit": N_("Trình duyệt"),
    "approve": N_("Duyệt và khóa"),
    "return": N_("Trả lại"),
}
DONE = {
    "notes": N_("Đã lưu ghi chép của thư ký"),
    "drafting": N_("Đã gửi yêu cầu soạn dự thảo"),
    "saved": N_("Đã lưu mục; đã tạo phiên bản mới"),
    "submitted": N_("Đã trình biên bản cho chủ trì"),
    "approved": N_("Đã duyệt và khóa biên bản"),
    "returned": N_("Đã trả lại biên bản cho thư ký"),
    "corrected": N_("Đã ghi đính chính; biên bản chờ chủ trì duyệt lại"),
}
TABLES = {
    "meeting": N_("Cuộc họp"),
    "attendance": N_("Điểm danh"),
    "guest": N_("Khách mời"),
    "agenda_item": N_("Nội dung họp"),
    "document": N_("Tài liệu"),
    "vote": N_("Biểu quyết"),
    "resolution": N_("Nghị quyết"),
    "task": N_("Nhiệm vụ"),
}
# What a mismatch's field names ("vote[2].agree", "attendance.present"), in words.
FIELDS = {
    "attendance.total": N_("tổng số đảng viên"),
    "attendance.present": N_("số đảng viên có mặt"),
    "attendance.absent_with_leave": N_("số vắng mặt có lý do"),
    "attendance.absent_without_leave": N_("số vắng mặt không lý do"),
    "attendance.exempt": N_("số miễn sinh hoạt"),
    "guests": N_("khách mời"),
    "votes.count": N_("số lần biểu quyết"),
    "date": N_("ngày họp"),
    "time": N_("giờ họp"),
    "agree": N_("số tán thành"),
    "disagree": N_("số không tán thành"),
    "abstain": N_("số ý kiến khác"),
    "present": N_("số có mặt khi biểu quyết"),
    "adopted": N_("kết quả thông qua"),
    "kind": N_("hình thức biểu quyết"),
    "names": N_("danh sách tên"),
    "assignee": N_("người được giao"),
    "due": N_("hạn hoàn thành"),
}
_INDEXED = re.compile(r"^(vote|task)\[(\d+)\]\.([a-z_]+)(?:\.([a-z_]+))?$")
_ATT_NAMES = re.compile(r"^(attendance\.[a-z_]+)\.names$")


def _field_words(field: str) -> str:
    if field in FIELDS:
        return _(FIELDS[field])
    if _ATT_NAMES.match(field):
        return _("tên đảng viên trong phần điểm danh")
    if m := _INDEXED.match(field):
        kind, n, what, extra = m.groups()
        words = _(FIELDS.get(what, N_("một số liệu")))
        if extra == "percent":
            words = _("tỉ lệ {what}").format(what=words)
        if kind == "vote":
            return _("{what} của lần biểu quyết thứ {n}").format(what=words, n=n)
        return _("{what} của nhiệm vụ").format(what=words)
    return _("một số liệu")


def mismatch_sentence(m: dict[str, Any]) -> str:
    """One mismatch as a Vietnamese sentence: what, what the text says, what the record says."""
    what = _field_words(str(m.get("field", "")))
    found, expected = str(m.get("found") or ""), str(m.get("expected") or "")
    if not found:
        return _("Thiếu {what}: theo hồ sơ cuộc họp là {expected}.").format(
            what=what, expected=expected
        )
    return _("Ghi {what} là {found}, nhưng hồ sơ cuộc họp ghi {expected}.").format(
        what=what, found=found, expected=expected
    )


def _recording_id(session: Session, actor: Actor, meeting_id: int) -> int | None:
    """The recording the transcript sources point into, if this actor may listen to it."""
    try:
        recs = recordings_service.list_recordings(session, actor=actor, meeting_id=meeting_id)
    except AppError:
        return None
    done = [r.id for r in recs if r.status == RecordingStatus.done]
    return max(done) if done else None


def _source_lines(
    minutes: Minutes | None, session: Session, manage: bool
) -> tuple[dict[int, str], dict[int, str]]:
    """Note lines and comments by number, to show a sentence's source text (managers only:
    members read the approved minutes, not the secretary's notes)."""
    if minutes is None or not manage or not minutes.sections:
        return {}, {}
    data = service.minutes_input(session, minutes)
    notes = {n: line.text for n, line in enumerate(data.notes, start=1)}
    comments = {c.id: f"{c.author}: {c.text}" for c in data.record.comments}
    return notes, comments


def _page(
    request: Request,
    session: Session,
    ctx: AuditContext,
    actor: Actor,
    meeting_id: int,
    *,
    done: str = "",
    error: str | None = None,
    details: list[dict[str, str]] | None = None,
    section: str = "",
    verified: Any = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    meeting, minutes, level = service.read_minutes(session, ctx, actor=actor, meeting_id=meeting_id)
    out = minutes_api.minutes_out(session, meeting, minutes, level)
    manage = level is service.Access.manage
    by_section: dict[str, list[str]] = defaultdict(list)
    for m in out.mismatches:
        by_section[m.section].append(mismatch_sentence(m.model_dump()))
    notes, comments = _source_lines(minutes, session, manage)
    items = out.items or {}
    agenda = meetings_service.agenda(session, meeting.id) if manage else []
    return render(
        request,
        "minutes/page.html",
        {
            "meeting": meeting,
            "m": out,
            "manage": manage,
            "agenda": [(a, items.get(str(a.id), {})) for a in agenda],
            "state_label": _(STATES.get(out.state, out.state)),
            "job_labels": JOB_LABELS,
            "mismatches": by_section,
            "loose_mismatches": [
                s
                for k, v in by_section.items()
                if k not in {x.key for x in out.sections}
                for s in v
            ],
            "editable": manage and out.state in ("draft", "returned"),
            "note_lines": notes,
            "comments": comments,
            "tables": TABLES,
            "recording_id": _recording_id(session, actor, meeting.id),
            "finished": out.job_status not in (JobStatus.queued, JobStatus.running),
            "review_actions": REVIEW_ACTIONS,
            "flash": _(DONE[done]) if done in DONE else None,
            "error": error,
            "details": details or [],
            "error_section": section,
            "verified": verified,
            "form": form or {},
        },
        status_code=status_code,
    )


def _again(
    request: Request,
    session: Session,
    ctx: AuditContext,
    actor: Actor,
    meeting_id: int,
    exc: AppError,
    *,
    key: str,
    section: str = "",
    form: dict[str, Any] | None = None,
) -> Response:
    """The page again with the service's refusal next to the form that caused it."""
    if exc.status_code in (403, 404):
        raise exc
    details = exc.details if isinstance(exc.details, list) else []
    lines = [
        {
            "field": "",
            "key": key,
            "message": str(d.get("message", "")) if isinstance(d, dict) else str(d),
        }
        for d in details
        if not (isinstance(d, dict) and "expected" in d)  # mismatches are listed by section
    ] or [{"field": "", "key": key, "message": exc.render()}]
    return _page(
        request,
        session,
        ctx,
        actor,
        meeting_id,
        error=exc.render(),
        details=[{**d, "key": d.get("key") or key} for d in lines],
        section=section,
        form=form,
        status_code=exc.status_code,
    )


def _back(meeting_id: int, done: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(
        f"/meetings/{meeting_id}/minutes?done={done}{'#' + anchor if anchor else ''}",
        status_code=303,
    )


@router.get(BASE)
def minutes_page(
    request: Request,
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    done: str = "",
) -> Response:
    return _page(request, session, ctx, actor, meeting_id, done=done)


@router.get(f"{BASE}/progress")
def minutes_progress(
    request: Request, meeting_id: Id, session: DBSession, actor: WebActor
) -> Response:
    service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    found = service.find(session, meeting_id)
    job = service_draft.current_job(session, found) if found is not None else None
    status = job.status if job else JobStatus.succeeded
    finished = status not in (JobStatus.queued, JobStatus.running)
    progress = 100 if status == JobStatus.succeeded else (job.progress if job else 0)
    response = render(
        request,
        "minutes/_progress.html",
        {
            "job_status": status,
            "progress": progress,
            "job_labels": JOB_LABELS,
            "finished": finished,
            "error": job.error if job is not None else None,
        },
        status_code=HTMX_STOP_POLLING if finished else 200,
    )
    if finished:
        response.headers["HX-Refresh"] = "true"  # the page reloads with the draft
    return response


@router.post(f"{BASE}/notes")
def save_minutes_notes(
    request: Request,
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    notes: Annotated[str, Form(max_length=100_000)] = "",
    item_id: Annotated[list[str] | None, Form()] = None,
    presenter: Annotated[list[str] | None, Form()] = None,
    conclusion: Annotated[list[str] | None, Form()] = None,
) -> Response:
    ids, who, said = item_id or [], presenter or [], conclusion or []
    form = {"notes": notes}
    try:
        found = service.find(session, meeting_id)
        kept = (found.items if found else None) or {}
        items: dict[str, Any] = {}
        for n, raw in enumerate(ids[:100]):
            if not raw.isdigit():
                continue
            old = kept.get(raw, {}) if isinstance(kept.get(raw), dict) else {}
            items[raw] = {
                "presenter": (who[n] if n < len(who) else "").strip(),
                "conclusion": (said[n] if n < len(said) else "").strip(),
                "document_ids": old.get("document_ids", []),
            }
        data = validated(NotesIn, {"notes": notes, "items": items or None})
        service.set_notes(
            session,
            ctx,
            actor=actor,
            meeting_id=meeting_id,
            notes=data.notes,
            items={int(k): ItemMeta.model_validate(v) for k, v in (data.items or {}).items()}
            if data.items
            else None,
        )
    except AppError as exc:
        return _again(request, session, ctx, actor, meeting_id, exc, key="notes", form=form)
    return _back(meeting_id, "notes", "h-notes")


@router.post(f"{BASE}/draft")
def request_minutes_draft(
    request: Request,
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    dispatcher: JobDispatcher,
    mode: Annotated[str, Form(max_length=10)] = "",
    replace: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    try:
        data = validated(DraftIn, {"mode": mode or None, "replace": replace == "on"})
        service_draft.request_draft(
            session,
            ctx,
            actor=actor,
            meeting_id=meeting_id,
            replace=data.replace,
            mode=data.mode,
            dispatcher=dispatcher,
        )
    except AppError as exc:
        return _again(request, session, ctx, actor, meeting_id, exc, key="mode")
    return _back(meeting_id, "drafting", "h-progress")


@router.post(f"{BASE}/sections/{{key}}")
def save_minutes_section(
    request: Request,
    meeting_id: Id,
    key: SectionKey,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    text: Annotated[str, Form(max_length=20_000)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    form = {f"text-{key}": text}
    try:
        data = validated(SectionsIn, {"sections": {key: text}, "reason": reason})
        service.edit_sections(
            session,
            ctx,
            actor=actor,
            meeting_id=meeting_id,
            sections=dict(data.sections),
            reason=data.reason,
        )
    except AppError as exc:
        return _again(
            request, session, ctx, actor, meeting_id, exc, key=f"text-{key}", section=key, form=form
        )
    return _back(meeting_id, "saved", f"sec-{key}")


@router.post(f"{BASE}/submit")
def submit_minutes_form(
    request: Request,
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    override_reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    form = {"override_reason": override_reason}
    try:
        data = validated(SubmitIn, {"override_reason": override_reason.strip() or None})
        service_review.submit(
            session, ctx, actor=actor, meeting_id=meeting_id, override_reason=data.override_reason
        )
    except AppError as exc:
        return _again(
            request, session, ctx, actor, meeting_id, exc, key="override_reason", form=form
        )
    return _back(meeting_id, "submitted")


@router.post(f"{BASE}/approve")
def approve_minutes_form(
    request: Request,
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    comment: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    try:
        data = validated(ApproveIn, {"comment": comment})
        service_review.approve(
            session, ctx, actor=actor, meeting_id=meeting_id, comment=data.comment
        )
    except AppError as exc:
        return _again(request, session, ctx, actor, meeting_id, exc, key="approve_comment")
    return _back(meeting_id, "approved")


@router.post(f"{BASE}/return")
def return_minutes_form(
    request: Request,
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    comment: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    try:
        data = validated(ReturnIn, {"comment": comment.strip()})
        service_review.return_minutes(
            session, ctx, actor=actor, meeting_id=meeting_id, comment=data.comment
        )
    except AppError as exc:
        return _again(request, session, ctx, actor, meeting_id, exc, key="return_comment")
    return _back(meeting_id, "returned")


@router.post(f"{BASE}/verify")
def verify_minutes_form(
    request: Request, meeting_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    result = service_review.verify(session, ctx, actor=actor, meeting_id=meeting_id)
    return _page(request, session, ctx, actor, meeting_id, verified=result)


@router.post(f"{BASE}/corrections")
def correct_minutes_form(
    request: Request,
    meeting_id: Id,
    session: DBSession,
    actor: WebActor,
    ctx: AuditCtx,
    key: Annotated[list[str] | None, Form()] = None,
    text: Annotated[list[str] | None, Form()] = None,
    reason: Annotated[str, Form(max_length=2000)] = "",
    override_reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    form = {"reason": reason, "override_reason": override_reason}
    try:
        found = service.find(session, meeting_id)
        current = (found.sections if found else None) or {}
        keys, texts = key or [], text or []
        changed = {
            k: t
            for k, t in zip(keys[:100], texts[:100], strict=False)
            if t.replace("\r\n", "\n").strip() != str(current.get(k, "")).strip()
        }
        data = validated(
            CorrectionIn,
            {
                "sections": changed,
                "reason": reason.strip(),
                "override_reason": override_reason.strip() or None,
            },
        )
        service_review.correct(
            session,
            ctx,
            actor=actor,
            meeting_id=meeting_id,
            sections=dict(data.sections),
            reason=data.reason,
            override_reason=data.override_reason,
        )
    except AppError as exc:
        return _again(request, session, ctx, actor, meeting_id, exc, key="correction", form=form)
    return _back(meeting_id, "corrected")


@router.get(f"{BASE}/versions")
def minutes_versions_page(
    request: Request, meeting_id: Id, session: DBSession, actor: WebActor
) -> Response:
    rows = service_versions.list_versions(session, actor=actor, meeting_id=meeting_id)
    meeting, _unit, _level = service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    diffs = {
        v.number: service_versions.diff_versions(
            session, actor=actor, meeting_id=meeting_id, number=v.number
        )[2]
        for v in rows
        if v.number > 1
    }
    return render(
        request,
        "minutes/versions.html",
        {"meeting": meeting, "versions": rows, "diffs": diffs, "kinds": VERSION_KINDS},
    )


def _file(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get(f"{BASE}/docx")
def download_minutes_docx_page(
    meeting_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    meeting, body = service_versions.export_docx(session, ctx, actor=actor, meeting_id=meeting_id)
    return _file(body, minutes_api.DOCX, f"bien-ban-{meeting.id}.docx")


@router.get(f"{BASE}/pdf")
def download_minutes_pdf(
    meeting_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx
) -> Response:
    meeting, body = service_export.export_pdf(session, ctx, actor=actor, meeting_id=meeting_id)
    return _file(body, PDF, f"bien-ban-{meeting.id}.pdf")


@router.get(f"{BASE}/pack")
def download_meeting_pack(
    meeting_id: Id, session: DBSession, actor: WebActor, ctx: AuditCtx, settings: SettingsDep
) -> Response:
    meeting, body = service_export.meeting_pack(
        session, ctx, settings, actor=actor, meeting_id=meeting_id
    )
    return _file(body, PDF, f"tai-lieu-hop-{meeting.id}.pdf")
