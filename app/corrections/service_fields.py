"""Rules for profile values a member may correct, shared helpers, and decision schemas."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.core.errors import Invalid
from app.core.i18n import N_
from app.core.localtime import local_today
from app.core.text import NFCStr, clean_name, digits, fold, nfc
from app.members.models import Gender, Member


def not_blank(value: str) -> str:
    if not value:
        raise ValueError("Không được để trống")
    return value


Reason = Annotated[NFCStr, Field(max_length=2000), AfterValidator(not_blank)]


# --- Field rules: the one whitelist of what a member may correct, and how values are checked ---


class ValueProblem(ValueError):
    """A proposed value is unusable; the message is a catalogue msgid."""


def clean_cccd(value: str) -> str:
    """CCCD: exactly 12 digits; spaces between groups are tolerated."""
    compact = value.replace(" ", "")
    if not re.fullmatch(r"\d{12}", compact):
        raise ValueProblem(N_("Số CCCD phải gồm đúng 12 chữ số"))
    return compact


def clean_phone(value: str) -> str:
    """A Vietnamese phone number in its domestic form: 0 then 9 or 10 digits."""
    if re.search(r"[^\d\s.+()-]", value):
        raise ValueProblem(N_("Số điện thoại không hợp lệ"))
    d = digits(value)
    if d.startswith("84") and len(d) in (11, 12):
        d = "0" + d[2:]
    if not re.fullmatch(r"0\d{9,10}", d):
        raise ValueProblem(N_("Số điện thoại không hợp lệ"))
    return d


def parse_date(value: str) -> date:
    """ISO (2024-05-19) from the API and date inputs, or the usual Vietnamese 19/05/2024."""
    value = value.strip()
    try:
        if "/" in value:
            day, month, year = (int(p) for p in value.split("/"))
            return date(year, month, day)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueProblem(N_("Ngày không hợp lệ (dạng ngày/tháng/năm)")) from exc


def _birth_date(value: str) -> str:
    d = parse_date(value)
    if d < date(1900, 1, 1) or d > local_today():
        raise ValueProblem(N_("Ngày sinh không hợp lệ"))
    return d.isoformat()


_GENDER_WORDS = {"nam": Gender.male, "nu": Gender.female, "khac": Gender.other}


def _gender(value: str) -> str:
    key = fold(value)
    if key in {g.value for g in Gender}:
        return key
    if key in _GENDER_WORDS:
        return _GENDER_WORDS[key].value
    raise ValueProblem(N_("Giới tính không hợp lệ"))


def _full_name(value: str) -> str:
    name = clean_name(value)
    if len(name) < 2 or len(name) > 255 or any(ch.isdigit() for ch in name):
        raise ValueProblem(N_("Họ và tên không hợp lệ"))
    return name


def _text(max_length: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        if len(value) > max_length:
            raise ValueProblem(N_("Giá trị quá dài"))
        return value

    return check


@dataclass(frozen=True)
class FieldRule:
    label: str  # msgid, shown in forms and lists
    clean: Callable[[str], str]  # receives NFC text, returns the stored form
    required: bool = True  # False: an empty value clears the field
    sensitive: bool = False  # masked in lists, reads audited


FIELD_RULES: dict[str, FieldRule] = {
    "full_name": FieldRule(N_("Họ và tên"), _full_name),
    "birth_date": FieldRule(N_("Ngày sinh"), _birth_date),
    "gender": FieldRule(N_("Giới tính"), _gender),
    "hometown": FieldRule(N_("Quê quán"), _text(255), required=False),
    "ethnicity": FieldRule(N_("Dân tộc"), _text(64), required=False),
    "religion": FieldRule(N_("Tôn giáo"), _text(64), required=False),
    "phone": FieldRule(N_("Số điện thoại"), clean_phone, required=False),
    "address": FieldRule(N_("Địa chỉ"), _text(500), required=False),
    "education_level": FieldRule(N_("Trình độ học vấn"), _text(64), required=False),
    "political_theory": FieldRule(N_("Lý luận chính trị"), _text(64), required=False),
    "professional_qualification": FieldRule(N_("Chuyên môn"), _text(255), required=False),
    "cccd": FieldRule(N_("Số CCCD"), clean_cccd, sensitive=True),
}


def _known_field(value: str) -> str:
    if value not in FIELD_RULES:
        raise ValueError("Mục này không được phép đề nghị sửa")
    return value


# A plain string checked against FIELD_RULES, so that the whitelist lives in one place.
CorrectableField = Annotated[
    str, AfterValidator(_known_field), Field(json_schema_extra={"enum": list(FIELD_RULES)})
]


def clean_value(field: str, raw: str) -> str | None:
    """The stored form of a proposed value, or Invalid naming what is wrong."""
    rule = FIELD_RULES.get(field)
    if rule is None:
        raise Invalid("Mục này không được phép đề nghị sửa")
    text = nfc(raw)
    if not text:
        if rule.required:
            raise Invalid(
                "Mục này không được để trống", details=[{"field": "new_value", "message": ""}]
            )
        return None
    try:
        return rule.clean(text)
    except ValueProblem as exc:
        raise Invalid(str(exc), details=[{"field": "new_value", "message": str(exc)}]) from exc


def current_value(member: Member, field: str) -> str | None:
    value = getattr(member, field)
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


# --- Decisions on a request (transfers and corrections alike) ---


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[NFCStr, Field(max_length=2000)] | None = None


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Reason
