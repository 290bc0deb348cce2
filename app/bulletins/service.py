"""Bulletins: who sees and manages them, drafts, publishing (audio by cache key, else a
background job), the audio and its transcript."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

import audio.tts as tts
from app.bulletins.models import (
    AudioStatus,
    Bulletin,
    BulletinAudience,
    BulletinAudio,
    BulletinStatus,
)
from app.bulletins.schemas import BulletinIn, BulletinPatch, SectionIn
from app.core import audit
from app.core.audit import AuditContext
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.i18n import N_
from app.core.permissions import Actor, Perm, accessible_unit_ids
from app.documents import service as documents_service
from app.documents import service_audience as audience_q
from app.documents.schemas import AudienceIn
from app.documents.service_storage import LocalStorage
from app.jobs.models import Job, JobStatus
from app.jobs.service import QUEUED_MESSAGE
from app.jobs.service_dispatch import Dispatcher, send_after_commit
from app.notifications import service as notifications
from app.units import service as units_service
from app.units.models import Unit

SPEAK_KIND = "bulletins.speak"
MISSING = N_("Không tìm thấy bản tin")
DENIED = N_("Bạn không có quyền quản lý bản tin này")
NO_AUDIO = N_("Bản tin chưa có âm thanh")


class BulletinStorage(LocalStorage):
    """The documents' content-addressed local store, rooted at `<files_dir>/bulletins`; it also
    says where a blob lies, so the MP3 is served with range requests."""

    def path(self, sha256: str) -> Path:
        return self._path(sha256)


def get_storage(settings: Settings) -> BulletinStorage:
    return BulletinStorage(settings.files_dir / "bulletins")


def _ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def visible_condition(actor: Actor | None) -> Any:
    """Bulletins the actor may see: their subtree's (document_view, any status), and published
    ones addressed to them or to a unit in (or above, with subtree) that subtree; the same rule
    as documents, on the same helpers."""
    in_scope = Bulletin.unit_id.in_(accessible_unit_ids(actor, Perm.document_view))
    above = sorted(
        {a for p in (actor.paths_for(Perm.document_view) if actor else []) for a in _ids(p)[:-1]}
    )
    addressed_here = exists().where(
        BulletinAudience.bulletin_id == Bulletin.id,
        or_(
            BulletinAudience.unit_id.in_(accessible_unit_ids(actor, Perm.document_view)),
            BulletinAudience.include_subtree.is_(True) & BulletinAudience.unit_id.in_(above),
        ),
    )
    addressed_to_actor = select(BulletinAudience.bulletin_id).where(
        audience_q.audience_matches_actor(actor, BulletinAudience)
    )
    return or_(
        in_scope,
        (Bulletin.status == BulletinStatus.published.value)
        & (Bulletin.id.in_(addressed_to_actor) | addressed_here),
    )


def get_bulletin(session: Session, *, actor: Actor | None, bulletin_id: int) -> Bulletin:
    """A bulletin the actor may see, else 404."""
    b = session.scalar(select(Bulletin).where(Bulletin.id == bulletin_id, visible_condition(actor)))
    if b is None:
        raise NotFound(MISSING)
    return b


def can_manage(session: Session, actor: Actor | None, b: Bulletin) -> bool:
    unit = session.get(Unit, b.unit_id)
    return unit is not None and units_service.allowed_in(actor, Perm.document_manage, unit)


def _managed(session: Session, *, actor: Actor, bulletin_id: int) -> Bulletin:
    b = get_bulletin(session, actor=actor, bulletin_id=bulletin_id)
    if not can_manage(session, actor, b):
        raise Forbidden(DENIED)
    return b


def issuing_unit(session: Session, actor: Actor, unit_id: int) -> Unit:
    """A unit the actor may publish bulletins for: unseen 404, seen but not allowed 403."""
    unit = units_service.get_unit(session, actor=actor, unit_id=unit_id)
    if not units_service.allowed_in(actor, Perm.document_manage, unit):
        raise Forbidden(N_("Bạn không có quyền ra bản tin cho đơn vị này"))
    return unit


def _sections(items: Sequence[SectionIn]) -> list[dict[str, str]]:
    out = [{"title": s.title.strip(), "text": s.text.strip()} for s in items]
    out = [s for s in out if s["text"] or s["title"]]
    if not any(s["text"] for s in out):
        raise Invalid(N_("Bản tin cần có ít nhất một mục có nội dung"))
    return out


def _set_audience(session: Session, b: Bulletin, issuing: Unit, entries: list[AudienceIn]) -> None:
    entries = entries or [AudienceIn(unit_id=issuing.id, include_subtree=True)]
    ids = {e.unit_id for e in entries}
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    for uid in ids:
        unit = units.get(uid)
        if unit is None or not unit.path.startswith(issuing.path) or unit.dissolved_at:
            raise Invalid(N_("Nơi nhận phải là đơn vị trực thuộc đơn vị ra bản tin"))
    for row in session.scalars(
        select(BulletinAudience).where(BulletinAudience.bulletin_id == b.id)
    ):
        session.delete(row)
    session.flush()
    seen: set[tuple[int, str | None]] = set()
    for e in entries:
        key = (e.unit_id, e.role.value if e.role else None)
        if key not in seen:
            seen.add(key)
            session.add(
                BulletinAudience(
                    bulletin_id=b.id,
                    unit_id=e.unit_id,
                    include_subtree=e.include_subtree,
                    role=key[1],
                )
            )
    session.flush()


def create_bulletin(
    session: Session, ctx: AuditContext, *, actor: Actor, data: BulletinIn
) -> Bulletin:
    """A draft bulletin of a unit the actor may publish for."""
    unit = issuing_unit(session, actor, data.unit_id)
    if data.source_document_id is not None:
        documents_service.get_document(session, actor=actor, document_id=data.source_document_id)
    b = Bulletin(
        unit_id=unit.id,
        title=data.title.strip(),
        sections=_sections(data.sections),
        source_document_id=data.source_document_id,
        status=BulletinStatus.draft.value,
        created_by=actor.account_id,
        audio_status=AudioStatus.none.value,
    )
    session.add(b)
    session.flush()
    _set_audience(session, b, unit, list(data.audience))
    audit.record(
        session, ctx, "bulletin.create", object_type="bulletin", object_id=b.id, unit_id=unit.id
    )
    return b


def update_bulletin(
    session: Session, ctx: AuditContext, *, actor: Actor, bulletin_id: int, data: BulletinPatch
) -> Bulletin:
    """Edit a draft's title, sections or audience."""
    b = _managed(session, actor=actor, bulletin_id=bulletin_id)
    if b.status != BulletinStatus.draft.value:
        raise Conflict(N_("Chỉ sửa được bản tin khi còn là bản nháp"))
    if data.title is not None:
        b.title = data.title.strip()
    if data.sections is not None:
        b.sections = _sections(data.sections)
    if data.audience is not None:
        unit = session.get(Unit, b.unit_id)
        assert unit is not None
        _set_audience(session, b, unit, list(data.audience))
    session.flush()
    audit.record(
        session, ctx, "bulletin.update", object_type="bulletin", object_id=b.id, unit_id=b.unit_id
    )
    return b


def text_of(b: Bulletin) -> str:
    """The bulletin as the speech layer reads it: the title, then one `#` heading per section."""
    parts = [f"# {b.title}"]
    for s in b.sections:
        title, text = s.get("title", ""), s.get("text", "")
        parts.append(f"# {title}\n{text}" if title else text)
    return "\n\n".join(parts)


def cached_audio(session: Session, key: str) -> BulletinAudio | None:
    return session.scalar(select(BulletinAudio).where(BulletinAudio.cache_key == key))


def _queue_job(session: Session, actor: Actor, b: Bulletin) -> Job:
    now = utcnow()
    job = Job(
        kind=SPEAK_KIND,
        owner_account_id=actor.account_id,
        unit_id=b.unit_id,
        status=JobStatus.queued,
        progress=0,
        message=QUEUED_MESSAGE,
        params={"bulletin_id": b.id},
        state={},
        attempts=0,
        created_at=now,
        heartbeat_at=now,
    )
    session.add(job)
    session.flush()
    return job


def publish_bulletin(
    session: Session,
    ctx: AuditContext,
    *,
    actor: Actor,
    bulletin_id: int,
    settings: Settings,
    dispatcher: Dispatcher | None,
) -> Bulletin:
    """Publish a draft and notify its audience; audio already made for the same text, voice
    and settings is reused, else a `bulletins.speak` job makes it (sent after commit)."""
    b = _managed(session, actor=actor, bulletin_id=bulletin_id)
    if b.status != BulletinStatus.draft.value:
        raise Conflict(N_("Bản tin đã được phát hành hoặc đã thu hồi"))
    try:
        key = tts.cache_key(text_of(b), settings.tts)
    except tts.TtsError as exc:
        raise Invalid(N_("Không đọc được nội dung bản tin: {reason}"), reason=str(exc)) from exc
    b.status = BulletinStatus.published.value
    b.published_at = utcnow()
    made = cached_audio(session, key)
    job_id = None
    if made is not None:
        b.audio_id, b.audio_status, b.audio_error = made.id, AudioStatus.done.value, None
    else:
        job = _queue_job(session, actor, b)
        b.audio_job_id, b.audio_status, job_id = job.id, AudioStatus.queued.value, job.id
    session.flush()
    recipients = sorted({r[0] for r in session.execute(_recipients_query(session, b.id))})
    count = notifications.notify(
        session,
        member_ids=recipients,
        kind="bulletin.published",
        title=b.title[:300],
        body="",
        link=f"/bulletins/{b.id}",
        unit_id=b.unit_id,
    )
    audit.record(
        session,
        ctx,
        "bulletin.publish",
        object_type="bulletin",
        object_id=b.id,
        unit_id=b.unit_id,
        detail={"recipients": count, "cached": made is not None},
    )
    if job_id is not None and dispatcher is not None:
        send_after_commit(session, dispatcher, job_id)
    return b


def _recipients_query(session: Session, bulletin_id: int) -> Any:
    """Member ids the bulletin is addressed to, by the documents' recipient rules."""
    rows = session.execute(
        select(
            BulletinAudience.unit_id, BulletinAudience.include_subtree, BulletinAudience.role
        ).where(BulletinAudience.bulletin_id == bulletin_id)
    ).all()
    return audience_q.recipients_for_rows([(r[0], bool(r[1]), r[2]) for r in rows])


def withdraw_bulletin(
    session: Session, ctx: AuditContext, *, actor: Actor, bulletin_id: int
) -> Bulletin:
    """Members no longer see it (nor hear it in their feed); its history is kept."""
    b = _managed(session, actor=actor, bulletin_id=bulletin_id)
    if b.status == BulletinStatus.withdrawn.value:
        raise Conflict(N_("Bản tin đã được thu hồi"))
    b.status = BulletinStatus.withdrawn.value
    session.flush()
    audit.record(
        session,
        ctx,
        "bulletin.withdraw",
        object_type="bulletin",
        object_id=b.id,
        unit_id=b.unit_id,
    )
    return b


def list_bulletins(
    session: Session, *, actor: Actor, published_only: bool = False, limit: int = 100
) -> Sequence[Bulletin]:
    """Visible bulletins, newest first."""
    q = select(Bulletin).where(visible_condition(actor))
    if published_only:
        q = q.where(Bulletin.status == BulletinStatus.published.value)
    return session.scalars(
        q.order_by(Bulletin.published_at.desc().nulls_last(), Bulletin.id.desc()).limit(limit)
    ).all()


def latest_for(session: Session, *, actor: Actor) -> Bulletin | None:
    """The newest published bulletin the actor may hear, for the home page."""
    found = list_bulletins(session, actor=actor, published_only=True, limit=1)
    return found[0] if found else None


def audience_of(session: Session, bulletin_id: int) -> Sequence[BulletinAudience]:
    return session.scalars(
        select(BulletinAudience)
        .where(BulletinAudience.bulletin_id == bulletin_id)
        .order_by(BulletinAudience.id)
    ).all()


def audio_of(session: Session, b: Bulletin) -> BulletinAudio | None:
    return session.get(BulletinAudio, b.audio_id) if b.audio_id else None


def progress_of(session: Session, b: Bulletin) -> tuple[str, int, str | None]:
    """(status, 0–100, error) as users should read them: a job that failed counts."""
    if b.audio_status == AudioStatus.done.value:
        return b.audio_status, 100, None
    if b.audio_job_id is None:
        return b.audio_status, 0, b.audio_error
    job = session.get(Job, b.audio_job_id)
    if job is None:
        return b.audio_status, 0, b.audio_error
    if job.status in (JobStatus.failed, JobStatus.cancelled):
        return AudioStatus.failed.value, int(job.progress or 0), job.error or b.audio_error
    return b.audio_status, int(job.progress or 0), b.audio_error


def audio_for(
    session: Session, ctx: AuditContext, *, actor: Actor, bulletin_id: int, first_read: bool
) -> tuple[Bulletin, BulletinAudio]:
    """The audio of a bulletin the actor may see (else 404). A
    listen is audited lightly: once per playback (the first range request), not per chunk.
    No audio yet (a draft, or while it is made) is a 404 that says so: a GET answers only
    documented codes."""
    b = get_bulletin(session, actor=actor, bulletin_id=bulletin_id)
    made = audio_of(session, b)
    if made is None:
        raise NotFound(NO_AUDIO)
    if first_read:
        audit.record(
            session,
            ctx,
            "bulletin.listen",
            object_type="bulletin",
            object_id=b.id,
            unit_id=b.unit_id,
        )
    return b, made
