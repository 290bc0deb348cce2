"""The member's private podcast feed: a secret address (stored hashed, revocable) that lists the
published bulletins addressed to them as RSS 2.0 with MP3 enclosures and durations."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.bulletins import service
from app.bulletins.models import Bulletin, BulletinAudio, PodcastToken
from app.core.audit import AuditContext, record
from app.core.errors import NotFound
from app.core.i18n import N_
from app.core.permissions import Actor, load_actor
from app.core.security import new_token, token_digest

FEED_MISSING = N_("Không tìm thấy kênh nghe bản tin")


def has_feed(session: Session, *, actor: Actor) -> bool:
    found = session.scalar(
        select(PodcastToken.id).where(PodcastToken.account_id == actor.account_id)
    )
    return found is not None


def rotate_token(session: Session, ctx: AuditContext, *, actor: Actor) -> str:
    """Issue a new feed secret (an old address stops working); returned once, kept hashed."""
    secret = new_token()
    session.execute(delete(PodcastToken).where(PodcastToken.account_id == actor.account_id))
    session.add(PodcastToken(account_id=actor.account_id, token_hash=token_digest(secret)))
    session.flush()
    record(session, ctx, "podcast.token_rotate", object_type="account", object_id=actor.account_id)
    return secret


def revoke_token(session: Session, ctx: AuditContext, *, actor: Actor) -> None:
    """The feed address answers 404 from now on."""
    session.execute(delete(PodcastToken).where(PodcastToken.account_id == actor.account_id))
    session.flush()
    record(session, ctx, "podcast.token_revoke", object_type="account", object_id=actor.account_id)


def actor_for_token(session: Session, token: str) -> Actor:
    """The account a feed secret belongs to; 404 for anything unknown or revoked."""
    if not token or len(token) > 200:
        raise NotFound(FEED_MISSING)
    account_id = session.scalar(
        select(PodcastToken.account_id).where(PodcastToken.token_hash == token_digest(token))
    )
    actor = load_actor(session, account_id) if account_id is not None else None
    if actor is None:
        raise NotFound(FEED_MISSING)
    return actor


def feed_xml(session: Session, *, actor: Actor, base_url: str, token: str) -> bytes:
    """RSS 2.0 (with the iTunes tags podcast apps read) of the bulletins the actor may hear."""
    from feedgen.feed import FeedGenerator

    base = base_url.rstrip("/")
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.title("Sổ Tay — Bản tin")
    fg.link(href=f"{base}/bulletins", rel="alternate")
    fg.description("Bản tin âm thanh của tổ chức đảng")
    fg.language("vi")
    fg.podcast.itunes_author("Sổ Tay")
    fg.podcast.itunes_explicit("no")
    rows = session.execute(
        select(Bulletin, BulletinAudio)
        .join(BulletinAudio, BulletinAudio.id == Bulletin.audio_id)
        .where(
            Bulletin.id.in_(
                [
                    b.id
                    for b in service.list_bulletins(
                        session, actor=actor, published_only=True, limit=50
                    )
                ]
            )
        )
        .order_by(Bulletin.published_at)
    ).all()
    for b, audio in rows:
        entry = fg.add_entry()
        entry.id(f"{base}/bulletins/{b.id}")
        entry.guid(f"{base}/bulletins/{b.id}", permalink=True)
        entry.title(b.title)
        entry.link(href=f"{base}/bulletins/{b.id}")
        entry.description(" ".join(s.get("title", "") for s in b.sections).strip() or b.title)
        if b.published_at is not None:
            entry.published(b.published_at)
        entry.enclosure(f"{base}/podcast/{token}/{b.id}.mp3", str(audio.size), "audio/mpeg")
        total = int(round(audio.duration))
        entry.podcast.itunes_duration(
            f"{total // 3600:d}:{total % 3600 // 60:02d}:{total % 60:02d}"
        )
    out: bytes = fg.rss_str(pretty=True)
    return out
