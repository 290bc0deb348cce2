"""Drafting the minutes: the `minutes.draft` job queued (sent after commit), and its draft
stored as a new version, the secretary's edited sections kept unless replaced."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.core.db import utcnow
from app.core.permissions import Actor
from app.jobs.models import Job, JobStatus
from app.jobs.service import QUEUED_MESSAGE
from app.jobs.service_dispatch import Dispatcher, send_after_commit
from app.minutes import service_text as text
from app.minutes.models import Minutes, MinutesVersion, VersionKind
from app.minutes.service import (
    DRAFT_KIND,
    OPEN_JOB,
    add_version,
    audit_minutes,
    check,
    ensure_minutes,
    get_meeting,
    require_editable,
    require_held,
)
from pipelines import minutes as pm


def current_job(session: Session, minutes: Minutes) -> Job | None:
    return session.get(Job, minutes.job_id) if minutes.job_id is not None else None


def request_draft(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    meeting_id: int,
    replace: bool = False,
    mode: str | None = None,
    dispatcher: Dispatcher | None,
) -> tuple[Minutes, Job]:
    """Queue the `minutes.draft` job (sent after commit); a draft already queued or running is
    returned rather than started twice."""
    meeting, unit, _level = get_meeting(session, actor=actor, meeting_id=meeting_id)
    require_held(meeting)
    minutes = ensure_minutes(session, meeting)
    require_editable(minutes)
    job = current_job(session, minutes)
    if job is not None and job.status in OPEN_JOB:
        return minutes, job
    now = utcnow()
    job = Job(
        kind=DRAFT_KIND,
        owner_account_id=actor.account_id,
        unit_id=unit.id,
        status=JobStatus.queued,
        progress=0,
        message=QUEUED_MESSAGE,
        params={"minutes_id": minutes.id, "replace": replace, "mode": mode},
        state={},
        attempts=0,
        created_at=now,
        heartbeat_at=now,
    )
    session.add(job)
    session.flush()
    minutes.job_id = job.id
    audit_minutes(
        session, ctx, "minutes.draft_request", minutes, {"replace": replace, "mode": mode}
    )
    session.flush()
    if dispatcher is not None:
        send_after_commit(session, dispatcher, job.id)
    return minutes, job


def store_draft(
    session: Session,
    ctx: AuditContext,
    *,
    minutes: Minutes,
    draft: pm.MinutesDraft,
    replace: bool,
    author_account_id: int | None,
) -> MinutesVersion:
    """Store a pipeline draft as the working text (a new version): the secretary's edited
    sections are kept unless `replace`. Called by the job, inside its fenced transaction."""
    require_editable(minutes)
    keep = set() if replace else set(minutes.edited_keys or [])
    first = not minutes.sections
    layout, sections, provenance = text.merge_draft(
        draft,
        old_layout=minutes.layout or {},
        old_sections=minutes.sections or {},
        old_provenance=minutes.provenance or {},
        keep=keep,
    )
    changed = [k for k in sections if sections[k] != (minutes.sections or {}).get(k)]
    minutes.layout, minutes.sections, minutes.provenance = layout, sections, provenance
    minutes.edited_keys = sorted(keep & set(sections))
    minutes.mode, minutes.fallback_reason = draft.mode, draft.fallback_reason
    minutes.drafted_at = minutes.updated_at = utcnow()
    minutes.mismatches = [m.model_dump() for m in check(session, minutes)]
    version = add_version(
        session,
        minutes,
        kind=VersionKind.draft if first else VersionKind.redraft,
        author_account_id=author_account_id,
        changed=changed,
    )
    audit_minutes(
        session,
        ctx,
        "minutes.draft",
        minutes,
        {
            "version": version.number,
            "mode": draft.mode,
            "fallback": draft.fallback_reason is not None,
            "kept": minutes.edited_keys,
            "mismatches": len(minutes.mismatches),
        },
    )
    session.flush()
    return version
