"""The lý lịch column layout shared by member import and export, and the cell parsers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.core.text import clean_name, digits, fold, nfc
from app.members.models import Gender, MemberStatus


@dataclass(frozen=True)
class Column:
    field: str  # Member attribute, or "unit_code"
    header: str  # the Vietnamese header written by the export
    kind: str  # how cells are parsed: text, name, code, date, gender, status, cccd, phone
    max_len: int = 255
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("dossier_number", "Số lý lịch", "code", 32, ("Số LL", "Dossier number", "Dossier no")),
    Column(
        "card_number",
        "Số thẻ đảng viên",
        "code",
        32,
        ("Số thẻ", "Số thẻ Đảng", "Card number", "Party card number", "Party card"),
    ),
    Column("full_name", "Họ và tên", "name", 255, ("Họ tên", "Full name", "Name")),
    Column("birth_date", "Ngày sinh", "date", 0, ("Date of birth", "Birth date", "DOB")),
    Column("gender", "Giới tính", "gender", 0, ("Gender", "Sex")),
    Column("hometown", "Quê quán", "text", 255, ("Hometown", "Home town", "Place of origin")),
    Column("ethnicity", "Dân tộc", "text", 64, ("Ethnicity", "Ethnic group")),
    Column("religion", "Tôn giáo", "text", 64, ("Religion",)),
    Column(
        "cccd",
        "Số CCCD",
        "cccd",
        12,
        ("CCCD", "Căn cước công dân", "Số căn cước", "Citizen ID", "National ID", "ID number"),
    ),
    Column(
        "phone",
        "Điện thoại",
        "phone",
        20,
        ("Số điện thoại", "SĐT", "Phone", "Phone number", "Mobile"),
    ),
    Column(
        "address",
        "Nơi ở hiện nay",
        "text",
        500,
        ("Nơi ở", "Địa chỉ", "Chỗ ở hiện nay", "Address", "Current address"),
    ),
    Column(
        "education_level",
        "Trình độ học vấn",
        "text",
        64,
        ("Học vấn", "Giáo dục phổ thông", "Education", "Education level"),
    ),
    Column(
        "political_theory",
        "Lý luận chính trị",
        "text",
        64,
        ("LLCT", "Trình độ lý luận chính trị", "Political theory"),
    ),
    Column(
        "professional_qualification",
        "Chuyên môn",
        "text",
        255,
        (
            "Trình độ chuyên môn",
            "Chuyên môn nghiệp vụ",
            "Professional qualification",
            "Qualification",
        ),
    ),
    Column(
        "admission_date",
        "Ngày vào Đảng",
        "date",
        0,
        ("Ngày kết nạp", "Ngày kết nạp Đảng", "Admission date", "Date of admission"),
    ),
    Column(
        "official_date",
        "Ngày chính thức",
        "date",
        0,
        ("Ngày công nhận chính thức", "Official date", "Full membership date"),
    ),
    Column(
        "unit_code",
        "Mã chi bộ",
        "code",
        64,
        ("Mã đơn vị", "Unit code", "Cell code", "Unit"),
    ),
    Column("status", "Trạng thái", "status", 0, ("Tình trạng", "Status")),
)
BY_FIELD = {c.field: c for c in COLUMNS}


def header_key(text: str) -> str:
    """Headers match ignoring case, accents, spaces and punctuation: "so_ly_lich" = "Số lý lịch"."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


_HEADER_INDEX: dict[str, Column] = {}
for _col in COLUMNS:
    for _name in (_col.header, _col.field, *_col.aliases):
        _HEADER_INDEX[header_key(_name)] = _col


def column_for_header(text: Any) -> Column | None:
    if text is None:
        return None
    return _HEADER_INDEX.get(header_key(str(text)))


GENDER_LABELS: dict[str, str] = {Gender.male: "Nam", Gender.female: "Nữ", Gender.other: "Khác"}
_GENDER_WORDS = {
    "nam": Gender.male,
    "m": Gender.male,
    "male": Gender.male,
    "nu": Gender.female,
    "f": Gender.female,
    "female": Gender.female,
    "khac": Gender.other,
    "other": Gender.other,
}

STATUS_LABELS: dict[str, str] = {
    MemberStatus.active: "Đang sinh hoạt",
    MemberStatus.exempted: "Miễn sinh hoạt",
    MemberStatus.transferred: "Đã chuyển đi",
    MemberStatus.deceased: "Từ trần",
    MemberStatus.removed: "Đã xóa tên",
}
_STATUS_WORDS = {
    "dang sinh hoat": MemberStatus.active,
    # Lý lịch exports often put the membership stage here; both are active members.
    "chinh thuc": MemberStatus.active,
    "du bi": MemberStatus.active,
    "mien sinh hoat": MemberStatus.exempted,
    "mien sinh hoat dang": MemberStatus.exempted,
    "mien cong tac va sinh hoat dang": MemberStatus.exempted,
    "da chuyen di": MemberStatus.transferred,
    "chuyen di": MemberStatus.transferred,
    "chuyen sinh hoat di": MemberStatus.transferred,
    "tu tran": MemberStatus.deceased,
    "da tu tran": MemberStatus.deceased,
    "da mat": MemberStatus.deceased,
    "da xoa ten": MemberStatus.removed,
    "xoa ten": MemberStatus.removed,
}
for _status in MemberStatus:
    _STATUS_WORDS[_status.value] = _status


class CellError(Exception):
    """A cell that cannot be read; the message is a catalogue msgid with params."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


# Exports to people without `member.view_sensitive` write this in the CCCD column; reading it
# back means "not given", so a masked export re-imports without wiping anyone's CCCD.
CCCD_MASK = "************"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 .()\-]+$")
_PHONE = re.compile(r"^0\d{9,10}$")
_EXCEL_EPOCH = date(1899, 12, 30)


def csv_safe(text: str) -> str:
    """Quote a value that a spreadsheet would run as a formula (CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _as_text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = nfc(str(raw))
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        text = text[1:]
    return text


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse_cell(col: Column, raw: Any, *, today: date) -> Any:
    """The typed value of one non-blank cell; raises CellError with a Vietnamese msgid."""
    kind = col.kind
    if kind == "date":
        return parse_date(raw, today=today)
    if kind == "cccd":
        return parse_cccd(raw)
    if kind == "phone":
        return parse_phone(raw)
    text = _as_text(raw)
    if kind == "gender":
        gender = _GENDER_WORDS.get(fold(text))
        if gender is None:
            raise CellError("Giới tính phải là Nam hoặc Nữ")
        return gender.value
    if kind == "status":
        status = _STATUS_WORDS.get(fold(text))
        if status is None:
            raise CellError("Trạng thái không hợp lệ: «{value}»", value=text[:40])
        return status.value
    if kind == "name":
        text = clean_name(text)
    elif kind == "code":
        text = re.sub(r"\s+", " ", text)
    if len(text) > col.max_len:
        raise CellError("Quá dài (tối đa {max} ký tự)", max=col.max_len)
    return text


def parse_date(raw: Any, *, today: date) -> date:
    value: date | None = None
    if isinstance(raw, datetime):
        value = raw.date()
    elif isinstance(raw, date):
        value = raw
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        # An Excel serial number that lost its date format.
        if 1 <= raw < 2958466:
            value = date.fromordinal(_EXCEL_EPOCH.toordinal() + int(raw))
    else:
        text = _as_text(raw)
        try:
            if m := _DMY.match(text):
                value = date(int(m[3]), int(m[2]), int(m[1]))
            elif m := _YMD.match(text):
                value = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            value = None
    if value is None:
        raise CellError(
            "Ngày không hợp lệ: «{value}» (ghi theo dạng dd/mm/yyyy)", value=str(raw)[:40]
        )
    if value > today:
        raise CellError("Ngày {value} ở tương lai", value=value.strftime("%d/%m/%Y"))
    if value.year < 1900:
        raise CellError("Ngày {value} quá xa trong quá khứ", value=value.strftime("%d/%m/%Y"))
    return value


def parse_cccd(raw: Any) -> str | None:
    """Twelve digits. None for the export's mask, which means "keep what is stored"."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        # Excel stores a typed-in CCCD as a number and drops its leading zeros.
        text = str(int(raw)).zfill(12) if float(raw).is_integer() else str(raw)
    else:
        text = _as_text(raw)
        if text.strip("*") == "":
            return None
        text = re.sub(r"[ .\-]", "", text)
    if not re.fullmatch(r"\d{12}", text):
        raise CellError("Số CCCD phải gồm đúng 12 chữ số")
    return text


def normalise_phone(value: str) -> str:
    d = digits(value)
    if d.startswith("84") and len(d) in (11, 12):
        d = "0" + d[2:]
    return d


def parse_phone(raw: Any) -> str:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        text = str(int(raw))
        # A number cell loses the leading 0 of "0912…".
        text = text if text.startswith(("0", "84")) else "0" + text
    else:
        text = _as_text(raw)
    if not _PHONE_CHARS.match(text):
        raise CellError("Số điện thoại không hợp lệ")
    phone = normalise_phone(text)
    if not _PHONE.match(phone):
        raise CellError("Số điện thoại không hợp lệ")
    return phone


def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
