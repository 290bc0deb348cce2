"""Editing and ending member sub-records: partial updates under the add rules, invariants, audit."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog
from app.core.errors import Conflict, Forbidden, NotFound
from app.core.permissions import Actor, load_actor
from app.members import service_records as records
from app.members.models import Discipline, Rating, Training, WorkHistory
from app.members.schemas import (
    AwardIn,
    AwardPatch,
    DisciplineIn,
    DisciplinePatch,
    RatingIn,
    RatingPatch,
    TrainingIn,
    WorkHistoryIn,
    WorkHistoryPatch,
)
from app.members.service_records import RecordInvalid, RecordKind
from tests.factories.org import Org

CTX = AuditContext(ip="127.0.0.1")
K = RecordKind


def actor(session: Session, org: Org, name: str = "sec_a") -> Actor:
    a = load_actor(session, org.accounts[name].id)
    assert a is not None
    return a


def _add(session: Session, org: Org, kind: RecordKind, data: object) -> int:
    return records.add_record(
        session,
        CTX,
        actor=actor(session, org),
        member_id=org.members["mem_a"].id,
        kind=kind,
        data=data,  # type: ignore[arg-type]
    )


def _update(session: Session, org: Org, kind: RecordKind, rid: int, **sent: object) -> list[str]:
    data = records.SPECS[kind].patch.model_validate(sent)
    return records.update_record(
        session,
        CTX,
        actor=actor(session, org),
        member_id=org.members["mem_a"].id,
        kind=kind,
        record_id=rid,
        data=data,
    )


def _log(session: Session, action: str) -> list[AuditLog]:
    return list(session.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_only_the_fields_sent_change_and_the_audit_row_says_which(
    session: Session, org: Org
) -> None:
    rid = _add(
        session,
        org,
        K.work_history,
        WorkHistoryIn(organisation="UBND phường", position="Cán bộ", start_date=date(2010, 1, 1)),
    )
    # NFD in, NFC stored, as on adding.
    changed = _update(session, org, K.work_history, rid, position="Pho\u0301 chu\u0309 tịch")
    row = session.get(WorkHistory, rid)
    assert row is not None
    assert changed == ["position"] and row.position == "Phó chủ tịch"
    assert row.organisation == "UBND phường" and row.start_date == date(2010, 1, 1)
    (entry,) = _log(session, "member.work_history.update")
    # Free text stays out of the log; dates are shown before and after.
    assert entry.detail == {"member_id": org.members["mem_a"].id, "fields": ["position"]}
    _update(session, org, K.work_history, rid, start_date="2011-02-03")
    later = _log(session, "member.work_history.update")[-1]
    assert later.detail["before"] == {"start_date": "2010-01-01"}
    assert later.detail["after"] == {"start_date": "2011-02-03"}
    # Nothing different: nothing written.
    assert _update(session, org, K.work_history, rid, position="Phó chủ tịch") == []
    assert len(_log(session, "member.work_history.update")) == 2


def test_an_edit_is_judged_by_the_add_rules_as_a_whole(session: Session, org: Org) -> None:
    rid = _add(
        session,
        org,
        K.trainings,
        TrainingIn(course="Sơ cấp", start_date=date(2015, 3, 1), end_date=date(2015, 6, 1)),
    )
    # The end sent alone is checked against the start already stored.
    with pytest.raises(RecordInvalid) as caught:
        _update(session, org, K.trainings, rid, end_date="2014-01-01")
    assert caught.value.details[0]["field"] == "end_date"
    assert caught.value.status_code == 422
    # A required field cleared is refused, never stored empty.
    with pytest.raises(RecordInvalid) as caught:
        _update(session, org, K.trainings, rid, course="")
    assert [e["type"] for e in caught.value.errors] == ["missing"]
    with pytest.raises(ValidationError):  # a future end is refused by the body, as on adding
        _update(session, org, K.trainings, rid, end_date="2999-01-01")
    row = session.get(Training, rid)
    assert row is not None and row.course == "Sơ cấp" and row.end_date == date(2015, 6, 1)
    award = _add(session, org, K.awards, AwardIn(awarded_on=date(2020, 5, 19), title="Giấy khen"))
    with pytest.raises(ValueError):
        AwardPatch.model_validate({"badge_years": 12})
    _update(session, org, K.awards, award, badge_years=30, decision_number="")
    (entry,) = _log(session, "member.award.update")
    assert entry.detail["after"] == {"badge_years": 30}


def test_a_rating_year_stays_unique_and_the_grade_rules_hold(session: Session, org: Org) -> None:
    first = _add(session, org, K.ratings, RatingIn(year=2021, grade="HTNV"))  # type: ignore[arg-type]
    second = _add(session, org, K.ratings, RatingIn(year=2022, grade="HTTNV"))  # type: ignore[arg-type]
    with pytest.raises(Conflict) as caught:
        _update(session, org, K.ratings, second, year=2021)
    assert caught.value.details == [{"field": "year", "message": "duplicate"}]
    with pytest.raises(ValidationError):  # the body itself is refused, as on adding
        _update(session, org, K.ratings, first, grade="A+")
    # Its own year is not a clash; a note alone needs no grade check.
    _update(session, org, K.ratings, first, year=2021, note="Theo biên bản")
    _update(session, org, K.ratings, first, grade="HTXSNV")
    row = session.get(Rating, first)
    assert row is not None and (row.year, row.grade, row.note) == (2021, "HTXSNV", "Theo biên bản")
    entry = _log(session, "member.rating.update")[-1]
    assert entry.detail["before"] == {"grade": "HTNV"} and entry.detail["after"] == {
        "grade": "HTXSNV"
    }
    with pytest.raises(Exception, match="Chưa thể xếp loại"):
        _update(session, org, K.ratings, first, year=date.today().year + 1)
    assert RatingPatch.model_fields.keys() == RatingIn.model_fields.keys()


def test_discipline_edits_need_the_sensitive_right_and_log_no_values(
    session: Session, org: Org
) -> None:
    rid = _add(
        session,
        org,
        K.disciplines,
        DisciplineIn(decided_on=date(2021, 6, 1), form="khien_trach", reason="Vắng họp"),  # type: ignore[arg-type]
    )
    staff = actor(session, org, "staff_w1")  # edits members, may not read discipline
    with pytest.raises(Forbidden):
        records.update_record(
            session,
            CTX,
            actor=staff,
            member_id=org.members["mem_a"].id,
            kind=K.disciplines,
            record_id=rid,
            data=DisciplinePatch(reason="Khác"),
        )
    _update(session, org, K.disciplines, rid, form="canh_cao", reason="Vi phạm bí mật")
    row = session.get(Discipline, rid)
    assert row is not None and (row.form, row.reason) == ("canh_cao", "Vi phạm bí mật")
    (entry,) = _log(session, "member.discipline.update")
    assert entry.detail == {"member_id": org.members["mem_a"].id, "fields": ["form", "reason"]}
    assert "bí mật" not in str(entry.detail) and "canh_cao" not in str(entry.detail)
    # Opening it for editing shows the reason: a sensitive read, logged as the view is.
    values = records.get_record(
        session,
        CTX,
        actor=actor(session, org),
        member_id=org.members["mem_a"].id,
        kind=K.disciplines,
        record_id=rid,
    )
    assert values["reason"] == "Vi phạm bí mật"
    (read,) = _log(session, "member.sensitive_read")
    assert read.detail == {"fields": ["disciplines"], "record_id": rid}


def test_another_members_record_is_missing(session: Session, org: Org) -> None:
    rid = _add(session, org, K.work_history, WorkHistoryIn(organisation="Hợp tác xã"))
    with pytest.raises(NotFound):
        records.update_record(
            session,
            CTX,
            actor=actor(session, org),
            member_id=org.members["sec_a"].id,
            kind=K.work_history,
            record_id=rid,
            data=WorkHistoryPatch(position="Xã viên"),
        )
    with pytest.raises(NotFound):
        records.update_record(
            session,
            CTX,
            actor=actor(session, org, "sec_b"),
            member_id=org.members["mem_a"].id,
            kind=K.work_history,
            record_id=rid,
            data=WorkHistoryPatch(position="Xã viên"),
        )
    with pytest.raises(TypeError):
        records.update_record(
            session,
            CTX,
            actor=actor(session, org),
            member_id=org.members["mem_a"].id,
            kind=K.awards,
            record_id=rid,
            data=WorkHistoryPatch(position="Xã viên"),
        )


def test_ending_an_open_period_once(session: Session, org: Org) -> None:
    rid = _add(
        session,
        org,
        K.work_history,
        WorkHistoryIn(organisation="Trường THCS", start_date=date(2012, 9, 1)),
    )
    mid = org.members["mem_a"].id
    sec = actor(session, org)

    def end(day: date, kind: RecordKind = K.work_history) -> None:
        records.end_record(
            session, CTX, actor=sec, member_id=mid, kind=kind, record_id=rid, end_date=day
        )

    with pytest.raises(RecordInvalid):
        end(date(2011, 1, 1))  # before its start
    with pytest.raises(NotFound):
        end(date(2020, 1, 1), K.awards)  # an award has no period
    end(date(2020, 6, 30))
    row = session.get(WorkHistory, rid)
    assert row is not None and row.end_date == date(2020, 6, 30)
    (entry,) = _log(session, "member.work_history.end")
    assert entry.detail["after"] == {"end_date": "2020-06-30"}
    assert entry.detail["before"] == {"end_date": None}
    with pytest.raises(Conflict):
        end(date(2021, 1, 1))
    # A recorded end is corrected through the edit.
    _update(session, org, K.work_history, rid, end_date="2020-07-31")
    assert row.end_date == date(2020, 7, 31)
