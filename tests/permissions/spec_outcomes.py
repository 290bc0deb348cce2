"""Matrix entries for meeting outcomes: resolutions and the self-assessment."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from app.meetings.models import MeetingStatus
from app.outcomes.models import AssessmentCriterion
from tests.factories.meetings import make_meeting
from tests.permissions.matrix import (
    Case,
    OracleSpec,
    RouteSpec,
    draft_document_in,
    roles_on,
    unit_params,
)

# meeting_manage on the meeting's unit: cell officers, staff and admins over it.
MANAGERS = roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin")
# A unit's criteria and bands are unit configuration: unit.manage, as renaming a unit is.
CONFIGURE = roles_on({"own", "child"}, "city_admin")
# Anyone who can see the unit sees its held meetings and their outcomes.
VIEWERS = roles_on({"own", "child"}, "member", "secretary", "ward_staff", "city_admin", "auditor")


def held_meeting(c: Case) -> dict[str, Any]:
    assert c.unit is not None
    meeting = make_meeting(
        c.session,
        c.unit,
        status=MeetingStatus.closed,
        starts_at=datetime(2026, 3, 5, 12, tzinfo=UTC),
    )
    return {"meeting_id": meeting.id}


def resolution(c: Case) -> dict[str, Any]:
    return {"number": "05-NQ/CB", "issued_on": "2026-03-06", "title": "Nghị quyết tháng 3"}


def full_marks(c: Case) -> dict[str, Any]:
    criteria = c.session.scalars(
        select(AssessmentCriterion).where(AssessmentCriterion.unit_id.is_(None))
    ).all()
    return {f"score_{k.id}": str(k.max_score) for k in criteria}


def scores(c: Case) -> dict[str, Any]:
    return {
        "scores": [
            {"criterion_id": int(k.removeprefix("score_")), "score": int(v)}
            for k, v in full_marks(c).items()
        ]
    }


def criterion_in_use(c: Case) -> dict[str, Any]:
    """The unit and a criterion it scores against (the product's set, until it has its own)."""
    assert c.unit is not None
    first = c.session.scalars(
        select(AssessmentCriterion.id)
        .where(AssessmentCriterion.unit_id.is_(None))
        .order_by(AssessmentCriterion.position, AssessmentCriterion.id)
    ).first()
    return {"unit_id": c.unit.id, "criterion_id": first or 0}


def every_criterion(c: Case) -> dict[str, Any]:
    assert c.unit is not None
    ids = c.session.scalars(
        select(AssessmentCriterion.id)
        .where(AssessmentCriterion.unit_id.is_(None), AssessmentCriterion.active.is_(True))
        .order_by(AssessmentCriterion.position.desc(), AssessmentCriterion.id.desc())
    ).all()
    return {"ids": list(ids)}


BANDS = {
    "bands": [
        {"grade": "dat", "label": "Đạt", "min_percent": 50},
        {"grade": "chua_dat", "label": "Chưa đạt", "min_percent": 0},
    ]
}

SPECS = [
    RouteSpec(
        "POST",
        "/api/v1/meetings/{meeting_id}/resolutions",
        MANAGERS,
        setup=held_meeting,
        body=resolution,
    ),
    RouteSpec("GET", "/api/v1/meetings/{meeting_id}/resolutions", VIEWERS, setup=held_meeting),
    RouteSpec(
        "GET", "/api/v1/units/{unit_id}/assessment-criteria", VIEWERS, path_params=unit_params()
    ),
    RouteSpec(
        "GET", "/api/v1/units/{unit_id}/assessment/criteria", VIEWERS, path_params=unit_params()
    ),
    RouteSpec(
        "POST",
        "/api/v1/units/{unit_id}/assessment/criteria",
        CONFIGURE,
        path_params=unit_params(),
        body=lambda c: {"code": "X1", "text": "Có nội dung chuyên đề", "max_score": 5},
    ),
    RouteSpec(
        "PATCH",
        "/api/v1/units/{unit_id}/assessment/criteria/{criterion_id}",
        CONFIGURE,
        setup=criterion_in_use,
        body=lambda c: {"max_score": 7},
    ),
    RouteSpec(
        "PUT",
        "/api/v1/units/{unit_id}/assessment/criteria/order",
        CONFIGURE,
        path_params=unit_params(),
        body=every_criterion,
    ),
    RouteSpec(
        "PUT",
        "/api/v1/units/{unit_id}/assessment/bands",
        CONFIGURE,
        path_params=unit_params(),
        body=lambda c: BANDS,
    ),
    RouteSpec(
        "POST",
        "/api/v1/meetings/{meeting_id}/assessment",
        MANAGERS,
        setup=held_meeting,
        body=scores,
    ),
    RouteSpec("GET", "/api/v1/meetings/{meeting_id}/assessment", VIEWERS, setup=held_meeting),
    RouteSpec("GET", "/meetings/{meeting_id}/outcomes", VIEWERS, setup=held_meeting, web=True),
    RouteSpec("GET", "/units/{unit_id}/assessment", VIEWERS, path_params=unit_params(), web=True),
    RouteSpec(
        "POST",
        "/units/{unit_id}/assessment/criteria",
        CONFIGURE,
        path_params=unit_params(),
        web=True,
        form=lambda c: {"code": "X1", "text": "Có nội dung chuyên đề", "max_score": "5"},
    ),
    RouteSpec(
        "POST",
        "/units/{unit_id}/assessment/criteria/{criterion_id}",
        CONFIGURE,
        setup=criterion_in_use,
        web=True,
        form=lambda c: {"text": "Đúng giờ", "max_score": "7", "active": "on"},
    ),
    RouteSpec(
        "POST",
        "/units/{unit_id}/assessment/criteria/{criterion_id}/move",
        CONFIGURE,
        setup=criterion_in_use,
        web=True,
        form=lambda c: {"direction": "down"},
    ),
    RouteSpec(
        "POST",
        "/units/{unit_id}/assessment/bands",
        CONFIGURE,
        path_params=unit_params(),
        web=True,
        form=lambda c: {
            "grade": [b["grade"] for b in BANDS["bands"]],
            "label": [b["label"] for b in BANDS["bands"]],
            "min_percent": [str(b["min_percent"]) for b in BANDS["bands"]],
        },
    ),
    RouteSpec(
        "POST",
        "/meetings/{meeting_id}/outcomes/resolutions",
        MANAGERS,
        setup=held_meeting,
        form=resolution,
        web=True,
    ),
    RouteSpec(
        "POST",
        "/meetings/{meeting_id}/outcomes/assessment",
        MANAGERS,
        setup=held_meeting,
        form=full_marks,
        web=True,
    ),
]


ORACLES = [
    OracleSpec(
        "resolution linked to another ward's draft",
        "POST",
        "/api/v1/meetings/{meeting_id}/resolutions",
        "secretary",
        setup=held_meeting,
        hidden=draft_document_in("D"),
        body=lambda c, i: {**resolution(c), "document_id": i},
    ),
]
