"""Canaries: one document per unit with a phrase only its audience may read. No answer or
citation ever shows a canary the asker may not see, and the asker's own canary is found."""

from __future__ import annotations

from sqlalchemy import select

from app.documents.models import Document, DocumentStatus
from app.documents.service import visible_condition
from app.knowledge import service, service_index
from app.knowledge.models import IndexedChunk
from app.knowledge.service_audience import actor_tokens
from pipelines import retrieval
from tests.factories.documents import make_document
from tests.factories.org import build_org
from tests.knowledge.conftest import KB

ASKERS = ["mem_a", "sec_a", "sec_b", "mem_b", "mem_d", "staff_w1", "admin", "auditor"]
HOME = {"mem_a": "A", "sec_a": "A", "sec_b": "B", "mem_b": "B", "mem_d": "D", "staff_w1": "W1"}


def canary(code: str) -> str:
    return f"canary{code.lower()}zeta"


def test_no_answer_leaks_a_canary_and_own_canary_is_found(kb: KB) -> None:
    c = kb.c
    with c.db.session() as s:
        org = build_org(s)
        for code, unit in org.units.items():
            make_document(
                s,
                c.settings,
                by=org.accounts["admin"],
                unit=unit,
                audience=[unit],
                publish=True,
                title=f"Thông báo khẩu lệnh {code}",
                content=f"Khẩu lệnh của {unit.name} là {canary(code)}.\n".encode(),
            )
        names = {code: u.name for code, u in org.units.items()}
        accounts = {k: a.id for k, a in org.accounts.items()}
    assert set(kb.run_jobs()) == {"succeeded"}

    with c.db.session() as s:
        doc_code = {d.id: d.title.rsplit(" ", 1)[1] for d in s.scalars(select(Document))}
        index = service_index.open_index(c.settings, service_index.current_generation(s))
        for who in ASKERS:
            actor = kb.actor(s, accounts[who])
            visible = {
                doc_code[i]
                for i in s.scalars(
                    select(Document.id).where(
                        visible_condition(actor), Document.status == DocumentStatus.published
                    )
                )
            }
            # The token pre-filter reaches exactly the documents visible_condition allows.
            hits = index.search("khẩu lệnh", k=50, allowed_unit_ids=actor_tokens(actor))
            assert {doc_code[int(h.document_id)] for h in hits} == visible, who
            # And so does the retrieval the service asks through (no tokens: nothing at all).
            found = retrieval.retrieve(index, "khẩu lệnh", audience=actor_tokens(actor), k=50)
            assert {doc_code[int(h.document_id)] for h in found} == visible, who
            hidden = [canary(code) for code in names if code not in visible]
            for code, name in names.items():
                _, answer = service.ask(
                    s, actor=actor, settings=c.settings, question=f"Khẩu lệnh của {name} là gì?"
                )
                shown = answer.answer + " ".join(
                    f"{x.snippet} {x.title} {x.url}" for x in answer.citations
                )
                for secret in hidden:
                    assert secret not in shown, (who, code, secret)
                if code in visible:
                    assert answer.found and canary(code) in answer.answer, (who, code, answer)
            if who in HOME:
                assert HOME[who] in visible
        assert s.scalar(select(IndexedChunk.id).limit(1)) is not None
