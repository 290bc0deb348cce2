"""The minutes' review chain: submit (refused while the check finds mismatches, unless
overridden with a reason), approve (which locks: the canonical text's SHA-256 goes into the
audit log), return with a comment, a correction after lock, and verification.

A correction after lock never touches the locked version: it is a new version with its reason,
and it goes back through the chair like any draft. Until the chair approves it, members keep
reading the version locked before; the approval locks the corrected text under a new hash, and
every earlier lock stays in the audit log, still verifiable."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog
from app.core.db import utcnow
from app.core.errors import Conflict, Invalid
from app.core.i18n import N_
from app.core.permissions import Actor
from app.minutes import service_text as text
from app.minutes.models import (
    Minutes,
    MinutesReview,
    MinutesState,
    MinutesVersion,
    ReviewAction,
    VersionKind,
)
from app.minutes.service import (
    NO_MINUTES,
    add_version,
    apply_sections,
    audit_minutes,
    check,
    find,
    get_meeting,
    get_minutes,
    proposed,
)
from pipelines.minutes import Mismatch

LOCK_ACTION = "minutes.lock"
MISMATCHES = N_(
    "Biên bản còn {count} chỗ không khớp với hồ sơ cuộc họp: sửa lại, hoặc ghi lý do để vẫn trình"
)
NOT_SUBMITTED = N_("Biên bản chưa được trình duyệt")
NOT_LOCKED = N_("Biên bản chưa khóa: sửa trực tiếp, không cần đính chính")
CANNOT_SUBMIT = N_("Biên bản không ở trạng thái có thể trình")
NOTHING_CHANGED = N_("Đính chính không thay đổi nội dung nào")


def _minutes(session: Session, actor: Actor, meeting_id: int) -> Minutes:
    meeting, _unit, _level = get_meeting(session, actor=actor, meeting_id=meeting_id)
    minutes = find(session, meeting.id)
    if minutes is None or not minutes.sections:
        raise Conflict(NO_MINUTES)
    return minutes


def _latest(session: Session, minutes: Minutes) -> MinutesVersion:
    version = session.scalar(
        select(MinutesVersion)
        .where(MinutesVersion.minutes_id == minutes.id)
        .order_by(MinutesVersion.number.desc())
        .limit(1)
    )
    assert version is not None  # a minutes record with sections has its first version
    return version


def _review(
    session: Session,
    minutes: Minutes,
    actor: Actor,
    action: ReviewAction,
    comment: str,
    number: int,
) -> None:
    session.add(
        MinutesReview(
            minutes_id=minutes.id,
            version_number=number,
            action=action,
            comment=comment,
            author_account_id=actor.account_id,
            created_at=utcnow(),
        )
    )


def _refusal(found: list[Mismatch]) -> Invalid:
    """422 listing each mismatch: where (section.field), the sentence, expected and found."""
    return Invalid(
        MISMATCHES,
        count=len(found),
        details=[
            {
                "field": f"{m.section}.{m.field}",
                "message": m.sentence or m.field,
                "expected": m.expected,
                "found": m.found,
            }
            for m in found
        ],
    )


def submit(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    meeting_id: int,
    override_reason: str | None = None,
) -> Minutes:
    """Send the minutes to the chair. The check runs again against the record as it is now;
    a mismatch refuses (422, each listed) unless `override_reason` is given (audited)."""
    minutes = _minutes(session, actor, meeting_id)
    if minutes.state not in (MinutesState.draft, MinutesState.returned):
        raise Conflict(CANNOT_SUBMIT)
    found = check(session, minutes)
    minutes.mismatches = [m.model_dump() for m in found]
    if found and not (override_reason and override_reason.strip()):
        raise _refusal(found)
    version = _latest(session, minutes)
    now = utcnow()
    minutes.state = MinutesState.submitted
    minutes.submitted_at, minutes.submitted_by_account_id = now, actor.account_id
    minutes.override_reason = override_reason.strip() if found and override_reason else None
    minutes.updated_at = now
    _review(
        session, minutes, actor, ReviewAction.submit, minutes.override_reason or "", version.number
    )
    if found:
        audit_minutes(
            session,
            ctx,
            "minutes.override",
            minutes,
            {
                "version": version.number,
                "reason": minutes.override_reason,
                "fields": sorted({f"{m.section}.{m.field}" for m in found}),
            },
        )
    audit_minutes(
        session,
        ctx,
        "minutes.submit",
        minutes,
        {"version": version.number, "mismatches": len(found)},
    )
    session.flush()
    return minutes


def approve(
    session: Session, ctx: AuditContext, *, actor: Actor, meeting_id: int, comment: str = ""
) -> Minutes:
    """The chair approves the submitted minutes, which locks them: the latest version is
    marked locked, and its canonical text's SHA-256 is written to the audit log."""
    minutes = _minutes(session, actor, meeting_id)
    if minutes.state != MinutesState.submitted:
        raise Conflict(NOT_SUBMITTED)
    version = _latest(session, minutes)
    version.locked = True
    sha = text.sha256_of(version.layout, version.sections)
    now = utcnow()
    was_correction = minutes.correction_reason
    minutes.state = MinutesState.locked
    minutes.approved_at, minutes.approved_by_account_id = now, actor.account_id
    minutes.locked_version_id, minutes.locked_sha256, minutes.locked_at = version.id, sha, now
    minutes.correction_reason = None
    minutes.updated_at = now
    _review(session, minutes, actor, ReviewAction.approve, comment, version.number)
    audit_minutes(session, ctx, "minutes.approve", minutes, {"version": version.number})
    audit_minutes(
        session,
        ctx,
        LOCK_ACTION,
        minutes,
        {
            "version": version.number,
            "version_id": version.id,
            "sha256": sha,
            "correction": bool(was_correction),
        },
    )
    session.flush()
    return minutes


def return_minutes(
    session: Session, ctx: AuditContext, *, actor: Actor, meeting_id: int, comment: str
) -> Minutes:
    """The chair sends the submitted minutes back to the secretary with a comment."""
    minutes = _minutes(session, actor, meeting_id)
    if minutes.state != MinutesState.submitted:
        raise Conflict(NOT_SUBMITTED)
    version = _latest(session, minutes)
    minutes.state = MinutesState.returned
    minutes.updated_at = utcnow()
    _review(session, minutes, actor, ReviewAction.return_, comment, version.number)
    audit_minutes(session, ctx, "minutes.return", minutes, {"version": version.number})
    session.flush()
    return minutes


def correct(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    meeting_id: int,
    sections: dict[str, str],
    reason: str,
    override_reason: str | None = None,
) -> Minutes:
    """A correction of locked minutes: a new version with its reason, checked like a
    submission (mismatches refuse it unless overridden), and sent back to the chair. The
    locked version stays what members read until the chair approves the correction."""
    minutes = _minutes(session, actor, meeting_id)
    if minutes.state != MinutesState.locked:
        raise Conflict(NOT_LOCKED)
    # Checked before anything changes: a refused correction leaves the record as it was.
    found = check(session, minutes, proposed(minutes, sections))
    override = (override_reason or "").strip()
    if found and not override:
        raise _refusal(found)
    changed = apply_sections(minutes, sections)
    if not changed:
        raise Invalid(NOTHING_CHANGED)
    minutes.mismatches = [m.model_dump() for m in found]
    now = utcnow()
    minutes.correction_reason = reason.strip()
    minutes.state = MinutesState.submitted
    minutes.submitted_at, minutes.submitted_by_account_id = now, actor.account_id
    minutes.override_reason = override if found else None
    minutes.updated_at = now
    version = add_version(
        session,
        minutes,
        kind=VersionKind.correction,
        author_account_id=actor.account_id,
        changed=changed,
        reason=minutes.correction_reason,
    )
    _review(session, minutes, actor, ReviewAction.submit, minutes.correction_reason, version.number)
    audit_minutes(
        session,
        ctx,
        "minutes.correct",
        minutes,
        {
            "version": version.number,
            "sections": changed,
            "reason": minutes.correction_reason,
            "mismatches": len(found),
        },
    )
    if found:
        audit_minutes(
            session,
            ctx,
            "minutes.override",
            minutes,
            {
                "version": version.number,
                "reason": override,
                "fields": sorted({f"{m.section}.{m.field}" for m in found}),
            },
        )
    session.flush()
    return minutes


@dataclass
class Verified:
    ok: bool
    reason: str
    sha256: str | None = None  # recomputed from the locked version's stored text
    audited_sha256: str | None = None  # what the last lock entry of the audit log says


def audited_lock(session: Session, minutes_id: int) -> AuditLog | None:
    """The audit log's last lock entry of these minutes."""
    return session.scalar(
        select(AuditLog)
        .where(
            AuditLog.action == LOCK_ACTION,
            AuditLog.object_type == "minutes",
            AuditLog.object_id == str(minutes_id),
        )
        .order_by(AuditLog.id.desc())
        .limit(1)
    )


def verify_minutes(session: Session, minutes: Minutes) -> Verified:
    """Recompute the locked text's SHA-256 and compare it with the audit log's lock entry, the
    hash stored on the record, and (while no correction is open) the working text."""
    if minutes.locked_version_id is None:
        return Verified(False, "not locked")
    entry = audited_lock(session, minutes.id)
    audited = str(entry.detail.get("sha256")) if entry is not None else None
    version = session.get(MinutesVersion, minutes.locked_version_id)
    if version is None or version.minutes_id != minutes.id:
        return Verified(False, "locked version missing", None, audited)
    sha = text.sha256_of(version.layout, version.sections)
    if entry is None:
        return Verified(False, "no lock entry in the audit log", sha, None)
    if entry.detail.get("version_id") != version.id:
        return Verified(
            False, "the locked version is not the one the audit log names", sha, audited
        )
    if sha != audited:
        return Verified(False, "the locked text differs from the audited hash", sha, audited)
    if minutes.locked_sha256 != audited:
        return Verified(False, "the record's hash differs from the audit log", sha, audited)
    if minutes.state == MinutesState.locked and (
        text.sha256_of(minutes.layout, minutes.sections) != audited
    ):
        return Verified(False, "the displayed text differs from the locked version", sha, audited)
    return Verified(True, "ok", sha, audited)


def verify(session: Session, ctx: AuditContext, *, actor: Actor, meeting_id: int) -> Verified:
    """The verify button: recompute and compare (managers and readers of the locked minutes);
    minutes not locked yet verify as not ok, with that reason."""
    _meeting, minutes, _level = get_minutes(session, actor=actor, meeting_id=meeting_id)
    if minutes is None:
        return Verified(False, "not locked")
    result = verify_minutes(session, minutes)
    audit_minutes(session, ctx, "minutes.verify", minutes, {"ok": result.ok})
    return result
