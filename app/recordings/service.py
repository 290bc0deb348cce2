"""Recordings of a meeting: who may upload, listen and correct, the upload itself, the transcript
and its edits, and the unit's listening policy."""

from __future__ import annotations

import enum
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, record
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import Forbidden, Invalid, NotFound
from app.core.i18n import N_
from app.core.permissions import Actor, Perm
from app.documents.service_storage import Staged, store_in_transaction
from app.jobs.models import Job, JobStatus
from app.jobs.service import QUEUED_MESSAGE
from app.jobs.service_dispatch import Dispatcher, send_after_commit
from app.meetings import service as meetings_service
from app.meetings.models import Attendance, Meeting
from app.members.models import Member
from app.recordings.models import (
    Recording,
    RecordingPolicy,
    RecordingStatus,
    SegmentVersion,
    TranscriptSegment,
)
from app.recordings.schemas import SegmentEdit
from app.recordings.service_upload import RecordingStorage, check_audio
from app.units import service as units_service
from app.units.models import Unit

TRANSCRIBE_KIND = "recordings.transcribe"
MISSING = N_("Không tìm thấy bản ghi âm")
MISSING_SEGMENT = N_("Không tìm thấy đoạn ghi")
DENIED = N_("Chỉ thư ký, chủ trì cuộc họp và cấp trên được quản lý bản ghi âm")
DENIED_LISTEN = N_("Chi bộ chưa cho phép đảng viên nghe bản ghi âm cuộc họp")


class Access(enum.IntEnum):
    none = 0
    listen = 1  # a member of the cell, where the unit allows it: the audio only
    manage = 2  # the meeting's secretary or chair, and meeting managers of the unit and above


def members_may_listen(session: Session, unit_id: int) -> bool:
    """The unit's choice; off unless an officer turned it on."""
    allowed = session.scalar(
        select(RecordingPolicy.members_may_listen).where(RecordingPolicy.unit_id == unit_id)
    )
    return bool(allowed)


def access(session: Session, actor: Actor | None, meeting: Meeting, unit: Unit) -> Access:
    """What `actor` may do with the recordings of a meeting they can already see."""
    if actor is None:
        return Access.none
    officers = {meeting.secretary_member_id, meeting.chair_member_id} - {None}
    if actor.member_id in officers or meetings_service.can_manage(actor, unit):
        return Access.manage
    if actor.member_unit_id == unit.id and members_may_listen(session, unit.id):
        return Access.listen
    return Access.none


def get_meeting(
    session: Session, *, actor: Actor, meeting_id: int, need: Access = Access.manage
) -> tuple[Meeting, Unit]:
    """A meeting the actor may see (else 404) whose recordings they may use (else 403)."""
    meeting, unit = meetings_service.get_meeting(session, actor=actor, meeting_id=meeting_id)
    level = access(session, actor, meeting, unit)
    if level < need:
        raise Forbidden(DENIED_LISTEN if need is Access.listen else DENIED)
    return meeting, unit


def get_recording(
    session: Session, *, actor: Actor, recording_id: int, need: Access = Access.manage
) -> tuple[Recording, Meeting, Unit]:
    """A recording the actor may use as `need` says. One they may not even listen to answers
    exactly like one that does not exist; a listener asking for more gets 403."""
    row = session.execute(
        select(Recording, Meeting, Unit)
        .join(Meeting, Meeting.id == Recording.meeting_id)
        .join(Unit, Unit.id == Meeting.unit_id)
        .where(Recording.id == recording_id)
    ).first()
    if row is None:
        raise NotFound(MISSING)
    rec, meeting, unit = row
    visible = session.scalar(
        select(Meeting.id).where(
            Meeting.id == meeting.id, meetings_service.visible_condition(actor)
        )
    )
    level = access(session, actor, meeting, unit) if visible else Access.none
    if level is Access.none:
        raise NotFound(MISSING)
    if level < need:
        raise Forbidden(DENIED)
    return rec, meeting, unit


def list_recordings(session: Session, *, actor: Actor, meeting_id: int) -> Sequence[Recording]:
    """The recordings of a meeting, oldest first, for those who may at least listen."""
    get_meeting(session, actor=actor, meeting_id=meeting_id, need=Access.listen)
    return session.scalars(
        select(Recording).where(Recording.meeting_id == meeting_id).order_by(Recording.id)
    ).all()


def _queue_job(session: Session, actor: Actor, unit_id: int, rec: Recording) -> Job:
    now = utcnow()
    job = Job(
        kind=TRANSCRIBE_KIND,
        owner_account_id=actor.account_id,
        unit_id=unit_id,
        status=JobStatus.queued,
        progress=0,
        message=QUEUED_MESSAGE,
        params={"recording_id": rec.id},
        state={},
        attempts=0,
        created_at=now,
        heartbeat_at=now,
    )
    session.add(job)
    session.flush()
    return job


def create_recording(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    meeting_id: int,
    settings: Settings,
    storage: RecordingStorage,
    staged: Staged,
    filename: str,
    dispatcher: Dispatcher | None,
) -> Recording:
    """Check, store and queue the transcription of an uploaded recording (sent after commit)."""
    meeting, unit = get_meeting(session, actor=actor, meeting_id=meeting_id)
    checked = check_audio(staged, settings.stt)
    rec = Recording(
        meeting_id=meeting.id,
        sha256=staged.sha256,
        filename=filename[:255] or "recording",
        mime=checked.type.mime,
        size=staged.size,
        duration=round(checked.duration, 2),
        pieces=checked.pieces,
        uploaded_by_account_id=actor.account_id,
        status=RecordingStatus.queued,
    )
    session.add(rec)
    session.flush()
    store_in_transaction(session, storage, staged, Recording.sha256)
    job = _queue_job(session, actor, unit.id, rec)
    rec.job_id = job.id
    record(
        session,
        ctx,
        "recording.upload",
        object_type="recording",
        object_id=rec.id,
        unit_id=unit.id,
        detail={"meeting_id": meeting.id, "size": rec.size, "duration": rec.duration},
    )
    session.flush()
    if dispatcher is not None:
        send_after_commit(session, dispatcher, job.id)
    return rec


def progress_of(session: Session, rec: Recording) -> int:
    """0–100: the job's figure while it runs, 100 once done."""
    if rec.status == RecordingStatus.done:
        return 100
    if rec.job_id is None:
        return 0
    return int(session.scalar(select(Job.progress).where(Job.id == rec.job_id)) or 0)


def job_state(session: Session, rec: Recording) -> tuple[str, str | None]:
    """The recording's status as users should read it: a job that failed or gave up counts."""
    if rec.job_id is not None and rec.status != RecordingStatus.done:
        job = session.get(Job, rec.job_id)
        if job is not None and job.status in (JobStatus.failed, JobStatus.cancelled):
            return RecordingStatus.failed.value, job.error or rec.error
    return rec.status, rec.error


def segments(session: Session, recording_id: int) -> Sequence[TranscriptSegment]:
    return session.scalars(
        select(TranscriptSegment)
        .where(TranscriptSegment.recording_id == recording_id)
        .order_by(TranscriptSegment.index)
    ).all()


def version_counts(session: Session, recording_id: int) -> dict[int, int]:
    rows = session.execute(
        select(SegmentVersion.segment_id, func.count())
        .join(TranscriptSegment, TranscriptSegment.id == SegmentVersion.segment_id)
        .where(TranscriptSegment.recording_id == recording_id)
        .group_by(SegmentVersion.segment_id)
    ).all()
    return {sid: n for sid, n in rows}


def read_transcript(
    session: Session, ctx: AuditContext, *, actor: Actor, recording_id: int
) -> tuple[Recording, Meeting, Sequence[TranscriptSegment]]:
    """The transcript, for those who manage the recording; each read is audited."""
    rec, meeting, unit = get_recording(session, actor=actor, recording_id=recording_id)
    record(
        session,
        ctx,
        "recording.transcript_read",
        object_type="recording",
        object_id=rec.id,
        unit_id=unit.id,
    )
    return rec, meeting, segments(session, rec.id)


def open_audio(
    session: Session, ctx: AuditContext, *, actor: Actor, recording_id: int, range_: str | None
) -> Recording:
    """The recording to play, for managers and allowed listeners; each fetch is audited."""
    rec, _meeting, unit = get_recording(
        session, actor=actor, recording_id=recording_id, need=Access.listen
    )
    record(
        session,
        ctx,
        "recording.listen",
        object_type="recording",
        object_id=rec.id,
        unit_id=unit.id,
        detail={"range": range_[:64]} if range_ else None,
    )
    return rec


def meeting_members(session: Session, meeting_id: int) -> Sequence[Member]:
    """Members invited to the meeting: who a speaker can be picked from."""
    return session.scalars(
        select(Member)
        .join(Attendance, Attendance.member_id == Member.id)
        .where(Attendance.meeting_id == meeting_id)
        .order_by(Member.full_name, Member.id)
    ).all()


def _segment(session: Session, recording_id: int, index: int) -> TranscriptSegment:
    seg = session.scalar(
        select(TranscriptSegment).where(
            TranscriptSegment.recording_id == recording_id, TranscriptSegment.index == index
        )
    )
    if seg is None:
        raise NotFound(MISSING_SEGMENT)
    return seg


def edit_segment(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    recording_id: int,
    index: int,
    data: SegmentEdit,
) -> TranscriptSegment:
    """Correct a segment's text or speaker; the previous text is kept as a version."""
    rec, meeting, unit = get_recording(session, actor=actor, recording_id=recording_id)
    seg = _segment(session, rec.id, index)
    fields = data.model_fields_set
    text = data.text if "text" in fields and data.text else seg.text
    name = (data.speaker_name or "").strip() or None if "speaker_name" in fields else None
    member_id = data.speaker_member_id if "speaker_member_id" in fields else None
    if "speaker_name" not in fields and "speaker_member_id" not in fields:
        name, member_id = seg.speaker_name, seg.speaker_member_id
    if member_id is not None:
        member = session.scalar(
            select(Member)
            .join(Attendance, Attendance.member_id == Member.id)
            .where(Attendance.meeting_id == meeting.id, Member.id == member_id)
        )
        if member is None:
            raise Invalid(
                "Người nói phải là đảng viên được mời dự cuộc họp",
                details=[{"field": "speaker_member_id", "message": str(member_id)}],
            )
        name = name or member.full_name
    if (text, name, member_id) == (seg.text, seg.speaker_name, seg.speaker_member_id):
        return seg
    now = utcnow()
    session.add(
        SegmentVersion(
            segment_id=seg.id,
            text=seg.text,
            speaker_name=seg.speaker_name,
            speaker_member_id=seg.speaker_member_id,
            replaced_by_account_id=actor.account_id,
            replaced_at=now,
        )
    )
    seg.text, seg.speaker_name, seg.speaker_member_id = text, name, member_id
    seg.edited_at, seg.edited_by_account_id = now, actor.account_id
    record(
        session,
        ctx,
        "recording.segment_edit",
        object_type="recording",
        object_id=rec.id,
        unit_id=unit.id,
        detail={"index": index, "fields": sorted(fields)},
    )
    session.flush()
    return seg


def segment_versions(
    session: Session, *, actor: Actor, recording_id: int, index: int
) -> Sequence[SegmentVersion]:
    """Earlier texts of one segment, newest first."""
    rec, _meeting, _unit = get_recording(session, actor=actor, recording_id=recording_id)
    seg = _segment(session, rec.id, index)
    return session.scalars(
        select(SegmentVersion)
        .where(SegmentVersion.segment_id == seg.id)
        .order_by(SegmentVersion.id.desc())
    ).all()


def all_versions(session: Session, recording_id: int) -> dict[int, list[SegmentVersion]]:
    """Every kept version of a recording's segments, by segment id, newest first."""
    rows = session.scalars(
        select(SegmentVersion)
        .join(TranscriptSegment, TranscriptSegment.id == SegmentVersion.segment_id)
        .where(TranscriptSegment.recording_id == recording_id)
        .order_by(SegmentVersion.id.desc())
    ).all()
    out: dict[int, list[SegmentVersion]] = {}
    for v in rows:
        out.setdefault(v.segment_id, []).append(v)
    return out


def set_policy(
    session: Session, ctx: AuditContext, *, actor: Actor, unit_id: int, members_may_listen: bool
) -> RecordingPolicy:
    """Let the members of a unit listen to its meetings' recordings, or stop them."""
    units_service.get_unit(session, actor=actor, unit_id=unit_id, perm=Perm.meeting_manage)
    policy = session.get(RecordingPolicy, unit_id)
    if policy is None:
        policy = RecordingPolicy(unit_id=unit_id)
        session.add(policy)
    policy.members_may_listen = members_may_listen
    policy.updated_at = utcnow()
    policy.updated_by_account_id = actor.account_id
    record(
        session,
        ctx,
        "recording.policy",
        object_type="unit",
        object_id=unit_id,
        unit_id=unit_id,
        detail={"members_may_listen": members_may_listen},
    )
    session.flush()
    return policy
