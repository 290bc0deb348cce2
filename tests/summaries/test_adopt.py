"""A secretary turns a task of a document's summary into a unit task that keeps its clause; the
tasks' own permission decides who may, and a task without a date needs one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditContext, AuditLog
from app.core.errors import Forbidden, Invalid, NotFound
from app.core.localtime import local_today
from app.documents.models import Document
from app.knowledge.models import IndexedChunk
from app.summaries import service
from app.tasks.models import Task
from tests.factories.org import Org
from tests.factories.summaries import YEAR
from tests.summaries.test_service import actor, view

CTX = AuditContext(ip="test")


def index_of(session: Session, org: Org, doc: Document, kind: str) -> int:
    tasks = view(session, org, "sec_a", doc).tasks
    return next(t.index for t in tasks if t.responsible_kind == kind)


def adopt(session: Session, org: Org, doc: Document, who: str, index: int, **over: object) -> Task:
    args: dict[str, object] = {
        "unit_id": org.units["A"].id,
        "assignee_member_id": org.members["mem_a"].id,
        "due_date": None,
        **over,
    }
    return service.adopt_task(
        session,
        CTX,
        actor=actor(session, org, who),
        document_id=doc.id,
        task_index=index,
        **args,  # type: ignore[arg-type]
    )


def test_the_secretary_adopts_a_task_with_its_clause_and_deadline(
    session: Session, org: Org, summarised: Document
) -> None:
    index = index_of(session, org, summarised, "member")
    task = adopt(session, org, summarised, "sec_a", index)
    assert (task.unit_id, task.assignee_member_id) == (org.units["A"].id, org.members["mem_a"].id)
    assert (task.source_type, task.source_id) == ("document", summarised.id)
    assert task.due_date.isoformat() == f"{YEAR}-04-30"  # the parsed deadline
    assert task.start_date == local_today()
    assert task.description.startswith("Viết bản thu hoạch cá nhân")
    chunk = session.scalars(
        select(IndexedChunk).where(IndexedChunk.chunk_key == task.source_chunk_key)
    ).one()
    assert chunk.document_id == summarised.id and task.source_article == chunk.article == "Điều 5"
    actions = session.scalars(
        select(AuditLog.action).where(
            AuditLog.object_type == "task", AuditLog.object_id == str(task.id)
        )
    ).all()
    assert sorted(actions) == ["task.adopt", "task.create"]


def test_a_given_date_wins_and_a_task_without_one_is_refused(
    session: Session, org: Org, summarised: Document
) -> None:
    quarterly = next(
        t.index
        for t in view(session, org, "sec_a", summarised).tasks
        if t.deadline is not None and t.deadline.every == "quarterly"
    )
    with pytest.raises(Invalid) as refused:
        adopt(session, org, summarised, "sec_a", quarterly)
    assert refused.value.status_code == 422
    assert refused.value.details[0]["field"] == "due_date"
    due = local_today() + timedelta(days=20)
    assert adopt(session, org, summarised, "sec_a", quarterly, due_date=due).due_date == due
    with pytest.raises(Invalid):  # a day already gone is no deadline
        adopt(session, org, summarised, "sec_a", quarterly, due_date=local_today() - timedelta(1))


def test_refused_without_the_right_to_assign_tasks_in_the_unit(
    session: Session, org: Org, summarised: Document
) -> None:
    index = index_of(session, org, summarised, "cell")
    with pytest.raises(Forbidden):  # a member sees the cell, may not assign its tasks
        adopt(session, org, summarised, "mem_a", index)
    with pytest.raises(NotFound):  # another cell's secretary does not even see cell A
        adopt(session, org, summarised, "sec_b", index)
    task = adopt(
        session,
        org,
        summarised,
        "sec_b",
        index,
        unit_id=org.units["B"].id,
        assignee_member_id=org.members["mem_b"].id,
    )
    assert task.unit_id == org.units["B"].id  # in their own cell they may
    assert not session.scalars(select(Task).where(Task.unit_id == org.units["A"].id)).all()


def test_a_document_out_of_sight_or_a_missing_task_is_not_found(
    session: Session, org: Org, summarised: Document
) -> None:
    with pytest.raises(NotFound) as hidden:
        adopt(session, org, summarised, "mem_d", 0)
    with pytest.raises(NotFound) as missing:
        service.adopt_task(
            session,
            CTX,
            actor=actor(session, org, "mem_d"),
            document_id=summarised.id + 10_000,
            task_index=0,
            unit_id=org.units["D"].id,
            assignee_member_id=org.members["mem_d"].id,
        )
    assert hidden.value.render() == missing.value.render()
    with pytest.raises(NotFound):
        adopt(session, org, summarised, "sec_a", 99)
