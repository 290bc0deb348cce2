"""Pre-reading documents: a secretary can attach what their cell may see, nothing else."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.errors import Invalid
from tests.factories.documents import make_document
from tests.factories.org import Org
from tests.meetings.test_service import new_meeting


def test_a_document_of_another_cell_cannot_be_attached(
    session: Session, settings: Settings, org: Org
) -> None:
    own = make_document(
        session, settings, by=org.accounts["sec_a"], unit=org.units["A"], title="Kế hoạch chi bộ A"
    )
    other = make_document(
        session, settings, by=org.accounts["sec_b"], unit=org.units["B"], title="Kế hoạch chi bộ B"
    )
    meeting = new_meeting(session, org, document_ids=[own.id])
    assert meeting.id
    with pytest.raises(Invalid) as err:
        new_meeting(session, org, document_ids=[other.id])
    # Refused exactly like an id that does not exist: the title of B's document never shows.
    assert "Kế hoạch chi bộ B" not in err.value.render()
    with pytest.raises(Invalid) as missing:
        new_meeting(session, org, document_ids=[999_999])
    assert err.value.message == missing.value.message
