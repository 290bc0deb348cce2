"""Matrix entries for member profiles: list, profile, sensitive data, sub-records, web pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.members.models import Award, Discipline, Rating, Training, WorkHistory
from tests.permissions.matrix import (
    Case,
    RouteSpec,
    member_params,
    roles_on,
)

# member.list / member.view: cell officers, committee staff, admins and auditors in their subtree.
VIEW = roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin", "auditor")
# member.edit: not the auditor (read-only) and not a plain member.
EDIT = roles_on({"own", "child"}, "secretary", "ward_staff", "city_admin")
# member.view_sensitive: the cell secretary and admins; not committee staff, not the auditor.
SENSITIVE = roles_on({"own", "child"}, "secretary", "city_admin")
# Accounts linked to a member: the member and the secretary.
HAS_PROFILE = {"member": {"none"}, "secretary": {"none"}}


def _unit_query(c: Case) -> dict[str, Any]:
    return {"unit_id": c.unit.id if c.unit else 0}


def _new_member(c: Case) -> dict[str, Any]:
    return {
        "unit_id": c.unit.id if c.unit else 0,
        "full_name": "Lý Thị Mới",
        "birth_date": "1990-03-04",
        "admission_date": "2015-02-03",
    }


def _work_row(c: Case) -> dict[str, Any]:
    row = WorkHistory(member_id=c.member.id, organisation="UBND phường", position="Cán bộ")
    c.session.add(row)
    c.session.flush()
    return {"member_id": c.member.id, "record_id": row.id}


def _discipline_row(c: Case) -> dict[str, Any]:
    row = Discipline(
        member_id=c.member.id, decided_on=date(2020, 1, 2), form="khien_trach", reason="Vắng họp"
    )
    c.session.add(row)
    c.session.flush()
    return {"member_id": c.member.id, "record_id": row.id}


def _sub_row(c: Case, kind: str) -> dict[str, Any]:
    row: Any
    if kind == "award":
        row = Award(member_id=c.member.id, awarded_on=date(2019, 5, 19), title="Giấy khen")
    elif kind == "training":
        row = Training(member_id=c.member.id, course="Bồi dưỡng đảng viên mới")
    else:
        row = Rating(member_id=c.member.id, year=2019, grade="HTNV")
    c.session.add(row)
    c.session.flush()
    return {"member_id": c.member.id, "record_id": row.id}


_M = member_params()

SPECS = [
    RouteSpec("GET", "/api/v1/members", VIEW, query=_unit_query),
    RouteSpec("POST", "/api/v1/members", EDIT, body=_new_member),
    RouteSpec("GET", "/api/v1/me", HAS_PROFILE, targetless=True),
    RouteSpec("GET", "/api/v1/members/{member_id}", VIEW, path_params=_M),
    RouteSpec(
        "PATCH",
        "/api/v1/members/{member_id}",
        EDIT,
        path_params=_M,
        body=lambda c: {"phone": "0912 345 678", "address": "Số 1, Khu phố 1"},
    ),
    RouteSpec("GET", "/api/v1/members/{member_id}/sensitive", SENSITIVE, path_params=_M),
    RouteSpec(
        "POST",
        "/api/v1/members/{member_id}/work-history",
        EDIT,
        path_params=_M,
        body=lambda c: {"organisation": "Trường THCS Lê Lợi", "position": "Giáo viên"},
    ),
    RouteSpec(
        "POST",
        "/api/v1/members/{member_id}/awards",
        EDIT,
        path_params=_M,
        body=lambda c: {"awarded_on": "2019-05-19", "title": "Giấy khen"},
    ),
    RouteSpec(
        "POST",
        "/api/v1/members/{member_id}/trainings",
        EDIT,
        path_params=_M,
        body=lambda c: {"course": "Sơ cấp lý luận chính trị"},
    ),
    RouteSpec(
        "POST",
        "/api/v1/members/{member_id}/ratings",
        EDIT,
        path_params=_M,
        body=lambda c: {"year": 2020, "grade": "HTTNV"},
    ),
    RouteSpec(
        "POST",
        "/api/v1/members/{member_id}/disciplines",
        SENSITIVE,
        path_params=_M,
        body=lambda c: {"decided_on": "2021-06-01", "form": "khien_trach", "reason": "Vắng họp"},
    ),
    RouteSpec(
        "DELETE", "/api/v1/members/{member_id}/work-history/{record_id}", EDIT, setup=_work_row
    ),
    RouteSpec(
        "DELETE",
        "/api/v1/members/{member_id}/awards/{record_id}",
        EDIT,
        setup=lambda c: _sub_row(c, "award"),
    ),
    RouteSpec(
        "DELETE",
        "/api/v1/members/{member_id}/trainings/{record_id}",
        EDIT,
        setup=lambda c: _sub_row(c, "training"),
    ),
    RouteSpec(
        "DELETE",
        "/api/v1/members/{member_id}/ratings/{record_id}",
        EDIT,
        setup=lambda c: _sub_row(c, "rating"),
    ),
    RouteSpec(
        "DELETE",
        "/api/v1/members/{member_id}/disciplines/{record_id}",
        SENSITIVE,
        setup=_discipline_row,
    ),
    # Edits (PATCH, only the fields sent) and ending an open period.
    RouteSpec(
        "PATCH",
        "/api/v1/members/{member_id}/work-history/{record_id}",
        EDIT,
        setup=_work_row,
        body=lambda c: {"position": "Phó chủ tịch"},
    ),
    RouteSpec(
        "PATCH",
        "/api/v1/members/{member_id}/awards/{record_id}",
        EDIT,
        setup=lambda c: _sub_row(c, "award"),
        body=lambda c: {"issued_by": "UBND quận"},
    ),
    RouteSpec(
        "PATCH",
        "/api/v1/members/{member_id}/trainings/{record_id}",
        EDIT,
        setup=lambda c: _sub_row(c, "training"),
        body=lambda c: {"institution": "Trường Chính trị thành phố"},
    ),
    RouteSpec(
        "PATCH",
        "/api/v1/members/{member_id}/ratings/{record_id}",
        EDIT,
        setup=lambda c: _sub_row(c, "rating"),
        body=lambda c: {"note": "Đã ghi lại theo biên bản"},
    ),
    RouteSpec(
        "PATCH",
        "/api/v1/members/{member_id}/disciplines/{record_id}",
        SENSITIVE,
        setup=_discipline_row,
        body=lambda c: {"issued_by": "Chi bộ"},
    ),
    RouteSpec(
        "POST",
        "/api/v1/members/{member_id}/work-history/{record_id}/end",
        EDIT,
        setup=_work_row,
        body=lambda c: {"end_date": "2022-12-31"},
    ),
    RouteSpec(
        "POST",
        "/api/v1/members/{member_id}/trainings/{record_id}/end",
        EDIT,
        setup=lambda c: _sub_row(c, "training"),
        body=lambda c: {"end_date": "2022-12-31"},
    ),
    # Web pages
    RouteSpec("GET", "/members", VIEW, query=_unit_query, web=True),
    RouteSpec("GET", "/members/{member_id}", VIEW, path_params=_M, web=True),
    RouteSpec("GET", "/members/{member_id}/sensitive", SENSITIVE, path_params=_M, web=True),
    RouteSpec("GET", "/me", HAS_PROFILE, targetless=True, web=True),
    # Member records in the web (issue 17): the API's services, so the API's answers.
    RouteSpec(
        "GET",
        "/members/new",
        {"secretary": {"none"}, "ward_staff": {"none"}, "city_admin": {"none"}},
        targetless=True,
        web=True,
    ),
    RouteSpec(
        "POST",
        "/members/new",
        EDIT,
        form=lambda c: {k: str(v) for k, v in _new_member(c).items()},
        web=True,
    ),
    RouteSpec("GET", "/members/{member_id}/edit", EDIT, path_params=_M, web=True),
    RouteSpec(
        "POST",
        "/members/{member_id}/edit",
        EDIT,
        path_params=_M,
        form=lambda c: {"full_name": c.member.full_name, "phone": "0912 345 678"},
        web=True,
    ),
    RouteSpec(
        "POST",
        "/members/{member_id}/records/{kind}",
        SENSITIVE,
        path_params=lambda c: {"member_id": c.member.id, "kind": "disciplines"},
        form=lambda c: {"decided_on": "2021-06-01", "form": "khien_trach", "reason": "Vắng họp"},
        web=True,
    ),
    RouteSpec(
        "GET",
        "/members/{member_id}/records/{kind}/{record_id}/edit",
        SENSITIVE,
        setup=lambda c: {**_discipline_row(c), "kind": "disciplines"},
        web=True,
    ),
    RouteSpec(
        "POST",
        "/members/{member_id}/records/{kind}/{record_id}/edit",
        EDIT,
        setup=lambda c: {**_work_row(c), "kind": "work-history"},
        form=lambda c: {"organisation": "UBND phường", "position": "Phó chủ tịch"},
        web=True,
    ),
    RouteSpec(
        "GET",
        "/members/{member_id}/records/{kind}/{record_id}/end",
        EDIT,
        setup=lambda c: {**_sub_row(c, "training"), "kind": "trainings"},
        web=True,
    ),
    RouteSpec(
        "POST",
        "/members/{member_id}/records/{kind}/{record_id}/end",
        EDIT,
        setup=lambda c: {**_work_row(c), "kind": "work-history"},
        form=lambda c: {"end_date": "2022-12-31"},
        web=True,
    ),
    RouteSpec(
        "POST",
        "/members/{member_id}/records/{kind}/{record_id}/delete",
        EDIT,
        setup=lambda c: {**_work_row(c), "kind": "work-history"},
        web=True,
    ),
]
