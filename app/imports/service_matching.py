"""Duplicate detection for the member import: inside the file and against existing members."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.core.i18n import gettext
from app.core.permissions import Actor, Perm, unit_scope
from app.core.text import clean_name, fold, nfc
from app.imports.service_format import BY_FIELD, normalise_phone
from app.members.models import Member
from app.units.models import Unit

_CHUNK = 500
# Fields an import may set on a member; unit_code is handled apart (it is not a column).
MEMBER_FIELDS = tuple(c.field for c in BY_FIELD.values() if c.field != "unit_code")


@dataclass
class RowError:
    row: int | None
    column: str | None
    message: str  # catalogue msgid
    params: dict[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        text = gettext(self.message)
        return text.format(**self.params) if self.params else text

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.render()}


@dataclass
class Row:
    number: int
    headers: dict[str, str]  # field -> the header text as written in the file
    values: dict[str, Any] = field(default_factory=dict)
    unit: Unit | None = None
    target: Member | None = None
    changes: dict[str, Any] = field(default_factory=dict)

    def header(self, name: str) -> str:
        return self.headers.get(name) or BY_FIELD[name].header


class Validation:
    """Holds the state of one validation pass so each check stays a small method."""

    def __init__(self, session: Session, actor: Actor | None, on_duplicate: str) -> None:
        self.session = session
        self.actor = actor
        self.on_duplicate = on_duplicate
        self.errors: list[RowError] = []

    def error(self, row: Row, name: str, message: str, **params: Any) -> None:
        self.errors.append(RowError(row.number, row.header(name), message, params))


def permitted_unit_ids(session: Session, actor: Actor | None, ids: Iterable[int]) -> set[int]:
    """The given units the actor may import into; the system (None) may import anywhere."""
    ids = set(ids)
    if actor is None or not ids:
        return ids
    return set(
        session.scalars(
            select(Unit.id).where(Unit.id.in_(ids), unit_scope(actor, Perm.member_import))
        )
    )


def match_existing(check: Validation, rows: list[Row]) -> None:
    """Set each row's existing member (by dossier, card, then name + birth date) or report why not."""
    session = check.session
    by_dossier = lookup(session, Member.dossier_number, rows, "dossier_number")
    by_card = lookup(session, Member.card_number, rows, "card_number")
    by_cccd = lookup(session, Member.cccd, rows, "cccd")
    by_name: dict[tuple[str, date], list[Member]] = {}
    folded = {fold(r.values["full_name"]) for r in rows if "full_name" in r.values}
    for chunk in chunks(sorted(folded)):
        for m in session.scalars(select(Member).where(Member.name_folded.in_(chunk))):
            if m.birth_date is not None:
                by_name.setdefault((m.name_folded, m.birth_date), []).append(m)

    seen: dict[str, dict[Any, int]] = {"dossier_number": {}, "card_number": {}, "cccd": {}}
    seen_names: dict[tuple[str, date], list[Row]] = {}
    seen_targets: dict[int, int] = {}
    for row in rows:
        if "full_name" not in row.values:
            continue
        if _in_file_duplicate(check, row, seen, seen_names):
            continue
        target, key = _find_target(check, row, by_dossier, by_card, by_name)
        if target is False:
            continue
        if target is not None:
            first = seen_targets.setdefault(target.id, row.number)
            if first != row.number:
                check.error(
                    row, key, "Dòng này và dòng {other} cùng trùng một đảng viên đã có", other=first
                )
                continue
            if check.on_duplicate == "refuse":
                check.error(row, key, _REFUSE_MESSAGES[key])
                continue
            row.target = target
        owner = by_cccd.get(row.values.get("cccd"))
        if owner is not None and owner is not target:
            check.error(row, "cccd", "Số CCCD đã thuộc về một đảng viên khác")
            continue
        if row.target is None and row.unit is None and "unit_code" not in row.values:
            check.error(
                row,
                "unit_code",
                "Chưa có mã chi bộ: ghi vào cột «Mã chi bộ» hoặc chọn đơn vị mặc định",
            )
    _check_update_targets(check, [r for r in rows if r.target is not None])


_REFUSE_MESSAGES = {
    "dossier_number": "Đã có đảng viên với số lý lịch này",
    "card_number": "Đã có đảng viên với số thẻ này",
    "full_name": "Đã có đảng viên cùng họ tên và ngày sinh",
}
_IN_FILE_MESSAGES = {
    "dossier_number": "Trùng số lý lịch với dòng {other}",
    "card_number": "Trùng số thẻ đảng viên với dòng {other}",
    "cccd": "Trùng số CCCD với dòng {other}",
}


def _in_file_duplicate(
    check: Validation,
    row: Row,
    seen: dict[str, dict[Any, int]],
    seen_names: dict[tuple[str, date], list[Row]],
) -> bool:
    for name, values in seen.items():
        value = row.values.get(name)
        if value is None:
            continue
        first = values.setdefault(value, row.number)
        if first != row.number:
            check.error(row, name, _IN_FILE_MESSAGES[name], other=first)
            return True
    birth = row.values.get("birth_date")
    if birth is None:
        return False
    earlier = seen_names.setdefault((fold(row.values["full_name"]), birth), [])
    for other in earlier:
        if _same_person_possible(row.values, other.values):
            check.error(
                row, "full_name", "Trùng họ tên và ngày sinh với dòng {other}", other=other.number
            )
            return True
    earlier.append(row)
    return False


def _same_person_possible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Same name and birth date are one person unless their dossier or card numbers differ."""
    for key in ("dossier_number", "card_number"):
        if a.get(key) is not None and b.get(key) is not None and a[key] != b[key]:
            return False
    return True


def _find_target(
    check: Validation,
    row: Row,
    by_dossier: dict[Any, Member],
    by_card: dict[Any, Member],
    by_name: dict[tuple[str, date], list[Member]],
) -> tuple[Any, str]:
    """The existing member this row is, by dossier, then card, then name + birth date.

    Returns (False, "") when the row has been reported as an error.
    """
    m_dossier = by_dossier.get(row.values.get("dossier_number"))
    m_card = by_card.get(row.values.get("card_number"))
    if m_dossier is not None and m_card is not None and m_dossier is not m_card:
        check.error(row, "card_number", "Số lý lịch và số thẻ thuộc về hai đảng viên khác nhau")
        return False, ""
    if m_dossier is not None:
        return m_dossier, "dossier_number"
    if m_card is not None:
        dossier = row.values.get("dossier_number")
        if dossier is not None and m_card.dossier_number not in (None, dossier):
            check.error(
                row,
                "dossier_number",
                "Số lý lịch khác với hồ sơ đã có của đảng viên mang số thẻ này",
            )
            return False, ""
        return m_card, "card_number"
    birth = row.values.get("birth_date")
    if birth is None:
        return None, ""
    candidates = [
        m
        for m in by_name.get((fold(row.values["full_name"]), birth), [])
        if _same_person_possible(
            row.values, {"dossier_number": m.dossier_number, "card_number": m.card_number}
        )
    ]
    if len(candidates) > 1:
        check.error(
            row,
            "full_name",
            "Có nhiều đảng viên cùng họ tên và ngày sinh; hãy ghi số lý lịch để phân biệt",
        )
        return False, ""
    if candidates:
        return candidates[0], "full_name"
    return None, ""


def _check_update_targets(check: Validation, rows: list[Row]) -> None:
    """An update must stay inside the actor's scope and may not move the member."""
    if not rows:
        return
    unit_ids = {r.target.unit_id for r in rows if r.target is not None}
    allowed = permitted_unit_ids(check.session, check.actor, unit_ids)
    codes = dict(
        check.session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(unit_ids))).all()
    )
    for row in rows:
        target = row.target
        assert target is not None
        if target.unit_id not in allowed:
            check.error(row, "full_name", "Đảng viên trùng khớp thuộc đơn vị ngoài phạm vi của bạn")
            row.target = None
            continue
        if row.unit is not None and "unit_code" in row.values and row.unit.id != target.unit_id:
            check.error(
                row,
                "unit_code",
                "Đảng viên đang sinh hoạt ở đơn vị «{code}»; hãy dùng chức năng chuyển sinh hoạt",
                code=codes.get(target.unit_id, ""),
            )
            continue
        row.changes = _changes(target, row.values)


def _changes(member: Member, values: dict[str, Any]) -> dict[str, Any]:
    """Fields that differ; an empty cell never clears a stored value."""
    out: dict[str, Any] = {}
    for name in MEMBER_FIELDS:
        if name not in values:
            continue
        new, old = values[name], getattr(member, name)
        if new != old and new != _as_imported(name, old):
            out[name] = new
    return out


def _as_imported(name: str, value: Any) -> Any:
    """A stored value the way the import would have written it, so that spacing or a phone
    number's spelling alone does not count as a change."""
    if not isinstance(value, str):
        return value
    kind = BY_FIELD[name].kind
    if kind == "phone":
        return normalise_phone(value)
    if kind == "name":
        return clean_name(value)
    if kind == "code":
        return " ".join(nfc(value).split())
    return nfc(value)


def lookup(
    session: Session, column: InstrumentedAttribute[Any], rows: list[Row], name: str
) -> dict[Any, Member]:
    values = sorted({r.values[name] for r in rows if r.values.get(name) is not None})
    found: dict[Any, Member] = {}
    for chunk in chunks(values):
        condition: ColumnElement[bool] = column.in_(chunk)
        for m in session.scalars(select(Member).where(condition)):
            found[getattr(m, name)] = m
    return found


def chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def duplicate_problems(session: Session, *, unit: Unit, values: dict[str, Any]) -> list[RowError]:
    """The import's duplicate check (refusing) for one member about to be added by hand: what
    it would report for a file holding only that member (same card, dossier, CCCD, or the same
    name and birth date)."""
    row = Row(
        number=1, headers={}, values={k: v for k, v in values.items() if v is not None}, unit=unit
    )
    check = Validation(session, None, "refuse")
    match_existing(check, [row])
    return check.errors
