"""The minutes' header prints the unit's own full name and superior committee when set (issue 17)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.meetings.models import MeetingStatus
from app.minutes import service_input
from tests.factories.meetings import make_meeting
from tests.factories.org import Org


def test_header_uses_the_units_printed_names(session: Session, org: Org) -> None:
    unit = org.units["A"]
    meeting = make_meeting(session, unit, status=MeetingStatus.closed)
    record = service_input.build_record(session, meeting=meeting, unit=unit, items={})
    assert (record.superior_committee, record.cell_name) == (
        "Đảng ủy phường Bến Nghé",
        "Chi bộ Khu phố 1",
    )

    unit.full_name = "Chi bộ Khu phố 1, phường Bến Nghé"
    unit.superior_name = "Đảng ủy phường Bến Nghé, Quận 1"
    session.flush()
    record = service_input.build_record(session, meeting=meeting, unit=unit, items={})
    assert record.superior_committee == "Đảng ủy phường Bến Nghé, Quận 1"
    assert record.cell_name == "Chi bộ Khu phố 1, phường Bến Nghé"
