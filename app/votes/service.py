"""Votes: create, open, cast (open votes and secret ballots), close with tallies, verify."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, record
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.permissions import Actor, Perm, unit_scope
from app.meetings.models import Attendance, AttendanceState, Meeting
from app.members.models import Member, MemberStatus
from app.notifications.service import notify
from app.units import service as units_service
from app.units.models import Unit
from app.votes import service_ballots as ballots
from app.votes.models import (
    Ballot,
    Choice,
    OpenChoice,
    ThresholdBase,
    Vote,
    VoteItem,
    VoteKind,
    VoteParticipation,
    VoteStatus,
)
from app.votes.schemas import Answer, ItemTally, TallyOut, VoteCreate, VoterChoice

CHOICES = [c.value for c in Choice]


def get_vote(
    session: Session,
    *,
    actor: Actor | None,
    vote_id: int,
    perm: Perm = Perm.unit_view,
    lock: bool | None = None,
) -> tuple[Vote, Unit]:
    """A vote the actor can see (else 404) and may do `perm` in (else 403).

    `lock`: True takes the vote row exclusively (cast, close), False shares it, so a ballot
    cannot slip in after the chain is sealed. SQLite serialises writers anyway.
    """
    q = select(Vote, Unit).join(Unit, Unit.id == Vote.unit_id).where(Vote.id == vote_id)
    if lock is not None:
        q = q.with_for_update(read=not lock, of=Vote).execution_options(populate_existing=True)
    row = session.execute(q).first()
    if row is None or not units_service.allowed_in(actor, Perm.unit_view, row.Unit):
        raise NotFound("Không tìm thấy cuộc biểu quyết")
    if perm != Perm.unit_view and not units_service.allowed_in(actor, perm, row.Unit):
        raise Forbidden("Bạn không có quyền điều hành cuộc biểu quyết này")
    return row.Vote, row.Unit


def list_items(session: Session, *, vote_id: int) -> Sequence[VoteItem]:
    """The vote's items in order."""
    return session.scalars(
        select(VoteItem).where(VoteItem.vote_id == vote_id).order_by(VoteItem.position)
    ).all()


def list_votes(
    session: Session, *, actor: Actor, unit_id: int | None = None, status: str | None = None
) -> Sequence[Vote]:
    """Votes in units the actor can see, newest first."""
    q = select(Vote).join(Unit, Unit.id == Vote.unit_id).where(unit_scope(actor, Perm.unit_view))
    if unit_id is not None:
        q = q.where(Vote.unit_id == unit_id)
    if status is not None:
        q = q.where(Vote.status == status)
    return session.scalars(q.order_by(Vote.id.desc()).limit(200)).all()


def create_vote(session: Session, *, ctx: AuditContext, actor: Actor, data: VoteCreate) -> Vote:
    """A draft vote with its items, in a unit the actor chairs."""
    unit = units_service.get_unit(session, actor=actor, unit_id=data.unit_id, perm=Perm.vote_manage)
    if data.meeting_id is not None:
        meeting_unit = session.scalar(select(Meeting.unit_id).where(Meeting.id == data.meeting_id))
        if meeting_unit != unit.id:
            raise Invalid("Cuộc họp không thuộc đơn vị này")
    vote = Vote(
        unit_id=unit.id,
        meeting_id=data.meeting_id,
        title=data.title,
        description=data.description,
        kind=data.kind,
        form=data.form,
        threshold_base=data.threshold_base,
        threshold_num=data.threshold_num,
        threshold_den=data.threshold_den,
        status=VoteStatus.draft,
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        created_by=actor.account_id,
    )
    session.add(vote)
    session.flush()
    session.add_all(
        VoteItem(vote_id=vote.id, position=i, text=text) for i, text in enumerate(data.items, 1)
    )
    session.flush()
    record(
        session,
        ctx,
        "vote.created",
        object_type="vote",
        object_id=vote.id,
        unit_id=unit.id,
        detail={"kind": vote.kind, "items": len(data.items), "meeting_id": vote.meeting_id},
    )
    return vote


def _electorate(session: Session, vote: Vote) -> list[int]:
    """Members who may vote: active members of the unit (and, in a meeting, marked present)."""
    q = select(Member.id).where(
        Member.unit_id == vote.unit_id, Member.status == MemberStatus.active
    )
    if vote.meeting_id is not None:
        q = q.join(
            Attendance,
            (Attendance.member_id == Member.id)
            & (Attendance.meeting_id == vote.meeting_id)
            & (Attendance.state == AttendanceState.present),
        )
    return list(session.scalars(q))


def _counts(session: Session, vote: Vote) -> tuple[int, int, int]:
    """(all members, present, voted): frozen at close, live while open."""
    voted = session.scalar(
        select(func.count())
        .select_from(VoteParticipation)
        .where(VoteParticipation.vote_id == vote.id)
    )
    if vote.status == VoteStatus.closed and vote.eligible_count is not None:
        return vote.eligible_count, vote.present_count or 0, voted or 0
    members = session.scalar(
        select(func.count())
        .select_from(Member)
        .where(Member.unit_id == vote.unit_id, Member.status == MemberStatus.active)
    )
    present = len(_electorate(session, vote)) if vote.meeting_id is not None else members
    return members or 0, present or 0, voted or 0


def open_vote(session: Session, *, ctx: AuditContext, actor: Actor, vote_id: int) -> Vote:
    """The chair opens a draft vote and tells the members who may vote."""
    vote, unit = get_vote(session, actor=actor, vote_id=vote_id, perm=Perm.vote_manage, lock=True)
    if vote.status != VoteStatus.draft:
        raise Conflict("Chỉ mở được cuộc biểu quyết đang ở trạng thái nháp")
    vote.status = VoteStatus.open
    vote.opened_by = actor.account_id
    vote.opened_at = utcnow()
    session.flush()
    record(session, ctx, "vote.opened", object_type="vote", object_id=vote.id, unit_id=unit.id)
    notify(
        session,
        member_ids=_electorate(session, vote),
        kind="vote.opened",
        title=f"Mời biểu quyết: {vote.title}",
        link=f"/votes/{vote.id}",
        unit_id=unit.id,
    )
    return vote


def close_vote(session: Session, *, ctx: AuditContext, actor: Actor, vote_id: int) -> Vote:
    """The chair closes an open vote: denominators frozen, ballots sealed, results recorded."""
    vote, unit = get_vote(session, actor=actor, vote_id=vote_id, perm=Perm.vote_manage, lock=True)
    if vote.status != VoteStatus.open:
        raise Conflict("Chỉ đóng được cuộc biểu quyết đang mở")
    members, present, voted = _counts(session, vote)
    vote.status = VoteStatus.closed
    vote.closed_by = actor.account_id
    vote.closed_at = utcnow()
    vote.eligible_count, vote.present_count = members, present
    detail: dict[str, Any] = {"participated": voted}
    if vote.kind == VoteKind.secret:
        vote.chain_head = ballots.seal(session, vote_id=vote.id)
        detail["chain_head"] = vote.chain_head
    session.flush()
    vote.result = _tally_items(session, vote, members, present).model_dump()
    record(
        session,
        ctx,
        "vote.closed",
        object_type="vote",
        object_id=vote.id,
        unit_id=unit.id,
        detail=detail,
    )
    notify(
        session,
        member_ids=_electorate(session, vote),
        kind="vote.closed",
        title=f"Đã có kết quả biểu quyết: {vote.title}",
        link=f"/votes/{vote.id}/tally",
        unit_id=unit.id,
    )
    return vote


def eligibility(session: Session, *, actor: Actor, vote: Vote) -> str | None:
    """Why the actor may not vote now (a msgid), or None when they may."""
    if actor.on_behalf_of_member_id is not None:
        return "Không được biểu quyết thay người khác"
    if actor.member_id is None or actor.member_unit_id != vote.unit_id:
        return "Bạn không có tên trong danh sách biểu quyết"
    if vote.status != VoteStatus.open:
        return "Cuộc biểu quyết không mở"
    now = utcnow()
    if vote.opens_at is not None and now < vote.opens_at:
        return "Chưa đến giờ biểu quyết"
    if vote.closes_at is not None and now >= vote.closes_at:
        return "Đã hết thời gian biểu quyết"
    if actor.member_id not in _electorate(session, vote):
        return "Bạn không có tên trong danh sách biểu quyết"
    return None


def has_voted(session: Session, *, vote_id: int, member_id: int | None) -> bool:
    """Whether the member has already voted (participation only, never the choice)."""
    if member_id is None:
        return False
    return session.get(VoteParticipation, {"vote_id": vote_id, "member_id": member_id}) is not None


def cast(
    session: Session, *, ctx: AuditContext, actor: Actor, vote_id: int, answers: list[Answer]
) -> None:
    """Record the actor's answers: one member, one vote, enforced by the participation key."""
    if actor.on_behalf_of_member_id is not None:
        # Checked before anything is read: proxy voting is refused outright, visible vote or not.
        raise Forbidden("Không được biểu quyết thay người khác")
    # Exclusive: each secret cast re-deals the whole ballot box (see ballots.py), so two casts
    # on one vote must not read and rewrite it side by side.
    vote, unit = get_vote(session, actor=actor, vote_id=vote_id, lock=True)
    reason = eligibility(session, actor=actor, vote=vote)
    if reason is not None:
        raise (Conflict if vote.status != VoteStatus.open else Forbidden)(reason)
    assert actor.member_id is not None
    items = {i.id: i for i in list_items(session, vote_id=vote.id)}
    given = [a.item_id for a in answers]
    if sorted(given) != sorted(items):
        raise Invalid("Cần trả lời mỗi mục biểu quyết đúng một lần")
    try:
        with session.begin_nested():
            session.execute(
                insert(VoteParticipation).values(vote_id=vote.id, member_id=actor.member_id)
            )
    except IntegrityError as exc:
        raise Conflict("Bạn đã biểu quyết rồi") from exc
    if vote.kind == VoteKind.secret:
        choices = {
            str(a.item_id): {"choice": a.choice.value, "comment": a.comment} for a in answers
        }
        ballots.insert_ballot(session, vote_id=vote.id, choices=choices)
        # Only the fact of taking part: no ballot id, no choice, nothing to link them.
        record(
            session,
            ctx,
            "vote.participated",
            object_type="vote",
            object_id=vote.id,
            unit_id=unit.id,
        )
        return
    now = utcnow()
    session.execute(
        insert(OpenChoice),
        [
            {
                "vote_id": vote.id,
                "item_id": a.item_id,
                "member_id": actor.member_id,
                "choice": a.choice.value,
                "comment": a.comment,
                "created_at": now,
            }
            for a in answers
        ],
    )
    record(
        session,
        ctx,
        "vote.cast",
        object_type="vote",
        object_id=vote.id,
        unit_id=unit.id,
        detail={"choices": {str(a.item_id): a.choice.value for a in answers}},
    )


def passes(agree: int, base: int, num: int, den: int) -> bool:
    """Whether `agree` is more than num/den of `base` (integers only: no rounding at the edge)."""
    return base > 0 and agree * den > base * num


def _pct(n: int, base: int) -> float:
    return round(100.0 * n / base, 1) if base else 0.0


def _tally_items(session: Session, vote: Vote, members: int, present: int) -> TallyOut:
    counts: dict[int, dict[str, int]] = {}
    comments: dict[int, list[str]] = {}
    items = list_items(session, vote_id=vote.id)
    for item in items:
        counts[item.id] = dict.fromkeys(CHOICES, 0)
        comments[item.id] = []
    if vote.kind == VoteKind.secret:
        for sheet in session.scalars(select(Ballot.choices).where(Ballot.vote_id == vote.id)):
            for key, answer in sheet.items():
                counts[int(key)][answer["choice"]] += 1
                if answer.get("comment"):
                    comments[int(key)].append(answer["comment"])
    else:
        rows = session.execute(
            select(OpenChoice.item_id, OpenChoice.choice, func.count())
            .where(OpenChoice.vote_id == vote.id)
            .group_by(OpenChoice.item_id, OpenChoice.choice)
        ).all()
        for item_id, choice, n in rows:
            counts[item_id][choice] = n
    base = present if vote.threshold_base == ThresholdBase.present else members
    out = [
        ItemTally(
            item_id=item.id,
            text=item.text,
            counts=counts[item.id],
            pct_present={c: _pct(n, present) for c, n in counts[item.id].items()},
            pct_all={c: _pct(n, members) for c, n in counts[item.id].items()},
            passed=passes(counts[item.id]["agree"], base, vote.threshold_num, vote.threshold_den),
            # Sorted, so that the order of secret comments says nothing about the order of casting.
            comments=sorted(comments[item.id]),
        )
        for item in items
    ]
    voted = session.scalar(
        select(func.count())
        .select_from(VoteParticipation)
        .where(VoteParticipation.vote_id == vote.id)
    )
    return TallyOut(
        vote_id=vote.id,
        status=vote.status,
        kind=vote.kind,
        eligible=members,
        present=present,
        participated=voted or 0,
        items=out,
    )


def tally(session: Session, *, actor: Actor | None, vote_id: int) -> TallyOut:
    """Participation live; counts live for open votes, for secret ballots after close (flagged)."""
    vote, _unit = get_vote(session, actor=actor, vote_id=vote_id)
    members, present, voted = _counts(session, vote)
    if vote.kind == VoteKind.secret:
        if vote.status == VoteStatus.closed:
            secret = _tally_items(session, vote, members, present)
        else:
            secret = TallyOut(
                vote_id=vote.id,
                status=vote.status,
                kind=vote.kind,
                eligible=members,
                present=present,
                participated=voted,
            )
        check = ballots.verify_ballots(session, vote_id=vote.id)
        secret.verified, secret.verify_reason = check.ok, check.reason
        return secret
    result = _tally_items(session, vote, members, present)
    rows = session.execute(
        select(OpenChoice, Member.full_name)
        .join(Member, Member.id == OpenChoice.member_id)
        .where(OpenChoice.vote_id == vote.id)
        .order_by(Member.name_folded, OpenChoice.item_id)
    ).all()
    result.voters = [
        VoterChoice(
            member_id=c.member_id,
            full_name=name,
            item_id=c.item_id,
            choice=c.choice,
            comment=c.comment,
        )
        for c, name in rows
    ]
    return result


def verify(session: Session, *, actor: Actor, vote_id: int) -> ballots.BallotCheck:
    """Recompute a vote's ballot chain (chairs and auditors)."""
    vote, unit = get_vote(session, actor=actor, vote_id=vote_id)
    if not (
        units_service.allowed_in(actor, Perm.vote_manage, unit)
        or units_service.allowed_in(actor, Perm.audit_view, unit)
    ):
        raise Forbidden("Bạn không có quyền kiểm tra cuộc biểu quyết này")
    return ballots.verify_ballots(session, vote_id=vote.id)
