"""`sotay eval qa`: publish a dataset into a temporary organisation and ask as its members."""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts import service as accounts_service
from app.accounts.models import Role
from app.core.audit import AuditContext
from app.core.config import Settings
from app.core.db import Database
from app.core.migrate import upgrade
from app.core.permissions import Actor, load_actor
from app.core.text import fold
from app.documents import service as documents_service
from app.documents.models import Document, DocumentKind
from app.documents.schemas import AudienceIn, DocumentMeta
from app.documents.service_storage import Staged, get_storage
from app.jobs.models import Job
from app.jobs.service_dispatch import use_dispatcher
from app.jobs.service_engine import execute_job
from app.knowledge import service as knowledge_service
from app.knowledge import service_index
from app.knowledge import tasks as _kinds  # noqa: F401 - registers knowledge.index here
from app.knowledge.models import IndexedChunk
from app.knowledge.service_hooks import INDEX_KIND
from app.members.models import Member, UnitMembership
from app.units.models import Unit, UnitKind
from pipelines.eval_qa import (
    Dataset,
    Outcome,
    QaEvalResult,
    coverage,
    judge,
    load_dataset,
    norm_number,
    summarise,
)

log = logging.getLogger(__name__)

ADMIN = "eval-admin"


def eval_settings(settings: Settings, data_dir: Path) -> Settings:
    """The app's settings on a fresh data dir: SQLite database, embedded index and files there;
    the embedding model, retrieval and answer settings stay as configured."""
    out = settings.model_copy(deep=True)
    out.data_dir = data_dir
    out.db.url = ""
    out.vectorstore.mode = "embedded"
    out.jobs.embedded_worker = False
    out.ensure_dirs()
    return out


class _Org:
    """The dataset's units and askers as rows: unit code -> Unit, member key -> account id."""

    def __init__(self, session: Session, data: Dataset) -> None:
        self.units: dict[str, Unit] = {}
        self.accounts: dict[str, int] = {}
        for spec in data.units:
            parent = self.units[spec.parent] if spec.parent else None
            unit = Unit(
                code=spec.code,
                name=spec.name,
                kind=UnitKind(spec.kind),
                parent_id=parent.id if parent else None,
                depth=parent.depth + 1 if parent else 0,
            )
            session.add(unit)
            session.flush()
            unit.path = f"{parent.path if parent else '/'}{unit.id}/"
            self.units[spec.code] = unit
        root = next(u for u in self.units.values() if u.parent_id is None)
        # Passwords are never used: everyone is loaded as an Actor directly.
        admin = accounts_service.create_account(
            session, username=ADMIN, password=secrets.token_urlsafe(16)
        )
        accounts_service.grant_role(
            session, account_id=admin.id, unit_id=root.id, role=Role.city_admin
        )
        self.admin_id = admin.id
        for n, m in enumerate(data.members, start=1):
            unit = self.units[m.unit]
            member = Member(
                unit_id=unit.id,
                full_name=m.name,
                name_folded=fold(m.name),
                birth_date=date(1980, 1, 1),
                gender="male",
                admission_date=date(2010, 5, 19),
                official_date=date(2011, 5, 19),
                card_number=f"EVAL{n:06d}",
                dossier_number=f"EVAL-LL{n:06d}",
                status="active",
            )
            session.add(member)
            session.flush()
            session.add(
                UnitMembership(member_id=member.id, unit_id=unit.id, start_date=date(2010, 5, 19))
            )
            account = accounts_service.create_account(
                session,
                username=f"eval-{m.key}".lower(),
                password=secrets.token_urlsafe(16),
                display_name=m.name,
                member_id=member.id,
            )
            if m.role and m.role != Role.member.value:
                accounts_service.grant_role(
                    session, account_id=account.id, unit_id=unit.id, role=Role(m.role)
                )
            self.accounts[m.key] = account.id
        session.flush()


def _actor(session: Session, account_id: int) -> Actor:
    actor = load_actor(session, account_id)
    if actor is None:
        raise RuntimeError(f"account {account_id} has no actor")
    return actor


def publish_all(db: Database, settings: Settings, data: Dataset, org: _Org) -> None:
    """Create, address and publish every document as the city admin, through the documents
    service (which queues each one's index job)."""
    storage = get_storage(settings)
    ctx = AuditContext(actor_account_id=org.admin_id, ip="eval")
    kinds = {k.value for k in DocumentKind}
    for i, spec in enumerate(data.documents, start=1):
        with db.session() as s:
            actor = _actor(s, org.admin_id)
            body = (spec.text or "").encode()
            digest = hashlib.sha256(body).hexdigest()
            path = storage.stage_dir() / f"eval-{digest[:16]}"
            path.write_bytes(body)
            staged = Staged(path=path, sha256=digest, size=len(body))
            try:
                meta = DocumentMeta(
                    unit_id=org.units[spec.issuer].id,
                    kind=DocumentKind(spec.kind if spec.kind in kinds else "khac"),
                    title=spec.title,
                    number=spec.number,
                    issued_on=date.fromisoformat(spec.issued_on) if spec.issued_on else None,
                )
                doc = documents_service.create_document(
                    s,
                    ctx,
                    actor=actor,
                    storage=storage,
                    limits=settings.documents,
                    meta=meta,
                    staged=staged,
                    filename=f"van-ban-{i:02d}.txt",
                )
            finally:
                staged.discard()
            entries = [
                AudienceIn(
                    unit_id=org.units[a.unit].id,
                    include_subtree=a.include_subtree,
                    role=Role(a.role) if a.role else None,
                )
                for a in spec.audience
            ]
            documents_service.set_audience(s, ctx, actor=actor, document_id=doc.id, entries=entries)
            documents_service.publish_document(s, ctx, actor=actor, document_id=doc.id)


class RecordingDispatcher:
    """Keeps the ids of the jobs that publishing queued, for `run_index_jobs` to run here."""

    def __init__(self) -> None:
        self.sent: list[int] = []

    def send(self, job_id: int) -> None:
        self.sent.append(job_id)


def run_index_jobs(db: Database, settings: Settings, sent: RecordingDispatcher) -> dict[str, str]:
    """Run every queued index job here, in order; returns document number -> error for the
    documents whose job did not succeed (a refused document must show, not vanish). The
    summary jobs the index jobs queue are left queued: answering questions needs none."""
    failures: dict[str, str] = {}
    while sent.sent:
        job_id = sent.sent.pop(0)
        with db.session(readonly=True) as s:
            kind = s.scalar(select(Job.kind).where(Job.id == job_id))
        if kind != INDEX_KIND:
            continue
        outcome = execute_job(db, settings.jobs, job_id, worker="eval-qa")
        if outcome == "succeeded":
            continue
        with db.session(readonly=True) as s:
            job = s.get(Job, job_id)
            doc_id = int((job.params or {}).get("document_id", 0)) if job else 0
            number = s.scalar(select(Document.number).where(Document.id == doc_id))
            failures[number or str(doc_id)] = (job.error if job else None) or outcome
    return failures


def document_coverage(session: Session, data: Dataset) -> dict[str, float]:
    """Per document number, the share of its words that reached its chunks."""
    rows = session.execute(
        select(Document.number, IndexedChunk.heading, IndexedChunk.article, IndexedChunk.text)
        .join(IndexedChunk, IndexedChunk.document_id == Document.id)
        .order_by(IndexedChunk.ordinal)
    ).all()
    chunks: dict[str, list[str]] = {}
    for number, *parts in rows:
        chunks.setdefault(number or "", []).append(" ".join(parts))
    return {
        d.number: coverage(d.text or "", chunks.get(norm_number(d.number), []))
        for d in data.documents
    }


def ask_all(db: Database, settings: Settings, data: Dataset, org: _Org) -> list[Outcome]:
    """Ask every question as its member through the service the API uses; time each call."""
    outcomes: list[Outcome] = []
    with db.session() as s:
        # Loads the model and the index outside the timings, as a running server has them.
        first = _actor(s, next(iter(org.accounts.values())))
        knowledge_service.ask(s, actor=first, settings=settings, question="Khởi động hệ thống?")
    for q in data.questions:
        with db.session() as s:
            actor = _actor(s, org.accounts[q.ask_as])
            t0 = time.perf_counter()
            _, answer = knowledge_service.ask(
                s, actor=actor, settings=settings, question=q.question
            )
            ms = (time.perf_counter() - t0) * 1000
        outcomes.append(
            judge(
                q,
                answer.found,
                answer.answer,
                [c.number or "" for c in answer.citations],
                [c.article for c in answer.citations],
                ms,
            )
        )
        log.info("%s %s %.0f ms", q.id, outcomes[-1].verdict, ms)
    return outcomes


def run_eval(dataset: Path, settings: Settings) -> QaEvalResult:
    """Publish, index and ask in a temporary data dir; nothing of the app's data is touched."""
    data = load_dataset(dataset)
    sent = RecordingDispatcher()
    with tempfile.TemporaryDirectory(prefix="sotay-eval-qa-") as tmp:
        cfg = eval_settings(settings, Path(tmp) / "data")
        db = Database(cfg)
        use_dispatcher(sent)
        try:
            upgrade(db.engine)
            with db.session() as s:
                org = _Org(s, data)
            publish_all(db, cfg, data, org)
            started = time.perf_counter()
            failures = run_index_jobs(db, cfg, sent)
            index_seconds = time.perf_counter() - started
            log.info("indexed %d documents in %.1f s", len(data.documents), index_seconds)
            outcomes = ask_all(db, cfg, data, org)
            embeddings = service_index.open_index(cfg).embeddings
            embed_id = getattr(embeddings, "model_id", settings.embeddings.provider)
            with db.session(readonly=True) as s:
                chunks = int(s.scalar(select(func.count()).select_from(IndexedChunk)) or 0)
                covered = document_coverage(s, data)
        finally:
            use_dispatcher(None)
            service_index.close_all()
            db.dispose()
    return summarise(
        outcomes,
        documents=len(data.documents),
        documents_indexed=len(data.documents) - len(failures),
        chunks=chunks,
        index_failures=failures,
        coverage=covered,
        config={
            "answerer": settings.llm.provider,
            "embeddings": embed_id,
            "top_k": settings.llm.top_k,
            "index_seconds": round(index_seconds, 1),
            # Timings on a shared machine mean little without the load they were taken under.
            "cpu_count": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 2),
        },
    )
