"""A published ward directive whose chunks are recorded and whose summary is stored, in the
test's rolled-back session; the job tests index and summarise for real instead (test_tasks)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.documents.models import Document
from tests.factories.documents import make_document
from tests.factories.org import Org
from tests.factories.summaries import directive, index_chunks, store_summary


def publish_directive(
    session: Session, settings: Settings, org: Org, *, text: str | None = None
) -> Document:
    return make_document(
        session,
        settings,
        by=org.accounts["admin"],
        unit=org.units["W1"],
        audience=[org.units["W1"]],
        publish=True,
        title="Chỉ thị về tăng cường sinh hoạt chi bộ",
        content=(text or directive()).encode(),
    )


@pytest.fixture
def summarised(session: Session, settings: Settings, org: Org) -> Document:
    """The directive of W1, addressed to W1 and its cells, indexed and summarised."""
    doc = publish_directive(session, settings, org)
    index_chunks(session, settings, doc)
    store_summary(session, doc)
    return doc
