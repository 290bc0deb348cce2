"""The edit and end pages of one member sub-record, behind routes_member_records.py's routes.

Each form is checked with the API's edit schema and handed to the same service, so a page edit
meets the API's rules, permissions and audit rows; a refusal redraws the form with what was
typed and each message beside its field.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.core.audit import AuditContext
from app.core.errors import AppError, Forbidden, NotFound
from app.core.i18n import N_
from app.core.i18n import gettext as _
from app.core.localtime import local_today
from app.core.permissions import Actor
from app.members import service as members_service
from app.members import service_records as records
from app.members.schemas import RecordEnd
from app.members.service_records import ENDABLE, SPECS, RecordInvalid, RecordKind
from app.web import form_errors
from app.web.forms import form_page
from app.web.member_record_forms import CHOICES, LABELS, problems, record_kind, submitted

K = RecordKind
# (field, label, input type, choices in CHOICES): the add forms' inputs on the profile page,
# plus the badge years an award may carry from the API, so saving the form never drops them.
INPUTS: dict[RecordKind, list[tuple[str, str, str, str | None]]] = {
    K.work_history: [
        ("start_date", N_("Ngày bắt đầu"), "date", None),
        ("end_date", N_("Ngày kết thúc"), "date", None),
        ("organisation", N_("Nơi công tác"), "text", None),
        ("position", N_("Chức vụ"), "text", None),
    ],
    K.awards: [
        ("awarded_on", N_("Ngày"), "date", None),
        ("title", N_("Hình thức khen thưởng"), "text", None),
        ("issued_by", N_("Cơ quan quyết định"), "text", None),
        ("decision_number", N_("Số quyết định"), "text", None),
        ("badge_years", N_("Số năm tuổi Đảng (huy hiệu)"), "number", None),
    ],
    K.trainings: [
        ("start_date", N_("Ngày bắt đầu"), "date", None),
        ("end_date", N_("Ngày kết thúc"), "date", None),
        ("course", N_("Khóa học"), "text", None),
        ("institution", N_("Cơ sở đào tạo"), "text", None),
        ("certificate", N_("Văn bằng, chứng chỉ"), "text", None),
    ],
    K.ratings: [
        ("year", N_("Năm"), "number", None),
        ("grade", N_("Xếp loại"), "select", "grade_options"),
        ("note", N_("Ghi chú"), "textarea", None),
    ],
    K.disciplines: [
        ("decided_on", N_("Ngày quyết định"), "date", None),
        ("form", N_("Hình thức kỷ luật"), "select", "discipline_forms_options"),
        ("reason", N_("Lý do"), "textarea", None),
        ("issued_by", N_("Cơ quan quyết định"), "text", None),
        ("decision_number", N_("Số quyết định"), "text", None),
    ],
}
EDIT_TITLES = {
    K.work_history: N_("Sửa quá trình công tác"),
    K.awards: N_("Sửa khen thưởng"),
    K.trainings: N_("Sửa đào tạo, bồi dưỡng"),
    K.ratings: N_("Sửa xếp loại"),
    K.disciplines: N_("Sửa quyết định kỷ luật"),
}
END_TITLES = {
    K.work_history: N_("Kết thúc quá trình công tác"),
    K.trainings: N_("Kết thúc khóa đào tạo, bồi dưỡng"),
}
# The line that says which record is being ended: its name field.
_NAME_FIELD = {K.work_history: "organisation", K.trainings: "course"}


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    member_id: int,
    kind: RecordKind,
    record_id: int,
    mode: str,
    form: dict[str, Any],
    record: dict[str, Any] | None = None,
    error: str | None = None,
    details: list[dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    member, _unit = members_service.load_member(session, actor=actor, member_id=member_id)
    required = {n for n, f in SPECS[kind].schema.model_fields.items() if f.is_required()}
    ctx = {
        "member": member,
        "kind": kind.value,
        "record_id": record_id,
        "mode": mode,
        "title": EDIT_TITLES[kind] if mode == "edit" else END_TITLES[kind],
        "inputs": INPUTS[kind],
        "required": required,
        "record": record or {},
        "name_field": _NAME_FIELD.get(kind),
        "option_lists": {name: CHOICES[name] for _n, _l, _t, name in INPUTS[kind] if name},
    }
    resp = form_page(
        request, "members/record_edit.html", ctx, form=form, error=error, details=details,
        status_code=status_code,
    )  # fmt: skip
    if SPECS[kind].sensitive:
        # A discipline's reason is on this page: never kept in a shared or browser cache.
        resp.headers["Cache-Control"] = "no-store"
    return resp


def _as_form(values: dict[str, Any]) -> dict[str, str]:
    return {k: "" if v is None else str(v) for k, v in values.items()}


def edit_page(
    request: Request,
    session: Session,
    actor: Actor,
    ctx: AuditContext,
    *,
    member_id: int,
    kind: str,
    record_id: int,
) -> Response:
    """The record's form, filled in; opening a discipline record is an audited read."""
    rk = record_kind(kind)
    values = records.get_record(
        session, ctx, actor=actor, member_id=member_id, kind=rk, record_id=record_id
    )
    return _page(
        request, session, actor, member_id=member_id, kind=rk, record_id=record_id,
        mode="edit", form=_as_form(values),
    )  # fmt: skip


def save_edit(
    request: Request,
    session: Session,
    actor: Actor,
    ctx: AuditContext,
    *,
    member_id: int,
    kind: str,
    record_id: int,
    raw: FormData,
) -> Response:
    """Apply the fields the form sent (an emptied box clears an optional field)."""
    rk = record_kind(kind)
    # The API's answer (404 hidden or not this member's, 403 not allowed) before any input.
    records.check_may_edit(session, actor=actor, member_id=member_id, kind=rk, record_id=record_id)
    names = [name for name, *_rest in INPUTS[rk]]
    form = submitted(raw, names)
    sent = {k: v for k, v in form.items() if k in raw}
    redraw: dict[str, Any] = {
        "member_id": member_id, "kind": rk, "record_id": record_id, "mode": "edit", "form": form,
    }  # fmt: skip
    try:
        data = SPECS[rk].patch.model_validate(sent)
        with session.begin_nested():
            records.update_record(
                session, ctx, actor=actor, member_id=member_id, kind=rk, record_id=record_id,
                data=data,
            )  # fmt: skip
    except ValidationError as exc:
        return _page(
            request, session, actor, **redraw, error=_("Chưa lưu được"),
            details=form_errors.details(exc, LABELS), status_code=422,
        )  # fmt: skip
    except RecordInvalid as exc:
        return _page(
            request, session, actor, **redraw, error=_("Chưa lưu được"),
            details=form_errors.details(exc.errors, LABELS), status_code=422,
        )  # fmt: skip
    except AppError as exc:
        if isinstance(exc, NotFound | Forbidden):
            raise
        return _page(
            request, session, actor, **redraw, error=exc.render(), details=problems(exc),
            status_code=exc.status_code,
        )  # fmt: skip
    anchor = "sensitive-h" if SPECS[rk].sensitive else rk.value
    return RedirectResponse(f"/members/{member_id}?saved={rk.value}#{anchor}", status_code=303)


def _endable(kind: str) -> RecordKind:
    rk = record_kind(kind)
    if rk not in ENDABLE:
        raise NotFound("Không tìm thấy trang")
    return rk


def end_page(
    request: Request,
    session: Session,
    actor: Actor,
    ctx: AuditContext,
    *,
    member_id: int,
    kind: str,
    record_id: int,
) -> Response:
    """Ask for the day an open period ended (today offered); a closed one goes to its edit."""
    rk = _endable(kind)
    values = records.get_record(
        session, ctx, actor=actor, member_id=member_id, kind=rk, record_id=record_id
    )
    if values.get("end_date") is not None:
        return RedirectResponse(
            f"/members/{member_id}/records/{rk.value}/{record_id}/edit", status_code=303
        )
    return _page(
        request, session, actor, member_id=member_id, kind=rk, record_id=record_id,
        mode="end", record=values, form={"end_date": local_today().isoformat()},
    )  # fmt: skip


def save_end(
    request: Request,
    session: Session,
    actor: Actor,
    ctx: AuditContext,
    *,
    member_id: int,
    kind: str,
    record_id: int,
    raw: FormData,
) -> Response:
    """Close the period on the day given; a refusal asks again with the reason."""
    rk = _endable(kind)
    values = records.get_record(
        session, ctx, actor=actor, member_id=member_id, kind=rk, record_id=record_id
    )
    form = submitted(raw, ["end_date"])
    redraw: dict[str, Any] = {
        "member_id": member_id, "kind": rk, "record_id": record_id, "mode": "end",
        "form": form, "record": values,
    }  # fmt: skip
    try:
        body = RecordEnd.model_validate(form)
        with session.begin_nested():
            records.end_record(
                session, ctx, actor=actor, member_id=member_id, kind=rk, record_id=record_id,
                end_date=body.end_date,
            )  # fmt: skip
    except ValidationError as exc:
        return _page(
            request, session, actor, **redraw, error=_("Chưa lưu được"),
            details=form_errors.details(exc, LABELS), status_code=422,
        )  # fmt: skip
    except RecordInvalid as exc:
        return _page(
            request, session, actor, **redraw, error=_("Chưa lưu được"),
            details=form_errors.details(exc.errors, LABELS), status_code=422,
        )  # fmt: skip
    except AppError as exc:
        if isinstance(exc, NotFound | Forbidden):
            raise
        return _page(
            request, session, actor, **redraw, error=exc.render(), details=problems(exc),
            status_code=exc.status_code,
        )  # fmt: skip
    return RedirectResponse(f"/members/{member_id}?saved={rk.value}#{rk.value}", status_code=303)
