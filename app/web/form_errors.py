"""Pydantic validation errors as short sentences in the reader's language, one per field.

Pydantic's own messages ("Input should be a valid integer", "Value error, …") are English and
name code; none of them reaches a page. Each error is read by its `type`; a check of the
schema's own (a `ValueError`) carries its Vietnamese msgid as the message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.core.i18n import N_
from app.core.i18n import gettext as _

_NUMBER_TOO_SMALL = N_("Phải lớn hơn {limit}")
_NUMBER_TOO_BIG = N_("Phải nhỏ hơn {limit}")
_DATE = N_("Ngày không hợp lệ (ví dụ 31/12/2025)")
_DATETIME = N_("Ngày giờ không hợp lệ")
_URL = N_("Đường dẫn không hợp lệ (cần bắt đầu bằng http:// hoặc https://)")
BY_TYPE = {
    "missing": N_("Chưa nhập"),
    "string_too_short": N_("Chưa nhập"),
    "string_too_long": N_("Quá dài"),
    "string_pattern_mismatch": N_("Không đúng định dạng"),
    "string_type": N_("Chưa nhập"),
    "too_short": N_("Cần ít nhất một mục"),
    "too_long": N_("Quá nhiều mục (tối đa 50)"),
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "datetime_type": _DATETIME,
    "timezone_aware": _DATETIME,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "date_type": _DATE,
    "enum": N_("Lựa chọn không hợp lệ"),
    "literal_error": N_("Lựa chọn không hợp lệ"),
    "int_parsing": N_("Phải là số"),
    "int_type": N_("Phải là số"),
    "int_from_float": N_("Phải là số nguyên"),
    "float_parsing": N_("Phải là số"),
    "float_type": N_("Phải là số"),
    "decimal_parsing": N_("Phải là số"),
    "bool_parsing": N_("Lựa chọn không hợp lệ"),
    "greater_than": _NUMBER_TOO_SMALL,
    "greater_than_equal": N_("Không được nhỏ hơn {limit}"),
    "less_than": _NUMBER_TOO_BIG,
    "less_than_equal": N_("Không được lớn hơn {limit}"),
    "url_parsing": _URL,
    "url_scheme": _URL,
    "url_type": _URL,
    "url_syntax_violation": _URL,
    "list_type": N_("Giá trị không hợp lệ"),
    "json_invalid": N_("Giá trị không hợp lệ"),
    "extra_forbidden": N_("Mục này không được gửi"),
    "uuid_parsing": N_("Giá trị không hợp lệ"),
}
_LIMITS = {
    "greater_than": "gt",
    "greater_than_equal": "ge",
    "less_than": "lt",
    "less_than_equal": "le",
}
DEFAULT = N_("Giá trị không hợp lệ")
# The names most forms share; a page passes its own table for the rest.
COMMON_LABELS = {
    "title": N_("Tiêu đề"),
    "body": N_("Nội dung"),
    "name": N_("Tên"),
    "unit_id": N_("Đơn vị"),
    "member_id": N_("Đảng viên"),
    "kind": N_("Loại"),
    "place": N_("Địa điểm"),
    "starts_at": N_("Bắt đầu"),
    "ends_at": N_("Kết thúc"),
    "question": N_("Câu hỏi"),
    "reason": N_("Lý do"),
    "note": N_("Ghi chú"),
    "code": N_("Mã điểm danh"),
    "state": N_("Trạng thái"),
    "status": N_("Trạng thái"),
    "description": N_("Mô tả"),
    "due_date": N_("Hạn hoàn thành"),
    "start_date": N_("Ngày bắt đầu"),
    "page": N_("Trang"),
}
_VALUE_ERROR_PREFIXES = ("Value error, ", "Assertion failed, ")


def message(e: ErrorDetails | Mapping[str, Any]) -> str:
    """What is wrong, as a sentence in the current language."""
    kind = str(e.get("type", ""))
    ctx = e.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error", "")) or str(e.get("msg", ""))
        for prefix in _VALUE_ERROR_PREFIXES:
            text = text.removeprefix(prefix)
        # A schema's own check raises a Vietnamese msgid; anything else stays generic.
        return _(text) if text and _looks_vietnamese(text) else _(DEFAULT)
    text = _(BY_TYPE.get(kind, DEFAULT))
    if kind in _LIMITS:
        limit = ctx.get(_LIMITS[kind], "")
        return text.format(limit=limit) if limit != "" else _(DEFAULT)
    return text


def _looks_vietnamese(text: str) -> bool:
    # Python's and pydantic's own ValueErrors are plain ASCII English; every msgid of ours has
    # a Vietnamese letter in it.
    return any(ord(c) > 127 for c in text)


def field_name(e: ErrorDetails | Mapping[str, Any]) -> str:
    """The form field an error is about (the first part of its location, "body" skipped)."""
    loc = [str(p) for p in e.get("loc", ()) if p != "body"]
    return loc[0] if loc else ""


def details(
    exc: ValidationError | list[ErrorDetails],
    labels: Mapping[str, str] | None = None,
    where: Mapping[str, str] | None = None,
) -> list[dict[str, str]]:
    """One line per problem: the field's label and what is wrong, both translated.

    `key` is the form field's name, so a page can put the message next to its input. `where`
    names the field a schema-wide check (a model validator, with no location) is about, by
    its message.
    """
    errors = exc.errors() if isinstance(exc, ValidationError) else exc
    table = {**COMMON_LABELS, **(labels or {})}
    out: list[dict[str, str]] = []
    for e in errors:
        key = field_name(e)
        text = message(e)
        if not key and where:
            raw = str((e.get("ctx") or {}).get("error", ""))
            key = where.get(raw, "")
        label = table.get(key, "")
        line = {"field": _(label) if label else "", "key": key, "message": text}
        if line not in out:
            out.append(line)
    return out


def first(exc: ValidationError, labels: Mapping[str, str] | None = None) -> str:
    """The first problem as one sentence: "Field: what is wrong"."""
    line = details(exc, labels)[0]
    return f"{line['field']}: {line['message']}" if line["field"] else line["message"]
