"""Matrix entries for votes: create, open, close, cast, tally, verify, and their web pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.votes.models import Vote, VoteItem
from tests.permissions.matrix import (
    Case,
    OracleSpec,
    RouteSpec,
    everyone_signed_in,
    meeting_in,
    merge,
    roles_on,
)

# unit.view on the vote's unit: a member sees their cell (and its party groups), ward staff
# their ward's cells, admins and auditors their subtree.
VIEW = merge(
    roles_on({"own", "child"}, "member", "secretary", "ward_staff", "city_admin", "auditor")
)
# vote.manage: the cell's officers (chairs) and the city admin; not ward staff, not auditors.
MANAGE = roles_on({"own", "child"}, "secretary", "city_admin")
# Verification: chairs and auditors.
VERIFY = roles_on({"own", "child"}, "secretary", "city_admin", "auditor")
# Only members of the vote's own unit vote: mem_a and sec_a in cell A.
VOTERS = roles_on({"own"}, "member", "secretary")


def _vote(status: str, kind: str = "secret") -> Any:
    def setup(c: Case) -> dict[str, Any]:
        assert c.unit is not None
        vote = Vote(
            unit_id=c.unit.id,
            title="Biểu quyết thử",
            kind=kind,
            form="motions",
            threshold_base="present",
            threshold_num=1,
            threshold_den=2,
            status=status,
        )
        c.session.add(vote)
        c.session.flush()
        c.session.add(VoteItem(vote_id=vote.id, position=1, text="Thông qua"))
        c.session.flush()
        return {"vote_id": vote.id}

    return setup


def _item_id(c: Case) -> int:
    assert c.unit is not None
    item = c.session.scalar(
        select(VoteItem.id)
        .join(Vote, Vote.id == VoteItem.vote_id)
        .where(Vote.unit_id == c.unit.id)
        .order_by(VoteItem.id.desc())
        .limit(1)
    )
    return item or 0


def _ballot(c: Case) -> dict[str, Any]:
    return {"answers": [{"item_id": _item_id(c), "choice": "agree"}]}


def _ballot_form(c: Case) -> dict[str, Any]:
    return {f"choice_{_item_id(c)}": "agree"}


def _new_vote(c: Case) -> dict[str, Any]:
    return {
        "unit_id": c.unit.id if c.unit else 0,
        "title": "Kết nạp đảng viên mới",
        "kind": "secret",
        "items": ["Đồng ý kết nạp"],
    }


def _new_vote_form(c: Case) -> dict[str, Any]:
    return {
        "unit_id": str(c.unit.id if c.unit else 0),
        "title": "Kết nạp đảng viên mới",
        "kind": "secret",
        "items": "Đồng ý kết nạp",
    }


SIGNED_IN = everyone_signed_in()
DRAFT, OPEN, CLOSED = _vote("draft"), _vote("open"), _vote("closed")

SPECS = [
    RouteSpec("POST", "/api/v1/votes", MANAGE, body=_new_vote),
    RouteSpec("GET", "/api/v1/votes", SIGNED_IN, targetless=True),
    RouteSpec("GET", "/api/v1/votes/{vote_id}", VIEW, setup=OPEN),
    RouteSpec("POST", "/api/v1/votes/{vote_id}/open", MANAGE, setup=DRAFT),
    RouteSpec("POST", "/api/v1/votes/{vote_id}/close", MANAGE, setup=OPEN),
    RouteSpec("POST", "/api/v1/votes/{vote_id}/ballots", VOTERS, setup=OPEN, body=_ballot),
    RouteSpec("GET", "/api/v1/votes/{vote_id}/tally", VIEW, setup=CLOSED),
    RouteSpec("GET", "/api/v1/votes/{vote_id}/verify", VERIFY, setup=CLOSED),
    RouteSpec("GET", "/votes", SIGNED_IN, targetless=True, web=True),
    # The form for a unit: only those who may chair its votes; others 403/404.
    RouteSpec("GET", "/votes/new", MANAGE, query=lambda c: {"unit_id": c.unit.id}, web=True),
    RouteSpec("POST", "/votes", MANAGE, form=_new_vote_form, web=True),
    RouteSpec("GET", "/votes/{vote_id}", VIEW, setup=OPEN, web=True),
    RouteSpec("POST", "/votes/{vote_id}/cast", VOTERS, setup=OPEN, form=_ballot_form, web=True),
    RouteSpec("POST", "/votes/{vote_id}/open", MANAGE, setup=DRAFT, web=True),
    RouteSpec("POST", "/votes/{vote_id}/close", MANAGE, setup=OPEN, web=True),
    RouteSpec("GET", "/votes/{vote_id}/tally", VIEW, setup=OPEN, web=True),
    RouteSpec("GET", "/votes/{vote_id}/tally/live", VIEW, setup=CLOSED, web=True),
]


ORACLES = [
    OracleSpec(
        "vote tied to a sibling cell's meeting",
        "POST",
        "/api/v1/votes",
        "secretary",
        hidden=meeting_in("B"),
        body=lambda c, i: {**_new_vote(c), "meeting_id": i},
    ),
]
