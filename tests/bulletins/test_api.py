"""Bulletins through the API and the feed: audience (404 outside it), drafts managed by the
unit's officers, the monthly start, the podcast feed as RSS 2.0 with enclosures and durations,
and a revoked feed answering 404."""

from __future__ import annotations

import feedparser
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bulletins.models import Bulletin
from app.core.config import Settings
from app.core.db import utcnow
from app.documents.models import DocumentKind
from app.jobs.models import Job
from tests.factories.accounts import bearer
from tests.factories.bulletins import make_bulletin
from tests.factories.documents import make_document
from tests.factories.org import Org
from tests.jobs.fakes import recording_jobs


def test_audience_sees_bulletin_and_audio_others_get_404(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    u = org.units
    b = make_bulletin(session, settings, by=org.accounts["sec_a"], unit=u["A"])
    mem_a, mem_b = bearer(session, org.accounts["mem_a"]), bearer(session, org.accounts["mem_b"])
    assert client.get(f"/api/v1/bulletins/{b.id}", headers=mem_a).status_code == 200
    audio = client.get(f"/api/v1/bulletins/{b.id}/audio", headers=mem_a)
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/mpeg"
    part = client.get(f"/api/v1/bulletins/{b.id}/audio", headers={**mem_a, "Range": "bytes=0-9"})
    assert part.status_code == 206 and len(part.content) == 10
    for path in (f"/api/v1/bulletins/{b.id}", f"/api/v1/bulletins/{b.id}/audio"):
        assert client.get(path, headers=mem_b).status_code == 404
    assert [x["id"] for x in client.get("/api/v1/bulletins", headers=mem_b).json()] == []


def test_draft_is_hidden_from_members_and_edited_by_officers(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    sec = bearer(session, org.accounts["sec_a"])
    body = {
        "unit_id": org.units["A"].id,
        "title": "Bản tin",
        "sections": [{"title": "Tin", "text": "Họp chi bộ ngày 5."}],
    }
    resp = client.post("/api/v1/bulletins", json=body, headers=sec)
    assert resp.status_code == 201, resp.text
    bid = resp.json()["id"]
    assert resp.json()["audience"][0]["unit_id"] == org.units["A"].id
    mem = bearer(session, org.accounts["mem_a"])
    assert client.get(f"/api/v1/bulletins/{bid}", headers=mem).status_code == 404
    patched = client.patch(f"/api/v1/bulletins/{bid}", json={"title": "Bản tin mới"}, headers=sec)
    assert patched.status_code == 200 and patched.json()["title"] == "Bản tin mới"
    empty = {**body, "sections": [{"title": "", "text": "   "}]}
    assert client.post("/api/v1/bulletins", json=empty, headers=sec).status_code == 422
    other = {**body, "unit_id": org.units["B"].id}
    assert client.post("/api/v1/bulletins", json=other, headers=sec).status_code == 404


def test_publish_queues_one_job_and_reuses_audio_of_unchanged_text(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    sec = bearer(session, org.accounts["sec_a"])
    body = {
        "unit_id": org.units["A"].id,
        "title": "Bản tin",
        "sections": [{"title": "Tin", "text": "Họp chi bộ ngày 5."}],
    }
    first = client.post("/api/v1/bulletins", json=body, headers=sec).json()["id"]
    with recording_jobs() as jobs:
        resp = client.post(f"/api/v1/bulletins/{first}/publish", headers=sec)
    assert resp.status_code == 200, resp.text
    assert resp.json()["audio"]["status"] == "queued"
    assert len(session.scalars(select(Job).where(Job.kind == "bulletins.speak")).all()) == 1
    again = client.post(f"/api/v1/bulletins/{first}/publish", headers=sec)
    assert again.status_code == 409
    assert jobs.sent == []  # sent only after the request's commit


def test_monthly_start_is_prefilled_from_the_units_month(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    doc = make_document(
        session,
        settings,
        by=org.accounts["sec_a"],
        unit=org.units["A"],
        audience=[org.units["A"]],
        publish=True,
    )
    doc.kind = DocumentKind.nghi_quyet.value
    doc.published_at = utcnow()
    session.flush()
    sec = bearer(session, org.accounts["sec_a"])
    resp = client.post(f"/api/v1/units/{org.units['A'].id}/bulletins/monthly", json={}, headers=sec)
    assert resp.status_code == 201, resp.text
    titles = [s["title"] for s in resp.json()["sections"]]
    assert "Nghị quyết" in titles
    assert any(doc.title in s["text"] for s in resp.json()["sections"])
    assert resp.json()["status"] == "draft"
    mem = bearer(session, org.accounts["mem_a"])
    assert (
        client.post(
            f"/api/v1/units/{org.units['A'].id}/bulletins/monthly", json={}, headers=mem
        ).status_code
        == 403
    )


def test_podcast_feed_is_rss_with_enclosures_and_revoking_gives_404(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    u = org.units
    mine = make_bulletin(session, settings, by=org.accounts["sec_a"], unit=u["A"])
    other = make_bulletin(
        session,
        settings,
        by=org.accounts["staff_w1"],
        unit=u["W1"],
        audience=[u["B"]],
        title="Bản tin cụm B",
    )
    mem = bearer(session, org.accounts["mem_a"])
    link = client.post("/api/v1/me/podcast-feed", headers=mem)
    assert link.status_code == 201
    url = link.json()["url"]
    path = url[url.index("/podcast/") :]
    token = path.removeprefix("/podcast/").removesuffix(".xml")
    resp = client.get(path)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/rss+xml")
    feed = feedparser.parse(resp.content)
    assert feed.version == "rss20" and not feed.bozo
    assert [e.title for e in feed.entries] == [mine.title]
    entry = feed.entries[0]
    assert entry.enclosures[0].type == "audio/mpeg"
    assert int(entry.enclosures[0].length) > 0
    assert entry.itunes_duration == "0:00:02"
    episode = client.get(f"/podcast/{token}/{mine.id}.mp3")
    assert episode.status_code == 200 and episode.content[:1] in (b"\xff", b"I")
    assert client.get(f"/podcast/{token}/{other.id}.mp3").status_code == 404
    # The stored secret is a hash, never the token itself.
    from app.bulletins.models import PodcastToken

    row = session.scalar(select(PodcastToken))
    assert row is not None and token not in row.token_hash
    assert client.delete("/api/v1/me/podcast-feed", headers=mem).status_code == 204
    assert client.get(path).status_code == 404
    assert client.get(f"/podcast/{token}/{mine.id}.mp3").status_code == 404
    assert client.get("/podcast/not-a-token.xml").status_code == 404


def test_withdrawn_bulletin_leaves_members_view(
    client: TestClient, session: Session, org: Org, settings: Settings
) -> None:
    b = make_bulletin(session, settings, by=org.accounts["sec_a"], unit=org.units["A"])
    sec = bearer(session, org.accounts["sec_a"])
    assert client.post(f"/api/v1/bulletins/{b.id}/withdraw", headers=sec).status_code == 200
    mem = bearer(session, org.accounts["mem_a"])
    assert client.get(f"/api/v1/bulletins/{b.id}", headers=mem).status_code == 404
    assert session.get(Bulletin, b.id) is not None
