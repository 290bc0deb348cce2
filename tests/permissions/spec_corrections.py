"""Matrix entries for self-service corrections and their approval queue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.accounts.models import Account
from tests.factories.accounts import make_account
from tests.factories.transfers import make_correction
from tests.permissions.matrix import Case, RouteSpec, roles_on

# Only accounts linked to a member have a profile to correct.
WITH_PROFILE = roles_on({"none"}, "member", "secretary")
# correction_decide: cell officers on their cell, committee and city admins on their subtree.
DECIDERS = roles_on({"own", "child"}, "secretary", "city_admin")
DECIDERS_ANYWHERE = roles_on({"none"}, "secretary", "city_admin")

PROPOSAL = {"field": "phone", "new_value": "0912 345 678", "reason": "Đổi số điện thoại"}


def pending_in_target(c: Case) -> dict[str, Any]:
    """A pending correction by a member of the target unit, proposed from their own account."""
    member = c.member
    account = c.session.scalar(select(Account).where(Account.member_id == member.id))
    if account is None:
        account = make_account(c.session, f"acc_{member.id}", member=member)
    return {"correction_id": make_correction(c.session, member, account).id}


SPECS = [
    RouteSpec(
        "POST", "/api/v1/me/corrections", WITH_PROFILE, targetless=True, body=lambda c: PROPOSAL
    ),
    RouteSpec("GET", "/api/v1/me/corrections", WITH_PROFILE, targetless=True),
    RouteSpec("GET", "/api/v1/corrections", DECIDERS_ANYWHERE, targetless=True),
    RouteSpec(
        "POST", "/api/v1/corrections/{correction_id}/approve", DECIDERS, setup=pending_in_target
    ),
    RouteSpec(
        "POST",
        "/api/v1/corrections/{correction_id}/reject",
        DECIDERS,
        setup=pending_in_target,
        body=lambda c: {"note": "Cần giấy tờ"},
    ),
    RouteSpec("GET", "/me/corrections", WITH_PROFILE, targetless=True, web=True),
    RouteSpec(
        "POST", "/me/corrections", WITH_PROFILE, targetless=True, web=True, form=lambda c: PROPOSAL
    ),
    RouteSpec("GET", "/corrections", DECIDERS_ANYWHERE, targetless=True, web=True),
    RouteSpec(
        "POST",
        "/corrections/{correction_id}/approve",
        DECIDERS,
        web=True,
        setup=pending_in_target,
    ),
    RouteSpec(
        "POST",
        "/corrections/{correction_id}/reject",
        DECIDERS,
        web=True,
        setup=pending_in_target,
        form=lambda c: {"note": "Cần giấy tờ"},
    ),
]
