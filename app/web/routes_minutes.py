"""Web pages for a meeting's minutes (biên bản): the secretary's notes, the draft job with its
progress, the draft with each sentence's source, section edits, the consistency check, the
review chain (submit, approve and lock, return), verification and corrections after lock. The
versions and the files are `routes_minutes_files`; the words, `minutes_labels`."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.core.deps import AuditCtx, DBSession
from app.core.errors import AppError
from app.core.i18n import gettext as _
from app.core.ids import Id
from app.core.permissions import Actor
from app.jobs.deps import JobDispatcher
from app.jobs.models import JobStatus
from app.meetings import service as meetings_service
from app.minutes import router as minutes_api
from app.minutes import service, service_draft, service_review
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
from app.web.minutes_labels import (
    DONE,
    JOB_LABELS,
    REVIEW_ACTIONS,
    STATES,
    TABLES,
    mismatch_sentence,
)
from app.web.templating import render

router = APIRouter()

BASE = "/meetings/{meeting_id}/minutes"
HTMX_STOP_POLLING = 286  # htmx stops polling on this status
SectionKey = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")]


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
