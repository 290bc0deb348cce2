"""JSON API for a meeting's minutes: read, notes, the draft job, section edits, the review
chain (submit, approve and lock, return), corrections after lock, verification, versions and
their diffs, and the DOCX."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlalchemy.orm import Session

from app.core.deps import AuditCtx, CurrentActor, DBSession
from app.core.ids import Id
from app.jobs.deps import JobDispatcher
from app.jobs.models import JobStatus
from app.meetings.models import Meeting
from app.minutes import service, service_draft, service_review, service_versions
from app.minutes.models import Minutes
from app.minutes.schemas import (
    ApproveIn,
    CorrectionIn,
    DiffOut,
    DraftIn,
    JobOut,
    MinutesOut,
    MismatchOut,
    NotesIn,
    ReturnIn,
    ReviewOut,
    SectionDiff,
    SectionOut,
    SectionsIn,
    SentenceOut,
    SubmitIn,
    VerifyOut,
    VersionOut,
)

router = APIRouter(tags=["minutes"])

BASE = "/meetings/{meeting_id}/minutes"
VersionNo = Annotated[int, Query(ge=0, le=1_000_000)]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def minutes_out(
    session: Session, meeting: Meeting, minutes: Minutes | None, level: service.Access
) -> MinutesOut:
    """Managers see the working text, its check and the review chain; readers the locked
    version only."""
    if minutes is None:
        return MinutesOut(meeting_id=meeting.id, state="none", can_manage=True)
    manage = level is service.Access.manage
    layout, sections = service.visible_text(session, minutes, level)
    provenance = minutes.provenance or {}
    edited = set(minutes.edited_keys or [])
    headings = layout.get("headings", {})
    out_sections = []
    for key in layout.get("order", []):
        body = str(sections.get(key, ""))
        kept = {str(p.get("text")): p.get("sources", []) for p in provenance.get(key, [])}
        out_sections.append(
            SectionOut(
                key=key,
                heading=headings.get(key, key),
                text=body,
                edited=key in edited,
                sentences=[
                    SentenceOut(text=line, sources=kept.get(line, []))
                    for line in body.split("\n")
                    if line.strip()
                ],
            )
        )
    job = service_draft.current_job(session, minutes) if manage else None
    reviews = service_versions.reviews(session, minutes) if manage else []
    return MinutesOut(
        meeting_id=meeting.id,
        state=minutes.state,
        notes=minutes.notes if manage else "",
        items=minutes.items if manage else {},
        header_left=layout.get("header_left", []),
        header_right=layout.get("header_right", []),
        title=layout.get("title", []),
        sections=out_sections,
        signatures=layout.get("signatures", []),
        mismatches=[MismatchOut(**m) for m in service.current_mismatches(session, minutes)]
        if manage
        else [],
        mode=minutes.mode,
        fallback_reason=minutes.fallback_reason if manage else None,
        job_id=job.id if job else None,
        job_status=job.status if job else None,
        progress=(100 if job.status == JobStatus.succeeded else job.progress) if job else 0,
        version=service.latest_number(session, minutes.id),
        override_reason=minutes.override_reason if manage else None,
        correction_reason=minutes.correction_reason if manage else None,
        locked_sha256=minutes.locked_sha256,
        locked_at=minutes.locked_at,
        reviews=[ReviewOut.model_validate(r) for r in reviews],
        can_manage=manage,
    )


def _out(session: Session, actor: CurrentActor, meeting_id: int) -> MinutesOut:
    meeting, minutes, level = service.get_minutes(session, actor=actor, meeting_id=meeting_id)
    return minutes_out(session, meeting, minutes, level)


@router.get(BASE, response_model=MinutesOut)
def get_minutes(
    meeting_id: Id, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> MinutesOut:
    meeting, minutes, level = service.read_minutes(session, ctx, actor=actor, meeting_id=meeting_id)
    return minutes_out(session, meeting, minutes, level)


@router.put(f"{BASE}/notes", response_model=MinutesOut)
def put_minutes_notes(
    meeting_id: Id, data: NotesIn, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> MinutesOut:
    service.set_notes(
        session, ctx, actor=actor, meeting_id=meeting_id, notes=data.notes, items=data.items
    )
    return _out(session, actor, meeting_id)


@router.post(f"{BASE}/draft", response_model=JobOut, status_code=202)
def draft_minutes(
    meeting_id: Id,
    data: DraftIn,
    actor: CurrentActor,
    session: DBSession,
    ctx: AuditCtx,
    dispatcher: JobDispatcher,
) -> JobOut:
    _minutes, job = service_draft.request_draft(
        session,
        ctx,
        actor=actor,
        meeting_id=meeting_id,
        replace=data.replace,
        mode=data.mode,
        dispatcher=dispatcher,
    )
    return JobOut(job_id=job.id, status=job.status, progress=job.progress)


@router.put(f"{BASE}/sections", response_model=MinutesOut)
def put_minutes_sections(
    meeting_id: Id, data: SectionsIn, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> MinutesOut:
    service.edit_sections(
        session, ctx, actor=actor, meeting_id=meeting_id, sections=data.sections, reason=data.reason
    )
    return _out(session, actor, meeting_id)


@router.post(f"{BASE}/submit", response_model=MinutesOut)
def submit_minutes(
    meeting_id: Id, data: SubmitIn, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> MinutesOut:
    service_review.submit(
        session, ctx, actor=actor, meeting_id=meeting_id, override_reason=data.override_reason
    )
    return _out(session, actor, meeting_id)


@router.post(f"{BASE}/approve", response_model=MinutesOut)
def approve_minutes(
    meeting_id: Id, data: ApproveIn, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> MinutesOut:
    service_review.approve(session, ctx, actor=actor, meeting_id=meeting_id, comment=data.comment)
    return _out(session, actor, meeting_id)


@router.post(f"{BASE}/return", response_model=MinutesOut)
def return_minutes(
    meeting_id: Id, data: ReturnIn, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> MinutesOut:
    service_review.return_minutes(
        session, ctx, actor=actor, meeting_id=meeting_id, comment=data.comment
    )
    return _out(session, actor, meeting_id)


@router.post(f"{BASE}/corrections", response_model=MinutesOut)
def correct_minutes(
    meeting_id: Id, data: CorrectionIn, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> MinutesOut:
    service_review.correct(
        session,
        ctx,
        actor=actor,
        meeting_id=meeting_id,
        sections=data.sections,
        reason=data.reason,
        override_reason=data.override_reason,
    )
    return _out(session, actor, meeting_id)


@router.get(f"{BASE}/verify", response_model=VerifyOut)
def verify_minutes(
    meeting_id: Id, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> VerifyOut:
    result = service_review.verify(session, ctx, actor=actor, meeting_id=meeting_id)
    return VerifyOut(
        ok=result.ok,
        reason=result.reason,
        sha256=result.sha256,
        audited_sha256=result.audited_sha256,
    )


@router.get(f"{BASE}/versions", response_model=list[VersionOut])
def list_minutes_versions(
    meeting_id: Id, actor: CurrentActor, session: DBSession
) -> list[VersionOut]:
    rows = service_versions.list_versions(session, actor=actor, meeting_id=meeting_id)
    return [VersionOut.model_validate(v) for v in rows]


@router.get(f"{BASE}/versions/{{number}}/diff", response_model=DiffOut)
def diff_minutes_versions(
    meeting_id: Id,
    number: Annotated[int, Path(ge=1, le=1_000_000)],
    actor: CurrentActor,
    session: DBSession,
    against: VersionNo | None = None,
) -> DiffOut:
    old, new, sections = service_versions.diff_versions(
        session, actor=actor, meeting_id=meeting_id, number=number, against=against
    )
    return DiffOut(old=old, new=new, sections=[SectionDiff(**s) for s in sections])


@router.get(
    f"{BASE}/docx",
    response_class=Response,
    responses={200: {"content": {DOCX: {}}}},
)
def download_minutes_docx(
    meeting_id: Id, actor: CurrentActor, session: DBSession, ctx: AuditCtx
) -> Response:
    meeting, body = service_versions.export_docx(session, ctx, actor=actor, meeting_id=meeting_id)
    return Response(
        body,
        media_type=DOCX,
        headers={
            "Content-Disposition": f'attachment; filename="bien-ban-{meeting.id}.docx"',
            "Cache-Control": "private, no-store",
        },
    )
