"""Pydantic validation errors as short Vietnamese lines for the web forms (field: problem)."""

from __future__ import annotations

from pydantic import ValidationError

from app.core.i18n import N_
from app.core.i18n import gettext as _

BY_TYPE = {
    "missing": N_("Chưa nhập"),
    "string_too_short": N_("Chưa nhập"),
    "string_too_long": N_("Quá dài"),
    "string_pattern_mismatch": N_("Không đúng định dạng"),
    "too_short": N_("Cần ít nhất một mục"),
    "too_long": N_("Quá nhiều mục (tối đa 50)"),
    "datetime_parsing": N_("Ngày giờ không hợp lệ"),
    "datetime_from_date_parsing": N_("Ngày giờ không hợp lệ"),
    "datetime_type": N_("Ngày giờ không hợp lệ"),
    "enum": N_("Lựa chọn không hợp lệ"),
    "int_parsing": N_("Phải là số"),
}
DEFAULT = N_("Giá trị không hợp lệ")


def details(exc: ValidationError, labels: dict[str, str]) -> list[dict[str, str]]:
    """One line per problem: the field's label (a msgid) and what is wrong, both translated.

    A check of the schema's own (a `ValueError`) carries its Vietnamese msgid as the message.
    """
    out: list[dict[str, str]] = []
    for e in exc.errors():
        field = str(e["loc"][0]) if e["loc"] else ""
        if e["type"] == "value_error":
            message = str(e.get("ctx", {}).get("error", "")) or DEFAULT
        else:
            message = BY_TYPE.get(e["type"], DEFAULT)
        label = labels.get(field, "")
        line = {"field": _(label) if label else "", "message": _(message)}
        if line not in out:
            out.append(line)
    return out
