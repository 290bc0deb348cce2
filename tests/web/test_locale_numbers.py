"""Numbers, percentages and file sizes as the reader's locale writes them; a vote's tally says
which item each voter's choice was on."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.audit import AuditContext
from app.core.i18n import current_locale
from app.votes import service as votes_service
from app.votes.schemas import Answer
from app.web.templating import templates
from tests.factories.members import make_member
from tests.factories.org import Org
from tests.factories.transfers import web_login
from tests.factories.votes import actor_of, make_vote


def _in(locale: str, name: str, *args: object) -> str:
    token = current_locale.set(locale)
    try:
        return str(templates.env.filters[name](*args))
    finally:
        current_locale.reset(token)


def test_filters_follow_the_locale() -> None:
    assert _in("vi", "percent", 7.692) == "7,7%"
    assert _in("en", "percent", 7.692) == "7.7%"
    assert _in("vi", "percent", 100) == "100%"
    assert _in("vi", "percent", 42, 0) == "42%"
    assert _in("vi", "number", 12345.67) == "12.345,7"
    assert _in("en", "number", 12345.67) == "12,345.7"
    assert _in("vi", "number", 1234) == "1.234"
    assert _in("vi", "filesize", 1126) == "1,1 KB"
    assert _in("en", "filesize", 1126) == "1.1 KB"
    assert _in("vi", "filesize", 300) == "300 B"
    assert _in("vi", "filesize", 5_500_000) == "5,2 MB"
    assert _in("vi", "number", None) == "" and _in("vi", "percent", None) == ""


def test_open_vote_tally_in_vietnamese_and_grouped_by_item(
    client: TestClient, session: Session, org: Org
) -> None:
    make_member(session, org.units["A"], "Lê Thị Ba")  # three members: a share of 33,3%
    session.flush()
    vote = make_vote(
        session, org, kind="open", items=["Thông qua kế hoạch", "Bầu tổ trưởng tổ đảng"]
    )
    first, second = votes_service.list_items(session, vote_id=vote.id)
    member = actor_of(session, org, "mem_a")
    votes_service.cast(
        session,
        ctx=AuditContext(actor_account_id=member.account_id),
        actor=member,
        vote_id=vote.id,
        answers=[
            Answer(item_id=first.id, choice="agree", comment=""),  # type: ignore[arg-type]
            Answer(item_id=second.id, choice="disagree", comment=""),  # type: ignore[arg-type]
        ],
    )
    chair = actor_of(session, org, "sec_a")
    votes_service.close_vote(
        session, ctx=AuditContext(actor_account_id=chair.account_id), actor=chair, vote_id=vote.id
    )
    tally = votes_service.tally(session, actor=chair, vote_id=vote.id)
    share = tally.items[0].pct_all["agree"]  # type: ignore[index]
    assert share not in (0, 100) and share != int(share), "a share with a decimal part"

    web_login(client, session, org.accounts["sec_a"])
    page = client.get(f"/votes/{vote.id}/tally").text
    assert _in("vi", "percent", share) in page and f"{share}%" not in page
    voters = page[page.index("Ai đã chọn gì") :]
    # Each item's heading, then who chose what on it.
    sections = re.findall(r"<h3>(.*?)</h3>\s*<ul>(.*?)</ul>", voters, re.S)
    assert [title for title, _ in sections] == ["Thông qua kế hoạch", "Bầu tổ trưởng tổ đảng"]
    assert "Nguyễn Văn An: Đồng ý" in sections[0][1]
    assert "Nguyễn Văn An: Không đồng ý" in sections[1][1]

    english = client.get(f"/votes/{vote.id}/tally?lang=en").text
    assert _in("en", "percent", share) in english
