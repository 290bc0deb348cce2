"""One process writes the index, others read it: a reader that refreshes when the generation
moves on must see the writer's vectors, not only its metadata.

chromadb 1.5.9 measured here: after another process wrote, an open embedded client shows the
new records to count() and get() but not to query(), even through a new get_collection(),
which is why `ChromaStore.refresh` opens a new client. These tests pin the behaviour the app
relies on, with a real second process each time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from app.jobs.models import Job
from app.jobs.service_embedded import worker_env
from app.knowledge import service_index
from app.knowledge.service_hooks import INDEX_KIND
from tests.factories.org import build_org
from tests.knowledge.conftest import KB
from vectorstore.store import ChromaStore, VectorRecord

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]

# A writer that stays alive between commands, as a worker does between jobs.
WRITER = textwrap.dedent(
    """
    import sys
    import numpy as np
    from vectorstore.store import ChromaStore, VectorRecord

    store = ChromaStore(path=__import__("pathlib").Path(sys.argv[1]))
    def vec(i):
        return np.random.default_rng(i).standard_normal(16).astype(np.float32)
    for line in sys.stdin:
        op, doc, n = line.split()
        if op == "add":
            store.add([
                VectorRecord(f"d{doc}c{i}", 0, doc, "", (1,), f"s{i}", vec(int(doc) * 1000 + i))
                for i in range(int(n))
            ])
        else:
            store.remove_document(doc)
        print("ok", store.count(), flush=True)
    """
)


def vec(i: int) -> np.ndarray:
    return np.random.default_rng(i).standard_normal(16).astype(np.float32)


def test_a_refreshed_reader_queries_what_another_process_wrote(tmp_path: Path) -> None:
    path = tmp_path / "chroma"
    reader = ChromaStore(path=path)
    reader.add([VectorRecord("d0c0", 0, "0", "", (1,), "s", vec(0))])  # not empty on open
    assert len(reader.query(vec(0), 10)) == 1
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdin is not None and writer.stdout is not None

    def command(line: str) -> str:
        assert writer.stdin is not None and writer.stdout is not None
        writer.stdin.write(line + "\n")
        writer.stdin.flush()
        return writer.stdout.readline().strip()

    try:
        assert command("add 7 40") == "ok 41"
        reader.refresh()
        hits = reader.query(vec(7000 + 5), 100)
        assert len(hits) == 41 and hits[0].chunk_id == "d7c5"
        assert command("remove 7 0") == "ok 1"
        reader.refresh()
        assert [h.chunk_id for h in reader.query(vec(7000 + 5), 100)] == ["d0c0"]
    finally:
        writer.stdin.close()
        writer.wait(timeout=60)


def test_web_process_sees_a_document_indexed_by_another_process(kb: KB) -> None:
    """The app's path: this process holds an open index handle, a worker process indexes a
    published document, and the next search here finds it through the dense retriever too."""
    c = kb.c
    with c.db.session() as s:
        org = build_org(s)
        from tests.factories.documents import make_document

        first = make_document(
            s,
            c.settings,
            by=org.accounts["admin"],
            unit=org.units["W1"],
            audience=[org.units["W1"]],
            publish=True,
            title="Lịch tiếp dân",
            content="Điều 1. Lịch tiếp dân\nBí thư tiếp dân vào sáng thứ năm hằng tuần.\n".encode(),
        )
        first_id = first.id
    assert kb.run_jobs() == ["succeeded"]
    with c.db.session() as s:
        before = service_index.open_index(c.settings, service_index.current_generation(s))
    found = before.search("tiếp dân", 5, mode="dense")
    assert {h.document_id for h in found} == {str(first_id)}

    with c.db.session() as s:
        second = make_document(
            s,
            c.settings,
            by=org.accounts["admin"],
            unit=org.units["W1"],
            audience=[org.units["W1"]],
            publish=True,
            title="Quy định đảng phí",
            content="Điều 3. Đảng phí\nSinh viên đóng đảng phí mỗi tháng hai nghìn đồng.\n".encode(),
        )
        second_id = second.id
    job_id = kb.sent.sent.pop()
    script = (
        "import app.kinds  # a worker process registers every job kind\n"
        "from app.core.config import get_settings\n"
        "from app.core.db import Database\n"
        "from app.jobs.service_engine import execute_job\n"
        "s = get_settings()\n"
        f"print(execute_job(Database(s), s.jobs, {job_id}, worker='other'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env={**os.environ, **worker_env(c.settings)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.stdout.strip().endswith("succeeded"), done.stdout + done.stderr
    with c.db.session() as s:
        assert s.scalar(select(Job.status).where(Job.id == job_id, Job.kind == INDEX_KIND))
        after = service_index.open_index(c.settings, service_index.current_generation(s))
    assert after is before  # the same handle, re-opened in place
    dense = before.search("đảng phí sinh viên", 5, mode="dense")
    assert dense and dense[0].document_id == str(second_id)
    assert before.counts()[0] == 2
