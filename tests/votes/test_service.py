"""Votes: lifecycle, open votes, threshold math, eligibility, proxy refusal and scoping."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.notifications.models import Notification
from app.votes import service
from app.votes.models import OpenChoice, VoteParticipation
from app.votes.schemas import Answer, VoteCreate
from tests.factories.members import make_member
from tests.factories.org import Org
from tests.factories.votes import actor_of, answers_for, make_vote

CTX = AuditContext()


def test_passes_is_strictly_more_than_the_fraction() -> None:
    assert service.passes(3, 5, 1, 2)
    assert not service.passes(2, 4, 1, 2)  # exactly half is not a majority
    assert service.passes(3, 4, 1, 2)
    assert not service.passes(4, 6, 2, 3)  # exactly two thirds
    assert service.passes(5, 7, 2, 3)
    assert not service.passes(0, 0, 1, 2)


def test_open_vote_records_who_chose_what(session: Session, org: Org) -> None:
    vote = make_vote(session, org, kind="open", items=["Nghị quyết", "Kế hoạch"])
    items = service.list_items(session, vote_id=vote.id)
    for name, choice in (("sec_a", "agree"), ("mem_a", "other")):
        actor = actor_of(session, org, name)
        answers = [
            Answer(
                item_id=items[0].id, choice=choice, comment="Sửa câu 2" if choice == "other" else ""
            ),  # type: ignore[arg-type]
            Answer(item_id=items[1].id, choice="disagree"),  # type: ignore[arg-type]
        ]
        service.cast(session, ctx=CTX, actor=actor, vote_id=vote.id, answers=answers)
    t = service.tally(session, actor=actor_of(session, org, "mem_a"), vote_id=vote.id)
    assert t.participated == 2 and t.items is not None and t.voters is not None
    assert t.items[0].counts == {"agree": 1, "disagree": 0, "other": 1}
    assert {(v.full_name, v.choice) for v in t.voters if v.item_id == items[0].id} == {
        ("Trần Thị Bình", "agree"),
        ("Nguyễn Văn An", "other"),
    }
    assert session.scalar(select(AuditLog).where(AuditLog.action == "vote.cast")) is not None


def test_threshold_of_present_and_of_all(session: Session, org: Org) -> None:
    # Cell A has sec_a and mem_a; three more members make five in all.
    for i in range(3):
        make_member(session, org.units["A"], f"Đảng viên Thêm {i}")
    vote = make_vote(session, org, kind="secret", threshold_base="all")
    for name in ("sec_a", "mem_a"):
        service.cast(
            session,
            ctx=CTX,
            actor=actor_of(session, org, name),
            vote_id=vote.id,
            answers=answers_for(session, vote),
        )
    closed = service.close_vote(
        session, ctx=CTX, actor=actor_of(session, org, "sec_a"), vote_id=vote.id
    )
    t = service.tally(session, actor=actor_of(session, org, "mem_a"), vote_id=vote.id)
    assert t.items is not None
    assert t.eligible == 5 and t.items[0].counts["agree"] == 2
    assert t.items[0].pct_all["agree"] == 40.0
    assert not t.items[0].passed  # 2 of 5 members is not a majority of all
    assert closed.result is not None and closed.result["items"][0]["passed"] is False


def test_secret_results_hidden_until_close(session: Session, org: Org) -> None:
    vote = make_vote(session, org)
    mem = actor_of(session, org, "mem_a")
    service.cast(session, ctx=CTX, actor=mem, vote_id=vote.id, answers=answers_for(session, vote))
    before = service.tally(session, actor=mem, vote_id=vote.id)
    assert before.items is None and before.participated == 1 and before.present == 2
    service.close_vote(session, ctx=CTX, actor=actor_of(session, org, "sec_a"), vote_id=vote.id)
    after = service.tally(session, actor=mem, vote_id=vote.id)
    assert after.items is not None and after.items[0].counts["agree"] == 1
    assert after.voters is None


def test_one_member_one_vote(session: Session, org: Org) -> None:
    vote = make_vote(session, org)
    mem = actor_of(session, org, "mem_a")
    service.cast(session, ctx=CTX, actor=mem, vote_id=vote.id, answers=answers_for(session, vote))
    with pytest.raises(Conflict):
        service.cast(
            session, ctx=CTX, actor=mem, vote_id=vote.id, answers=answers_for(session, vote)
        )
    # The failed attempt rolled back to its savepoint; the session is still usable.
    assert service.has_voted(session, vote_id=vote.id, member_id=mem.member_id)


def test_no_proxy_voting(session: Session, org: Org) -> None:
    vote = make_vote(session, org)
    sec = actor_of(session, org, "sec_a")
    proxy = dataclasses.replace(sec, on_behalf_of_member_id=org.members["mem_a"].id)
    with pytest.raises(Forbidden):
        service.cast(
            session, ctx=CTX, actor=proxy, vote_id=vote.id, answers=answers_for(session, vote)
        )
    assert session.scalar(select(VoteParticipation)) is None


def test_member_of_another_cell_gets_404(session: Session, org: Org) -> None:
    vote = make_vote(session, org, unit="B", chair="sec_b")
    mem_a = actor_of(session, org, "mem_a")
    with pytest.raises(NotFound):
        service.get_vote(session, actor=mem_a, vote_id=vote.id)
    with pytest.raises(NotFound):
        service.cast(
            session, ctx=CTX, actor=mem_a, vote_id=vote.id, answers=answers_for(session, vote)
        )
    with pytest.raises(NotFound):
        service.tally(session, actor=mem_a, vote_id=vote.id)
    assert vote.id not in {v.id for v in service.list_votes(session, actor=mem_a)}
    # Ward staff see every cell of their ward, but cannot vote there.
    staff = actor_of(session, org, "staff_w1")
    assert service.tally(session, actor=staff, vote_id=vote.id).participated == 0
    with pytest.raises(Forbidden):
        service.cast(
            session, ctx=CTX, actor=staff, vote_id=vote.id, answers=answers_for(session, vote)
        )


def test_only_officers_open_and_close(session: Session, org: Org) -> None:
    vote = make_vote(session, org, opened=False)
    with pytest.raises(Forbidden):
        service.open_vote(session, ctx=CTX, actor=actor_of(session, org, "mem_a"), vote_id=vote.id)
    with pytest.raises(Forbidden):
        service.open_vote(
            session, ctx=CTX, actor=actor_of(session, org, "staff_w1"), vote_id=vote.id
        )
    with pytest.raises(Conflict):  # a draft cannot be cast or closed
        service.cast(
            session,
            ctx=CTX,
            actor=actor_of(session, org, "mem_a"),
            vote_id=vote.id,
            answers=answers_for(session, vote),
        )
    service.open_vote(session, ctx=CTX, actor=actor_of(session, org, "sec_a"), vote_id=vote.id)
    notified = session.scalars(
        select(Notification.member_id).where(Notification.kind == "vote.opened")
    )
    assert set(notified) == {org.members["sec_a"].id, org.members["mem_a"].id}


def test_answers_must_cover_every_item(session: Session, org: Org) -> None:
    vote = make_vote(session, org, kind="open", items=["Một", "Hai"])
    first = service.list_items(session, vote_id=vote.id)[0]
    with pytest.raises(Invalid):
        service.cast(
            session,
            ctx=CTX,
            actor=actor_of(session, org, "mem_a"),
            vote_id=vote.id,
            answers=[Answer(item_id=first.id, choice="agree")],  # type: ignore[arg-type]
        )
    assert session.scalar(select(OpenChoice)) is None
    assert session.scalar(select(VoteParticipation)) is None


def test_other_needs_a_comment_and_thresholds_validate() -> None:
    with pytest.raises(ValueError):
        Answer(item_id=1, choice="other")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        VoteCreate.model_validate(
            {
                "unit_id": 1,
                "title": "X",
                "kind": "open",
                "items": ["a"],
                "threshold_num": 2,
                "threshold_den": 2,
            }
        )
    with pytest.raises(ValueError):
        VoteCreate.model_validate({"unit_id": 1, "title": " ", "kind": "open", "items": ["a"]})
